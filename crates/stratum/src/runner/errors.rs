//! The runner's errors. Each names the revision (and, where there is one, the
//! statement and the database's error code) and says what to do next.

use super::lock::LockHolder;
use super::plan::Direction;
use crate::backend::ErrorKind;
use crate::db::DbError;
use std::time::Duration;

/// Longest statement text shown in an error message (the full text stays in the
/// variant).
const SHOWN_STATEMENT_CHARS: usize = 300;

/// Shortens a statement for display.
pub(crate) fn shorten(sql: &str) -> String {
    let one_line: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= SHOWN_STATEMENT_CHARS {
        one_line
    } else {
        let cut: String = one_line.chars().take(SHOWN_STATEMENT_CHARS).collect();
        format!("{cut}...")
    }
}

fn code_part(code: &Option<String>) -> String {
    code.as_deref()
        .map(|c| format!(" [{c}]"))
        .unwrap_or_default()
}

fn cancelled_text(applied: &[String], remaining: usize) -> String {
    if applied.is_empty() && remaining == 0 {
        return "stopped on request while waiting for the migration lock; nothing was run"
            .to_string();
    }
    format!(
        "stopped on request after {} revision(s) ({}); {remaining} not applied, run again to continue",
        applied.len(),
        if applied.is_empty() {
            "none".to_string()
        } else {
            applied.join(", ")
        }
    )
}

/// A version-table value as SQL shows it: `NULL`, or the text in single quotes
/// with control characters written as escapes (`'\n'`, `'\u{7}'`).
pub(crate) fn shown_row(row: &Option<String>) -> String {
    match row {
        None => "NULL".to_string(),
        Some(v) => {
            let text: String = v
                .chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            format!("'{text}'")
        }
    }
}

fn lost_cause(code: &Option<String>, message: &str) -> String {
    format!("{message}{}", code_part(code))
}

fn blockers_text(blocking: &[LockHolder]) -> String {
    if blocking.is_empty() {
        "the blocking session had finished when the run looked".to_string()
    } else {
        let list: Vec<String> = blocking.iter().map(ToString::to_string).collect();
        format!("blocked by {}", list.join("; "))
    }
}

fn bookkeeping_blockers(wait: WaitKind, blocking: &[LockHolder]) -> String {
    match wait {
        WaitKind::WriteLock => "SQLite does not say which process holds it".to_string(),
        _ => blockers_text(blocking),
    }
}

/// Which limit a statement of the runner's own ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitKind {
    /// PostgreSQL's `lock_timeout` (SQLSTATE 55P03).
    TableLock,
    /// SQLite's busy timeout: another connection holds the database's write lock.
    WriteLock,
    /// PostgreSQL's `statement_timeout` (SQLSTATE 57014).
    Statement,
}

impl WaitKind {
    /// The kind of a database error, if it is a timeout at all.
    pub fn of(e: &DbError) -> Option<WaitKind> {
        match crate::backend::registry::classify(e) {
            ErrorKind::Busy => Some(WaitKind::WriteLock),
            ErrorKind::LockTimeout => Some(WaitKind::TableLock),
            ErrorKind::StatementTimeout => Some(WaitKind::Statement),
            _ => None,
        }
    }

    fn what(self) -> &'static str {
        match self {
            WaitKind::TableLock => "waited longer than the lock timeout for a lock on it [55P03]",
            WaitKind::WriteLock => {
                "waited longer than the lock timeout for the database's write lock, which another connection holds"
            }
            WaitKind::Statement => "ran longer than the statement timeout [57014]",
        }
    }
}

/// What is wrong with the version table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionTableError {
    /// The configured table name cannot be used.
    #[error(
        "invalid version table name `{0}`: use 1 to 63 characters without quotes or control characters"
    )]
    InvalidName(String),
    /// The same revision appears in two rows.
    #[error(
        "version table `{table}` lists revision `{revision}` more than once; remove the duplicate rows (or run `stamp --purge` with the right heads)"
    )]
    Duplicate {
        /// Table name.
        table: String,
        /// The repeated revision id.
        revision: String,
    },
    /// A row is not a usable revision id.
    #[error(
        "version table `{table}` has a malformed row ({reason}): {}; fix the row or run `stamp --purge` with the right heads",
        shown_row(row)
    )]
    Malformed {
        /// Table name.
        table: String,
        /// The row's value (`None` for NULL).
        row: Option<String>,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The table exists but has no readable `version_num` column.
    #[error(
        "table `{table}` exists but is not a version table (no readable version_num column: {message}); choose another version table name"
    )]
    NotAVersionTable {
        /// Table name.
        table: String,
        /// The database's message.
        message: String,
    },
}

/// An error from running migrations, stamping or reading the version table.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The connection was closed to release the migration lock after an
    /// interrupted run (a panic or a dropped future).
    #[error(
        "the connection was closed to release the migration lock after an interrupted run; connect again"
    )]
    ConnectionClosed,
    /// An online run's own failure (boxed: it is large and errors travel often).
    #[error(transparent)]
    Online(Box<super::online::OnlineError>),
    /// A query of the runner's own failed.
    #[error("{context} failed{}: {message}", code_part(code))]
    Database {
        /// What the runner was doing.
        context: &'static str,
        /// SQLSTATE or SQLite code.
        code: Option<String>,
        /// The database's message.
        message: String,
        /// The underlying error (boxed: it is large and errors travel often).
        #[source]
        source: Box<DbError>,
    },
    /// The version table is unusable.
    #[error(transparent)]
    VersionTable(#[from] VersionTableError),
    /// The server answered the request for the migration lock with neither
    /// "taken" nor "held by another session" (MariaDB's `GET_LOCK` returns NULL
    /// when it fails, for example when the session was killed).
    #[error(
        "the server could not take the migration lock (it returned no answer); nothing was changed; check the server's error log, then run again"
    )]
    LockFailed,
    /// The session holding the migration lock was lost during the run (killed,
    /// cut off, or ended by the server): the lock is free and another migrator
    /// may be running, so the run stopped before its next revision.
    #[error(
        "the migration lock was lost during the run ({detail}); stopped before the next revision; the revisions applied so far are recorded; run again"
    )]
    LockLost {
        /// What the check found.
        detail: String,
    },
    /// Another session held the migration lock for longer than the lock timeout.
    #[error(
        "could not take the migration lock within {}: {}; wait for it to finish or stop it, then run again",
        crate::config::ShowWait(*waited),
        holder.as_ref().map(|h| format!("held by {h}")).unwrap_or_else(|| "holder unknown".to_string())
    )]
    LockTimeout {
        /// How long the runner waited.
        waited: Duration,
        /// The session holding the lock, when the database says.
        holder: Option<Box<LockHolder>>,
    },
    /// SQLite: another connection held the database's write lock for longer than
    /// the lock timeout.
    #[error(
        "{context}: another connection held the SQLite database's write lock for longer than the lock timeout ({}); nothing was changed; SQLite does not say which process holds it; run again when it is done",
        crate::config::ShowWait(*waited)
    )]
    DatabaseBusy {
        /// What the runner was doing.
        context: &'static str,
        /// How long it waited.
        waited: Duration,
    },
    /// SQLite: the migration lock file beside the database cannot be opened or
    /// locked.
    #[error(
        "cannot use the migration lock file {path}: {message}; the directory holding the database must be writable for a migration"
    )]
    LockFile {
        /// The lock file.
        path: String,
        /// The operating system's message.
        message: String,
    },
    /// The database has tables the plan would create, but no version table: it
    /// was built outside the migrations (or its version table was dropped).
    #[error(
        "the database has no version table `{version_table}` but already has table `{table}`, which revision {revision} creates; if the database matches a revision, record it with `stamp <revision>`, otherwise use an empty database"
    )]
    Unversioned {
        /// The version table's name.
        version_table: String,
        /// A table that exists already.
        table: String,
        /// The revision that creates it.
        revision: String,
    },
    /// The database is at a revision the code does not have.
    #[error(
        "database is at unknown revision {revision} (newer code deployed?); deploy the code that has it, or `stamp` the database to a known revision"
    )]
    UnknownRevision {
        /// The unknown revision id.
        revision: String,
    },
    /// An applied revision's source changed since it was applied.
    #[error(
        "revision {revision} ({file}) was edited after it was applied: checksum recorded {recorded}, file now {current}; restore the file, or write a new revision for the change"
    )]
    ChecksumMismatch {
        /// Revision id.
        revision: String,
        /// Its file.
        file: String,
        /// Checksum in the history table.
        recorded: String,
        /// Checksum of the code.
        current: String,
    },
    /// The planner could not compute a plan.
    #[error("cannot plan the migration: {0}")]
    Plan(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A revision's ops could not be rendered as SQL.
    #[error("revision {revision} cannot be rendered as SQL: {source}")]
    Render {
        /// Revision id.
        revision: String,
        /// Why the renderer refused the op.
        #[source]
        source: Box<stratum_core::dialect::RenderError>,
    },
    /// A revision's op cannot be applied to the schema the revisions before it
    /// build, so the ops after it cannot be rendered.
    #[error("revision {revision} cannot be rendered as SQL: {op} cannot be simulated: {source}")]
    Simulate {
        /// Revision id.
        revision: String,
        /// The op's kind (`add_column`, ...).
        op: &'static str,
        /// Why the op cannot be applied.
        #[source]
        source: Box<stratum_core::simulate::SimulateError>,
    },
    /// A transactional revision contains a statement that cannot run in a
    /// transaction.
    #[error(
        "revision {revision} runs in a transaction but contains a statement that cannot ({}); mark the revision `.non_transactional()` or move that statement into a revision of its own",
        shorten(statement)
    )]
    MixedTransactional {
        /// Revision id.
        revision: String,
        /// The statement.
        statement: String,
    },
    /// A statement failed; the revision was rolled back.
    #[error(
        "{direction} of revision {revision} failed and was rolled back, the database is as before it; statement: {}; database error{}: {message}",
        shorten(statement),
        code_part(code)
    )]
    StatementFailed {
        /// Revision id.
        revision: String,
        /// Upgrade or downgrade.
        direction: Direction,
        /// The failing statement.
        statement: String,
        /// SQLSTATE or SQLite code.
        code: Option<String>,
        /// The database's message.
        message: String,
    },
    /// A statement waited longer than the lock timeout for a table lock; the
    /// revision was rolled back.
    #[error(
        "{direction} of revision {revision} waited longer than the lock timeout for a table lock and was rolled back, the database is as before it; statement: {}; database error [55P03]: lock timeout; {}; run again when that session is done, or stop it",
        shorten(statement),
        blockers_text(blocking)
    )]
    TableLockTimeout {
        /// Revision id.
        revision: String,
        /// Upgrade or downgrade.
        direction: Direction,
        /// The statement that waited.
        statement: String,
        /// Sessions holding locks on the tables the statement names (they may have
        /// finished by the time the run looked).
        blocking: Vec<LockHolder>,
    },
    /// One of the runner's own statements on its version or history table waited
    /// longer than the lock timeout for a lock on that table (or, on SQLite, for
    /// the database's write lock), or ran past the statement timeout. Whatever
    /// the run had started was rolled back.
    #[error(
        "{context} (table `{table}`) {}; nothing was changed, anything this run had started was rolled back; {}; run again when that session is done, or stop it",
        wait.what(),
        bookkeeping_blockers(*wait, blocking)
    )]
    BookkeepingTimeout {
        /// What the runner was doing (`reading the version table`, ...).
        context: &'static str,
        /// The table.
        table: String,
        /// Which limit ran out.
        wait: WaitKind,
        /// Sessions holding locks on the table (PostgreSQL; they may have finished
        /// by the time the run looked).
        blocking: Vec<LockHolder>,
    },
    /// The connection was lost while a transactional revision ran (the server
    /// shut down or restarted, the backend was terminated, the network broke).
    /// The server rolls back an unfinished transaction, so the database is at a
    /// revision boundary: before the revision, or after it when the loss came
    /// during its `COMMIT` and the commit had gone through.
    #[error(
        "the connection to the database was lost during {direction} of revision {revision} ({}); {}; run again once the server is reachable",
        lost_cause(code, message),
        if *during_commit {
            "it was lost during the revision's COMMIT, so the revision is either fully applied or rolled back: `current` shows which, and the next run continues from there"
        } else {
            "the revision was rolled back, the database is as before it"
        }
    )]
    ConnectionLost {
        /// Revision id.
        revision: String,
        /// Upgrade or downgrade.
        direction: Direction,
        /// Whether the loss came while committing.
        during_commit: bool,
        /// SQLSTATE, when the server said why it ended the session.
        code: Option<String>,
        /// The database's or the transport's message.
        message: String,
    },
    /// A statement of a non-transactional revision failed after earlier ones ran.
    #[error(
        "{direction} of revision {revision} failed at statement {} of {total}; it ran outside a transaction, so the statements before it stay applied (on PostgreSQL a failed CONCURRENTLY index build also leaves an invalid index to drop); the version table is unchanged and the progress is recorded (`current` shows it); statement: {}; database error{}: {message}; fix the revision and run again: the run resumes at statement {}, or repair the database by hand and run `resolve {revision} --applied` or `--rolled-back`",
        executed + 1, shorten(statement), code_part(code), executed + 1
    )]
    PartiallyApplied {
        /// Revision id.
        revision: String,
        /// Upgrade or downgrade.
        direction: Direction,
        /// The failing statement.
        statement: String,
        /// Statements that ran before it.
        executed: usize,
        /// Statements in the revision.
        total: usize,
        /// SQLSTATE or SQLite code.
        code: Option<String>,
        /// The database's message.
        message: String,
    },
    /// A partly applied revision's statements that already ran are not the
    /// ones the revision renders now: resuming would build something else.
    #[error(
        "{direction} of revision {revision} stopped part-way earlier and cannot resume: {mismatch}; the database holds what ran, not what the revision says now. Put the statements that ran back as they were and run again, or repair the database by hand and run `resolve {revision} --applied` (it now matches the whole revision) or `resolve {revision} --rolled-back` (what ran was undone)"
    )]
    ResumeChanged {
        /// Revision id.
        revision: String,
        /// Upgrade or downgrade.
        direction: Direction,
        /// What differs.
        mismatch: super::progress::ResumeMismatch,
    },
    /// A revision is partly applied, and the run would not finish it first.
    #[error(
        "{what} refused: {}. Finish it first: fix the revision if a statement failed and run the same {} again (it resumes at statement {}), or repair the database by hand and run `resolve {} --applied` or `resolve {} --rolled-back`",
        partial.summary(),
        super::plan::direction_word(partial.direction),
        partial.applied + 1,
        partial.revision,
        partial.revision
    )]
    PartlyApplied {
        /// What was refused (`downgrade 1a2b`, `stamp`...).
        what: String,
        /// The partial revision.
        partial: Box<super::progress::PartialRevision>,
    },
    /// `resolve` of a revision that is not partly applied.
    #[error(
        "revision {revision} is not partly applied (no statement progress is recorded for it); `resolve` only finishes or clears a revision that stopped part-way, `current` lists those"
    )]
    NotPartlyApplied {
        /// Revision id.
        revision: String,
    },
    /// `resolve --applied` of a revision recorded as starting from other
    /// version-table rows than the table holds now.
    #[error(
        "cannot mark revision {revision} applied: it started from {} but the version table now holds {} (it was changed by hand since); put the version table back by hand to where the revision started, or resolve with `--rolled-back` and run the revision again",
        super::plan::heads_or_base(expected),
        super::plan::heads_or_base(found)
    )]
    ResolveHeadsMoved {
        /// Revision id.
        revision: String,
        /// Rows the revision started from.
        expected: Vec<String>,
        /// Rows found.
        found: Vec<String>,
    },
    /// SQLite's `PRAGMA foreign_key_check` found violations before commit.
    #[error(
        "{direction} of revision {revision} leaves rows that violate foreign keys (first: {}); it was rolled back",
        violations.first().map(String::as_str).unwrap_or("?")
    )]
    ForeignKeyViolation {
        /// Revision id.
        revision: String,
        /// Upgrade or downgrade.
        direction: Direction,
        /// One line per violation: table, rowid, parent table.
        violations: Vec<String>,
    },
    /// The heads kept changing under the runner.
    #[error(
        "the version table changed while revision {revision} was about to run (expected {}, found {}) several times; another migrator is running without the lock, stop it",
        super::plan::heads_or_base(expected),
        super::plan::heads_or_base(found)
    )]
    ConcurrentChange {
        /// Revision id.
        revision: String,
        /// Heads the plan expected.
        expected: Vec<String>,
        /// Heads found.
        found: Vec<String>,
    },
    /// A stamp target is not a revision the code knows.
    #[error("cannot stamp unknown revision {revision}; give a revision id the code has")]
    StampUnknown {
        /// The unknown id.
        revision: String,
    },
    /// Cancellation was requested; the run stopped at a revision boundary (or
    /// while waiting for the migration lock, before anything ran: `remaining` 0
    /// and nothing applied).
    #[error("{}", cancelled_text(applied, *remaining))]
    Cancelled {
        /// Revisions applied before stopping.
        applied: Vec<String>,
        /// Steps not run.
        remaining: usize,
    },
}

impl RunError {
    /// Wraps a database error from one of the runner's own queries.
    pub(crate) fn db(context: &'static str, source: DbError) -> Self {
        RunError::Database {
            context,
            code: super::conn::error_code(&source),
            message: super::conn::error_message(&source),
            source: Box::new(source),
        }
    }

    /// Wraps a database error from one of the runner's statements on its own
    /// `table`: a lock or statement timeout becomes
    /// [`RunError::BookkeepingTimeout`] naming the table.
    pub(crate) fn on_table(context: &'static str, table: &str, source: DbError) -> Self {
        match WaitKind::of(&source) {
            Some(wait) => RunError::BookkeepingTimeout {
                context,
                table: table.to_string(),
                wait,
                blocking: Vec::new(),
            },
            None => RunError::db(context, source),
        }
    }

    /// The error for a transactional step whose connection was lost.
    pub(crate) fn lost(step: &super::plan::Step, during_commit: bool, source: &DbError) -> Self {
        RunError::ConnectionLost {
            revision: step.id.clone(),
            direction: step.direction,
            during_commit,
            code: super::conn::error_code(source),
            message: super::conn::error_message(source),
        }
    }

    /// The revision the error is about, if any.
    pub fn revision(&self) -> Option<&str> {
        match self {
            RunError::UnknownRevision { revision }
            | RunError::Unversioned { revision, .. }
            | RunError::ChecksumMismatch { revision, .. }
            | RunError::Render { revision, .. }
            | RunError::Simulate { revision, .. }
            | RunError::MixedTransactional { revision, .. }
            | RunError::StatementFailed { revision, .. }
            | RunError::TableLockTimeout { revision, .. }
            | RunError::PartiallyApplied { revision, .. }
            | RunError::ResumeChanged { revision, .. }
            | RunError::NotPartlyApplied { revision }
            | RunError::ConnectionLost { revision, .. }
            | RunError::ForeignKeyViolation { revision, .. }
            | RunError::ConcurrentChange { revision, .. }
            | RunError::StampUnknown { revision } => Some(revision),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests;

//! Executing one step: its statements, the version-table update and the history
//! row, in one transaction (or statement by statement for a non-transactional
//! revision, with the version update afterwards).

use super::conn::{error_code, error_message, is_connection_lost};
use super::errors::RunError;
use super::errors::VersionTableError;
use super::events::{Event, EventSink};
use super::history::{Elapsed, HistoryTable};
use super::plan::Step;
use super::version_table::VersionTable;
use crate::backend::registry::for_dialect;
use crate::backend::{Backend, ErrorKind};
use crate::db::{Connection, DbError};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};
use stratum_core::dialect::{Dialect, Statement};

/// Settings shared by every step of a run.
pub(crate) struct ExecContext<'a> {
    pub(crate) version_table: &'a VersionTable,
    pub(crate) history: HistoryTable<'a>,
    pub(crate) applied_by: &'a str,
    pub(crate) db_lock_timeout: Option<Duration>,
    pub(crate) statement_timeout: Option<Duration>,
    pub(crate) sink: &'a dyn EventSink,
    /// The progress table of statement-by-statement steps was created (or found)
    /// in this run: later steps neither create it again nor ask whether it exists.
    pub(crate) progress_ready: AtomicBool,
}

/// How a step ended, when it did not fail.
#[derive(Debug)]
pub(crate) enum StepOutcome {
    /// Committed.
    Applied(Duration),
    /// The version table did not hold the step's `heads_before`; nothing was run.
    HeadsChanged(Vec<String>),
}

/// The backend's session settings for a step (`SET LOCAL` inside a
/// transaction), bounding lock waits and statement run time.
pub(crate) fn timeout_settings(
    dialect: Dialect,
    local: bool,
    db_lock_timeout: Option<Duration>,
    statement_timeout: Option<Duration>,
) -> Vec<String> {
    for_dialect(dialect).timeout_settings(local, db_lock_timeout, statement_timeout)
}

/// The statement that opens a migration transaction.
pub(crate) fn begin_sql(dialect: Dialect) -> &'static str {
    for_dialect(dialect).begin_sql()
}

/// Opens a migration transaction (see [`begin_error`] for how it fails).
pub(crate) async fn begin(conn: &mut Connection, context: &'static str) -> Result<(), RunError> {
    let backend = conn.backend();
    let started = Instant::now();
    conn.execute(backend.begin_sql())
        .await
        .map(|_| ())
        .map_err(|e| begin_error(backend, e, started, context))
}

/// The error for a transaction that could not be opened. A database whose
/// `BEGIN` waits up to the busy timeout for other writers reports running out as
/// [`ErrorKind::Busy`], a lock timeout.
fn begin_error(
    backend: &dyn Backend,
    e: DbError,
    started: Instant,
    context: &'static str,
) -> RunError {
    if backend.classify(&e) == ErrorKind::Busy {
        RunError::DatabaseBusy {
            context,
            waited: started.elapsed(),
        }
    } else {
        RunError::db(context, e)
    }
}

pub(crate) async fn rollback(conn: &mut Connection) {
    // The transaction may already be aborted or gone; either way it ends here.
    let _ = conn.execute("ROLLBACK").await;
    super::conn::finish_rollback(conn).await;
}

/// Turns a lock-timeout failure into [`RunError::TableLockTimeout`] naming the
/// sessions that held the tables; call after the transaction ended.
pub(crate) async fn name_blockers(conn: &mut Connection, err: RunError) -> RunError {
    match err {
        RunError::StatementFailed {
            revision,
            direction,
            statement,
            code: Some(code),
            ..
        } if conn.backend().code_kind(&code) == ErrorKind::LockTimeout
            && conn.backend().capabilities().session_timeouts =>
        {
            let blocking = super::lock::table_lock_holders(conn, &statement).await;
            RunError::TableLockTimeout {
                revision,
                direction,
                statement,
                blocking,
            }
        }
        other => other,
    }
}

pub(crate) fn failed(step: &Step, statement: &str, e: &DbError) -> RunError {
    RunError::StatementFailed {
        revision: step.id.clone(),
        direction: step.direction,
        statement: statement.to_string(),
        code: error_code(e),
        message: error_message(e),
    }
}

/// Whether a step's commit must reach disk before `COMMIT` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Commit {
    /// Wait for the commit to be flushed (the last step of a run).
    Durable,
    /// PostgreSQL: `synchronous_commit = off` for this transaction. The commit is
    /// atomic as ever (the revision and its version-table row commit together),
    /// only its flush to disk is left to the server's WAL writer; the run's last
    /// commit, which is durable, flushes it along with everything before it, and
    /// a run that fails or is cancelled calls [`flush_commits`].
    Deferred,
}

/// The settings that follow `BEGIN` in a step's transaction, where the backend
/// has session settings: the step's `SET LOCAL` timeouts and, for a deferred
/// commit, the backend's deferred-commit setting.
pub(crate) fn begin_settings<'a>(
    dialect: Dialect,
    settings: &'a [String],
    commit: Commit,
) -> impl Iterator<Item = String> + 'a {
    let backend = for_dialect(dialect);
    let settable = backend.capabilities().session_timeouts;
    let deferred = (settable && commit == Commit::Deferred)
        .then(|| backend.deferred_commit_sql())
        .flatten();
    settings
        .iter()
        .filter(move |_| settable)
        .cloned()
        .chain(deferred.map(str::to_string))
}

/// Makes every commit of the session durable, where commits can be deferred
/// ([`Backend::flush_commits_sql`]). Best effort: called on the way out of a
/// failed or cancelled run, whose error is what gets reported.
pub(crate) async fn flush_commits(conn: &mut Connection) {
    if let Some(sql) = conn.backend().flush_commits_sql() {
        let _ = conn.execute(sql).await;
    }
}

/// Runs one step.
pub(crate) async fn execute_step(
    conn: &mut Connection,
    ctx: &ExecContext<'_>,
    step: &Step,
    statements: &[Statement],
    commit: Commit,
) -> Result<StepOutcome, RunError> {
    let backend = conn.backend();
    let fk_before = backend
        .foreign_keys_off(conn)
        .await
        .map_err(|e| RunError::db("turning foreign-key enforcement off", e))?;
    // Where DDL commits implicitly, a transaction would not hold the revision
    // together: it runs statement by statement with its progress recorded.
    let result = if step.transactional && backend.capabilities().transactional_ddl {
        run_transactional(conn, ctx, step, statements, commit).await
    } else {
        super::resumable::run_resumable(conn, ctx, step, statements).await
    };
    if let Some(prev) = fk_before {
        let restored = backend
            .foreign_keys_restore(conn, prev)
            .await
            .map_err(|e| RunError::db("restoring foreign-key enforcement", e));
        if result.is_ok() {
            restored?;
        }
    }
    result
}

/// The pieces of a step's transaction, in the order they run: where each kind
/// starts in the batch sent to the database.
struct Layout {
    /// `BEGIN` and the step's settings come first (`0..heads`), then the heads
    /// query (`heads`), then the revision's statements (`heads + 1..checks`).
    heads: usize,
    /// SQLite's `PRAGMA foreign_key_check` (empty on PostgreSQL): `checks..versions`.
    checks: usize,
    /// Version-table updates, each with the rows it must affect: `versions..history`.
    versions: usize,
    /// The history row.
    history: usize,
}

/// A transactional step runs as one batch, `BEGIN` through the history row, then
/// `COMMIT` once the results are checked: on PostgreSQL that is two round trips
/// whatever the number of statements (see [`Connection::run_batch`]).
async fn run_transactional(
    conn: &mut Connection,
    ctx: &ExecContext<'_>,
    step: &Step,
    statements: &[Statement],
    commit: Commit,
) -> Result<StepOutcome, RunError> {
    let started = Instant::now();
    let began = std::time::SystemTime::now();
    let dialect = conn.dialect();
    let settings = timeout_settings(dialect, true, ctx.db_lock_timeout, ctx.statement_timeout);
    let mut opening = vec![Statement::new(begin_sql(dialect))];
    opening.extend(begin_settings(dialect, &settings, commit).map(Statement::new));
    let heads_query = Statement::new(ctx.version_table.heads_sql(dialect));
    let checks: Vec<Statement> = conn.backend().foreign_key_check().into_iter().collect();
    let updates =
        ctx.version_table
            .update_statements(dialect, &step.heads_before, &step.heads_after);
    let versions: Vec<Statement> = updates.iter().map(|(sql, _)| Statement::new(sql)).collect();
    let history = Statement::new(ctx.history.insert_sql(
        conn.backend(),
        &step.id,
        super::plan::direction_word(step.direction),
        Some(&step.checksum),
        Elapsed::SinceBegin { began },
        ctx.applied_by,
    ));
    // The batch, noting where each kind of statement starts.
    let mut batch: Vec<&Statement> = opening.iter().collect();
    let heads = batch.len();
    batch.push(&heads_query);
    batch.extend(statements);
    let checks_at = batch.len();
    batch.extend(&checks);
    let versions_at = batch.len();
    batch.extend(&versions);
    let history_at = batch.len();
    batch.push(&history);
    let layout = Layout {
        heads,
        checks: checks_at,
        versions: versions_at,
        history: history_at,
    };
    for statement in statements {
        ctx.sink.emit(&Event::Statement {
            id: step.id.clone(),
            sql: statement.sql.clone(),
        });
    }
    let outputs = match conn.run_batch(&batch).await {
        Ok(outputs) => outputs,
        Err(failure) => {
            rollback(conn).await;
            // Heads other than planned explain the failure: the statements met a
            // database in another state. Nothing was kept; plan again.
            if let Some(heads) = changed_heads(ctx, step, &failure.completed, &layout)? {
                return Ok(StepOutcome::HeadsChanged(heads));
            }
            if is_connection_lost(&failure.error) {
                return Err(RunError::lost(step, false, &failure.error));
            }
            let err = batch_error(conn.backend(), ctx, step, &batch, &layout, failure, started);
            return Err(name_blockers(conn, err).await);
        }
    };
    // Anything but a clean check ends the transaction here, errors included.
    let checked = check_outputs(ctx, step, &outputs, &layout, &updates);
    if !matches!(checked, Ok(None)) {
        rollback(conn).await;
    }
    if let Some(outcome) = checked? {
        return Ok(match outcome {
            Checked::HeadsChanged(Some(heads)) => StepOutcome::HeadsChanged(heads),
            Checked::HeadsChanged(None) => StepOutcome::HeadsChanged(
                ctx.version_table
                    .read_heads(conn)
                    .await?
                    .unwrap_or_default(),
            ),
        });
    }
    if let Err(e) = conn.execute("COMMIT").await {
        if is_connection_lost(&e) {
            return Err(RunError::lost(step, true, &e));
        }
        rollback(conn).await;
        return Err(failed(step, "COMMIT", &e));
    }
    Ok(StepOutcome::Applied(started.elapsed()))
}

/// Why a batch that ran must not commit.
enum Checked {
    /// The version table did not hold the step's starting heads: what it held,
    /// when known.
    HeadsChanged(Option<Vec<String>>),
}

/// The heads read at the start of the batch when they are not the step's
/// starting heads; `None` when they match or were not read (the batch stopped
/// before). An error for rows that are no version numbers.
fn changed_heads(
    ctx: &ExecContext<'_>,
    step: &Step,
    outputs: &[crate::db::CommandOutput],
    layout: &Layout,
) -> Result<Option<Vec<String>>, RunError> {
    let Some(out) = outputs.get(layout.heads) else {
        return Ok(None);
    };
    let values = out.rows.iter().map(|r| r.first().cloned().flatten());
    let heads = ctx.version_table.validate_rows(values)?;
    Ok((!same_heads(&heads, &step.heads_before)).then_some(heads))
}

/// Checks what a batch returned: the heads it started from, the foreign keys
/// (SQLite) and the rows each version-table statement touched.
fn check_outputs(
    ctx: &ExecContext<'_>,
    step: &Step,
    outputs: &[crate::db::CommandOutput],
    layout: &Layout,
    updates: &[(String, u64)],
) -> Result<Option<Checked>, RunError> {
    if let Some(heads) = changed_heads(ctx, step, outputs, layout)? {
        return Ok(Some(Checked::HeadsChanged(Some(heads))));
    }
    for out in &outputs[layout.checks..layout.versions] {
        if !out.rows.is_empty() {
            return Err(RunError::ForeignKeyViolation {
                revision: step.id.clone(),
                direction: step.direction,
                violations: out.rows.iter().map(|r| describe_violation(r)).collect(),
            });
        }
    }
    for (out, (_, expected)) in outputs[layout.versions..layout.history].iter().zip(updates) {
        if out.rows_affected != *expected {
            return Ok(Some(Checked::HeadsChanged(None)));
        }
    }
    Ok(None)
}

/// One row of the backend's foreign-key check, in words.
fn describe_violation(row: &[Option<String>]) -> String {
    let col = |i: usize| {
        row.get(i)
            .cloned()
            .flatten()
            .unwrap_or_else(|| "NULL".into())
    };
    format!("table {} rowid {} references {}", col(0), col(1), col(2))
}

/// The error for a batch that failed at `failure.index`, named after the part
/// of the step that failed.
fn batch_error(
    backend: &dyn Backend,
    ctx: &ExecContext<'_>,
    step: &Step,
    batch: &[&Statement],
    layout: &Layout,
    failure: crate::db::BatchFailure,
    started: Instant,
) -> RunError {
    let crate::db::BatchFailure { index, error, .. } = failure;
    if index < layout.heads {
        // `BEGIN` itself, or one of the session settings after it.
        begin_error(
            backend,
            error,
            started,
            "starting the revision's transaction",
        )
    } else if index == layout.heads && super::errors::WaitKind::of(&error).is_some() {
        RunError::on_table("reading the version table", ctx.version_table.name(), error)
    } else if index == layout.heads {
        VersionTableError::NotAVersionTable {
            table: ctx.version_table.name().to_string(),
            message: error_message(&error),
        }
        .into()
    } else if index < layout.versions {
        failed(step, &batch[index].sql, &error)
    } else if index < layout.history {
        RunError::on_table(
            "updating the version table",
            ctx.version_table.name(),
            error,
        )
    } else {
        RunError::on_table("writing the history row", ctx.history.name, error)
    }
}

pub(crate) fn same_heads(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

#[cfg(test)]
mod tests;

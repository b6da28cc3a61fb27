//! Statement-level progress of revisions that run outside a transaction.
//!
//! Where a database commits DDL implicitly (MariaDB, MySQL), or for a revision
//! marked `.non_transactional()`, a revision that fails half-way stays half
//! applied. The progress table records each statement as `running` just
//! before it is sent, with its position and a hash of its SQL, and as `applied`
//! once it succeeded: in the same write (one statement, one commit) that
//! records the next statement as running, or, after the last one, in the
//! commit that completes the revision (on its own when that commit fails). A
//! run killed between two statements thus leaves an exact record. A failed
//! statement is recorded
//! with the database's error, and one left `running` tells of a run killed
//! while the server ran it. The next run checks that the statements
//! already applied are unchanged and resumes at the first one that is not
//! recorded; `resolve` marks a partial revision finished or undone after a
//! repair by hand. The rows of a revision are deleted in the transaction that
//! moves the version table.
//!
//! The table's name follows the history table's: `<history table>_progress`
//! ([`progress_table_name`], the one rule; [`DEFAULT_PROGRESS_TABLE`] with the
//! default history table).

use super::conn::fetch_text_rows;
use super::errors::RunError;
use super::plan::{Direction, direction_word};
use super::version_table::table_exists;
use crate::backend::Backend;
use crate::db::Connection;
use sha2::{Digest, Sha256};
use stratum_core::dialect::{Dialect, Statement, quote_ident as ident, quote_literal};

/// The progress table's name with the default history table
/// ([`DEFAULT_HISTORY_TABLE`](super::DEFAULT_HISTORY_TABLE)).
pub const DEFAULT_PROGRESS_TABLE: &str = "stratum_history_progress";

/// The progress table that goes with a history table: `<history>_progress`.
pub fn progress_table_name(history_table: &str) -> String {
    format!("{history_table}_progress")
}

/// How long a recorded statement's SQL may be (it is shown, not replayed).
const RECORDED_SQL_CHARS: usize = 200;

/// The hash recorded for a statement: SHA-256 of its SQL, in hex.
pub fn statement_hash(sql: &str) -> String {
    Sha256::digest(sql.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What became of one recorded statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Sent to the server; no answer recorded yet.
    Running,
    Applied,
    Failed,
}

impl Outcome {
    fn word(self) -> &'static str {
        match self {
            Outcome::Running => "running",
            Outcome::Applied => "applied",
            Outcome::Failed => "failed",
        }
    }
}

/// One row of the progress table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    /// 1-based position of the statement in the revision.
    pub(crate) seq: usize,
    /// Statements in the revision when it was recorded.
    pub(crate) total: usize,
    /// [`statement_hash`] of its SQL.
    pub(crate) hash: String,
    /// Applied or failed.
    pub(crate) outcome: Outcome,
    /// The SQL, shortened.
    pub(crate) sql: String,
    /// The database's error, for a failed statement.
    pub(crate) error: Option<String>,
    /// Version-table rows before and after the revision.
    pub(crate) heads_before: Vec<String>,
    pub(crate) heads_after: Vec<String>,
}

/// A revision that stopped part-way: some of its statements ran, and the
/// version table does not say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialRevision {
    /// Revision id.
    pub revision: String,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// Statements that ran and were recorded (the first `applied` ones).
    pub applied: usize,
    /// Statements in the revision.
    pub total: usize,
    /// The statement that failed (shortened), when one failed; `None` when the
    /// run stopped between two statements (the process or its connection was
    /// killed).
    pub failed_statement: Option<String>,
    /// The database's error for that statement.
    pub error: Option<String>,
    /// The statement that was running when the run stopped without an answer
    /// (the process killed, the connection lost): the server may have
    /// finished it.
    pub running_statement: Option<String>,
    /// Version-table rows before the revision (what the table holds now).
    pub heads_before: Vec<String>,
    /// Version-table rows once the revision is complete.
    pub heads_after: Vec<String>,
}

impl PartialRevision {
    /// One line: `upgrade 1a2b: 2 of 3 statements applied; statement 3 failed: ...`.
    pub fn summary(&self) -> String {
        let head = format!(
            "{} {}: {} of {} statements applied",
            direction_word(self.direction),
            self.revision,
            self.applied,
            self.total
        );
        let next = self.applied + 1;
        match (&self.failed_statement, &self.error, &self.running_statement) {
            (Some(sql), Some(error), _) => {
                format!("{head}; statement {next} failed: {sql}; error: {error}")
            }
            (_, _, Some(sql)) => format!(
                "{head}; the run stopped (killed, or its connection lost) while statement {next} ran, which the server may have finished: {sql}"
            ),
            _ => format!(
                "{head}; the run stopped (killed, or its connection lost) before statement {next}"
            ),
        }
    }
}

/// Why the recorded statements do not fit the revision as it is now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResumeMismatch {
    /// An applied statement's SQL is not the one that ran.
    #[error("statement {seq} ran as `{recorded}` but the revision now says `{now}`")]
    Changed {
        /// 1-based position.
        seq: usize,
        /// The SQL that ran (shortened).
        recorded: String,
        /// The SQL the revision renders now (shortened).
        now: String,
    },
    /// The revision now has fewer statements than already ran.
    #[error("{applied} statements ran but the revision now has {total}")]
    Shorter {
        /// Statements applied.
        applied: usize,
        /// Statements the revision has now.
        total: usize,
    },
    /// The applied statements are not a prefix (a record is missing).
    #[error("statement {seq} is recorded as applied but statement {missing} is not")]
    Gap {
        /// A recorded statement.
        seq: usize,
        /// The one before it that is missing.
        missing: usize,
    },
}

/// Where a revision resumes: the 0-based index of the first statement to run,
/// after checking that every applied statement is unchanged. `recorded` are the
/// revision's rows (any order); a failed row is ignored (that statement runs
/// again, as the revision says now).
pub(crate) fn resume_at(
    recorded: &[Recorded],
    statements: &[Statement],
) -> Result<usize, ResumeMismatch> {
    let mut applied: Vec<&Recorded> = recorded
        .iter()
        .filter(|r| r.outcome == Outcome::Applied)
        .collect();
    applied.sort_by_key(|r| r.seq);
    for (i, r) in applied.iter().enumerate() {
        if r.seq != i + 1 {
            return Err(ResumeMismatch::Gap {
                seq: r.seq,
                missing: i + 1,
            });
        }
    }
    if applied.len() > statements.len() {
        return Err(ResumeMismatch::Shorter {
            applied: applied.len(),
            total: statements.len(),
        });
    }
    for (r, statement) in applied.iter().zip(statements) {
        if r.hash != statement_hash(&statement.sql) {
            return Err(ResumeMismatch::Changed {
                seq: r.seq,
                recorded: r.sql.clone(),
                now: shorten(&statement.sql),
            });
        }
    }
    Ok(applied.len())
}

/// A statement on one line, cut to [`RECORDED_SQL_CHARS`].
pub(crate) fn shorten(sql: &str) -> String {
    let one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= RECORDED_SQL_CHARS {
        one_line
    } else {
        let cut: String = one_line.chars().take(RECORDED_SQL_CHARS).collect();
        format!("{cut}...")
    }
}

/// Groups progress rows into partial revisions, in the order first seen.
pub(crate) fn partials(rows: Vec<(String, Direction, Recorded)>) -> Vec<PartialRevision> {
    let mut out: Vec<PartialRevision> = Vec::new();
    for (revision, direction, row) in rows {
        let at = match out
            .iter()
            .position(|p| p.revision == revision && p.direction == direction)
        {
            Some(at) => at,
            None => {
                out.push(PartialRevision {
                    revision,
                    direction,
                    applied: 0,
                    total: 0,
                    failed_statement: None,
                    error: None,
                    running_statement: None,
                    heads_before: row.heads_before.clone(),
                    heads_after: row.heads_after.clone(),
                });
                out.len() - 1
            }
        };
        let p = &mut out[at];
        p.total = p.total.max(row.total);
        match row.outcome {
            Outcome::Applied => p.applied += 1,
            Outcome::Running => p.running_statement = Some(row.sql),
            Outcome::Failed => {
                p.failed_statement = Some(row.sql);
                p.error = row.error;
            }
        }
    }
    out
}

/// The progress table of that name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProgressTable {
    pub(crate) name: String,
}

fn heads_text(heads: &[String]) -> String {
    heads.join(",")
}

fn heads_list(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl ProgressTable {
    /// The progress table that goes with the history table `history_table`.
    pub(crate) fn for_history(history_table: &str) -> Self {
        Self {
            name: progress_table_name(history_table),
        }
    }

    /// `CREATE TABLE IF NOT EXISTS`, one text for every database.
    pub(crate) fn create_sql(&self) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n    revision VARCHAR(32) NOT NULL,\n    direction VARCHAR(16) NOT NULL,\n    seq INTEGER NOT NULL,\n    total INTEGER NOT NULL,\n    sql_hash VARCHAR(64) NOT NULL,\n    outcome VARCHAR(16) NOT NULL,\n    sql_text TEXT NOT NULL,\n    error_message TEXT,\n    heads_before TEXT NOT NULL,\n    heads_after TEXT NOT NULL,\n    PRIMARY KEY (revision, direction, seq)\n)",
            ident(&self.name)
        )
    }

    fn key(&self, dialect: Dialect, revision: &str, direction: Direction) -> String {
        format!(
            "revision = {} AND direction = {}",
            quote_literal(revision, dialect),
            quote_literal(direction_word(direction), dialect)
        )
    }

    /// Deletes every row of a revision (in the transaction that completes it).
    pub(crate) fn clear_sql(
        &self,
        dialect: Dialect,
        revision: &str,
        direction: Direction,
    ) -> String {
        format!(
            "DELETE FROM {} WHERE {}",
            ident(&self.name),
            self.key(dialect, revision, direction)
        )
    }

    /// Deletes one statement's row (before it is recorded again).
    pub(crate) fn forget_sql(
        &self,
        dialect: Dialect,
        revision: &str,
        direction: Direction,
        seq: usize,
    ) -> String {
        format!(
            "DELETE FROM {} WHERE {} AND seq = {seq}",
            ident(&self.name),
            self.key(dialect, revision, direction)
        )
    }

    /// Records statements of one step (`seq`, SQL, outcome; no error) in one
    /// statement, replacing rows an earlier run left for them: one write, one
    /// commit in autocommit, whatever the number of rows.
    pub(crate) fn record_rows_sql(
        &self,
        backend: &dyn Backend,
        step: &super::plan::Step,
        total: usize,
        rows: &[(usize, &str, Outcome)],
    ) -> String {
        let dialect = backend.dialect();
        let lit = |v: &str| quote_literal(v, dialect);
        let values: Vec<String> = rows
            .iter()
            .map(|(seq, statement, outcome)| {
                format!(
                    "({}, {}, {seq}, {total}, {}, {}, {}, NULL, {}, {})",
                    lit(&step.id),
                    lit(direction_word(step.direction)),
                    lit(&statement_hash(statement)),
                    lit(outcome.word()),
                    lit(&shorten(statement)),
                    lit(&heads_text(&step.heads_before)),
                    lit(&heads_text(&step.heads_after)),
                )
            })
            .collect();
        let replaced = [
            "total",
            "sql_hash",
            "outcome",
            "sql_text",
            "error_message",
            "heads_before",
            "heads_after",
        ];
        format!(
            "INSERT INTO {} (revision, direction, seq, total, sql_hash, outcome, sql_text, error_message, heads_before, heads_after) VALUES {} {}",
            ident(&self.name),
            values.join(", "),
            backend.upsert_clause(&["revision", "direction", "seq"], &replaced)
        )
    }

    /// Records the answer for a statement recorded as running.
    pub(crate) fn outcome_sql(
        &self,
        dialect: Dialect,
        step: &super::plan::Step,
        seq: usize,
        outcome: Outcome,
        error: Option<&str>,
    ) -> String {
        format!(
            "UPDATE {} SET outcome = {}, error_message = {} WHERE {} AND seq = {seq}",
            ident(&self.name),
            quote_literal(outcome.word(), dialect),
            error
                .map(|e| quote_literal(e, dialect))
                .unwrap_or_else(|| "NULL".to_string()),
            self.key(dialect, &step.id, step.direction)
        )
    }

    /// Creates the table when missing.
    pub(crate) async fn ensure(&self, conn: &mut Connection) -> Result<(), RunError> {
        conn.execute(&self.create_sql())
            .await
            .map(|_| ())
            .map_err(|e| RunError::on_table("creating the progress table", &self.name, e))
    }

    /// Every row, grouped by revision (empty when the table does not exist).
    pub(crate) async fn read_all(
        &self,
        conn: &mut Connection,
    ) -> Result<Vec<(String, Direction, Recorded)>, RunError> {
        if !table_exists(conn, &self.name).await? {
            return Ok(Vec::new());
        }
        self.read_rows(conn).await
    }

    /// Every row of a table that exists.
    async fn read_rows(
        &self,
        conn: &mut Connection,
    ) -> Result<Vec<(String, Direction, Recorded)>, RunError> {
        let sql = conn.dialect().sql();
        let columns = [
            "revision",
            "direction",
            "seq",
            "total",
            "sql_hash",
            "outcome",
            "sql_text",
            "error_message",
            "heads_before",
            "heads_after",
        ]
        .map(|c| sql.text_cast(c))
        .join(", ");
        let query = format!(
            "SELECT {columns} FROM {} ORDER BY revision, direction, seq",
            ident(&self.name)
        );
        let rows = fetch_text_rows(conn, &query)
            .await
            .map_err(|e| RunError::on_table("reading the progress table", &self.name, e))?;
        Ok(rows.into_iter().filter_map(parse_row).collect())
    }

    /// The rows of one revision in one direction, from a table known to exist
    /// (after [`ensure`](Self::ensure)).
    pub(crate) async fn read(
        &self,
        conn: &mut Connection,
        revision: &str,
        direction: Direction,
    ) -> Result<Vec<Recorded>, RunError> {
        Ok(self
            .read_rows(conn)
            .await?
            .into_iter()
            .filter(|(r, d, _)| r == revision && *d == direction)
            .map(|(_, _, row)| row)
            .collect())
    }
}

fn parse_row(row: Vec<Option<String>>) -> Option<(String, Direction, Recorded)> {
    let mut c = row.into_iter();
    let revision = c.next()??;
    let direction = match c.next()??.as_str() {
        "upgrade" => Direction::Up,
        "downgrade" => Direction::Down,
        _ => return None,
    };
    let seq = c.next()??.parse().ok()?;
    let total = c.next()??.parse().ok()?;
    let hash = c.next()??;
    let outcome = match c.next()??.as_str() {
        "applied" => Outcome::Applied,
        "running" => Outcome::Running,
        _ => Outcome::Failed,
    };
    let sql = c.next()??;
    let error = c.next()?;
    let heads_before = heads_list(&c.next()??);
    let heads_after = heads_list(&c.next()??);
    Some((
        revision,
        direction,
        Recorded {
            seq,
            total,
            hash,
            outcome,
            sql,
            error,
            heads_before,
            heads_after,
        },
    ))
}

#[cfg(test)]
mod tests;

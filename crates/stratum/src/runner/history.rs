//! The history table: one row per revision applied, downgraded or stamped, with
//! the checksum of its source, when, how long it took and who ran it.

use super::conn::{fetch_scalar, fetch_text_rows};
use super::errors::RunError;
use super::version_table::table_exists;
use crate::backend::Backend;
use crate::db::Connection;
use std::collections::BTreeMap;
use stratum_core::dialect::{quote_ident as ident, quote_literal};

/// Default name of the history table.
pub const DEFAULT_HISTORY_TABLE: &str = "stratum_history";

/// The direction word of a history row written by `stamp`.
pub const STAMP: &str = "stamp";

/// The latest history row of one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// `upgrade`, `downgrade` or `stamp`.
    pub direction: String,
    /// Checksum recorded, if any.
    pub checksum: Option<String>,
}

/// One row of the history table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// Row id (increasing).
    pub id: i64,
    /// Revision id.
    pub revision: String,
    /// `upgrade`, `downgrade` or `stamp`.
    pub direction: String,
    /// Checksum of the revision's source when it ran.
    pub checksum: Option<String>,
    /// When, as the database wrote it.
    pub applied_at: String,
    /// How long it took, in milliseconds.
    pub duration_ms: i64,
    /// Database user, host and process id of the migrator.
    pub applied_by: String,
}

/// How a history row's `duration_ms` is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Elapsed {
    /// A duration the client measured.
    Millis(u64),
    /// Measured by the database as the row is inserted, from the start of the
    /// transaction (see [`Backend::elapsed_since_begin_sql`]: the server's own
    /// transaction clock, or `began` where the database has none). This lets the
    /// row travel in the same message as the revision's statements.
    SinceBegin {
        /// When the client opened the transaction.
        began: std::time::SystemTime,
    },
}

impl Elapsed {
    /// The SQL expression for the duration in milliseconds.
    fn sql(self, backend: &dyn Backend) -> String {
        match self {
            Elapsed::Millis(ms) => ms.min(i64::MAX as u64).to_string(),
            Elapsed::SinceBegin { began } => backend.elapsed_since_begin_sql(began),
        }
    }
}

/// The history table of that name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HistoryTable<'a> {
    pub(crate) name: &'a str,
}

impl HistoryTable<'_> {
    /// `CREATE TABLE IF NOT EXISTS` for the backend.
    pub(crate) fn create_sql(&self, backend: &dyn Backend) -> String {
        backend.history_create_sql(&ident(self.name))
    }

    /// `INSERT` of one row.
    pub(crate) fn insert_sql(
        &self,
        backend: &dyn Backend,
        revision: &str,
        direction: &str,
        checksum: Option<&str>,
        duration: Elapsed,
        applied_by: &str,
    ) -> String {
        let literal = |v: &str| quote_literal(v, backend.dialect());
        format!(
            "INSERT INTO {} (revision, direction, checksum, duration_ms, applied_by) VALUES ({}, {}, {}, {}, {})",
            ident(self.name),
            literal(revision),
            literal(direction),
            checksum.map(literal).unwrap_or_else(|| "NULL".to_string()),
            duration.sql(backend),
            literal(applied_by)
        )
    }

    /// Every row, oldest first (empty when the table does not exist).
    pub(crate) async fn rows(&self, conn: &mut Connection) -> Result<Vec<HistoryRow>, RunError> {
        if !table_exists(conn, self.name).await? {
            return Ok(Vec::new());
        }
        let sql = text_select(
            conn.dialect(),
            &[
                "id",
                "revision",
                "direction",
                "checksum",
                "applied_at",
                "duration_ms",
                "applied_by",
            ],
            self.name,
        );
        let rows = fetch_text_rows(conn, &sql)
            .await
            .map_err(|e| RunError::on_table("reading the history table", self.name, e))?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let mut c = row.into_iter();
                let mut next = || c.next().flatten();
                HistoryRow {
                    id: next().and_then(|v| v.parse().ok()).unwrap_or_default(),
                    revision: next().unwrap_or_default(),
                    direction: next().unwrap_or_default(),
                    checksum: next(),
                    applied_at: next().unwrap_or_default(),
                    duration_ms: next().and_then(|v| v.parse().ok()).unwrap_or_default(),
                    applied_by: next().unwrap_or_default(),
                }
            })
            .collect())
    }

    /// The latest row of every revision in the table (empty when the table does
    /// not exist).
    pub(crate) async fn latest(
        &self,
        conn: &mut Connection,
    ) -> Result<BTreeMap<String, HistoryEntry>, RunError> {
        if !table_exists(conn, self.name).await? {
            return Ok(BTreeMap::new());
        }
        let sql = text_select(
            conn.dialect(),
            &["revision", "direction", "checksum"],
            self.name,
        );
        let rows = fetch_text_rows(conn, &sql)
            .await
            .map_err(|e| RunError::on_table("reading the history table", self.name, e))?;
        let mut latest = BTreeMap::new();
        for row in rows {
            let mut cols = row.into_iter();
            let (Some(Some(revision)), Some(Some(direction)), checksum) =
                (cols.next(), cols.next(), cols.next().flatten())
            else {
                continue;
            };
            latest.insert(
                revision,
                HistoryEntry {
                    direction,
                    checksum,
                },
            );
        }
        Ok(latest)
    }
}

/// Who applies a revision: the database user, this machine's host name and the
/// process id.
pub(crate) async fn applied_by(conn: &mut Connection) -> String {
    let user = match conn.backend().current_user_sql() {
        Some(sql) => fetch_scalar(conn, sql).await.ok().flatten(),
        None => None,
    }
    .or_else(|| std::env::var("USER").ok())
    .unwrap_or_else(|| "unknown".to_string());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown-host".to_string());
    format!("{user}@{host} pid {}", std::process::id())
}

/// `SELECT` of `columns` as text from `table`, oldest row first.
fn text_select(dialect: stratum_core::dialect::Dialect, columns: &[&str], table: &str) -> String {
    let sql = dialect.sql();
    let columns: Vec<String> = columns.iter().map(|c| sql.text_cast(c)).collect();
    format!(
        "SELECT {} FROM {} ORDER BY id",
        columns.join(", "),
        ident(table)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::registry::for_dialect;
    use stratum_core::dialect::Dialect;

    #[test]
    fn insert_quotes_values_and_writes_null_checksums() {
        let h = HistoryTable {
            name: "stratum_history",
        };
        let sql = h.insert_sql(
            for_dialect(Dialect::Postgres),
            "001",
            "stamp",
            None,
            Elapsed::Millis(5),
            "o'brien@host pid 1",
        );
        assert_eq!(
            sql,
            "INSERT INTO \"stratum_history\" (revision, direction, checksum, duration_ms, applied_by) VALUES ('001', 'stamp', NULL, 5, 'o''brien@host pid 1')"
        );
    }

    #[test]
    fn ddl_per_dialect() {
        let h = HistoryTable { name: "h" };
        assert!(
            h.create_sql(for_dialect(Dialect::Postgres))
                .contains("GENERATED BY DEFAULT AS IDENTITY")
        );
        assert!(
            h.create_sql(for_dialect(Dialect::Sqlite))
                .contains("AUTOINCREMENT")
        );
    }

    #[test]
    fn backslashes_and_control_characters_survive_in_values() {
        let h = HistoryTable { name: "h" };
        let by = "CORP\\builder\tpid 1";
        let pg = h.insert_sql(
            for_dialect(Dialect::Postgres),
            "001",
            "stamp",
            None,
            Elapsed::Millis(0),
            by,
        );
        assert!(pg.ends_with("E'CORP\\\\builder\tpid 1')"), "{pg}");
        let lite = h.insert_sql(
            for_dialect(Dialect::Sqlite),
            "001",
            "stamp",
            None,
            Elapsed::Millis(0),
            by,
        );
        assert!(lite.ends_with("'CORP\\builder\tpid 1')"), "{lite}");
    }
}

//! Small query helpers over [`Connection`] that the runner needs beyond plain
//! execution: reading rows as text and extracting error codes from errors.

use crate::backend::{ErrorKind, registry};
use crate::db::{Connection, DbError};

pub(crate) use crate::db::TextRow;

/// Runs a query and returns its rows with every column as text (`NULL` as `None`).
///
/// Columns that are not text are read as the dialect's integer, float or boolean
/// types and formatted; the runner's own queries cast to text wherever it matters.
pub(crate) async fn fetch_text_rows(
    conn: &mut Connection,
    sql: &str,
) -> Result<Vec<TextRow>, DbError> {
    conn.fetch_text(sql).await
}

/// Runs a query and returns the first column of the first row, if any.
pub(crate) async fn fetch_scalar(
    conn: &mut Connection,
    sql: &str,
) -> Result<Option<String>, DbError> {
    Ok(fetch_text_rows(conn, sql)
        .await?
        .into_iter()
        .next()
        .and_then(|row| row.into_iter().next().flatten()))
}

/// The SQLSTATE (PostgreSQL) or extended result code (SQLite) of a database error.
pub fn error_code(err: &DbError) -> Option<String> {
    match err {
        DbError::Query(sqlx::Error::Database(e))
        | DbError::Connect(sqlx::Error::Database(e))
        | DbError::Statement {
            source: sqlx::Error::Database(e),
            ..
        } => e.code().map(|c| c.into_owned()),
        _ => None,
    }
}

/// A run's statement that failed because the storage of the database's file gave
/// out (the disk or its quota full, an I/O error; the backend decides, see
/// [`crate::backend::Backend::storage_failure`]): which file, and what gave out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageFailure {
    /// The database file, as its URL names it.
    pub file: String,
    /// The database's name, as written in messages (`SQLite`).
    pub database: &'static str,
    /// What gave out, e.g. "the disk is full".
    pub cause: &'static str,
}

impl StorageFailure {
    /// The storage failure `e` is, for a run against the database at `url`;
    /// `None` for any other error or another dialect.
    pub fn of(e: &super::RunError, url: &crate::config::DatabaseUrl) -> Option<Self> {
        let super::RunError::StatementFailed {
            code: Some(code), ..
        } = e
        else {
            return None;
        };
        let backend = registry::for_dialect(url.dialect());
        let cause = backend.storage_failure(code)?;
        Some(Self {
            file: url.target(),
            database: backend.name(),
            cause,
        })
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        format!(
            "make room on the filesystem holding {} (a revision needs space for its changes and for the journal beside the file), then run again",
            self.file
        )
    }
}

impl std::fmt::Display for StorageFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} for the {} file {}",
            self.cause, self.database, self.file
        )
    }
}

/// The database's own message for an error, without the code.
pub fn error_message(err: &DbError) -> String {
    match err {
        DbError::Query(sqlx::Error::Database(e))
        | DbError::Connect(sqlx::Error::Database(e))
        | DbError::Statement {
            source: sqlx::Error::Database(e),
            ..
        } => e.message().to_string(),
        other => other.to_string(),
    }
}

/// Whether an error means the session is gone: the server ended it (shut down,
/// restarted, or an administrator terminated the backend: a code some backend
/// reads as [`ErrorKind::ConnectionLost`]) or the connection broke underneath
/// (an I/O or protocol error). After such an error the server has rolled back
/// whatever transaction was open.
pub fn is_connection_lost(err: &DbError) -> bool {
    let source = match err {
        DbError::Query(e) | DbError::Connect(e) | DbError::Statement { source: e, .. } => e,
        _ => return false,
    };
    match source {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => e.code().is_some_and(|c| {
            registry::all()
                .into_iter()
                .any(|b| b.code_kind(&c) == ErrorKind::ConnectionLost)
        }),
        _ => false,
    }
}

/// Runs the backend's statement for after a rollback
/// ([`crate::backend::Backend::after_rollback_sql`]). Best effort.
pub(crate) async fn finish_rollback(conn: &mut Connection) {
    if let Some(sql) = conn.backend().after_rollback_sql() {
        let _ = fetch_scalar(conn, sql).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DatabaseUrl;
    use crate::runner::RunError;

    fn failed(code: &str) -> RunError {
        RunError::StatementFailed {
            revision: "r1".into(),
            direction: stratum_core::revision::Direction::Up,
            statement: "CREATE TABLE t (id integer)".into(),
            code: Some(code.into()),
            message: "database or disk is full".into(),
        }
    }

    #[test]
    fn a_full_or_failing_sqlite_file_is_named_with_its_cause() {
        let lite = DatabaseUrl::parse("sqlite:///data/app.db").unwrap();
        let full = StorageFailure::of(&failed("13"), &lite).expect("disk full");
        assert_eq!(full.cause, "the disk is full");
        assert!(full.to_string().contains("app.db"), "{full}");
        assert!(full.hint().contains("make room"));
        // SQLITE_IOERR_WRITE (778) reads as SQLITE_IOERR.
        let io = StorageFailure::of(&failed("778"), &lite).expect("I/O error");
        assert!(io.cause.contains("I/O"));
        assert_eq!(StorageFailure::of(&failed("19"), &lite), None);
        let pg = DatabaseUrl::parse("postgresql://u@h/d").unwrap();
        assert_eq!(StorageFailure::of(&failed("13"), &pg), None);
    }
}

//! Small query helpers over [`Connection`] that the runner needs beyond plain
//! execution: reading rows as text and extracting SQLSTATE codes from errors.

use crate::db::{Connection, DbError};
use sqlx::AssertSqlSafe;

pub(crate) use crate::db::TextRow;

/// Runs a query and returns its rows with every column as text (`NULL` as `None`).
///
/// Columns that are not text are read as the dialect's integer, float or boolean
/// types and formatted; the runner's own queries cast to text wherever it matters.
pub(crate) async fn fetch_text_rows(
    conn: &mut Connection,
    sql: &str,
) -> Result<Vec<TextRow>, DbError> {
    let sql = || AssertSqlSafe(sql.to_string());
    Ok(match conn {
        // The simple protocol: one round trip, where a prepared statement takes two
        // the first time (the runner's queries carry no parameters).
        Connection::Postgres(c) => sqlx::raw_sql(sql())
            .fetch_all(c)
            .await?
            .iter()
            .map(crate::db::pg_text_row)
            .collect(),
        Connection::Sqlite(c) => sqlx::query(sql())
            .fetch_all(c)
            .await?
            .iter()
            .map(crate::db::sqlite_text_row)
            .collect(),
    })
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

/// Whether the error comes from SQLite (whose codes are numbers, some of which
/// look like PostgreSQL's all-digit SQLSTATEs).
pub(crate) fn is_sqlite_error(err: &DbError) -> bool {
    match err {
        DbError::Query(sqlx::Error::Database(e))
        | DbError::Connect(sqlx::Error::Database(e))
        | DbError::Statement {
            source: sqlx::Error::Database(e),
            ..
        } => e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some(),
        _ => false,
    }
}

/// SQLite's primary result code from the (extended) code text SQLite reports:
/// the low byte, so that `SQLITE_BUSY_SNAPSHOT` (517) reads as `SQLITE_BUSY` (5).
pub fn sqlite_primary(code: &str) -> Option<i32> {
    code.parse::<i32>().ok().map(|c| c & 0xff)
}

/// SQLite's primary result code of an error SQLite raised; `None` for other
/// errors.
pub(crate) fn sqlite_primary_code(err: &DbError) -> Option<i32> {
    if !is_sqlite_error(err) {
        return None;
    }
    error_code(err).as_deref().and_then(sqlite_primary)
}

/// SQLite's `SQLITE_BUSY` primary result code: another connection holds the lock.
pub(crate) const SQLITE_BUSY: i32 = 5;

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
/// restarted, or an administrator terminated the backend: SQLSTATE class 57P
/// and 08) or the connection broke underneath (an I/O or protocol error). After
/// such an error the server has rolled back whatever transaction was open.
pub fn is_connection_lost(err: &DbError) -> bool {
    let source = match err {
        DbError::Query(e) | DbError::Connect(e) | DbError::Statement { source: e, .. } => e,
        _ => return false,
    };
    match source {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(e) => e.code().is_some_and(|c| {
            c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

/// SQLite: after a write failed for want of storage (disk full, an I/O error),
/// SQLite leaves the undo of the transaction in the hot journal until the next
/// read; one read now restores the file, so it is whole when the run reports the
/// revision rolled back (instead of when the next process opens it). Best
/// effort; a no-op on PostgreSQL.
pub(crate) async fn finish_sqlite_rollback(conn: &mut Connection) {
    if conn.dialect() == stratum_core::dialect::Dialect::Sqlite {
        let _ = fetch_scalar(conn, "SELECT count(*) FROM sqlite_master").await;
    }
}

//! Small query helpers over [`Connection`] that the runner needs beyond plain
//! execution: reading rows as text and extracting SQLSTATE codes from errors.

use crate::db::{Connection, DbError};
use sqlx::{AssertSqlSafe, Row as _};

/// One result row, every column read as optional text.
pub(crate) type TextRow = Vec<Option<String>>;

/// Runs a query and returns its rows with every column as text (`NULL` as `None`).
///
/// Columns that are not text are read as integers or floats and formatted; the
/// runner's own queries cast to text wherever it matters.
pub(crate) async fn fetch_text_rows(
    conn: &mut Connection,
    sql: &str,
) -> Result<Vec<TextRow>, DbError> {
    match conn {
        Connection::Postgres(c) => {
            let rows = sqlx::query(AssertSqlSafe(sql.to_string()))
                .fetch_all(c)
                .await?;
            Ok(rows
                .iter()
                .map(|row| {
                    (0..row.len())
                        .map(|i| {
                            row.try_get::<Option<String>, _>(i)
                                .ok()
                                .flatten()
                                .or_else(|| {
                                    row.try_get::<Option<i64>, _>(i)
                                        .ok()
                                        .flatten()
                                        .map(|v| v.to_string())
                                })
                                .or_else(|| {
                                    row.try_get::<Option<i32>, _>(i)
                                        .ok()
                                        .flatten()
                                        .map(|v| v.to_string())
                                })
                                .or_else(|| {
                                    row.try_get::<Option<bool>, _>(i)
                                        .ok()
                                        .flatten()
                                        .map(|v| v.to_string())
                                })
                        })
                        .collect()
                })
                .collect())
        }
        Connection::Sqlite(c) => {
            let rows = sqlx::query(AssertSqlSafe(sql.to_string()))
                .fetch_all(c)
                .await?;
            Ok(rows
                .iter()
                .map(|row| {
                    (0..row.len())
                        .map(|i| {
                            row.try_get::<Option<String>, _>(i)
                                .ok()
                                .flatten()
                                .or_else(|| {
                                    row.try_get::<Option<i64>, _>(i)
                                        .ok()
                                        .flatten()
                                        .map(|v| v.to_string())
                                })
                                .or_else(|| {
                                    row.try_get::<Option<f64>, _>(i)
                                        .ok()
                                        .flatten()
                                        .map(|v| v.to_string())
                                })
                        })
                        .collect()
                })
                .collect())
        }
    }
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

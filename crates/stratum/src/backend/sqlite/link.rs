//! Opening a SQLite connection and running SQL on it.

use crate::backend::{Link, LinkItem, text_cell};
use crate::db::{Connection, DbError, TextRow};
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt as _, StreamExt as _};
use sqlx::{AssertSqlSafe, Connection as _, Either, Row as _, SqliteConnection};
use std::any::Any;

/// Opens (creating if missing) the file a `sqlite:` URL names.
pub(super) async fn connect(
    backend: &'static super::Sqlite,
    url: &str,
) -> Result<Connection, DbError> {
    use std::str::FromStr;
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .map_err(DbError::Connect)?
        .create_if_missing(true);
    SqliteConnection::connect_with(&opts)
        .await
        .map(|c| Connection::from_link(backend, Box::new(c)))
        .map_err(DbError::Connect)
}

impl Link for SqliteConnection {
    fn stream(&mut self, sql: String) -> BoxStream<'_, Result<LinkItem, sqlx::Error>> {
        sqlx::raw_sql(AssertSqlSafe(sql))
            .fetch_many(self)
            .map(|item| {
                item.map(|e| match e {
                    Either::Left(done) => Either::Left(done.rows_affected()),
                    Either::Right(row) => Either::Right(text_row(&row)),
                })
            })
            .boxed()
    }

    fn fetch_text(&mut self, sql: String) -> BoxFuture<'_, Result<Vec<TextRow>, sqlx::Error>> {
        async move {
            let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(self).await?;
            Ok(rows.iter().map(text_row).collect())
        }
        .boxed()
    }

    fn copy_in<'a>(
        &'a mut self,
        _sql: &'a str,
        _data: &'a str,
    ) -> BoxFuture<'a, Result<u64, DbError>> {
        async { Err(DbError::CopyOnSqlite) }.boxed()
    }

    fn close(self: Box<Self>) -> BoxFuture<'static, Result<(), sqlx::Error>> {
        (*self).close().boxed()
    }

    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// A SQLite row as text: text columns as they are, numbers formatted.
pub(crate) fn text_row(row: &sqlx::sqlite::SqliteRow) -> TextRow {
    (0..row.len())
        .map(|i| {
            text_cell::<String, _>(row, i)
                .or_else(|| text_cell::<i64, _>(row, i))
                .or_else(|| text_cell::<f64, _>(row, i))
        })
        .collect()
}

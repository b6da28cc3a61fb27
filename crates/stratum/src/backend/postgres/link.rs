//! Opening a PostgreSQL connection and running SQL on it.

use super::transport;
use crate::backend::{Link, LinkItem, text_cell};
use crate::db::{Connection, DbError, TextRow};
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt as _, StreamExt as _};
use sqlx::{AssertSqlSafe, Connection as _, Either, PgConnection, Row as _};
use std::any::Any;

/// Bytes of COPY data sent per protocol message.
const COPY_CHUNK_BYTES: usize = 1 << 20;

/// Connects to a `postgres(ql)://` URL: over TCP through the transport, over a
/// Unix-domain socket through the driver.
pub(super) async fn connect(
    backend: &'static super::Postgres,
    url: &str,
) -> Result<Connection, DbError> {
    let wrap = |c: PgConnection| Connection::from_link(backend, Box::new(c));
    let parsed = url::Url::parse(url).ok();
    if parsed.as_ref().is_some_and(|u| !transport::is_socket(u)) {
        return transport::connect(url)
            .await
            .map(wrap)
            .map_err(|e| match e {
                transport::ConnectFailure::Front(f) => DbError::Transport(Box::new(f)),
                transport::ConnectFailure::Driver(d) => DbError::Connect(d),
            });
    }
    use std::str::FromStr;
    let mut opts = sqlx::postgres::PgConnectOptions::from_str(url).map_err(DbError::Connect)?;
    // TLS has no meaning on a Unix-domain socket (libpq never tries it
    // there); asking the server for it would cost a round trip. A mode
    // written in the URL is left as given.
    let socket = opts.get_socket().is_some() || opts.get_host().starts_with('/');
    let mode_given = url.contains("sslmode=") || url.contains("ssl-mode=");
    if socket && !mode_given {
        opts = opts.ssl_mode(sqlx::postgres::PgSslMode::Disable);
    }
    PgConnection::connect_with(&opts)
        .await
        .map(wrap)
        .map_err(DbError::Connect)
}

impl Link for PgConnection {
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
            let rows = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(self).await?;
            Ok(rows.iter().map(text_row).collect())
        }
        .boxed()
    }

    fn copy_in<'a>(
        &'a mut self,
        sql: &'a str,
        data: &'a str,
    ) -> BoxFuture<'a, Result<u64, DbError>> {
        async move {
            let mut copy = self.copy_in_raw(sql).await?;
            let mut rest = data.as_bytes();
            while !rest.is_empty() {
                let take = rest.len().min(COPY_CHUNK_BYTES);
                if let Err(e) = copy.send(&rest[..take]).await {
                    let _ = copy.abort("sending the rows failed").await;
                    return Err(e.into());
                }
                rest = &rest[take..];
            }
            Ok(copy.finish().await?)
        }
        .boxed()
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

/// A PostgreSQL row as text: text columns as they are, integers and booleans
/// formatted.
pub(crate) fn text_row(row: &sqlx::postgres::PgRow) -> TextRow {
    (0..row.len())
        .map(|i| {
            text_cell::<String, _>(row, i)
                .or_else(|| text_cell::<i64, _>(row, i))
                .or_else(|| text_cell::<i32, _>(row, i))
                .or_else(|| text_cell::<bool, _>(row, i))
        })
        .collect()
}

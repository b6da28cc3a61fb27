//! Opening a MariaDB/MySQL connection and running SQL on it.

use crate::backend::{Link, LinkItem, text_cell};
use crate::db::{Connection, DbError, TextRow};
use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;
use futures_util::{FutureExt as _, StreamExt as _};
use sqlx::{AssertSqlSafe, Connection as _, Either, MySqlConnection, Row as _};
use std::any::Any;

/// Connects to a `mysql://` or `mariadb://` URL (the driver knows only the
/// first scheme).
pub(super) async fn connect(
    backend: &'static super::Mysql,
    url: &str,
) -> Result<Connection, DbError> {
    use std::str::FromStr;
    let url = driver_url(url);
    let opts = sqlx::mysql::MySqlConnectOptions::from_str(&url).map_err(DbError::Connect)?;
    let mut conn = MySqlConnection::connect_with(&opts)
        .await
        .map_err(DbError::Connect)?;
    // The bookkeeping SQL shared by every database quotes names with double
    // quotes; the op renderers use backticks, which work in either mode.
    sqlx::raw_sql(ANSI_QUOTES)
        .execute(&mut conn)
        .await
        .map_err(DbError::Connect)?;
    let mut conn = Connection::from_link(backend, Box::new(conn));
    // Statements are written for this server's flavour and version.
    let server = super::session::server(&mut conn).await?;
    Ok(conn.with_sql_dialect(stratum_core::dialect::mysql::for_server(server)))
}

/// Lets double quotes quote identifiers, as the bookkeeping SQL writes them.
pub(super) const ANSI_QUOTES: &str = "SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')";

/// `url` with the scheme the driver accepts, and without the parameters that
/// are the engine's own (`server_version`).
pub(super) fn driver_url(url: &str) -> String {
    let url = match url.strip_prefix("mariadb:") {
        Some(rest) => format!("mysql:{rest}"),
        None => url.to_string(),
    };
    let Some((base, query)) = url.split_once('?') else {
        return url;
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| pair.split('=').next() != Some(super::session::SERVER_VERSION_PARAMETER))
        .collect();
    if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    }
}

impl Link for MySqlConnection {
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
            // The text protocol: every value arrives as the server formats it.
            let rows = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_all(self).await?;
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

/// A MariaDB/MySQL row as text: strings as they are, numbers formatted.
pub(crate) fn text_row(row: &sqlx::mysql::MySqlRow) -> TextRow {
    (0..row.len())
        .map(|i| {
            // Rows of the text protocol hold every value as text.
            row.try_get_unchecked::<Option<String>, _>(i)
                .ok()
                .flatten()
                .or_else(|| text_cell::<String, _>(row, i))
                .or_else(|| text_cell::<i64, _>(row, i))
                .or_else(|| text_cell::<u64, _>(row, i))
                .or_else(|| text_cell::<f64, _>(row, i))
                .or_else(|| {
                    row.try_get::<Option<Vec<u8>>, _>(i)
                        .ok()
                        .flatten()
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                })
        })
        .collect()
}

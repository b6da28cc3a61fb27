//! MariaDB and MySQL: connect (`mysql://` and `mariadb://` URLs), session
//! timeouts, the `GET_LOCK` migration lock, bookkeeping SQL, error
//! classification and introspection.
//!
//! DDL commits by itself on these servers: a revision that fails half-way stays
//! half applied, and [`Capabilities::transactional_ddl`] is false, so the runner
//! runs every revision statement by statement with its progress recorded and
//! resumes a revision that stopped part-way. The server's flavour and version are
//! read at connect time ([`session::server`]) and the connection renders with
//! the SQL of that server ([`Connection::sql_dialect`]).

mod backup;
mod bookkeeping;
pub(crate) mod errors;
mod link;
mod scratch;
pub(crate) mod session;

/// Reading MariaDB's and MySQL's `information_schema` into the schema model.
pub(crate) mod introspect;

use super::{Backend, Capabilities, ErrorKind, LockStyle};
use crate::backup::{BackupError, BackupOptions};
use crate::config::DatabaseUrl;
use crate::db::{Connection, DbError};
use crate::introspect::{Ignored, IntrospectError, IntrospectStats};
use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use sqlx::MySqlConnection;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use stratum_core::dialect::Dialect;
use stratum_core::schema::Schema;

/// The MariaDB/MySQL backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mysql;

/// The driver connection of a MariaDB/MySQL [`Connection`] (`None` for another
/// database's).
pub(crate) fn driver(conn: &mut Connection) -> Option<&mut MySqlConnection> {
    conn.driver::<MySqlConnection>()
}

impl Backend for Mysql {
    fn name(&self) -> &'static str {
        "MariaDB"
    }

    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            transactional_ddl: false,
            copy_in: false,
            batched_messages: false,
            lock: LockStyle::Advisory,
            dedicated_lock_connection: true,
            foreign_key_guard: false,
            session_timeouts: true,
            file_database: false,
            online_ddl: false,
        }
    }

    /// The server of the URL's `server_version` parameter
    /// (`?server_version=8.0.36`, `?server_version=10.6.0-MariaDB`).
    fn sql_for_url(
        &self,
        url: &str,
    ) -> Result<Option<&'static dyn stratum_core::dialect::SqlDialect>, String> {
        Ok(session::url_server(url)?.map(|s| {
            stratum_core::dialect::mysql::for_server(s)
                as &'static dyn stratum_core::dialect::SqlDialect
        }))
    }

    /// MySQL unless the text says MariaDB (`10.6.0-MariaDB`).
    fn sql_for_server(
        &self,
        version: &str,
    ) -> Result<&'static dyn stratum_core::dialect::SqlDialect, String> {
        let server = session::named_server(version, stratum_core::dialect::mysql::Flavour::Mysql)?;
        Ok(stratum_core::dialect::mysql::for_server(server))
    }

    fn connect<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<Connection, DbError>> {
        static THIS: Mysql = Mysql;
        link::connect(&THIS, url).boxed()
    }

    fn begin_sql(&self) -> &'static str {
        "START TRANSACTION"
    }

    /// Settings either server takes: the statement bound is MariaDB's
    /// `max_statement_time`, in a comment only MariaDB executes (MySQL bounds
    /// only `SELECT`s).
    fn timeout_settings(
        &self,
        _local: bool,
        lock_timeout: Option<Duration>,
        statement_timeout: Option<Duration>,
    ) -> Vec<String> {
        bookkeeping::timeout_settings(None, lock_timeout, statement_timeout)
    }

    fn timeout_reset_sql(&self) -> Vec<&'static str> {
        bookkeeping::TIMEOUT_RESET.to_vec()
    }

    fn deferred_commit_sql(&self) -> Option<&'static str> {
        None
    }

    fn flush_commits_sql(&self) -> Option<&'static str> {
        None
    }

    fn current_user_sql(&self) -> Option<&'static str> {
        Some("SELECT CAST(CURRENT_USER() AS CHAR)")
    }

    fn table_exists_sql(&self, name: &str) -> String {
        bookkeeping::table_exists_sql(name)
    }

    /// `ON DUPLICATE KEY UPDATE c = VALUES(c)`: any unique key counts, and
    /// both servers take `VALUES(c)` for the inserted row's value.
    fn upsert_clause(&self, _key: &[&str], columns: &[&str]) -> String {
        let set: Vec<String> = columns
            .iter()
            .map(|c| format!("{c} = VALUES({c})"))
            .collect();
        format!("ON DUPLICATE KEY UPDATE {}", set.join(", "))
    }

    fn history_create_sql(&self, quoted: &str) -> String {
        bookkeeping::history_create_sql(quoted)
    }

    fn elapsed_since_begin_sql(&self, began: SystemTime) -> String {
        bookkeeping::elapsed_since_begin_sql(began)
    }

    fn prepare_session<'a>(
        &'a self,
        conn: &'a mut Connection,
        _application_name: &'a str,
        lock_timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<(), (&'static str, DbError)>> {
        session::prepare(conn, lock_timeout).boxed()
    }

    /// Keeps the lock's session open while it idles through a long revision.
    fn prepare_lock<'a>(
        &'a self,
        conn: &'a mut Connection,
        _timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<(), DbError>> {
        async move {
            conn.execute(bookkeeping::LOCK_SESSION_SQL).await?;
            Ok(())
        }
        .boxed()
    }

    fn classify(&self, error: &DbError) -> ErrorKind {
        errors::classify(error)
    }

    fn classify_connect(&self, error: &DbError) -> ErrorKind {
        errors::classify_connect(error)
    }

    fn advisory_lock_sql(&self, key: i64) -> Option<(String, String)> {
        Some(bookkeeping::lock_sql(key))
    }

    fn lock_held_sql(&self, key: i64) -> Option<String> {
        Some(bookkeeping::lock_held_sql(key))
    }

    fn lock_holder_sql(&self, key: i64) -> Option<String> {
        Some(bookkeeping::lock_holder_sql(key))
    }

    /// The SQL mode of the engine's own sessions (`ANSI_QUOTES` added), so that a
    /// script run by the `mariadb` client reads raw SQL as the runner does.
    fn script_preamble(&self) -> Vec<stratum_core::dialect::Statement> {
        vec![stratum_core::dialect::Statement::non_transactional(
            link::ANSI_QUOTES,
        )]
    }

    fn create_scratch_sql(&self, name: &str, guard: i64) -> Vec<String> {
        scratch::create_sql(name, guard)
    }

    fn drop_database_sql(&self, name: &str, force: bool) -> String {
        scratch::drop_sql(name, force)
    }

    fn list_databases_sql(&self, prefix: &str) -> String {
        scratch::list_sql(prefix)
    }

    fn database_in_use_sql(&self, name: &str, guard: i64) -> String {
        scratch::in_use_sql(name, guard)
    }

    fn backup<'a>(
        &'a self,
        url: &'a DatabaseUrl,
        options: &'a BackupOptions,
    ) -> BoxFuture<'a, Result<PathBuf, BackupError>> {
        backup::dump(url, options).boxed()
    }

    fn restore_command(&self, url: &DatabaseUrl, path: &Path) -> Result<String, BackupError> {
        backup::restore_command(url, path)
    }

    fn introspect<'a>(
        &'a self,
        conn: &'a mut Connection,
        ignored: &'a Ignored,
        stats: &'a mut IntrospectStats,
    ) -> BoxFuture<'a, Result<Schema, IntrospectError>> {
        async move {
            let c = driver(conn).expect("a MariaDB/MySQL connection");
            introspect::introspect(c, ignored, stats).await
        }
        .boxed()
    }

    fn current_schema<'a>(
        &'a self,
        conn: &'a mut Connection,
        stats: &'a mut IntrospectStats,
    ) -> BoxFuture<'a, Result<String, IntrospectError>> {
        async move {
            let c = driver(conn).expect("a MariaDB/MySQL connection");
            stats.queries += 1;
            let name: Option<String> = sqlx::query_scalar("SELECT DATABASE()")
                .fetch_one(c)
                .await
                .map_err(|source| IntrospectError::Query {
                query: "current database",
                source,
            })?;
            Ok(name.unwrap_or_default())
        }
        .boxed()
    }

    fn read_catalog_text(&self, sql: &str) -> Vec<String> {
        vec![
            format!("{:?}", introspect::parse_type(sql)),
            format!("{:?}", introspect::parse_default(sql)),
        ]
    }
}

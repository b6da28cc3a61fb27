//! PostgreSQL: connect (through [`transport`] over TCP), session settings, the
//! advisory lock, bookkeeping SQL, error classification and introspection.

mod activity;
mod backup;
mod bookkeeping;
pub(crate) mod errors;
mod link;
mod locks;
mod scratch;
mod session;
pub mod transport;

/// Reading PostgreSQL's catalogs into the schema model.
pub(crate) mod introspect;

use super::{Backend, Capabilities, ErrorKind, LockStyle};
use crate::backup::{BackupError, BackupOptions};
use crate::config::DatabaseUrl;
use crate::db::{Connection, DbError};
use crate::introspect::{Ignored, IntrospectError, IntrospectStats};
use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use sqlx::PgConnection;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use stratum_core::dialect::Dialect;
use stratum_core::schema::Schema;

/// The PostgreSQL backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

/// The driver connection of a PostgreSQL [`Connection`] (`None` for another
/// database's).
pub(crate) fn driver(conn: &mut Connection) -> Option<&mut PgConnection> {
    conn.driver::<PgConnection>()
}

impl Backend for Postgres {
    fn name(&self) -> &'static str {
        "PostgreSQL"
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            transactional_ddl: true,
            copy_in: true,
            batched_messages: true,
            lock: LockStyle::Advisory,
            dedicated_lock_connection: false,
            foreign_key_guard: false,
            session_timeouts: true,
            file_database: false,
            online_ddl: true,
        }
    }

    fn connect<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<Connection, DbError>> {
        static THIS: Postgres = Postgres;
        link::connect(&THIS, url).boxed()
    }

    fn begin_sql(&self) -> &'static str {
        "BEGIN"
    }

    fn timeout_settings(
        &self,
        local: bool,
        lock_timeout: Option<Duration>,
        statement_timeout: Option<Duration>,
    ) -> Vec<String> {
        bookkeeping::timeout_settings(local, lock_timeout, statement_timeout)
    }

    fn timeout_reset_sql(&self) -> Vec<&'static str> {
        vec!["RESET lock_timeout", "RESET statement_timeout"]
    }

    fn deferred_commit_sql(&self) -> Option<&'static str> {
        Some("SET LOCAL synchronous_commit = off")
    }

    fn flush_commits_sql(&self) -> Option<&'static str> {
        Some("BEGIN; SELECT txid_current(); COMMIT")
    }

    fn current_user_sql(&self) -> Option<&'static str> {
        Some("SELECT CAST(current_user AS TEXT)")
    }

    fn table_exists_sql(&self, name: &str) -> String {
        bookkeeping::table_exists_sql(name)
    }

    fn history_create_sql(&self, quoted: &str) -> String {
        bookkeeping::history_create_sql(quoted)
    }

    fn elapsed_since_begin_sql(&self, _began: SystemTime) -> String {
        bookkeeping::ELAPSED_SINCE_BEGIN.to_string()
    }

    fn prepare_session<'a>(
        &'a self,
        conn: &'a mut Connection,
        application_name: &'a str,
        _lock_timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<(), (&'static str, DbError)>> {
        session::prepare(conn, application_name).boxed()
    }

    fn classify(&self, error: &DbError) -> ErrorKind {
        errors::classify(error)
    }

    fn code_kind(&self, code: &str) -> ErrorKind {
        errors::server_kind(code, "")
    }

    fn retry_safe(&self, code: &str) -> bool {
        matches!(code, errors::LOCK_NOT_AVAILABLE | errors::DEADLOCK_DETECTED)
    }

    fn old_transactions_sql(&self, threshold: Duration) -> Option<String> {
        Some(activity::old_transactions_sql(threshold))
    }

    fn blocking_sessions_sql(&self, statement: &str) -> Option<String> {
        Some(activity::relation_lock_holders_sql(statement))
    }

    fn classify_connect(&self, error: &DbError) -> ErrorKind {
        errors::classify_connect(error)
    }

    fn error_position(&self, error: &sqlx::Error) -> Option<usize> {
        errors::error_position(error)
    }

    fn advisory_lock_sql(&self, key: i64) -> Option<(String, String)> {
        Some(bookkeeping::advisory_lock_sql(key))
    }

    fn lock_holder_sql(&self, key: i64) -> Option<String> {
        Some(locks::advisory_lock_holder_sql(key))
    }

    fn table_lock_holders_sql(&self, statement: &str) -> Option<String> {
        Some(locks::table_lock_holders_sql(statement))
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
        backup::pg_dump(url, options).boxed()
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
            let c = driver(conn).expect("a PostgreSQL connection");
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
            let c = driver(conn).expect("a PostgreSQL connection");
            stats.queries += 1;
            let name: Option<String> = sqlx::query_scalar("SELECT current_schema()::text")
                .fetch_one(c)
                .await
                .map_err(|source| IntrospectError::Query {
                    query: "current schema",
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
            format!("{:?}", introspect::nextval_sequence(sql)),
            introspect::check_expression(sql),
            introspect::strip_literal_casts(sql),
        ]
    }
}

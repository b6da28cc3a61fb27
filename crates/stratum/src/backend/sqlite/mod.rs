//! SQLite: connect, the busy wait and file lock, the foreign-key guard,
//! bookkeeping SQL, error classification and introspection.

mod backup;
mod bookkeeping;
pub(crate) mod errors;
/// Checks on a SQLite file before it is opened.
pub mod file_check;
mod foreign_keys;
mod link;
mod lock_file;

/// Reading SQLite's catalog into the schema model.
pub(crate) mod introspect;

pub use lock_file::LOCK_FILE_SUFFIX;

use super::{Backend, Capabilities, ErrorKind, LockStyle};
use crate::backup::{BackupError, BackupOptions};
use crate::config::DatabaseUrl;
use crate::db::{Connection, DbError};
use crate::introspect::{Ignored, IntrospectError, IntrospectStats};
use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use sqlx::SqliteConnection;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use stratum_core::dialect::{Dialect, Statement};
use stratum_core::schema::Schema;

/// The SQLite backend.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

/// The driver connection of a SQLite [`Connection`] (`None` for another
/// database's).
pub(crate) fn driver(conn: &mut Connection) -> Option<&mut SqliteConnection> {
    conn.driver::<SqliteConnection>()
}

impl Backend for Sqlite {
    fn name(&self) -> &'static str {
        "SQLite"
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            transactional_ddl: true,
            copy_in: false,
            batched_messages: false,
            lock: LockStyle::File,
            dedicated_lock_connection: false,
            foreign_key_guard: true,
            session_timeouts: false,
            file_database: true,
            online_ddl: false,
        }
    }

    fn connect<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<Connection, DbError>> {
        static THIS: Sqlite = Sqlite;
        link::connect(&THIS, url).boxed()
    }

    fn begin_sql(&self) -> &'static str {
        // Takes the write lock at once (waiting up to the busy timeout), so that
        // a step never fails half-way on a writer that came later.
        "BEGIN IMMEDIATE"
    }

    fn timeout_settings(
        &self,
        _local: bool,
        _lock_timeout: Option<Duration>,
        _statement_timeout: Option<Duration>,
    ) -> Vec<String> {
        Vec::new()
    }

    fn deferred_commit_sql(&self) -> Option<&'static str> {
        None
    }

    fn flush_commits_sql(&self) -> Option<&'static str> {
        None
    }

    fn current_user_sql(&self) -> Option<&'static str> {
        None
    }

    fn table_exists_sql(&self, name: &str) -> String {
        bookkeeping::table_exists_sql(name)
    }

    fn history_create_sql(&self, quoted: &str) -> String {
        bookkeeping::history_create_sql(quoted)
    }

    fn elapsed_since_begin_sql(&self, began: SystemTime) -> String {
        bookkeeping::elapsed_since_begin_sql(began)
    }

    fn after_rollback_sql(&self) -> Option<&'static str> {
        // After a write failed for want of storage (disk full, an I/O error),
        // SQLite leaves the undo of the transaction in the hot journal until the
        // next read; one read now restores the file.
        Some("SELECT count(*) FROM sqlite_master")
    }

    fn classify(&self, error: &DbError) -> ErrorKind {
        errors::classify(error)
    }

    fn storage_failure(&self, code: &str) -> Option<&'static str> {
        errors::storage_failure(code)
    }

    fn classify_connect(&self, error: &DbError) -> ErrorKind {
        errors::classify_connect(error)
    }

    fn prepare_session<'a>(
        &'a self,
        conn: &'a mut Connection,
        _application_name: &'a str,
        lock_timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<(), (&'static str, DbError)>> {
        async move {
            if let Some(t) = lock_timeout {
                let sql = format!("PRAGMA busy_timeout = {}", crate::config::wait_millis(t));
                conn.execute(&sql)
                    .await
                    .map_err(|e| ("setting the SQLite busy timeout", e))?;
            }
            Ok(())
        }
        .boxed()
    }

    fn prepare_lock<'a>(
        &'a self,
        conn: &'a mut Connection,
        timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<(), DbError>> {
        async move {
            let ms = timeout
                .map(|t| t.as_millis().min(i32::MAX as u128))
                .unwrap_or(i32::MAX as u128);
            conn.execute(&format!("PRAGMA busy_timeout = {ms}"))
                .await
                .map(|_| ())
        }
        .boxed()
    }

    fn database_file<'a>(
        &'a self,
        conn: &'a mut Connection,
    ) -> BoxFuture<'a, Result<Option<String>, DbError>> {
        async move {
            let rows = conn.fetch_text("PRAGMA database_list").await?;
            // Columns: seq, name, file.
            Ok(rows
                .into_iter()
                .find(|r| r.get(1).cloned().flatten().as_deref() == Some("main"))
                .and_then(|r| r.get(2).cloned().flatten())
                .filter(|f| !f.is_empty()))
        }
        .boxed()
    }

    fn lock_file<'a>(
        &'a self,
        conn: &'a mut Connection,
    ) -> BoxFuture<'a, Result<Option<PathBuf>, DbError>> {
        async move { Ok(self.database_file(conn).await?.map(lock_file::beside)) }.boxed()
    }

    fn foreign_keys_off<'a>(
        &'a self,
        conn: &'a mut Connection,
    ) -> BoxFuture<'a, Result<Option<bool>, DbError>> {
        foreign_keys::off(conn).map(|r| r.map(Some)).boxed()
    }

    fn foreign_keys_restore<'a>(
        &'a self,
        conn: &'a mut Connection,
        was_on: bool,
    ) -> BoxFuture<'a, Result<(), DbError>> {
        foreign_keys::restore(conn, was_on).boxed()
    }

    fn foreign_key_check(&self) -> Option<Statement> {
        Some(stratum_core::dialect::sqlite::foreign_key_check())
    }

    fn script_preamble(&self) -> Vec<Statement> {
        stratum_core::dialect::sqlite::script_preamble()
    }

    fn file_url(&self, file: &Path) -> Option<DatabaseUrl> {
        Some(DatabaseUrl::sqlite_file(file))
    }

    fn backup<'a>(
        &'a self,
        url: &'a DatabaseUrl,
        options: &'a BackupOptions,
    ) -> BoxFuture<'a, Result<PathBuf, BackupError>> {
        backup::sqlite_copy(url, options).boxed()
    }

    fn restore_command(&self, url: &DatabaseUrl, path: &Path) -> Result<String, BackupError> {
        Ok(backup::restore_command(url, path))
    }

    fn introspect<'a>(
        &'a self,
        conn: &'a mut Connection,
        ignored: &'a Ignored,
        stats: &'a mut IntrospectStats,
    ) -> BoxFuture<'a, Result<Schema, IntrospectError>> {
        async move {
            let c = driver(conn).expect("a SQLite connection");
            introspect::introspect(c, ignored, stats).await
        }
        .boxed()
    }

    fn current_schema<'a>(
        &'a self,
        _conn: &'a mut Connection,
        _stats: &'a mut IntrospectStats,
    ) -> BoxFuture<'a, Result<String, IntrospectError>> {
        async { Ok("main".to_string()) }.boxed()
    }

    fn read_catalog_text(&self, sql: &str) -> Vec<String> {
        vec![
            format!("{:?}", introspect::CreateTable::parse(sql)),
            format!("{:?}", introspect::parse_create_index(sql)),
            format!("{:?}", introspect::parse_type(sql)),
            format!("{:?}", introspect::parse_default(sql)),
        ]
    }
}

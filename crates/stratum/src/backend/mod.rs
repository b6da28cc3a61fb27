//! The seam between the engine and a database: what generic code may ask of one.
//!
//! Generic code (the runner, verify, scratch databases, introspection's entry)
//! asks a [`Backend`] what it can do and lets it write its own SQL; it never asks
//! which database it talks to. [`registry`] maps a URL scheme or a dialect to a
//! backend; each database's folder (`postgres/`, `sqlite/`) holds its connect,
//! lock, bookkeeping SQL, error classification and foreign-key guard.

mod capabilities;
mod errors;
mod link;
pub mod mysql;
pub mod postgres;
pub mod registry;
pub mod sqlite;

pub use capabilities::{Capabilities, LockStyle};
pub use errors::ErrorKind;
pub(crate) use errors::mentions_tls;
pub(crate) use link::{Link, LinkItem, text_cell};

use crate::backup::{BackupError, BackupOptions};
use crate::config::DatabaseUrl;
use crate::db::{Connection, DbError};
use crate::introspect::{Ignored, IntrospectError, IntrospectStats};
use futures_util::future::BoxFuture;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use stratum_core::dialect::{Dialect, SqlDialect, Statement};
use stratum_core::schema::Schema;

/// A `LIKE` pattern matching the names that start with `prefix`, taken
/// literally: its `_`, `%` and `\` escaped with a backslash (the default
/// `LIKE` escape of PostgreSQL and MariaDB/MySQL), then `%`.
pub(crate) fn like_prefix_pattern(prefix: &str) -> String {
    let mut pattern: String = prefix
        .chars()
        .flat_map(|c| match c {
            '_' | '%' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    pattern.push('%');
    pattern
}

/// How the engine talks to one kind of database. One value per database lives in
/// [`registry`]; a [`Connection`] knows its backend ([`Connection::backend`]).
pub trait Backend: Send + Sync + std::fmt::Debug {
    /// The database's name, as written in messages (`PostgreSQL`, `SQLite`).
    fn name(&self) -> &'static str;

    /// The SQL dialect statements are rendered in for this database.
    fn dialect(&self) -> Dialect;

    /// What this database can do.
    fn capabilities(&self) -> Capabilities;

    /// The SQL for the server `url` names without connecting, when it names one
    /// (MariaDB/MySQL: its `server_version` parameter); `None` when the URL says
    /// nothing, and the SQL is then [`Dialect::sql`]'s. The error says why the
    /// URL's setting is unusable. A connection renders for the server it
    /// reaches, whatever the URL says.
    fn sql_for_url(&self, url: &str) -> Result<Option<&'static dyn SqlDialect>, String> {
        let _ = url;
        Ok(None)
    }

    /// The SQL for the server of version `version` (as the server reports it,
    /// e.g. `8.0.36` or `10.6.0-MariaDB`), named without connecting. The error
    /// says why it is unusable; by default the SQL does not depend on the
    /// server's version, and naming one is refused as a likely mistake.
    fn sql_for_server(&self, version: &str) -> Result<&'static dyn SqlDialect, String> {
        let _ = version;
        Err(format!(
            "the SQL of {} is the same for every server version; leave the version out",
            self.name()
        ))
    }

    /// Opens a connection to `url`, whose scheme the registry matched to this
    /// backend.
    fn connect<'a>(&'a self, url: &'a str) -> BoxFuture<'a, Result<Connection, DbError>>;

    /// The statement that opens a migration transaction.
    fn begin_sql(&self) -> &'static str;

    /// Session settings bounding lock waits and statement run time (`local`: for
    /// the open transaction only); empty where the database has none.
    fn timeout_settings(
        &self,
        local: bool,
        lock_timeout: Option<Duration>,
        statement_timeout: Option<Duration>,
    ) -> Vec<String>;

    /// Statements undoing [`Backend::timeout_settings`] for the session.
    fn timeout_reset_sql(&self) -> Vec<&'static str> {
        Vec::new()
    }

    /// The setting that lets a transaction's commit return before it reaches
    /// disk, where the database has one.
    fn deferred_commit_sql(&self) -> Option<&'static str>;

    /// SQL making every earlier deferred commit durable, where commits can be
    /// deferred.
    fn flush_commits_sql(&self) -> Option<&'static str>;

    /// A query returning the session's user name as text, where there is one.
    fn current_user_sql(&self) -> Option<&'static str>;

    /// A query counting the tables called `name` (in the current schema), as text.
    fn table_exists_sql(&self, name: &str) -> String;

    /// The clause after an `INSERT ... VALUES` that makes it an upsert: a row
    /// whose primary key (`key`) is taken gets the inserted row's `columns`
    /// instead. The whole statement is one write, atomic in autocommit. By
    /// default `ON CONFLICT (key) DO UPDATE SET c = excluded.c`.
    fn upsert_clause(&self, key: &[&str], columns: &[&str]) -> String {
        let set: Vec<String> = columns
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        format!(
            "ON CONFLICT ({}) DO UPDATE SET {}",
            key.join(", "),
            set.join(", ")
        )
    }

    /// `CREATE TABLE IF NOT EXISTS` for the history table (`quoted`: its quoted name).
    fn history_create_sql(&self, quoted: &str) -> String;

    /// An SQL expression for the milliseconds since the open transaction began
    /// (`began`: when the client opened it, for databases without a clock of
    /// their own for that).
    fn elapsed_since_begin_sql(&self, began: SystemTime) -> String;

    /// A statement to run after a rollback, where the database finishes undoing a
    /// failed write only on its next read (so the file is whole when the run
    /// reports the revision rolled back).
    fn after_rollback_sql(&self) -> Option<&'static str> {
        None
    }

    /// The engine's kind for an error of this database ([`ErrorKind::Other`]
    /// for another database's errors).
    fn classify(&self, error: &DbError) -> ErrorKind;

    /// The engine's kind for this database's error code (the code text of a
    /// failed statement, as [`crate::runner::conn::error_code`] reads it), for
    /// the kinds a code alone decides; [`ErrorKind::Other`] for another
    /// database's codes.
    fn code_kind(&self, _code: &str) -> ErrorKind {
        ErrorKind::Other
    }

    /// Whether a statement that failed with this database's error `code` may
    /// simply run again in a new transaction (a lock wait that ran out, a
    /// deadlock the session lost).
    fn retry_safe(&self, _code: &str) -> bool {
        false
    }

    /// What gave out when a statement failed with the database's error `code`
    /// because the storage of the database's file did (the disk or its quota
    /// full, an I/O error), e.g. "the disk is full"; `None` for any other code and
    /// for a server database.
    fn storage_failure(&self, _code: &str) -> Option<&'static str> {
        None
    }

    /// The engine's kind for an error met while connecting (where, say, an I/O
    /// error means an unreachable server rather than a lost connection).
    fn classify_connect(&self, error: &DbError) -> ErrorKind;

    /// The character position (from 1) in the query text that an error points at.
    fn error_position(&self, _error: &sqlx::Error) -> Option<usize> {
        None
    }

    /// Sets up a migrator's session: names it `application_name` when it has
    /// no name yet, asks the server to notice a vanished client, and makes lock
    /// waits last up to `lock_timeout` where the database waits by itself. On
    /// failure: what was being done, and the error.
    fn prepare_session<'a>(
        &'a self,
        _conn: &'a mut Connection,
        _application_name: &'a str,
        _lock_timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<(), (&'static str, DbError)>> {
        Box::pin(async { Ok(()) })
    }

    /// Prepares the session that takes the migration lock (the lock's own
    /// session with [`Capabilities::dedicated_lock_connection`]), waiting up to
    /// `timeout` for other writers where the database waits by itself.
    fn prepare_lock<'a>(
        &'a self,
        _conn: &'a mut Connection,
        _timeout: Option<Duration>,
    ) -> BoxFuture<'a, Result<(), DbError>> {
        Box::pin(async { Ok(()) })
    }

    /// The file the connection's database lives in, for a file database (`None`
    /// for a database in memory, and for a server).
    fn database_file<'a>(
        &'a self,
        _conn: &'a mut Connection,
    ) -> BoxFuture<'a, Result<Option<String>, DbError>> {
        Box::pin(async { Ok(None) })
    }

    /// For [`LockStyle::File`]: the file the runner locks for the whole run,
    /// beside the connection's database file (`None` where no other process can
    /// reach the database, as for one in memory).
    fn lock_file<'a>(
        &'a self,
        _conn: &'a mut Connection,
    ) -> BoxFuture<'a, Result<Option<PathBuf>, DbError>> {
        Box::pin(async { Ok(None) })
    }

    /// For [`LockStyle::Advisory`]: a query returning `true` (as text) when the
    /// lock of `key` was taken, and the statement releasing it.
    fn advisory_lock_sql(&self, _key: i64) -> Option<(String, String)> {
        None
    }

    /// For a [`Capabilities::dedicated_lock_connection`]: a query returning
    /// `true` (as text) while the session running it holds the advisory lock of
    /// `key`, checked between revisions.
    fn lock_held_sql(&self, _key: i64) -> Option<String> {
        None
    }

    /// A query returning the session holding the advisory lock of `key` (pid,
    /// user, application, client address, query start, state, query), where the
    /// database can say.
    fn lock_holder_sql(&self, _key: i64) -> Option<String> {
        None
    }

    /// A query returning the other sessions holding a lock on a table named in
    /// `statement`, with the columns of [`Backend::lock_holder_sql`].
    fn table_lock_holders_sql(&self, _statement: &str) -> Option<String> {
        None
    }

    /// For `upgrade --online`: a query returning the other sessions of this
    /// database whose transaction is open for longer than `threshold` (pid,
    /// application, query, and the transaction's age in seconds, as text).
    fn old_transactions_sql(&self, _threshold: Duration) -> Option<String> {
        None
    }

    /// For `upgrade --online`: a query returning the sessions holding a lock on
    /// a table named in `statement`, with the columns of
    /// [`Backend::old_transactions_sql`].
    fn blocking_sessions_sql(&self, _statement: &str) -> Option<String> {
        None
    }

    /// The foreign-key guard: turns enforcement off for a migration (as table
    /// rebuilds require) and returns whether it was on, or `None` where the
    /// database needs no guard.
    fn foreign_keys_off<'a>(
        &'a self,
        _conn: &'a mut Connection,
    ) -> BoxFuture<'a, Result<Option<bool>, DbError>> {
        Box::pin(async { Ok(None) })
    }

    /// Restores foreign-key enforcement as [`Backend::foreign_keys_off`] found it.
    fn foreign_keys_restore<'a>(
        &'a self,
        _conn: &'a mut Connection,
        _was_on: bool,
    ) -> BoxFuture<'a, Result<(), DbError>> {
        Box::pin(async { Ok(()) })
    }

    /// The query run before each commit while the guard is on: any row it
    /// returns is a violated foreign key.
    fn foreign_key_check(&self) -> Option<Statement> {
        None
    }

    /// Statements an offline script starts with (the guard, for a script).
    fn script_preamble(&self) -> Vec<Statement> {
        Vec::new()
    }

    /// For a file database: the URL of the database in `file` (for a scratch
    /// database of verify, in a fresh directory); `None` for a server.
    fn file_url(&self, _file: &Path) -> Option<DatabaseUrl> {
        None
    }

    /// For a server's scratch databases (verify): the statements that take the
    /// guard lock `guard` (waiting for it) and create database `name`.
    fn create_scratch_sql(&self, _name: &str, _guard: i64) -> Vec<String> {
        Vec::new()
    }

    /// Drops database `name` of the server; with `force`, ending its sessions.
    fn drop_database_sql(&self, _name: &str, _force: bool) -> String {
        String::new()
    }

    /// A query listing the server's databases whose name starts with `prefix`.
    fn list_databases_sql(&self, _prefix: &str) -> String {
        String::new()
    }

    /// A query counting (as text) the sessions holding the guard lock `guard`
    /// and those connected to database `name`.
    fn database_in_use_sql(&self, _name: &str, _guard: i64) -> String {
        String::new()
    }

    /// Backs up the database of `url` into a fresh file in `options.dir` (which
    /// exists) and returns the file.
    fn backup<'a>(
        &'a self,
        url: &'a DatabaseUrl,
        options: &'a BackupOptions,
    ) -> BoxFuture<'a, Result<PathBuf, BackupError>>;

    /// The command that restores the backup `path` into the database of `url`.
    fn restore_command(&self, url: &DatabaseUrl, path: &Path) -> Result<String, BackupError>;

    /// Reads the connection's schema into the model.
    fn introspect<'a>(
        &'a self,
        conn: &'a mut Connection,
        ignored: &'a Ignored,
        stats: &'a mut IntrospectStats,
    ) -> BoxFuture<'a, Result<Schema, IntrospectError>>;

    /// The name of the schema the connection works in.
    fn current_schema<'a>(
        &'a self,
        conn: &'a mut Connection,
        stats: &'a mut IntrospectStats,
    ) -> BoxFuture<'a, Result<String, IntrospectError>>;

    /// Reads `sql` with each of this database's readers of catalog text (stored
    /// definitions, formatted types, defaults and checks) and describes what each
    /// understood, one entry per reader: a hook for fuzzing without a server.
    fn read_catalog_text(&self, sql: &str) -> Vec<String>;
}

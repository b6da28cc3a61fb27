//! Live database connections, one type for every database: what differs between
//! databases is the connection's [`Backend`]'s.

use crate::backend::{Backend, Link, registry};
use futures_util::StreamExt;
use sqlx::Either;
use stratum_core::dialect::{Dialect, SqlDialect, Statement};

/// Errors from a live database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DbError {
    /// The URL's scheme is neither `postgres(ql)://` nor `sqlite:`.
    #[error("unsupported database URL scheme `{0}`: use postgresql://... or sqlite:path")]
    UnsupportedScheme(String),
    /// Connecting failed.
    #[error("cannot connect: {0}")]
    Connect(#[source] sqlx::Error),
    /// The backend's own transport could not open the session.
    #[error("cannot connect: {0}")]
    Transport(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A statement failed.
    #[error("{0}")]
    Query(#[from] sqlx::Error),
    /// Statement number `index` (from 0) of a batch failed; the open transaction was
    /// rolled back.
    #[error("statement #{index} failed: {source}\n  statement: {sql}")]
    Statement {
        /// Position of the statement in the batch.
        index: usize,
        /// Its SQL.
        sql: String,
        /// The database's error.
        #[source]
        source: sqlx::Error,
    },
    /// A `COPY ... FROM STDIN` statement (rendered for PostgreSQL) was given to a
    /// SQLite connection.
    #[error("COPY FROM STDIN runs only on PostgreSQL; render the op for SQLite instead")]
    CopyOnSqlite,
    /// SQLite's `PRAGMA foreign_key_check` found rows that violate foreign keys at the
    /// end of a transaction, which was rolled back.
    #[error(
        "{violations} row(s) violate foreign keys (table {first_table}); the transaction was \
         rolled back: fix the data or the migration"
    )]
    ForeignKeyViolation {
        /// Number of violating rows.
        violations: usize,
        /// The table of the first violating row.
        first_table: String,
    },
}

/// One result row with every column as optional text (`NULL` as `None`).
pub type TextRow = Vec<Option<String>>;

/// What one statement of [`Connection::run_batch`] returned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    /// Rows affected (inserted, updated, deleted or copied).
    pub rows_affected: u64,
    /// Rows returned, every column as text.
    pub rows: Vec<TextRow>,
}

/// [`Connection::run_batch`] stopped at a statement that failed.
#[derive(Debug)]
pub struct BatchFailure {
    /// Position of the failing statement in the batch (from 0).
    pub index: usize,
    /// What the statements before it returned.
    pub completed: Vec<CommandOutput>,
    /// The database's error.
    pub error: DbError,
}

/// An open connection to one database; what it can do is its [`Backend`]'s.
pub struct Connection {
    backend: &'static dyn Backend,
    link: Box<dyn Link>,
    sql: &'static dyn SqlDialect,
    /// The URL it was opened with, for opening another session like it.
    url: Option<String>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("backend", &self.backend.name())
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Connects to `url` (`postgresql://...`, `postgres://...` or `sqlite:...`).
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let mut conn = registry::for_url(url)?.connect(url).await?;
        conn.url = Some(url.to_string());
        Ok(conn)
    }

    /// Opens another session to the same database, with the same URL and connect
    /// options (`None` when this connection was not opened from a URL).
    pub(crate) async fn open_sibling(&self) -> Result<Option<Connection>, DbError> {
        let Some(url) = &self.url else {
            return Ok(None);
        };
        let mut conn = self.backend.connect(url).await?;
        conn.url = Some(url.clone());
        Ok(Some(conn))
    }

    /// A connection of `backend` over a driver connection it opened.
    pub(crate) fn from_link(backend: &'static dyn Backend, link: Box<dyn Link>) -> Self {
        Self {
            backend,
            link,
            sql: backend.dialect().sql(),
            url: None,
        }
    }

    /// This connection, rendering with `sql` (the backend's SQL for the server
    /// it reached, when the server's version matters).
    pub(crate) fn with_sql_dialect(mut self, sql: &'static dyn SqlDialect) -> Self {
        self.sql = sql;
        self
    }

    /// The backend of this connection.
    pub fn backend(&self) -> &'static dyn Backend {
        self.backend
    }

    /// The dialect of this connection.
    pub fn dialect(&self) -> Dialect {
        self.backend.dialect()
    }

    /// The SQL written for the server this connection reached: its dialect's
    /// [`Dialect::sql`], or, where the server's flavour and version matter
    /// (MariaDB/MySQL), the renderer for that server.
    pub fn sql_dialect(&self) -> &'static dyn SqlDialect {
        self.sql
    }

    /// The driver connection, for the backend that opened it (`None` for any
    /// other type).
    pub(crate) fn driver<T: 'static>(&mut self) -> Option<&mut T> {
        self.link.as_any().downcast_mut::<T>()
    }

    /// The driver connection by value, for the backend that opened it.
    pub(crate) fn into_driver<T: 'static>(self) -> Option<T> {
        self.link.into_any().downcast::<T>().ok().map(|b| *b)
    }

    /// Executes SQL (one or more statements, no results) and returns rows affected.
    pub async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        let mut stream = self.link.stream(sql.to_string());
        let mut affected = 0;
        while let Some(item) = stream.next().await {
            if let Either::Left(n) = item? {
                affected += n;
            }
        }
        Ok(affected)
    }

    /// Executes one rendered statement and returns rows affected. A
    /// `COPY ... FROM STDIN` statement ([`Statement::copy_data`]) streams its rows
    /// over the COPY protocol (where the backend has it).
    pub async fn execute_statement(&mut self, statement: &Statement) -> Result<u64, DbError> {
        let Some(data) = &statement.copy_data else {
            return self.execute(&statement.sql).await;
        };
        if !self.backend.capabilities().copy_in {
            return Err(DbError::CopyOnSqlite);
        }
        self.link.copy_in(&statement.sql, data).await
    }

    /// Runs one query and returns its rows as text (`None` for NULL).
    pub async fn query_text(&mut self, sql: &str) -> Result<Vec<TextRow>, DbError> {
        let statement = Statement::new(sql);
        let mut outputs = self.run_batch(&[&statement]).await.map_err(|f| f.error)?;
        Ok(outputs.pop().map(|o| o.rows).unwrap_or_default())
    }

    /// Runs one query through the driver's own statement path and returns all
    /// its rows as text.
    pub(crate) async fn fetch_text(&mut self, sql: &str) -> Result<Vec<TextRow>, DbError> {
        Ok(self.link.fetch_text(sql.to_string()).await?)
    }

    /// Runs statements in order and returns what each one returned, stopping at the
    /// first failure. Where the backend sends batched messages, consecutive
    /// statements travel as one message (one round trip for the lot); a statement
    /// that may not report exactly one completion (see [`joinable`]) or that
    /// streams COPY data goes on its own, so that every result is attributed to
    /// the statement that produced it. Other backends run them one by one.
    /// Transaction control is the caller's: statements run as given, and after a
    /// failure inside an explicit transaction the caller rolls back.
    pub async fn run_batch(
        &mut self,
        statements: &[&Statement],
    ) -> Result<Vec<CommandOutput>, BatchFailure> {
        let mut outputs: Vec<CommandOutput> = Vec::with_capacity(statements.len());
        let one_by_one = !self.backend.capabilities().batched_messages;
        let alone = |s: &Statement| one_by_one || s.copy_data.is_some() || !joinable(&s.sql);
        let mut start = 0;
        while start < statements.len() {
            let end = if alone(statements[start]) {
                start + 1
            } else {
                start + statements[start..].iter().take_while(|s| !alone(s)).count()
            };
            let group = &statements[start..end];
            let result = if group.len() == 1 && group[0].copy_data.is_some() {
                self.execute_statement(group[0])
                    .await
                    .map(|n| {
                        vec![CommandOutput {
                            rows_affected: n,
                            rows: Vec::new(),
                        }]
                    })
                    .map_err(|e| (0, e, Vec::new()))
            } else {
                let sql: Vec<&str> = group.iter().map(|s| s.sql.as_str()).collect();
                let one_command = group.len() == 1;
                self.run_message(&sql, one_command).await
            };
            match result {
                Ok(out) => outputs.extend(out),
                Err((at, error, before)) => {
                    outputs.extend(before);
                    return Err(BatchFailure {
                        index: start + at,
                        completed: outputs,
                        error,
                    });
                }
            }
            start = end;
        }
        Ok(outputs)
    }

    /// Sends `parts` as one simple-protocol message and collects each part's
    /// output; with `merge` (a single part whose text may hold several statements)
    /// every result counts toward that part. On failure: the index, within
    /// `parts`, of the failing one, the error, and the outputs of the parts that
    /// completed before it.
    async fn run_message(
        &mut self,
        parts: &[&str],
        merge: bool,
    ) -> Result<Vec<CommandOutput>, (usize, DbError, Vec<CommandOutput>)> {
        const SEPARATOR: &str = ";\n";
        let sql = parts.join(SEPARATOR);
        let count = parts.len();
        let mut out = vec![CommandOutput::default(); count];
        let mut current = 0;
        let backend = self.backend;
        // A server that parses the whole message before running any of it reports
        // a syntax error before any result; its position says where it is.
        let failing = |slot: usize, e: &sqlx::Error| {
            backend
                .error_position(e)
                .map(|at| part_at_char(parts, SEPARATOR, at))
                .unwrap_or(slot)
        };
        let mut stream = self.link.stream(sql);
        while let Some(item) = stream.next().await {
            let slot = current.min(count - 1);
            match item {
                Ok(Either::Left(done)) => {
                    out[slot].rows_affected += done;
                    if !merge {
                        current += 1;
                    }
                }
                Ok(Either::Right(row)) => out[slot].rows.push(row),
                Err(e) => {
                    // Only the statements that reported completion ran.
                    out.truncate(if merge { 0 } else { current });
                    return Err((failing(slot, &e), DbError::Query(e), out));
                }
            }
        }
        Ok(out)
    }

    /// Executes rendered statements in order: consecutive transactional statements
    /// run in one transaction, and statements that may not run in a transaction run
    /// on their own between them. Where the backend has a foreign-key guard,
    /// enforcement is off for the duration (as table rebuilds require), restored
    /// afterwards, and its check runs before each commit. On the first error the
    /// open transaction is rolled back and the error names the statement.
    pub async fn execute_statements(&mut self, statements: &[Statement]) -> Result<(), DbError> {
        let backend = self.backend;
        let fk_was_on = backend.foreign_keys_off(self).await?;
        let result = self.execute_batch(statements).await;
        if fk_was_on == Some(true) {
            let restored = backend.foreign_keys_restore(self, true).await;
            result?;
            restored
        } else {
            result
        }
    }

    async fn execute_batch(&mut self, statements: &[Statement]) -> Result<(), DbError> {
        let mut in_tx = false;
        for (index, st) in statements.iter().enumerate() {
            if st.transactional != in_tx {
                if in_tx {
                    self.commit().await?;
                } else {
                    self.execute("BEGIN").await?;
                }
                in_tx = st.transactional;
            }
            if let Err(e) = self.execute_statement(st).await {
                if in_tx {
                    let _ = self.execute("ROLLBACK").await;
                }
                let source = match e {
                    DbError::Query(s) | DbError::Connect(s) => s,
                    other => return Err(other),
                };
                return Err(DbError::Statement {
                    index,
                    sql: st.sql.clone(),
                    source,
                });
            }
        }
        if in_tx {
            self.commit().await?;
        }
        Ok(())
    }

    /// Commits the open transaction; with a foreign-key guard, only if no row
    /// violates a foreign key.
    async fn commit(&mut self) -> Result<(), DbError> {
        if let Some(check) = self.backend.foreign_key_check() {
            let rows = self.fetch_text(&check.sql).await?;
            if let Some(first) = rows.first() {
                let first_table = first.first().cloned().flatten().unwrap_or_default();
                self.execute("ROLLBACK").await?;
                return Err(DbError::ForeignKeyViolation {
                    violations: rows.len(),
                    first_table,
                });
            }
        }
        self.execute("COMMIT").await?;
        Ok(())
    }

    /// Closes the connection cleanly.
    pub async fn close(self) -> Result<(), DbError> {
        self.link.close().await?;
        Ok(())
    }
}

/// Whether a statement can share a message with others: it reports exactly one
/// completion and cannot swallow the separator. Text holding a `;` may be several
/// statements; a comment may hide the separator (`-- ...` up to the line's end)
/// or be all there is (no completion at all); blank text runs nothing.
fn joinable(sql: &str) -> bool {
    !sql.trim().is_empty() && !sql.contains(';') && !sql.contains("--") && !sql.contains("/*")
}

/// Which of `parts`, joined by `separator`, holds character `at` (from 1).
fn part_at_char(parts: &[&str], separator: &str, at: usize) -> usize {
    let sep = separator.chars().count();
    let mut end = 0;
    for (i, part) in parts.iter().enumerate() {
        end += part.chars().count() + sep;
        if at <= end {
            return i;
        }
    }
    parts.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::{joinable, part_at_char};

    #[test]
    fn only_plain_single_statements_share_a_message() {
        assert!(joinable("CREATE TABLE t (id INTEGER)"));
        assert!(joinable("INSERT INTO t VALUES ('a-b')"));
        assert!(!joinable("UPDATE t SET x = 1; UPDATE t SET y = 2"));
        assert!(!joinable("UPDATE t SET x = 1 -- backfill"));
        assert!(!joinable("/* nothing */"));
        assert!(!joinable("  \n "));
    }

    #[test]
    fn error_positions_map_to_the_part_that_holds_them() {
        let parts = ["BEGIN", "SELECT 1", "CREATE TABLE é (x int,)"];
        // "BEGIN;\n" is 7 characters, "SELECT 1;\n" 10.
        assert_eq!(part_at_char(&parts, ";\n", 1), 0);
        assert_eq!(part_at_char(&parts, ";\n", 7), 0);
        assert_eq!(part_at_char(&parts, ";\n", 8), 1);
        assert_eq!(part_at_char(&parts, ";\n", 18), 2);
        assert_eq!(part_at_char(&parts, ";\n", 40), 2);
        assert_eq!(part_at_char(&parts, ";\n", 400), 2);
    }
}

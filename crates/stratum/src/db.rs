//! Live database connections, one type for every dialect. Dialect dispatch for
//! connections happens here.

use futures_util::StreamExt;
use sqlx::{AssertSqlSafe, Connection as _, Either, PgConnection, Row as _, SqliteConnection};
use stratum_core::dialect::{Dialect, Statement};

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
    /// The PostgreSQL transport could not open the session.
    #[error("cannot connect: {0}")]
    Transport(#[source] crate::pg::FrontError),
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

/// Bytes of COPY data sent per protocol message.
const COPY_CHUNK_BYTES: usize = 1 << 20;

/// An open connection to PostgreSQL or SQLite.
#[derive(Debug)]
pub enum Connection {
    /// PostgreSQL.
    Postgres(PgConnection),
    /// SQLite.
    Sqlite(SqliteConnection),
}

impl Connection {
    /// Connects to `url` (`postgresql://...`, `postgres://...` or `sqlite:...`).
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let scheme = url.split(':').next().unwrap_or_default();
        match scheme {
            "postgres" | "postgresql" => {
                let parsed = url::Url::parse(url).ok();
                if parsed.as_ref().is_some_and(|u| !crate::pg::is_socket(u)) {
                    return crate::pg::connect(url)
                        .await
                        .map(Connection::Postgres)
                        .map_err(|e| match e {
                            crate::pg::ConnectFailure::Front(f) => DbError::Transport(f),
                            crate::pg::ConnectFailure::Driver(d) => DbError::Connect(d),
                        });
                }
                use std::str::FromStr;
                let mut opts =
                    sqlx::postgres::PgConnectOptions::from_str(url).map_err(DbError::Connect)?;
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
                    .map(Connection::Postgres)
                    .map_err(DbError::Connect)
            }
            "sqlite" => {
                use std::str::FromStr;
                let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                    .map_err(DbError::Connect)?
                    .create_if_missing(true);
                SqliteConnection::connect_with(&opts)
                    .await
                    .map(Connection::Sqlite)
                    .map_err(DbError::Connect)
            }
            other => Err(DbError::UnsupportedScheme(other.to_string())),
        }
    }

    /// The dialect of this connection.
    pub fn dialect(&self) -> Dialect {
        match self {
            Connection::Postgres(_) => Dialect::Postgres,
            Connection::Sqlite(_) => Dialect::Sqlite,
        }
    }

    /// Executes SQL (one or more statements, no results) and returns rows affected.
    pub async fn execute(&mut self, sql: &str) -> Result<u64, DbError> {
        let q = sqlx::raw_sql(AssertSqlSafe(sql.to_string()));
        Ok(match self {
            Connection::Postgres(c) => q.execute(c).await?.rows_affected(),
            Connection::Sqlite(c) => q.execute(c).await?.rows_affected(),
        })
    }

    /// Executes one rendered statement and returns rows affected. A
    /// `COPY ... FROM STDIN` statement ([`Statement::copy_data`]) streams its rows
    /// over the COPY protocol (PostgreSQL only).
    pub async fn execute_statement(&mut self, statement: &Statement) -> Result<u64, DbError> {
        let Some(data) = &statement.copy_data else {
            return self.execute(&statement.sql).await;
        };
        match self {
            Connection::Postgres(c) => {
                let mut copy = c.copy_in_raw(&statement.sql).await?;
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
            Connection::Sqlite(_) => Err(DbError::CopyOnSqlite),
        }
    }

    /// Runs one query and returns its rows as text (`None` for NULL).
    pub async fn query_text(&mut self, sql: &str) -> Result<Vec<TextRow>, DbError> {
        let statement = Statement::new(sql);
        let mut outputs = self.run_batch(&[&statement]).await.map_err(|f| f.error)?;
        Ok(outputs.pop().map(|o| o.rows).unwrap_or_default())
    }

    /// Runs statements in order and returns what each one returned, stopping at the
    /// first failure. On PostgreSQL consecutive statements travel as one message
    /// (one round trip for the lot); a statement that may not report exactly one
    /// completion (see [`joinable`]) or that streams COPY data goes on its own, so
    /// that every result is attributed to the statement that produced it. SQLite
    /// runs them one by one. Transaction control is the caller's: statements run
    /// as given, and after a failure inside an explicit transaction the caller
    /// rolls back.
    pub async fn run_batch(
        &mut self,
        statements: &[&Statement],
    ) -> Result<Vec<CommandOutput>, BatchFailure> {
        let mut outputs: Vec<CommandOutput> = Vec::with_capacity(statements.len());
        let one_by_one = self.dialect() == Dialect::Sqlite;
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
        let q = sqlx::raw_sql(AssertSqlSafe(sql));
        // PostgreSQL parses the whole message before running any of it, so a
        // syntax error arrives before any result; its position says where it is.
        let failing = |slot: usize, e: &sqlx::Error| {
            error_position(e)
                .map(|at| part_at_char(parts, SEPARATOR, at))
                .unwrap_or(slot)
        };
        macro_rules! collect {
            ($stream:expr, $row:expr) => {{
                let mut stream = $stream;
                while let Some(item) = stream.next().await {
                    let slot = current.min(count - 1);
                    match item {
                        Ok(Either::Left(done)) => {
                            out[slot].rows_affected += done.rows_affected();
                            if !merge {
                                current += 1;
                            }
                        }
                        Ok(Either::Right(row)) => out[slot].rows.push($row(&row)),
                        Err(e) => {
                            // Only the statements that reported completion ran.
                            out.truncate(if merge { 0 } else { current });
                            return Err((failing(slot, &e), DbError::Query(e), out));
                        }
                    }
                }
            }};
        }
        match self {
            Connection::Postgres(c) => collect!(q.fetch_many(c), pg_text_row),
            Connection::Sqlite(c) => collect!(q.fetch_many(c), sqlite_text_row),
        }
        Ok(out)
    }

    /// Executes rendered statements in order: consecutive transactional statements
    /// run in one transaction, and statements that may not run in a transaction run
    /// on their own between them. On SQLite, foreign-key enforcement is off for the
    /// duration (as table rebuilds require), restored afterwards, and
    /// `PRAGMA foreign_key_check` runs before each commit. On the first error the open
    /// transaction is rolled back and the error names the statement.
    pub async fn execute_statements(&mut self, statements: &[Statement]) -> Result<(), DbError> {
        let fk_was_on = match self {
            Connection::Sqlite(c) => {
                let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                    .fetch_one(&mut *c)
                    .await?;
                sqlx::raw_sql("PRAGMA foreign_keys = OFF")
                    .execute(&mut *c)
                    .await?;
                on != 0
            }
            Connection::Postgres(_) => false,
        };
        let result = self.execute_batch(statements).await;
        if fk_was_on {
            let restored = self.execute("PRAGMA foreign_keys = ON").await;
            result?;
            restored?;
            Ok(())
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

    /// Commits the open transaction; on SQLite, only if no row violates a foreign key.
    async fn commit(&mut self) -> Result<(), DbError> {
        if let Connection::Sqlite(c) = self {
            let rows: Vec<(String,)> =
                sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                    .fetch_all(&mut *c)
                    .await?;
            if let Some((first_table,)) = rows.first() {
                let first_table = first_table.clone();
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
        match self {
            Connection::Postgres(c) => c.close().await?,
            Connection::Sqlite(c) => c.close().await?,
        }
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

/// The character position (from 1) in the query text that a PostgreSQL error
/// points at, when it points at one.
fn error_position(e: &sqlx::Error) -> Option<usize> {
    let pg = e
        .as_database_error()?
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?;
    match pg.position()? {
        sqlx::postgres::PgErrorPosition::Original(at) => Some(at),
        _ => None,
    }
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

/// A PostgreSQL row as text: text columns as they are, integers and booleans
/// formatted.
pub(crate) fn pg_text_row(row: &sqlx::postgres::PgRow) -> TextRow {
    (0..row.len())
        .map(|i| {
            text_cell::<String, _>(row, i)
                .or_else(|| text_cell::<i64, _>(row, i))
                .or_else(|| text_cell::<i32, _>(row, i))
                .or_else(|| text_cell::<bool, _>(row, i))
        })
        .collect()
}

/// A SQLite row as text: text columns as they are, numbers formatted.
pub(crate) fn sqlite_text_row(row: &sqlx::sqlite::SqliteRow) -> TextRow {
    (0..row.len())
        .map(|i| {
            text_cell::<String, _>(row, i)
                .or_else(|| text_cell::<i64, _>(row, i))
                .or_else(|| text_cell::<f64, _>(row, i))
        })
        .collect()
}

/// Column `i` decoded as `T` and formatted, or `None` when it is NULL or not a `T`.
fn text_cell<T, R>(row: &R, i: usize) -> Option<String>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    T: ToString + for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    row.try_get::<Option<T>, _>(i)
        .ok()
        .flatten()
        .map(|v| v.to_string())
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

//! Live database connections, one type for every dialect. Dialect dispatch for
//! connections happens here.

use sqlx::{AssertSqlSafe, Connection as _, PgConnection, SqliteConnection};
use stratum_core::dialect::{Dialect, Statement};

/// Errors from a live database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL's scheme is neither `postgres(ql)://` nor `sqlite:`.
    #[error("unsupported database URL scheme `{0}`: use postgresql://... or sqlite:path")]
    UnsupportedScheme(String),
    /// Connecting failed.
    #[error("cannot connect: {0}")]
    Connect(#[source] sqlx::Error),
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
            "postgres" | "postgresql" => PgConnection::connect(url)
                .await
                .map(Connection::Postgres)
                .map_err(DbError::Connect),
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

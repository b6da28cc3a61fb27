//! Live database connections, one type for every dialect. Dialect dispatch for
//! connections happens here.

use sqlx::{AssertSqlSafe, Connection as _, PgConnection, SqliteConnection};
use stratum_core::dialect::Dialect;

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
}

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

    /// Closes the connection cleanly.
    pub async fn close(self) -> Result<(), DbError> {
        match self {
            Connection::Postgres(c) => c.close().await?,
            Connection::Sqlite(c) => c.close().await?,
        }
        Ok(())
    }
}

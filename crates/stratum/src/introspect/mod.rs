//! Reading a live database into the schema model.
//!
//! [`introspect`] reads the current schema of a PostgreSQL connection (normally
//! `public`) or the main database of a SQLite connection into a
//! [`Schema`] in normal form. Each dialect issues a
//! fixed number of catalog queries, whatever the number of tables: the catalogs are
//! read in bulk and assembled in memory. [`introspect_with_stats`] also reports how
//! many queries were issued.
//!
//! The engine's own bookkeeping tables ([`ALWAYS_IGNORED`]) are never part of the
//! result, nor are the tables the caller names.

mod catalog_text;
mod postgres;
mod sqlite;
mod sqltext;

use crate::db::Connection;
#[doc(hidden)]
pub use catalog_text::read_catalog_text;
use stratum_core::schema::Schema;

/// Tables that are never introspected: the version table (shared with Alembic's
/// name) and the engine's history log.
pub const ALWAYS_IGNORED: &[&str] = &["alembic_version", "stratum_history"];

/// Errors while reading a database's catalogs.
#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    /// A catalog query failed.
    #[error(
        "catalog query `{query}` failed: {source}; check that the connection's user may read the catalogs"
    )]
    Query {
        /// The name of the catalog query.
        query: &'static str,
        /// The database's error.
        #[source]
        source: sqlx::Error,
    },
    /// The catalogs hold something the model cannot represent consistently.
    #[error("cannot read table `{table}`: {detail}")]
    Unreadable {
        /// The table concerned.
        table: String,
        /// What was wrong.
        detail: String,
    },
}

/// Figures about one introspection run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IntrospectStats {
    /// Number of queries sent to the database.
    pub queries: usize,
}

/// Reads the live schema of `conn`, leaving out [`ALWAYS_IGNORED`] tables and the
/// tables named in `ignore_tables`. The result is in normal form
/// ([`Schema::normalized`]).
pub async fn introspect(
    conn: &mut Connection,
    ignore_tables: &[&str],
) -> Result<Schema, IntrospectError> {
    introspect_with_stats(conn, ignore_tables)
        .await
        .map(|(s, _)| s)
}

/// Like [`introspect`], and also reports how many queries were issued.
pub async fn introspect_with_stats(
    conn: &mut Connection,
    ignore_tables: &[&str],
) -> Result<(Schema, IntrospectStats), IntrospectError> {
    let ignored = Ignored::new(ignore_tables);
    let mut stats = IntrospectStats::default();
    let mut schema = match conn {
        Connection::Postgres(c) => postgres::introspect(c, &ignored, &mut stats).await?,
        Connection::Sqlite(c) => sqlite::introspect(c, &ignored, &mut stats).await?,
    };
    schema.normalize();
    Ok((schema, stats))
}

/// Reads one column of a catalog row; a failure names the catalog query.
fn get<'r, T, R>(row: &'r R, query: &'static str, col: &str) -> Result<T, IntrospectError>
where
    R: sqlx::Row,
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    T: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    row.try_get(col)
        .map_err(|source| IntrospectError::Query { query, source })
}

/// The set of table names to leave out.
pub(crate) struct Ignored {
    names: Vec<String>,
}

impl Ignored {
    fn new(extra: &[&str]) -> Self {
        Self {
            names: ALWAYS_IGNORED
                .iter()
                .chain(extra)
                .map(|s| s.to_string())
                .collect(),
        }
    }

    /// Whether `table` is left out.
    pub(crate) fn contains(&self, table: &str) -> bool {
        self.names.iter().any(|n| n == table)
    }
}

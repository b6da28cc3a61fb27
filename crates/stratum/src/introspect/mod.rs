//! Reading a live database into the schema model.
//!
//! [`introspect`] reads the current schema of a PostgreSQL connection (normally
//! `public`) or the main database of a SQLite connection into a
//! [`Schema`] in normal form. Each dialect issues a
//! fixed number of catalog queries, whatever the number of tables: the catalogs are
//! read in bulk and assembled in memory. [`introspect_with_stats`] also reports how
//! many queries were issued.
//!
//! The engine's own bookkeeping tables are never part of the result: the default
//! names ([`ALWAYS_IGNORED`]) for [`introspect`], the run's configured names for
//! [`introspect_excluding`] with [`Exclusions::for_run`], which also applies the
//! [`IgnoreRules`] for objects the models do not own.

pub(crate) mod catalog_row;
mod catalog_text;
pub(crate) mod sqltext;

use crate::config::IgnoreRules;
use crate::db::Connection;
use crate::runner::{
    DEFAULT_HISTORY_TABLE, DEFAULT_PROGRESS_TABLE, DEFAULT_VERSION_TABLE, RunOptions,
    progress_table_name,
};
#[doc(hidden)]
pub use catalog_text::read_catalog_text;
use stratum_core::schema::Schema;

/// The default names of the version table (shared with Alembic's), of the
/// engine's history log and of its statement progress: what [`introspect`]
/// leaves out. Commands that know the
/// run's options use [`introspect_excluding`] with [`Exclusions::for_run`],
/// which names the configured tables instead.
pub const ALWAYS_IGNORED: &[&str] = &[
    DEFAULT_VERSION_TABLE,
    DEFAULT_HISTORY_TABLE,
    DEFAULT_PROGRESS_TABLE,
];

/// What introspection leaves out: the run's bookkeeping tables (by exact name)
/// and the [`IgnoreRules`] for objects the models do not own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions {
    tables: Vec<String>,
    rules: IgnoreRules,
}

impl Exclusions {
    /// Leaves out exactly these tables.
    pub fn tables(names: &[&str]) -> Self {
        Self {
            tables: names.iter().map(|s| s.to_string()).collect(),
            rules: IgnoreRules::default(),
        }
    }

    /// Leaves out the version table, the history table and the progress table
    /// of `options`.
    pub fn for_run(options: &RunOptions) -> Self {
        Self::tables(&[
            options.version_table.name(),
            &options.history_table,
            &progress_table_name(&options.history_table),
        ])
    }

    /// Also leaves out what `rules` ignore.
    pub fn with_rules(mut self, rules: &IgnoreRules) -> Self {
        self.rules = std::mem::take(&mut self.rules).merged(rules);
        self
    }

    /// The ignore rules.
    pub fn rules(&self) -> &IgnoreRules {
        &self.rules
    }

    /// Whether `table` is left out.
    pub(crate) fn contains(&self, table: &str) -> bool {
        self.tables.iter().any(|n| n == table) || self.rules.ignores_table(table)
    }
}

/// The set of tables to leave out, as the per-database readers see it.
pub(crate) type Ignored = Exclusions;

/// Errors while reading a database's catalogs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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

/// Reads the live schema of `conn`, leaving out the bookkeeping tables of the
/// default names ([`ALWAYS_IGNORED`]) and the tables named in `ignore_tables`.
/// The result is in normal form ([`Schema::normalized`]).
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
    let names: Vec<&str> = ALWAYS_IGNORED
        .iter()
        .chain(ignore_tables)
        .copied()
        .collect();
    read(conn, &Exclusions::tables(&names)).await
}

/// Reads the live schema of `conn`, leaving out what `exclusions` name: the
/// tables and enum types the rules ignore, everything when the connection's
/// schema is ignored, and the bookkeeping tables given. In normal form.
pub async fn introspect_excluding(
    conn: &mut Connection,
    exclusions: &Exclusions,
) -> Result<Schema, IntrospectError> {
    read(conn, exclusions).await.map(|(s, _)| s)
}

async fn read(
    conn: &mut Connection,
    ignored: &Exclusions,
) -> Result<(Schema, IntrospectStats), IntrospectError> {
    let mut stats = IntrospectStats::default();
    if !ignored.rules.schemas.is_empty() {
        let current = current_schema(conn, &mut stats).await?;
        if ignored.rules.ignores_schema(&current) {
            return Ok((Schema::new(), stats));
        }
    }
    let backend = conn.backend();
    let mut schema = backend.introspect(conn, ignored, &mut stats).await?;
    // Enum types and columns go after reading (tables were skipped while
    // reading, with the sequences they own).
    ignored.rules.apply(&mut schema);
    schema.normalize();
    Ok((schema, stats))
}

/// The schema introspection reads (the backend's current schema).
async fn current_schema(
    conn: &mut Connection,
    stats: &mut IntrospectStats,
) -> Result<String, IntrospectError> {
    let backend = conn.backend();
    backend.current_schema(conn, stats).await
}

/// Reads one column of a catalog row; a failure names the catalog query.
pub(crate) fn get<'r, T, R>(
    row: &'r R,
    query: &'static str,
    col: &str,
) -> Result<T, IntrospectError>
where
    R: sqlx::Row,
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    T: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    row.try_get(col)
        .map_err(|source| IntrospectError::Query { query, source })
}

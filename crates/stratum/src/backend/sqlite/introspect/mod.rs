//! SQLite introspection: four bulk queries joining `sqlite_master` with the
//! table-valued pragma functions, plus reading the stored `CREATE TABLE` text for
//! what SQLite keeps no catalog of (constraint names, checks, `AUTOINCREMENT`).
//!
//! The text is read with the conventions of [`stratum_core::dialect::sqlite`]: a
//! column with a CHECK named `enum:<type>:<column>` is an enum column (declared
//! `TEXT`), and its labels give the enum type; `INTEGER PRIMARY KEY AUTOINCREMENT`
//! is a `Serial` column; the renderer's random-UUID expression is
//! [`DefaultValue::RandomUuid`]. Constraints declared without a name get the default
//! names of [`stratum_core::naming`] (checks: `<table>_check<n>`). Unique
//! constraints come from the text, not from the indexes, because SQLite makes no
//! index for one whose columns another key already covers. Virtual tables are left
//! out; index access methods do not exist.

mod columns;
mod create_index;
mod create_table;
mod declared_constraints;
mod defaults;
mod foreign_keys;
mod indexes;
mod tables;
mod text_fk;
mod types;

pub(crate) use create_index::parse_create_index;
pub(crate) use create_table::CreateTable;
pub(crate) use defaults::parse_default;
pub(crate) use types::parse_type;

use crate::introspect::catalog_row::{CatalogRow, decode_rows};
use crate::introspect::{Ignored, IntrospectError, IntrospectStats};
use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteRow;
use stratum_core::schema::Schema;

/// Runs the catalog query of `R`, counting it, and decodes its rows.
async fn read<R: CatalogRow<SqliteRow>>(
    conn: &mut SqliteConnection,
    stats: &mut IntrospectStats,
) -> Result<Vec<R>, IntrospectError> {
    stats.queries += 1;
    decode_rows(sqlx::query(R::SQL).fetch_all(conn).await)
}

/// Reads the main database of a SQLite connection.
pub(crate) async fn introspect(
    conn: &mut SqliteConnection,
    ignored: &Ignored,
    stats: &mut IntrospectStats,
) -> Result<Schema, IntrospectError> {
    let table_rows: Vec<tables::TableRow> = read(conn, stats).await?;
    let column_rows: Vec<columns::ColumnRow> = read(conn, stats).await?;
    let index_rows: Vec<indexes::IndexRow> = read(conn, stats).await?;
    let fk_rows: Vec<foreign_keys::ForeignKeyRow> = read(conn, stats).await?;

    let mut schema = Schema::new();
    let parsed = tables::add(&mut schema, table_rows, ignored)?;
    columns::add(&mut schema, column_rows, &parsed);
    indexes::add(&mut schema, index_rows);
    foreign_keys::add(&mut schema, fk_rows, &parsed);
    declared_constraints::add(&mut schema, &parsed);
    Ok(schema)
}

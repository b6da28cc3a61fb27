//! PostgreSQL introspection: five catalog queries for the whole schema (the
//! connection's current schema, normally `public`), assembled in memory.
//!
//! Read as the model has it: ordinary and partitioned tables (not partitions, views
//! or foreign tables); a sequence owned by a column whose default is its `nextval`
//! becomes that column's `Serial`; an identity column's sequence is the column's
//! identity. Not represented: generated columns' expressions (such a column reads
//! as a plain column), index sort orders and operator classes, exclusion
//! constraints, and objects of other schemas.

mod check_text;
mod columns;
mod constraints;
mod defaults;
mod enums;
mod indexes;
mod literal_casts;
mod sequences;
mod types;

pub(crate) use check_text::check_expression;
pub(crate) use defaults::{nextval_sequence, parse_default};
pub(crate) use literal_casts::strip_literal_casts;
pub(crate) use types::parse_type;

use crate::introspect::catalog_row::{CatalogRow, decode_rows};
use crate::introspect::{Ignored, IntrospectError, IntrospectStats};
use sqlx::PgConnection;
use sqlx::postgres::PgRow;
use stratum_core::schema::Schema;

/// Runs the catalog query of `R`, counting it, and decodes its rows.
async fn read<R: CatalogRow<PgRow>>(
    conn: &mut PgConnection,
    stats: &mut IntrospectStats,
) -> Result<Vec<R>, IntrospectError> {
    stats.queries += 1;
    decode_rows(sqlx::query(R::SQL).fetch_all(conn).await)
}

/// Reads the current schema of a PostgreSQL connection.
pub(crate) async fn introspect(
    conn: &mut PgConnection,
    ignored: &Ignored,
    stats: &mut IntrospectStats,
) -> Result<Schema, IntrospectError> {
    let column_rows: Vec<columns::ColumnRow> = read(conn, stats).await?;
    let constraint_rows: Vec<constraints::ConstraintRow> = read(conn, stats).await?;
    let index_rows: Vec<indexes::IndexRow> = read(conn, stats).await?;
    let enum_rows: Vec<enums::EnumRow> = read(conn, stats).await?;
    let sequence_rows: Vec<sequences::SequenceRow> = read(conn, stats).await?;

    let mut schema = Schema::new();
    enums::add(&mut schema, enum_rows);
    let raw_defaults = columns::add(&mut schema, column_rows, ignored);
    sequences::add(&mut schema, sequence_rows, ignored, &raw_defaults);
    constraints::add(&mut schema, constraint_rows, ignored)?;
    indexes::add(&mut schema, index_rows, ignored);
    Ok(schema)
}

//! The columns query: each table with its columns.

use super::defaults::parse_default;
use super::types::parse_type;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{Ignored, IntrospectError, get};
use sqlx::postgres::PgRow;
use std::collections::HashMap;
use stratum_core::schema::{AutoIncrement, Column, ColumnType, Schema, Table};

/// Tables (ordinary and partitioned, not partitions) with their columns; a table
/// without columns yields one row with NULL column fields.
pub(crate) const COLUMNS_QUERY: &str = r#"
SELECT c.relname::text AS table_name,
       a.attname::text AS column_name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       t.typtype::text AS type_kind,
       t.typname::text AS type_name,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = current_schema()
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
ORDER BY c.relname, a.attnum
"#;

/// One row of [`COLUMNS_QUERY`]: a table, and one of its columns if it has any.
pub(super) struct ColumnRow {
    table_name: String,
    column: Option<ColumnFields>,
}

/// A column's fields in a row of [`COLUMNS_QUERY`].
struct ColumnFields {
    name: String,
    data_type: String,
    type_kind: Option<String>,
    type_name: Option<String>,
    not_null: bool,
    identity: Option<String>,
    generated: Option<String>,
    default_expr: Option<String>,
}

impl CatalogRow<PgRow> for ColumnRow {
    const NAME: &'static str = "columns";
    const SQL: &'static str = COLUMNS_QUERY;

    fn decode(row: &PgRow) -> Result<Self, IntrospectError> {
        let table_name = get(row, Self::NAME, "table_name")?;
        let Some(name) = get::<Option<String>, _>(row, Self::NAME, "column_name")? else {
            return Ok(Self {
                table_name,
                column: None,
            });
        };
        let column = ColumnFields {
            name,
            data_type: get(row, Self::NAME, "data_type")?,
            type_kind: get(row, Self::NAME, "type_kind")?,
            type_name: get(row, Self::NAME, "type_name")?,
            not_null: get(row, Self::NAME, "not_null")?,
            identity: get(row, Self::NAME, "identity")?,
            generated: get(row, Self::NAME, "generated")?,
            default_expr: get(row, Self::NAME, "default_expr")?,
        };
        Ok(Self {
            table_name,
            column: Some(column),
        })
    }
}

/// Column defaults as written, by table and column name.
pub(super) type RawDefaults = HashMap<(String, String), String>;

/// Adds the tables and their columns, except the ignored tables; returns the
/// defaults as written, to match against owned sequences.
pub(super) fn add(schema: &mut Schema, rows: Vec<ColumnRow>, ignored: &Ignored) -> RawDefaults {
    let mut raw_defaults = RawDefaults::new();
    for row in rows {
        let table_name = row.table_name;
        if ignored.contains(&table_name) {
            continue;
        }
        let table = schema
            .tables
            .entry(table_name.clone())
            .or_insert_with(|| Table::new(table_name.clone()));
        let Some(c) = row.column else {
            continue;
        };
        let name = c.name;
        let ty = match (c.type_kind.as_deref(), c.type_name) {
            (Some("e"), Some(enum_name)) => ColumnType::Enum(enum_name),
            _ => parse_type(&c.data_type),
        };
        let auto_increment = match c.identity.as_deref() {
            Some("a") => Some(AutoIncrement::IdentityAlways),
            Some("d") => Some(AutoIncrement::IdentityByDefault),
            _ => None,
        };
        let default = match (&c.default_expr, c.generated.as_deref()) {
            // A generated column's expression is not a default, and the model has
            // no generated columns: the column reads as a plain one.
            (Some(_), Some("s")) => None,
            (Some(expr), _) => {
                raw_defaults.insert((table_name.clone(), name.clone()), expr.clone());
                parse_default(expr)
            }
            (None, _) => None,
        };
        table.columns.push(Column {
            name,
            ty,
            nullable: !c.not_null,
            default,
            auto_increment,
        });
    }
    raw_defaults
}

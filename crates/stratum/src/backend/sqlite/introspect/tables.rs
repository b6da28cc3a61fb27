//! The tables query: user tables with their `CREATE TABLE` text.

use super::create_table::CreateTable;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{Ignored, IntrospectError, get};
use sqlx::sqlite::SqliteRow;
use std::collections::BTreeMap;
use stratum_core::schema::{EnumType, Schema, Table};

/// User tables (not virtual tables) with their `CREATE TABLE` text.
pub(crate) const TABLES_QUERY: &str = r#"
SELECT m.name AS table_name, m.sql AS create_sql
FROM sqlite_master AS m
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%'
ORDER BY m.name
"#;

/// One row of [`TABLES_QUERY`].
pub(super) struct TableRow {
    table_name: String,
    create_sql: Option<String>,
}

impl CatalogRow<SqliteRow> for TableRow {
    const NAME: &'static str = "tables";
    const SQL: &'static str = TABLES_QUERY;

    fn decode(row: &SqliteRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table_name: get(row, Self::NAME, "table_name")?,
            create_sql: get(row, Self::NAME, "create_sql")?,
        })
    }
}

/// The `CREATE TABLE` text of each table read, parsed.
pub(super) type ParsedTables = BTreeMap<String, CreateTable>;

/// Adds the tables (empty) and the enum types their text declares, except the
/// ignored tables; returns their parsed text.
pub(super) fn add(
    schema: &mut Schema,
    rows: Vec<TableRow>,
    ignored: &Ignored,
) -> Result<ParsedTables, IntrospectError> {
    let mut parsed = ParsedTables::new();
    for row in rows {
        let name = row.table_name;
        if ignored.contains(&name) {
            continue;
        }
        let ct = row
            .create_sql
            .as_deref()
            .and_then(CreateTable::parse)
            .ok_or_else(|| IntrospectError::Unreadable {
                table: name.clone(),
                detail: "its CREATE TABLE text in sqlite_master has unbalanced quotes or \
                         parentheses; pass the table in the ignore list to skip it"
                    .into(),
            })?;
        for (enum_name, values) in ct.enum_columns.values() {
            schema
                .enums
                .entry(enum_name.clone())
                .or_insert_with(|| EnumType {
                    name: enum_name.clone(),
                    values: values.clone(),
                });
        }
        parsed.insert(name.clone(), ct);
        schema.insert_table(Table::new(name));
    }
    Ok(parsed)
}

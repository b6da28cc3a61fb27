//! The columns query: every column of every user table, with the primary key.

use super::defaults::parse_default;
use super::tables::ParsedTables;
use super::types::parse_type;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{IntrospectError, get};
use sqlx::sqlite::SqliteRow;
use std::collections::BTreeMap;
use stratum_core::naming;
use stratum_core::schema::{AutoIncrement, Column, ColumnType, PrimaryKey, Schema};

/// Every column of every user table.
pub(crate) const COLUMNS_QUERY: &str = r#"
SELECT m.name AS table_name, p.cid AS cid, p.name AS column_name, p.type AS declared_type,
       p."notnull" AS not_null, p.dflt_value AS default_expr, p.pk AS pk_position
FROM sqlite_master AS m
JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, p.cid
"#;

/// One row of [`COLUMNS_QUERY`].
pub(super) struct ColumnRow {
    table_name: String,
    column_name: String,
    declared_type: String,
    not_null: bool,
    default_expr: Option<String>,
    /// Position in the primary key, from 1; 0 if not part of it.
    pk_position: i64,
}

impl CatalogRow<SqliteRow> for ColumnRow {
    const NAME: &'static str = "columns";
    const SQL: &'static str = COLUMNS_QUERY;

    fn decode(row: &SqliteRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table_name: get(row, Self::NAME, "table_name")?,
            column_name: get(row, Self::NAME, "column_name")?,
            declared_type: get(row, Self::NAME, "declared_type")?,
            not_null: get(row, Self::NAME, "not_null")?,
            default_expr: get(row, Self::NAME, "default_expr")?,
            pk_position: get(row, Self::NAME, "pk_position")?,
        })
    }
}

/// Adds the columns and the primary key of the tables already read.
pub(super) fn add(schema: &mut Schema, rows: Vec<ColumnRow>, parsed: &ParsedTables) {
    let mut pk_cols: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for row in rows {
        let table_name = row.table_name;
        let (Some(table), Some(ct)) = (schema.tables.get_mut(&table_name), parsed.get(&table_name))
        else {
            continue;
        };
        let name = row.column_name;
        let info = ct.columns.get(&name);
        let ty = match ct.enum_columns.get(&name) {
            Some((enum_name, _)) => ColumnType::Enum(enum_name.clone()),
            None => parse_type(&row.declared_type),
        };
        let auto_increment = info
            .filter(|i| i.autoincrement)
            .map(|_| AutoIncrement::Serial);
        if row.pk_position > 0 {
            pk_cols
                .entry(table_name.clone())
                .or_default()
                .push((row.pk_position, name.clone()));
        }
        table.columns.push(Column {
            name,
            ty,
            nullable: !row.not_null,
            default: row.default_expr.as_deref().and_then(parse_default),
            auto_increment,
        });
    }
    for (table_name, mut cols) in pk_cols {
        cols.sort();
        let columns: Vec<String> = cols.into_iter().map(|(_, c)| c).collect();
        let name = parsed
            .get(&table_name)
            .and_then(|ct| ct.primary_key_name.clone())
            .unwrap_or_else(|| naming::primary_key(&table_name));
        if let Some(t) = schema.tables.get_mut(&table_name) {
            t.primary_key = Some(PrimaryKey { name, columns });
        }
    }
}

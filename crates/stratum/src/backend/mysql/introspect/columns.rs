//! The columns query: each base table with its columns.

use super::defaults::parse_default_of;
use super::text;
use super::types::parse_type;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{Ignored, IntrospectError};
use sqlx::mysql::MySqlRow;
use std::collections::BTreeSet;
use stratum_core::dialect::mysql::Flavour;
use stratum_core::schema::{AutoIncrement, Column, ColumnType, EnumType, Schema, Table};

/// Base tables of the current database with their columns; a table without
/// columns cannot exist here. Each `information_schema` table is read in its own
/// derived table (see the module's documentation).
const COLUMNS_QUERY: &str = r#"
SELECT CAST(c.TABLE_NAME AS CHAR) AS table_name,
       CAST(c.COLUMN_NAME AS CHAR) AS column_name,
       CAST(c.COLUMN_TYPE AS CHAR) AS column_type,
       CAST(c.IS_NULLABLE AS CHAR) AS is_nullable,
       CAST(c.COLUMN_DEFAULT AS CHAR) AS column_default,
       CAST(c.EXTRA AS CHAR) AS extra
FROM (SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE,
             COLUMN_DEFAULT, EXTRA
      FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE()
      LIMIT 18446744073709551615) c
JOIN (SELECT TABLE_NAME
      FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
      LIMIT 18446744073709551615) t
  ON t.TABLE_NAME = c.TABLE_NAME
ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION
"#;

/// One row of [`COLUMNS_QUERY`].
pub(super) struct ColumnRow {
    table_name: String,
    name: String,
    column_type: String,
    nullable: bool,
    default: Option<String>,
    extra: String,
}

impl CatalogRow<MySqlRow> for ColumnRow {
    const NAME: &'static str = "columns";
    const SQL: &'static str = COLUMNS_QUERY;

    fn decode(row: &MySqlRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table_name: text(row, Self::NAME, "table_name")?.unwrap_or_default(),
            name: text(row, Self::NAME, "column_name")?.unwrap_or_default(),
            column_type: text(row, Self::NAME, "column_type")?.unwrap_or_default(),
            nullable: text(row, Self::NAME, "is_nullable")?.as_deref() == Some("YES"),
            default: text(row, Self::NAME, "column_default")?,
            extra: text(row, Self::NAME, "extra")?
                .unwrap_or_default()
                .to_ascii_lowercase(),
        })
    }
}

/// The labels of an `enum('a','b')` column type.
fn enum_labels(column_type: &str) -> Option<Vec<String>> {
    let inner = column_type.strip_prefix("enum(")?.strip_suffix(')')?;
    let mut labels = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut label = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    label.push('\'');
                } else {
                    break;
                }
            } else {
                label.push(c);
            }
        }
        labels.push(label);
    }
    Some(labels)
}

/// Adds the tables and their columns, except the ignored tables; `json` holds
/// the (table, column) pairs whose column check is `json_valid`.
pub(super) fn add(
    schema: &mut Schema,
    flavour: Flavour,
    rows: Vec<ColumnRow>,
    ignored: &Ignored,
    json: &BTreeSet<(String, String)>,
) {
    for c in rows {
        if ignored.contains(&c.table_name) {
            continue;
        }
        let ty = if let Some(labels) = enum_labels(&c.column_type) {
            let name = format!("{}_{}", c.table_name, c.name);
            schema.insert_enum(EnumType {
                name: name.clone(),
                values: labels,
            });
            ColumnType::Enum(name)
        } else if json.contains(&(c.table_name.clone(), c.name.clone())) {
            ColumnType::Json
        } else {
            parse_type(&c.column_type)
        };
        let auto_increment = c
            .extra
            .contains("auto_increment")
            .then_some(AutoIncrement::Serial);
        let generated = c.extra.contains("generated") && !c.extra.contains("default_generated");
        let default = match &c.default {
            Some(d) if !generated => parse_default_of(flavour, d, &c.extra, &ty),
            _ => None,
        };
        let table = schema
            .tables
            .entry(c.table_name.clone())
            .or_insert_with(|| Table::new(c.table_name.clone()));
        table.columns.push(Column {
            name: c.name,
            ty,
            nullable: c.nullable,
            default,
            auto_increment,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_labels_unquote() {
        assert_eq!(
            enum_labels("enum('a','it''s')"),
            Some(vec!["a".to_string(), "it's".to_string()])
        );
        assert_eq!(enum_labels("int(11)"), None);
    }
}

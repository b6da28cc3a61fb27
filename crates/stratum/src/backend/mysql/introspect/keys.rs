//! The keys query: primary keys, unique keys and foreign keys, one row per
//! column of each.

use super::text;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{Ignored, IntrospectError};
use sqlx::mysql::MySqlRow;
use stratum_core::schema::{FkAction, ForeignKey, PrimaryKey, Schema, UniqueConstraint};

/// Every key column of the current database, in key order; each
/// `information_schema` table in its own derived table (see the module's
/// documentation).
const KEYS_QUERY: &str = r#"
SELECT CAST(tc.TABLE_NAME AS CHAR) AS table_name,
       CAST(tc.CONSTRAINT_NAME AS CHAR) AS constraint_name,
       CAST(tc.CONSTRAINT_TYPE AS CHAR) AS constraint_type,
       CAST(k.COLUMN_NAME AS CHAR) AS column_name,
       CAST(k.REFERENCED_TABLE_NAME AS CHAR) AS ref_table,
       CAST(k.REFERENCED_COLUMN_NAME AS CHAR) AS ref_column,
       CAST(r.DELETE_RULE AS CHAR) AS delete_rule,
       CAST(r.UPDATE_RULE AS CHAR) AS update_rule
FROM (SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE
      FROM information_schema.TABLE_CONSTRAINTS
      WHERE TABLE_SCHEMA = DATABASE()
        AND CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
      LIMIT 18446744073709551615) tc
JOIN (SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION,
             REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
      FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = DATABASE()
      LIMIT 18446744073709551615) k
  ON k.TABLE_NAME = tc.TABLE_NAME AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
LEFT JOIN (SELECT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE
           FROM information_schema.REFERENTIAL_CONSTRAINTS
           WHERE CONSTRAINT_SCHEMA = DATABASE()
           LIMIT 18446744073709551615) r
  ON r.TABLE_NAME = tc.TABLE_NAME AND r.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION
"#;

/// One row of [`KEYS_QUERY`].
pub(super) struct KeyRow {
    table: String,
    name: String,
    kind: String,
    column: String,
    ref_table: Option<String>,
    ref_column: Option<String>,
    on_delete: Option<String>,
    on_update: Option<String>,
}

impl CatalogRow<MySqlRow> for KeyRow {
    const NAME: &'static str = "keys";
    const SQL: &'static str = KEYS_QUERY;

    fn decode(row: &MySqlRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table: text(row, Self::NAME, "table_name")?.unwrap_or_default(),
            name: text(row, Self::NAME, "constraint_name")?.unwrap_or_default(),
            kind: text(row, Self::NAME, "constraint_type")?.unwrap_or_default(),
            column: text(row, Self::NAME, "column_name")?.unwrap_or_default(),
            ref_table: text(row, Self::NAME, "ref_table")?,
            ref_column: text(row, Self::NAME, "ref_column")?,
            on_delete: text(row, Self::NAME, "delete_rule")?,
            on_update: text(row, Self::NAME, "update_rule")?,
        })
    }
}

/// The action of a referential rule (`RESTRICT` is `NO ACTION` on InnoDB).
fn action(rule: Option<&str>) -> FkAction {
    match rule {
        Some("CASCADE") => FkAction::Cascade,
        Some("SET NULL") => FkAction::SetNull,
        Some("SET DEFAULT") => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// Adds the keys to their tables, except those of ignored tables.
pub(super) fn add(schema: &mut Schema, rows: Vec<KeyRow>, ignored: &Ignored) {
    for r in rows {
        if ignored.contains(&r.table) {
            continue;
        }
        let Some(table) = schema.tables.get_mut(&r.table) else {
            continue;
        };
        match r.kind.as_str() {
            "PRIMARY KEY" => table
                .primary_key
                .get_or_insert_with(|| PrimaryKey {
                    // The server names every primary key `PRIMARY`; the default
                    // name keeps constraint names unique in the schema, as the
                    // dialect's normalization writes it too.
                    name: stratum_core::naming::primary_key(&r.table),
                    columns: Vec::new(),
                })
                .columns
                .push(r.column),
            "UNIQUE" => table
                .uniques
                .entry(r.name.clone())
                .or_insert_with(|| UniqueConstraint {
                    name: r.name.clone(),
                    columns: Vec::new(),
                })
                .columns
                .push(r.column),
            _ => {
                let fk = table
                    .foreign_keys
                    .entry(r.name.clone())
                    .or_insert_with(|| ForeignKey {
                        name: r.name.clone(),
                        columns: Vec::new(),
                        ref_table: r.ref_table.clone().unwrap_or_default(),
                        ref_columns: Vec::new(),
                        on_delete: action(r.on_delete.as_deref()),
                        on_update: action(r.on_update.as_deref()),
                    });
                fk.columns.push(r.column);
                fk.ref_columns.push(r.ref_column.unwrap_or_default());
            }
        }
    }
}

//! The foreign keys query: every foreign key of every user table, named after
//! the table's text.

use super::tables::ParsedTables;
use super::text_fk::fk_action;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{IntrospectError, get};
use sqlx::sqlite::SqliteRow;
use std::collections::BTreeMap;
use stratum_core::naming;
use stratum_core::schema::{ForeignKey, Schema};

/// Every foreign key of every user table, one row per column pair.
pub(crate) const FOREIGN_KEYS_QUERY: &str = r#"
SELECT m.name AS table_name, f.id AS fk_id, f.seq AS seq, f."table" AS ref_table,
       f."from" AS column_name, f."to" AS ref_column, f.on_update AS on_update,
       f.on_delete AS on_delete
FROM sqlite_master AS m
JOIN pragma_foreign_key_list(m.name) AS f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, f.id, f.seq
"#;

/// One row of [`FOREIGN_KEYS_QUERY`]: one column pair of a foreign key.
pub(super) struct ForeignKeyRow {
    table_name: String,
    fk_id: i64,
    ref_table: String,
    column_name: String,
    /// NULL when the key names no target column (the referenced primary key).
    ref_column: Option<String>,
    on_update: String,
    on_delete: String,
}

impl CatalogRow<SqliteRow> for ForeignKeyRow {
    const NAME: &'static str = "foreign_keys";
    const SQL: &'static str = FOREIGN_KEYS_QUERY;

    fn decode(row: &SqliteRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table_name: get(row, Self::NAME, "table_name")?,
            fk_id: get(row, Self::NAME, "fk_id")?,
            ref_table: get(row, Self::NAME, "ref_table")?,
            column_name: get(row, Self::NAME, "column_name")?,
            ref_column: get(row, Self::NAME, "ref_column")?,
            on_update: get(row, Self::NAME, "on_update")?,
            on_delete: get(row, Self::NAME, "on_delete")?,
        })
    }
}

/// Adds the foreign keys of the tables already read (after their primary keys,
/// which resolve omitted target columns), named as their text declares them.
pub(super) fn add(schema: &mut Schema, rows: Vec<ForeignKeyRow>, parsed: &ParsedTables) {
    let mut fks: BTreeMap<(String, i64), ForeignKey> = BTreeMap::new();
    for row in rows {
        if !schema.tables.contains_key(&row.table_name) {
            continue;
        }
        let fk = fks
            .entry((row.table_name, row.fk_id))
            .or_insert_with(|| ForeignKey {
                name: String::new(),
                columns: Vec::new(),
                ref_table: row.ref_table,
                ref_columns: Vec::new(),
                on_delete: fk_action(&row.on_delete),
                on_update: fk_action(&row.on_update),
            });
        fk.columns.push(row.column_name);
        // An omitted target column means the referenced table's primary key;
        // resolved below.
        fk.ref_columns.push(row.ref_column.unwrap_or_default());
    }
    // The pragma lists a table's foreign keys last-declared first: take them in
    // declaration order, and give each the name of the first declaration not yet
    // used that describes it.
    let mut used: BTreeMap<String, Vec<bool>> = BTreeMap::new();
    for ((table_name, _), mut fk) in fks.into_iter().rev() {
        if fk.ref_columns.iter().any(String::is_empty) {
            let pk = schema
                .tables
                .get(&fk.ref_table)
                .and_then(|t| t.primary_key.as_ref())
                .map(|pk| pk.columns.clone())
                .unwrap_or_default();
            if pk.len() == fk.ref_columns.len() {
                fk.ref_columns = pk;
            }
        }
        let declared = &parsed[&table_name].fks;
        let taken = used
            .entry(table_name.clone())
            .or_insert_with(|| vec![false; declared.len()]);
        let found = [true, false].into_iter().find_map(|exactly| {
            declared
                .iter()
                .enumerate()
                .position(|(k, d)| !taken[k] && d.describes(&fk, exactly))
        });
        let name = found.and_then(|k| {
            taken[k] = true;
            declared[k].name.clone()
        });
        fk.name = name.unwrap_or_else(|| naming::foreign_key(&table_name, &fk.columns));
        if let Some(t) = schema.tables.get_mut(&table_name) {
            t.foreign_keys.insert(fk.name.clone(), fk);
        }
    }
}

//! The indexes query: every index column of the current database.
//!
//! The indexes of primary and unique keys are the keys themselves; an index
//! named after a foreign key of its table (or after its first column, for a key
//! made without a name), on that key's columns, is the one the server created
//! for the key, and is not reported. A functional key part
//! (MySQL 8.0.13+) reads as its expression in parentheses.

use super::text;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{Ignored, IntrospectError};
use sqlx::mysql::MySqlRow;
use stratum_core::schema::{Index, Schema};

/// Indexes with their columns in order (MariaDB: no expression key parts).
const INDEXES_QUERY: &str = r#"
SELECT CAST(s.TABLE_NAME AS CHAR) AS table_name,
       CAST(s.INDEX_NAME AS CHAR) AS index_name,
       CAST(s.COLUMN_NAME AS CHAR) AS column_name,
       CAST(NULL AS CHAR) AS expression,
       CAST(s.NON_UNIQUE AS CHAR) AS non_unique
FROM information_schema.STATISTICS s
WHERE s.TABLE_SCHEMA = DATABASE() AND s.INDEX_NAME <> 'PRIMARY'
ORDER BY s.TABLE_NAME, s.INDEX_NAME, s.SEQ_IN_INDEX
"#;

/// The same on MySQL 8.0.13 and later, with the expression of a functional key
/// part.
const INDEXES_QUERY_MYSQL: &str = r#"
SELECT CAST(s.TABLE_NAME AS CHAR) AS table_name,
       CAST(s.INDEX_NAME AS CHAR) AS index_name,
       CAST(s.COLUMN_NAME AS CHAR) AS column_name,
       CAST(s.EXPRESSION AS CHAR) AS expression,
       CAST(s.NON_UNIQUE AS CHAR) AS non_unique
FROM information_schema.STATISTICS s
WHERE s.TABLE_SCHEMA = DATABASE() AND s.INDEX_NAME <> 'PRIMARY'
ORDER BY s.TABLE_NAME, s.INDEX_NAME, s.SEQ_IN_INDEX
"#;

/// One row of [`INDEXES_QUERY`].
pub(super) struct IndexRow {
    table: String,
    name: String,
    column: Option<String>,
    expression: Option<String>,
    unique: bool,
}

impl CatalogRow<MySqlRow> for IndexRow {
    const NAME: &'static str = "indexes";
    const SQL: &'static str = INDEXES_QUERY;

    fn decode(row: &MySqlRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table: text(row, Self::NAME, "table_name")?.unwrap_or_default(),
            name: text(row, Self::NAME, "index_name")?.unwrap_or_default(),
            column: text(row, Self::NAME, "column_name")?,
            expression: text(row, Self::NAME, "expression")?,
            unique: text(row, Self::NAME, "non_unique")?.as_deref() == Some("0"),
        })
    }
}

/// A row of [`INDEXES_QUERY_MYSQL`].
pub(super) struct MysqlIndexRow(pub(super) IndexRow);

impl CatalogRow<MySqlRow> for MysqlIndexRow {
    const NAME: &'static str = "indexes";
    const SQL: &'static str = INDEXES_QUERY_MYSQL;

    fn decode(row: &MySqlRow) -> Result<Self, IntrospectError> {
        IndexRow::decode(row).map(MysqlIndexRow)
    }
}

/// Adds the indexes that are not keys to their tables (after the keys).
pub(super) fn add(schema: &mut Schema, rows: Vec<IndexRow>, ignored: &Ignored) {
    for r in rows {
        if ignored.contains(&r.table) {
            continue;
        }
        let Some(table) = schema.tables.get_mut(&r.table) else {
            continue;
        };
        if table.uniques.contains_key(&r.name) {
            continue;
        }
        let index = table
            .indexes
            .entry(r.name.clone())
            .or_insert_with(|| Index {
                name: r.name.clone(),
                columns: Vec::new(),
                unique: r.unique,
                method: None,
                predicate: None,
            });
        // A functional key part (MySQL) has no column: it is its expression, in
        // parentheses, as the model writes one.
        index.columns.push(match (r.column, r.expression) {
            (Some(c), _) => c,
            (None, Some(e)) => format!("({e})"),
            (None, None) => String::new(),
        });
    }
    for table in schema.tables.values_mut() {
        let fks: Vec<(String, Vec<String>)> = table
            .foreign_keys
            .values()
            .map(|fk| (fk.name.clone(), fk.columns.clone()))
            .collect();
        let table_name = table.name.clone();
        table.indexes.retain(|name, index| {
            !fks.iter().any(|(fk, cols)| {
                !index.unique
                    && &index.columns == cols
                    && own_index_name(&table_name, fk, cols, name)
            })
        });
    }
}

/// Whether `index` is the name the server gives the own index of foreign key
/// `fk` over `columns` of `table`: the key's name, or, for a key made without
/// a name (`<table>_ibfk_<n>`), its first column's.
fn own_index_name(table: &str, fk: &str, columns: &[String], index: &str) -> bool {
    index == fk
        || stratum_core::dialect::mysql::unnamed_key_index(table, fk, columns) == Some(index)
}

#[cfg(test)]
mod tests {
    use super::own_index_name;

    #[test]
    fn own_indexes_of_named_and_unnamed_keys() {
        let cols = ["pid".to_string()];
        assert!(own_index_name("c", "fk_c_p", &cols, "fk_c_p"));
        assert!(own_index_name("c", "c_ibfk_1", &cols, "pid"));
        assert!(!own_index_name("c", "fk_c_p", &cols, "pid"));
        assert!(!own_index_name("c", "d_ibfk_1", &cols, "pid"));
        assert!(!own_index_name("c", "c_ibfk_x", &cols, "pid"));
    }
}

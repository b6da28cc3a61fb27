//! The indexes query: every index of every user table, one row per key column.

use super::create_index::parse_create_index;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{IntrospectError, get};
use sqlx::sqlite::SqliteRow;
use std::collections::BTreeMap;
use stratum_core::schema::{Index, Schema};

/// `CREATE INDEX` text (NULL for indexes behind constraints).
pub(crate) const INDEXES_QUERY: &str = r#"
SELECT m.name AS table_name, il.name AS index_name, il."unique" AS is_unique,
       il.origin AS origin, il.partial AS partial, ii.seqno AS seqno, ii.cid AS cid,
       ii.name AS column_name, im.sql AS index_sql
FROM sqlite_master AS m
JOIN pragma_index_list(m.name) AS il
JOIN pragma_index_xinfo(il.name) AS ii
LEFT JOIN sqlite_master AS im ON im.type = 'index' AND im.name = il.name
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND ii.key = 1
ORDER BY m.name, il.name, ii.seqno
"#;

/// One row of [`INDEXES_QUERY`]: one key column of an index.
pub(super) struct IndexRow {
    table_name: String,
    index_name: String,
    is_unique: bool,
    /// `c` (`CREATE INDEX`), `u` (unique constraint) or `pk`.
    origin: String,
    index_sql: Option<String>,
    /// NULL for an expression key.
    column_name: Option<String>,
}

impl CatalogRow<SqliteRow> for IndexRow {
    const NAME: &'static str = "indexes";
    const SQL: &'static str = INDEXES_QUERY;

    fn decode(row: &SqliteRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table_name: get(row, Self::NAME, "table_name")?,
            index_name: get(row, Self::NAME, "index_name")?,
            is_unique: get(row, Self::NAME, "is_unique")?,
            origin: get(row, Self::NAME, "origin")?,
            index_sql: get(row, Self::NAME, "index_sql")?,
            column_name: get(row, Self::NAME, "column_name")?,
        })
    }
}

/// The rows of one index, gathered.
struct IndexRows {
    unique: bool,
    origin: String,
    sql: Option<String>,
    columns: Vec<Option<String>>,
}

/// Adds the indexes of the tables already read, other than those behind the
/// primary key and unique constraints.
pub(super) fn add(schema: &mut Schema, rows: Vec<IndexRow>) {
    let mut index_cols: BTreeMap<(String, String), IndexRows> = BTreeMap::new();
    for row in rows {
        if !schema.tables.contains_key(&row.table_name) {
            continue;
        }
        let entry = index_cols
            .entry((row.table_name, row.index_name))
            .or_insert(IndexRows {
                unique: row.is_unique,
                origin: row.origin,
                sql: row.index_sql,
                columns: Vec::new(),
            });
        entry.columns.push(row.column_name);
    }
    for ((table_name, index_name), ix) in index_cols {
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        match ix.origin.as_str() {
            "pk" => {}
            // Unique constraints are read from the table's text instead: SQLite makes
            // no index for one whose columns another key already covers.
            "u" => {}
            _ => {
                let parsed_index = ix.sql.as_deref().and_then(parse_create_index);
                let columns = ix
                    .columns
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        c.or_else(|| {
                            parsed_index
                                .as_ref()
                                .and_then(|p| p.columns.get(i).cloned())
                        })
                        .unwrap_or_default()
                    })
                    .collect();
                table.indexes.insert(
                    index_name.clone(),
                    Index {
                        name: index_name,
                        columns,
                        unique: ix.unique,
                        method: None,
                        predicate: parsed_index.and_then(|p| p.predicate),
                    },
                );
            }
        }
    }
}

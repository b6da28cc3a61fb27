//! The indexes query: indexes that back no constraint.

use super::literal_casts::strip_literal_casts;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{Ignored, IntrospectError, get};
use sqlx::postgres::PgRow;
use stratum_core::schema::{Index, Schema};

/// Indexes that do not back a primary key, unique or exclusion constraint. Key
/// columns are names; expression keys are their SQL text.
pub(crate) const INDEXES_QUERY: &str = r#"
SELECT t.relname::text AS table_name,
       i.relname::text AS index_name,
       ix.indisunique AS is_unique,
       am.amname::text AS method,
       pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
       ARRAY(SELECT COALESCE(a.attname::text, pg_get_indexdef(ix.indexrelid, k.ord::int, true))
             FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             LEFT JOIN pg_attribute a
                    ON k.attnum > 0 AND a.attrelid = ix.indrelid AND a.attnum = k.attnum
             WHERE k.ord <= ix.indnkeyatts
             ORDER BY k.ord) AS columns
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = i.relam
WHERE n.nspname = current_schema()
  AND t.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = ix.indexrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY t.relname, i.relname
"#;

/// One row of [`INDEXES_QUERY`].
pub(super) struct IndexRow {
    table_name: String,
    index_name: String,
    is_unique: bool,
    method: String,
    predicate: Option<String>,
    columns: Vec<String>,
}

impl CatalogRow<PgRow> for IndexRow {
    const NAME: &'static str = "indexes";
    const SQL: &'static str = INDEXES_QUERY;

    fn decode(row: &PgRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table_name: get(row, Self::NAME, "table_name")?,
            index_name: get(row, Self::NAME, "index_name")?,
            is_unique: get(row, Self::NAME, "is_unique")?,
            method: get(row, Self::NAME, "method")?,
            predicate: get(row, Self::NAME, "predicate")?,
            columns: get(row, Self::NAME, "columns")?,
        })
    }
}

/// Adds the indexes to the tables already read (not the ignored ones).
pub(super) fn add(schema: &mut Schema, rows: Vec<IndexRow>, ignored: &Ignored) {
    for row in rows {
        if ignored.contains(&row.table_name) {
            continue;
        }
        let Some(table) = schema.tables.get_mut(&row.table_name) else {
            continue;
        };
        let name = row.index_name;
        table.indexes.insert(
            name.clone(),
            Index {
                name,
                columns: row.columns,
                unique: row.is_unique,
                method: Some(row.method),
                predicate: row.predicate.as_deref().map(strip_literal_casts),
            },
        );
    }
}

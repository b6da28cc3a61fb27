//! A change to existing rows run in batches: each batch walks the next slice of
//! the primary key and updates or deletes the rows of it the filter selects,
//! in its own short transaction.

use crate::dialect::{Dialect, quote_ident, quote_literal};
use crate::ops::{RowAction, RowChange};
use serde::Serialize;

/// An update or delete of existing rows, in batches by a single-column key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowBatches {
    /// The single-column primary key the batches walk.
    pub key: String,
    /// The change, as the revision gives it.
    pub change: RowChange,
}

impl RowBatches {
    /// `"update"` or `"delete"`, for progress reports.
    pub fn action_word(&self) -> &'static str {
        match self.change.action {
            RowAction::Update(_) => "update",
            RowAction::Delete => "delete",
        }
    }

    /// One batch: changes the selected rows among up to `size` rows with a key
    /// after `after` (from the start when `None`) and returns the last key of
    /// the batch as text (NULL when no row is left), the number of rows it
    /// walked and the number it changed.
    pub fn batch_sql(&self, after: Option<&str>, size: u64) -> String {
        let c = &self.change;
        let t = quote_ident(&c.table);
        let k = quote_ident(&self.key);
        let from = after
            .map(|a| format!(" WHERE {k} > {}", quote_literal(a, Dialect::Postgres)))
            .unwrap_or_default();
        let mut cond = format!("{k} IN (SELECT {k} FROM batch)");
        if let Some(f) = &c.filter {
            cond.push_str(&format!(" AND ({f})"));
        }
        let change = match &c.action {
            RowAction::Update(set) => {
                let set: Vec<String> = set
                    .iter()
                    .map(|(col, e)| format!("{} = {e}", quote_ident(col)))
                    .collect();
                format!("UPDATE {t} SET {} WHERE {cond}", set.join(", "))
            }
            RowAction::Delete => format!("DELETE FROM {t} WHERE {cond}"),
        };
        format!(
            "WITH batch AS (SELECT {k} FROM {t}{from} ORDER BY {k} LIMIT {size}), \
             changed AS ({change} RETURNING 1) \
             SELECT CAST(max({k}) AS TEXT), CAST(count(*) AS TEXT), \
             CAST((SELECT count(*) FROM changed) AS TEXT) FROM batch"
        )
    }

    /// The planner's estimate of the table's rows (for the time left).
    pub fn estimate_sql(&self) -> String {
        format!(
            "SELECT CAST(GREATEST(reltuples, 0) AS BIGINT) FROM pg_class WHERE oid = to_regclass({})",
            quote_literal(&quote_ident(&self.change.table), Dialect::Postgres)
        )
    }
}

//! Data and raw SQL: bulk inserts and deletes, `execute`.

use super::Ops;
use crate::dialect::Dialect;
use crate::ops::{Op, RawSql, Rows};

impl Ops {
    /// Inserts rows. `rows` is a JSON array of objects (or one object).
    pub fn bulk_insert(&mut self, table: impl Into<String>, rows: serde_json::Value) {
        self.ops.push(Op::BulkInsert {
            table: table.into(),
            rows: json_rows(rows),
        });
    }

    /// Inserts rows given as values in column order, one list per row: the form
    /// for large data, which stores the column names once.
    ///
    /// ```
    /// # use stratum_core::ops::Ops;
    /// # use serde_json::json;
    /// let mut op = Ops::new();
    /// op.bulk_insert_rows("t", ["id", "name"], (0..3).map(|i| [json!(i), json!(format!("n{i}"))]));
    /// assert_eq!(op.as_slice()[0].to_string(), "insert 3 row(s) into t");
    /// ```
    ///
    /// # Panics
    ///
    /// When a row does not have one value per column; the message names the table
    /// and the row.
    pub fn bulk_insert_rows<C, S, R, V>(&mut self, table: impl Into<String>, columns: C, rows: R)
    where
        C: IntoIterator<Item = S>,
        S: Into<String>,
        R: IntoIterator<Item = V>,
        V: IntoIterator<Item = serde_json::Value>,
    {
        let table = table.into();
        let mut all = Rows::new(columns);
        let rows = rows.into_iter();
        all.reserve(rows.size_hint().0);
        for row in rows {
            if let Err(e) = all.push(row) {
                panic!("bulk_insert_rows into {table}: {e}");
            }
        }
        self.ops.push(Op::BulkInsert { table, rows: all });
    }

    /// Deletes exactly the rows that match each given object on all its keys.
    pub fn bulk_delete(&mut self, table: impl Into<String>, rows: serde_json::Value) {
        self.ops.push(Op::BulkDelete {
            table: table.into(),
            rows: json_rows(rows),
        });
    }

    /// Raw SQL for every dialect; add per-dialect variants on the result.
    pub fn execute(&mut self, sql: impl Into<String>) -> ExecuteBuilder<'_> {
        self.ops.push(Op::Execute(RawSql::any(sql)));
        match self.last_mut() {
            Op::Execute(raw) => ExecuteBuilder { raw },
            _ => unreachable!(),
        }
    }

    /// Raw SQL for some dialects only (set them on the result); dialects without a
    /// variant run nothing.
    pub fn execute_per_dialect(&mut self) -> ExecuteBuilder<'_> {
        self.ops.push(Op::Execute(RawSql::default()));
        match self.last_mut() {
            Op::Execute(raw) => ExecuteBuilder { raw },
            _ => unreachable!(),
        }
    }
}

/// Turns a JSON array of objects (or one object) into rows; anything else is no row.
fn json_rows(value: serde_json::Value) -> Rows {
    let objects = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    objects
        .into_iter()
        .filter_map(|v| match v {
            serde_json::Value::Object(map) => Some(map.into_iter().collect()),
            _ => None,
        })
        .collect()
}

/// Sets per-dialect variants of raw SQL.
#[derive(Debug)]
pub struct ExecuteBuilder<'a> {
    raw: &'a mut RawSql,
}

impl ExecuteBuilder<'_> {
    /// SQL to run on `dialect` instead. Each dialect's folder also adds a
    /// method named after it (`.postgres(sql)`, `.sqlite(sql)`).
    pub fn variant(self, dialect: Dialect, sql: impl Into<String>) -> Self {
        self.raw.set_variant(dialect, sql);
        self
    }
}

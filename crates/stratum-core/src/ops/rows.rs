//! The rows of a bulk data op, stored by column: the column names once, then every
//! row's values in one flat list. A million rows cost one allocation for the
//! values (plus the text inside them), not a map per row.

use super::Row;
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;

/// Rows for [`Op::BulkInsert`](super::Op::BulkInsert) and
/// [`Op::BulkDelete`](super::Op::BulkDelete).
///
/// Every row has a slot per column; a row may leave a column out (`None` in the
/// slot), which an insert fills with the column's default and a delete does not
/// compare. Serialized as a list of JSON objects, one per row, with only the
/// columns the row names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rows {
    columns: Vec<String>,
    /// Row-major: row `i` is `values[i * columns.len()..(i + 1) * columns.len()]`.
    values: Vec<Option<Value>>,
    len: usize,
}

/// A row given to [`Rows::push`] does not have one value per column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row} has {given} value(s) for {expected} column(s)")]
pub struct RowLengthError {
    /// Position of the row (from 0).
    pub row: usize,
    /// Values given.
    pub given: usize,
    /// Columns declared.
    pub expected: usize,
}

impl Rows {
    /// No rows yet, with these columns.
    pub fn new<I, S>(columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            columns: columns.into_iter().map(Into::into).collect(),
            values: Vec::new(),
            len: 0,
        }
    }

    /// Rows from maps of column name to value: the columns are every name any row
    /// uses, sorted.
    pub fn from_maps(rows: impl IntoIterator<Item = Row>) -> Self {
        let rows: Vec<Row> = rows.into_iter().collect();
        let names: BTreeSet<&String> = rows.iter().flat_map(|r| r.keys()).collect();
        let columns: Vec<String> = names.into_iter().cloned().collect();
        let mut values = Vec::with_capacity(rows.len() * columns.len());
        let len = rows.len();
        for mut row in rows {
            values.extend(columns.iter().map(|c| row.remove(c)));
        }
        Self {
            columns,
            values,
            len,
        }
    }

    /// Makes room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.values.reserve(rows.saturating_mul(self.columns.len()));
    }

    /// Appends a row with one value per column, in column order.
    pub fn push(&mut self, row: impl IntoIterator<Item = Value>) -> Result<(), RowLengthError> {
        let before = self.values.len();
        self.values.extend(row.into_iter().map(Some));
        let given = self.values.len() - before;
        if given != self.columns.len() {
            self.values.truncate(before);
            return Err(RowLengthError {
                row: self.len,
                given,
                expected: self.columns.len(),
            });
        }
        self.len += 1;
        Ok(())
    }

    /// The column names, in slot order.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The rows, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = RowRef<'_>> + Clone {
        let width = self.columns.len();
        (0..self.len).map(move |i| RowRef {
            columns: &self.columns,
            values: &self.values[i * width..(i + 1) * width],
        })
    }
}

/// One row of [`Rows`], read like a map of the columns it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowRef<'a> {
    columns: &'a [String],
    values: &'a [Option<Value>],
}

impl<'a> RowRef<'a> {
    /// The value of `column`, when the row names it.
    pub fn get(&self, column: &str) -> Option<&'a Value> {
        let at = self.columns.iter().position(|c| c == column)?;
        self.values[at].as_ref()
    }

    /// Whether the row names `column`.
    pub fn contains_key(&self, column: &str) -> bool {
        self.get(column).is_some()
    }

    /// The columns the row names, with their values, in column order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a String, &'a Value)> + use<'a> {
        self.columns
            .iter()
            .zip(self.values)
            .filter_map(|(c, v)| v.as_ref().map(|v| (c, v)))
    }

    /// The columns the row names, in column order.
    pub fn keys(&self) -> impl Iterator<Item = &'a String> + use<'a> {
        self.iter().map(|(c, _)| c)
    }

    /// Every slot, named or not, in column order.
    pub fn slots(&self) -> &'a [Option<Value>] {
        self.values
    }

    /// Number of columns the row names.
    pub fn len(&self) -> usize {
        self.values.iter().filter(|v| v.is_some()).count()
    }

    /// Whether the row names no column.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The row as a map.
    pub fn to_map(&self) -> Row {
        self.iter().map(|(c, v)| (c.clone(), v.clone())).collect()
    }
}

impl std::ops::Index<&str> for RowRef<'_> {
    type Output = Value;

    /// The value of `column`; panics when the row does not name it (see
    /// [`RowRef::get`]).
    fn index(&self, column: &str) -> &Value {
        self.get(column)
            .unwrap_or_else(|| panic!("the row names no column {column:?}"))
    }
}

impl<'a> IntoIterator for &'a Rows {
    type Item = RowRef<'a>;
    type IntoIter = Box<dyn Iterator<Item = RowRef<'a>> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl From<Vec<Row>> for Rows {
    fn from(rows: Vec<Row>) -> Self {
        Rows::from_maps(rows)
    }
}

impl FromIterator<Row> for Rows {
    fn from_iter<T: IntoIterator<Item = Row>>(iter: T) -> Self {
        Rows::from_maps(iter)
    }
}

struct RowObject<'a>(RowRef<'a>);

impl Serialize for RowObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (c, v) in self.0.iter() {
            map.serialize_entry(c, v)?;
        }
        map.end()
    }
}

impl Serialize for Rows {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len))?;
        for row in self.iter() {
            seq.serialize_element(&RowObject(row))?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Rows {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Objects;
        impl<'de> Visitor<'de> for Objects {
            type Value = Rows;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of objects, one per row")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Rows, A::Error> {
                let mut rows = Vec::new();
                while let Some(row) = seq.next_element::<Row>()? {
                    rows.push(row);
                }
                Ok(Rows::from_maps(rows))
            }
        }
        deserializer.deserialize_seq(Objects)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Row {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn maps_become_sorted_columns_with_gaps() {
        let rows = Rows::from_maps(vec![
            map(json!({"b": 1, "a": "x"})),
            map(json!({"c": null})),
        ]);
        assert_eq!(rows.columns(), ["a", "b", "c"]);
        assert_eq!(rows.len(), 2);
        let all: Vec<RowRef> = rows.iter().collect();
        assert_eq!(all[0].get("a"), Some(&json!("x")));
        assert_eq!(all[0].get("c"), None);
        assert_eq!(all[1].get("c"), Some(&Value::Null));
        assert!(all[1].contains_key("c") && !all[1].contains_key("a"));
        assert_eq!(all[0].keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(all[1].len(), 1);
        assert_eq!(all[0].to_map(), map(json!({"a": "x", "b": 1})));
    }

    #[test]
    fn serialized_as_objects_and_read_back() {
        let rows = Rows::from_maps(vec![map(json!({"id": 1})), map(json!({"id": 2, "n": "t"}))]);
        let text = serde_json::to_string(&rows).unwrap();
        assert_eq!(text, r#"[{"id":1},{"id":2,"n":"t"}]"#);
        let back: Rows = serde_json::from_str(&text).unwrap();
        assert_eq!(back, rows);
    }

    #[test]
    fn pushed_rows_need_one_value_per_column() {
        let mut rows = Rows::new(["id", "name"]);
        rows.push([json!(1), json!("a")]).unwrap();
        let err = rows.push([json!(2)]).unwrap_err();
        assert_eq!(
            err,
            RowLengthError {
                row: 1,
                given: 1,
                expected: 2
            }
        );
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows.iter().next().unwrap().to_map(),
            map(json!({"id": 1, "name": "a"}))
        );
        // Built either way, the same rows are equal.
        assert_eq!(
            rows,
            Rows::from_maps(vec![map(json!({"id": 1, "name": "a"}))])
        );
    }
}

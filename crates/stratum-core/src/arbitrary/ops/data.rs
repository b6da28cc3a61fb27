//! Generated sequence and data ops.

use super::super::arb_sequence;
use super::{fresh, pick, sorted_tables};
use crate::ops::{Op, Row, RowAction, RowChange};
use crate::schema::{ColumnType, Schema, Table};
use proptest::prelude::*;

pub(super) fn create_sequence(s: &Schema) -> BoxedStrategy<Op> {
    fresh(s, "_seq9")
        .prop_flat_map(arb_sequence)
        .prop_map(Op::CreateSequence)
        .boxed()
}

pub(super) fn drop_sequence(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let ops = s
        .sequences
        .keys()
        .map(|name| Op::DropSequence { name: name.clone() })
        .collect();
    pick(ops)
}

/// A value of `ty` as a row field (varied by `n`), where one is generated.
pub(super) fn value_for(s: &Schema, ty: &ColumnType, n: u16) -> Option<serde_json::Value> {
    use ColumnType as T;
    use serde_json::json;
    let day = n % 28 + 1;
    let minute = n % 60;
    Some(match ty {
        T::SmallInt | T::Integer | T::BigInt => json!(n % 10_000),
        T::Real | T::Double | T::Numeric { .. } => json!(f64::from(n) + 0.5),
        T::Text | T::Varchar(_) => json!(format!("row{n}")),
        T::Boolean => json!(n.is_multiple_of(2)),
        T::Date => json!(format!("2024-01-{day:02}")),
        T::Time => json!(format!("12:{minute:02}:00")),
        T::Timestamp { .. } => json!(format!("2024-01-{day:02} 12:{minute:02}:00")),
        T::Uuid => json!(format!("00000000-0000-4000-8000-{n:012x}")),
        T::Json | T::Jsonb => json!({ "k": n }),
        T::Enum(e) => {
            let values = &s.enums.get(e)?.values;
            json!(values.get(usize::from(n) % values.len().max(1))?)
        }
        T::Bytes | T::Custom(_) => return None,
    })
}

/// One row for `t` that its constraints accept: only for tables without foreign
/// keys, giving every column without a default or autoincrement a value; `None`
/// when that is not possible (a required column of a type without generated values,
/// or a check on a column left empty).
pub(super) fn row_for(s: &Schema, t: &Table, n: u16) -> Option<Row> {
    if !t.foreign_keys.is_empty() {
        return None;
    }
    let mut row = Row::new();
    for c in &t.columns {
        if c.auto_increment.is_some() || c.default.is_some() {
            continue;
        }
        match value_for(s, &c.ty, n) {
            Some(v) => {
                row.insert(c.name.clone(), v);
            }
            None if c.nullable && !checked(t, &c.name) => {}
            None => return None,
        }
    }
    Some(row)
}

/// Whether a check constraint of `t` mentions `column`.
pub(super) fn checked(t: &Table, column: &str) -> bool {
    t.checks
        .values()
        .any(|c| crate::expr::mentions(&c.expression, column))
}

/// `BulkInsert` (or `BulkDelete`) of zero or one generated row. The rows fit the
/// schema; they are not guaranteed to fit data inserted earlier (a second row can
/// collide on a unique boolean or enum column).
pub(super) fn bulk(s: &Schema, insert: bool) -> Option<BoxedStrategy<Op>> {
    let tables = pick(sorted_tables(s))?;
    let schema = s.clone();
    Some(
        (tables, any::<u16>())
            .prop_map(move |(t, n)| {
                let mut rows: Vec<Row> = row_for(&schema, &t, n).into_iter().collect();
                let table = t.name.clone();
                if insert {
                    return Op::BulkInsert {
                        table,
                        rows: rows.into(),
                    };
                }
                // json has no equality operator in PostgreSQL: match on the rest.
                for row in &mut rows {
                    row.retain(|c, _| {
                        t.column(c)
                            .is_some_and(|c| !matches!(c.ty, ColumnType::Json | ColumnType::Jsonb))
                    });
                }
                Op::BulkDelete {
                    table,
                    rows: rows.into(),
                }
            })
            .boxed(),
    )
}

/// `ChangeRows`: a delete, or an update of a nullable column to NULL, whose
/// filter selects no row, so that it runs on any data.
pub(super) fn change_rows(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let tables = pick(sorted_tables(s))?;
    Some(
        (tables, any::<bool>())
            .prop_map(|(t, delete)| {
                let action = match t.columns.iter().find(|c| c.nullable) {
                    Some(c) if !delete => RowAction::Update(vec![(c.name.clone(), "NULL".into())]),
                    _ => RowAction::Delete,
                };
                Op::ChangeRows(RowChange {
                    table: t.name.clone(),
                    action,
                    filter: Some("1 = 0".into()),
                    reverse: None,
                })
            })
            .boxed(),
    )
}

//! [`arb_op`]: ops that apply to a given schema, of every kind.

mod constraints;
mod data;

use super::build::defaults_for;
use super::{all_types, arb_enum, arb_table, word};
use crate::ops::{ColumnChange, Op, RawSql};
use crate::schema::{Column, ColumnType, Schema, Table};
use crate::simulate::apply;
use constraints::{
    add_check, add_foreign_key, add_primary_key, add_unique, create_index, drop_constraint,
    drop_index, validate_constraint,
};
use data::{bulk, change_rows, create_sequence, drop_sequence};
use proptest::prelude::*;
use proptest::sample::{Index as Pick, select};
use proptest::strategy::Union;

/// An op that applies to `schema`. Every op kind is generated where the schema
/// allows it (e.g. `DropEnum` only when an enum is unused); the ones that always
/// apply (`CreateTable`, `CreateEnum`, `CreateSequence`, `Execute`) keep the choice
/// non-empty. Ops stay portable: an added column is nullable or has a literal
/// default; type changes only widen (`integer` → `bigint`, `varchar` → `text`, ...);
/// inserted rows fill every required column and satisfy the table's constraints (but ops
/// are generated from the schema alone: after an insert, a later constraint or a
/// second insert may not fit the data already there). Check expressions and index
/// predicates sometimes quote identifiers, as hand-written SQL does.
pub fn arb_op(schema: &Schema) -> impl Strategy<Value = Op> + use<> {
    let s = schema.clone();
    let mut kinds: Vec<BoxedStrategy<Op>> = vec![
        create_table(&s),
        create_enum(&s),
        create_sequence(&s),
        Just(Op::Execute(RawSql {
            any: Some("SELECT 1".into()),
            ..RawSql::default()
        }))
        .boxed(),
    ];
    let optional = [
        drop_enum(&s),
        add_enum_value(&s),
        rename_enum_value(&s),
        drop_table(&s),
        rename_table(&s),
        add_column(&s),
        drop_column(&s),
        alter_column(&s),
        create_index(&s),
        drop_index(&s),
        add_foreign_key(&s),
        add_unique(&s),
        add_check(&s),
        add_primary_key(&s),
        validate_constraint(&s),
        drop_constraint(&s),
        drop_sequence(&s),
        bulk(&s, true),
        bulk(&s, false),
        change_rows(&s),
    ];
    kinds.extend(optional.into_iter().flatten());
    Union::new(kinds).prop_filter("op applies to the schema", move |op| {
        apply(&mut s.clone(), op).is_ok()
    })
}

/// `<word><suffix>` names that nothing in `schema` holds yet.
fn fresh(schema: &Schema, suffix: &'static str) -> impl Strategy<Value = String> + use<> {
    let s = schema.clone();
    word()
        .prop_map(move |w| format!("{w}{suffix}"))
        .prop_filter("name is free", move |n| s.name_holder(n).is_none())
}

fn sorted_tables(schema: &Schema) -> Vec<Table> {
    schema.tables.values().cloned().collect()
}

/// `Some(strategy)` over a non-empty candidate list.
fn pick<T: Clone + std::fmt::Debug + 'static>(items: Vec<T>) -> Option<BoxedStrategy<T>> {
    (!items.is_empty()).then(|| select(items).boxed())
}

fn applies(schema: &Schema, op: &Op) -> bool {
    apply(&mut schema.clone(), op).is_ok()
}

// ---------------------------------------------------------------- enums

fn create_enum(s: &Schema) -> BoxedStrategy<Op> {
    fresh(s, "_enum9")
        .prop_flat_map(arb_enum)
        .prop_map(Op::CreateEnum)
        .boxed()
}

fn drop_enum(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let unused: Vec<Op> = s
        .enums
        .keys()
        .map(|name| Op::DropEnum { name: name.clone() })
        .filter(|op| applies(s, op))
        .collect();
    pick(unused)
}

fn add_enum_value(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let enums: Vec<(String, Vec<String>)> = s
        .enums
        .values()
        .map(|e| (e.name.clone(), e.values.clone()))
        .collect();
    let e = pick(enums)?;
    Some(
        (e, word(), any::<Pick>(), 0u8..3)
            .prop_map(|((name, values), w, at, mode)| {
                let anchor = (!values.is_empty()).then(|| at.get(&values).clone());
                Op::AddEnumValue {
                    enum_name: name,
                    value: format!("{w}9"),
                    before: anchor.clone().filter(|_| mode == 1),
                    after: anchor.filter(|_| mode == 2),
                }
            })
            .boxed(),
    )
}

fn rename_enum_value(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let labels: Vec<(String, String)> = s
        .enums
        .values()
        .flat_map(|e| e.values.iter().map(|v| (e.name.clone(), v.clone())))
        .collect();
    Some(
        (pick(labels)?, word())
            .prop_map(|((enum_name, from), w)| Op::RenameEnumValue {
                enum_name,
                from,
                to: format!("{w}8"),
            })
            .boxed(),
    )
}

// ---------------------------------------------------------------- tables

fn create_table(s: &Schema) -> BoxedStrategy<Op> {
    let schema = s.clone();
    fresh(s, "9")
        .prop_flat_map(move |name| arb_table(&schema, name))
        .prop_map(Op::CreateTable)
        .boxed()
}

fn drop_table(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let ops: Vec<Op> = s
        .tables
        .keys()
        .map(|name| Op::DropTable { name: name.clone() })
        .filter(|op| applies(s, op))
        .collect();
    pick(ops)
}

fn rename_table(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let names: Vec<String> = s.tables.keys().cloned().collect();
    Some(
        (pick(names)?, fresh(s, "8"))
            .prop_map(|(from, to)| Op::RenameTable { from, to })
            .boxed(),
    )
}

// ---------------------------------------------------------------- columns

fn add_column(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let tables = pick(s.tables.keys().cloned().collect())?;
    let types = all_types(s);
    let schema = s.clone();
    Some(
        (tables, word(), select(types), any::<Pick>(), any::<bool>())
            .prop_map(move |(table, w, ty, d, nullable)| {
                let defaults = defaults_for(&schema, &ty, true);
                let default = (!defaults.is_empty()).then(|| d.get(&defaults).clone());
                let mut column = Column::new(format!("{w}7"), ty);
                column.nullable = nullable || default.is_none();
                column.default = if nullable { None } else { default };
                Op::AddColumn { table, column }
            })
            .boxed(),
    )
}

fn drop_column(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let ops: Vec<Op> = s
        .tables
        .values()
        .filter(|t| t.columns.len() > 1)
        .flat_map(|t| {
            t.columns.iter().map(|c| Op::DropColumn {
                table: t.name.clone(),
                column: c.name.clone(),
            })
        })
        .filter(|op| applies(s, op))
        .collect();
    pick(ops)
}

/// Whether the column takes part in a foreign key (on either side).
fn in_fk(s: &Schema, table: &str, column: &str) -> bool {
    s.tables.values().any(|t| {
        t.foreign_keys.values().any(|fk| {
            (t.name == table && fk.columns.iter().any(|c| c == column))
                || (fk.ref_table == table && fk.ref_columns.iter().any(|c| c == column))
        })
    })
}

/// The type a column may be widened to, portably and without losing data.
fn widened(ty: &ColumnType) -> Option<ColumnType> {
    use ColumnType as T;
    Some(match ty {
        T::SmallInt => T::Integer,
        T::Integer => T::BigInt,
        T::Real => T::Double,
        T::Varchar(_) => T::Text,
        T::Timestamp { tz: false } => T::Timestamp { tz: true },
        _ => return None,
    })
}

fn alter_column(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let cols: Vec<(String, Column, bool)> = s
        .tables
        .values()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(|c| (t.name.clone(), c.clone(), in_fk(s, &t.name, &c.name)))
        })
        .collect();
    let schema = s.clone();
    Some(
        (pick(cols)?, 0u8..4, any::<Pick>(), word())
            .prop_map(move |((table, col, fk), what, d, w)| {
                let change = column_change(&schema, &col, fk, what, d, &w);
                Op::AlterColumn {
                    table,
                    column: col.name,
                    change,
                }
            })
            .boxed(),
    )
}

/// One kind of change to `col`: 0 nullability, 1 default, 2 type, 3 rename (falling
/// back to a rename where the chosen change does not fit the column).
fn column_change(s: &Schema, col: &Column, fk: bool, what: u8, d: Pick, w: &str) -> ColumnChange {
    let mut change = ColumnChange::default();
    let defaults = defaults_for(s, &col.ty, false);
    match what {
        0 => change.nullable = Some(!col.nullable),
        1 if col.auto_increment.is_none() => {
            change.default = Some(match (&col.default, defaults.is_empty()) {
                (Some(_), _) | (None, true) => None,
                (None, false) => Some(d.get(&defaults).clone()),
            });
        }
        2 if !fk && col.auto_increment.is_none() && widened(&col.ty).is_some() => {
            change.ty = widened(&col.ty);
        }
        _ => change.rename = Some(format!("{w}6")),
    }
    change
}

//! [`arb_op`]: ops that apply to a given schema, of every kind.

use super::build::{KeyRef, defaults_for, fk_action, indexable, key_candidates};
use super::{all_types, arb_enum, arb_sequence, arb_table, word};
use crate::ops::{ColumnChange, Op, RawSql, Row};
use crate::schema::{
    CheckConstraint, Column, ColumnType, ConstraintKind, FkAction, ForeignKey, Index, PrimaryKey,
    Schema, Table, UniqueConstraint,
};
use crate::simulate::apply;
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

// ---------------------------------------------------------------- indexes and constraints

fn indexable_columns(t: &Table) -> Vec<String> {
    t.columns
        .iter()
        .filter(|c| indexable(&c.ty))
        .map(|c| c.name.clone())
        .collect()
}

/// (table, its indexable columns) for tables that have some.
fn indexable_tables(s: &Schema) -> Vec<(String, Vec<String>)> {
    sorted_tables(s)
        .iter()
        .map(|t| (t.name.clone(), indexable_columns(t)))
        .filter(|(_, cols)| !cols.is_empty())
        .collect()
}

fn columns_of(cols: &[String], a: Pick, b: Pick, two: bool) -> Vec<String> {
    let (a, b) = (a.get(cols).clone(), b.get(cols).clone());
    if two && a != b { vec![a, b] } else { vec![a] }
}

fn create_index(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let tables = pick(indexable_tables(s))?;
    let schema = s.clone();
    Some(
        (
            tables,
            fresh(s, "_ix9"),
            any::<(Pick, Pick, bool, bool, bool, bool)>(),
        )
            .prop_map(
                move |((table, cols), name, (a, b, two, unique, partial, conc))| {
                    let columns = columns_of(&cols, a, b, two);
                    let predicate = partial.then(|| format!("\"{}\" IS NOT NULL", columns[0]));
                    let keyed = schema
                        .table(&table)
                        .is_some_and(|t| t.has_key(&columns, None));
                    let unique = unique && (predicate.is_some() || !keyed);
                    Op::CreateIndex {
                        table,
                        index: Index {
                            name,
                            columns,
                            unique,
                            method: None,
                            predicate,
                        },
                        concurrently: conc,
                    }
                },
            )
            .boxed(),
    )
}

fn drop_index(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let ops: Vec<Op> = sorted_tables(s)
        .iter()
        .flat_map(|t| {
            t.indexes.keys().enumerate().map(|(i, name)| Op::DropIndex {
                table: (i % 2 == 0).then(|| t.name.clone()),
                name: name.clone(),
                concurrently: false,
            })
        })
        .filter(|op| applies(s, op))
        .collect();
    pick(ops)
}

/// (source table, source columns, key) triples where the source has columns of the
/// key's types (other than the key's own columns).
fn fk_candidates(s: &Schema) -> Vec<(String, Vec<String>, KeyRef)> {
    let mut out = Vec::new();
    for key in key_candidates(s) {
        for t in s.tables.values() {
            let mut used: Vec<String> = Vec::new();
            for ty in &key.types {
                let found = t.columns.iter().find(|c| {
                    &c.ty == ty
                        && c.auto_increment.is_none()
                        && !used.contains(&c.name)
                        && !(t.name == key.table && key.columns.contains(&c.name))
                });
                if let Some(c) = found {
                    used.push(c.name.clone());
                }
            }
            if used.len() == key.types.len() {
                out.push((t.name.clone(), used, key.clone()));
            }
        }
    }
    out
}

fn add_foreign_key(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let schema = s.clone();
    Some(
        (pick(fk_candidates(s))?, word(), any::<(u8, bool)>())
            .prop_map(move |((table, columns, key), w, (action, not_valid))| {
                let nullable = schema.table(&table).is_some_and(|t| {
                    columns
                        .iter()
                        .all(|c| t.column(c).is_some_and(|c| c.nullable))
                });
                Op::AddForeignKey {
                    table,
                    foreign_key: ForeignKey {
                        name: format!("{w}_fk9"),
                        columns,
                        ref_table: key.table,
                        ref_columns: key.columns,
                        on_delete: fk_action(action, nullable),
                        on_update: FkAction::NoAction,
                    },
                    not_valid,
                }
            })
            .boxed(),
    )
}

/// (table, columns) of one or two indexable columns that no key of the table
/// covers yet: where a new unique constraint or primary key may go without
/// duplicating a key (see `build_table`).
fn new_key_candidates(s: &Schema, without_pk: bool) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for t in s.tables.values() {
        if without_pk && t.primary_key.is_some() {
            continue;
        }
        let cols = indexable_columns(t);
        for (i, a) in cols.iter().enumerate() {
            let sets = std::iter::once(vec![a.clone()])
                .chain(cols[i + 1..].iter().map(|b| vec![a.clone(), b.clone()]));
            for set in sets.filter(|set| !t.has_key(set, None)) {
                out.push((t.name.clone(), set));
            }
        }
    }
    out
}

fn add_unique(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let candidates = pick(new_key_candidates(s, false))?;
    Some(
        (candidates, fresh(s, "_uq9"))
            .prop_map(|((table, columns), name)| Op::AddUnique {
                table,
                unique: UniqueConstraint { name, columns },
            })
            .boxed(),
    )
}

fn add_check(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let cols: Vec<(String, String, bool)> = sorted_tables(s)
        .iter()
        .flat_map(|t| {
            t.columns
                .iter()
                .map(|c| (t.name.clone(), c.name.clone(), c.ty.is_integer()))
        })
        .collect();
    Some(
        (pick(cols)?, word(), any::<bool>())
            .prop_map(|((table, column, int), w, not_valid)| Op::AddCheck {
                table,
                check: CheckConstraint {
                    name: format!("{w}_ck9"),
                    expression: if int {
                        format!("\"{column}\" >= 0")
                    } else {
                        format!("({column} IS NOT NULL)")
                    },
                },
                not_valid,
            })
            .boxed(),
    )
}

fn add_primary_key(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let candidates = pick(new_key_candidates(s, true))?;
    Some(
        (candidates, fresh(s, "_pk9"))
            .prop_map(|((table, columns), name)| Op::AddPrimaryKey {
                table,
                primary_key: PrimaryKey { name, columns },
            })
            .boxed(),
    )
}

/// Every constraint of the schema as (table, name, kind).
fn constraints(s: &Schema) -> Vec<(String, String, ConstraintKind)> {
    let mut out = Vec::new();
    for t in s.tables.values() {
        let names = t
            .primary_key
            .iter()
            .map(|pk| &pk.name)
            .chain(t.foreign_keys.keys())
            .chain(t.uniques.keys())
            .chain(t.checks.keys());
        for name in names {
            if let Some(kind) = t.constraint_kind(name) {
                out.push((t.name.clone(), name.clone(), kind));
            }
        }
    }
    out
}

fn validate_constraint(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let ops: Vec<Op> = constraints(s)
        .into_iter()
        .filter(|(_, _, k)| matches!(k, ConstraintKind::ForeignKey | ConstraintKind::Check))
        .map(|(table, name, _)| Op::ValidateConstraint { table, name })
        .collect();
    pick(ops)
}

/// Whether the primary key of `table` holds an autoincrement column: SQLite only
/// autoincrements a table's single-column `INTEGER PRIMARY KEY`, so a portable
/// history keeps that key (PostgreSQL alone would let it go).
fn key_of_autoincrement(s: &Schema, table: &str) -> bool {
    s.table(table).is_some_and(|t| {
        t.primary_key.as_ref().is_some_and(|pk| {
            pk.columns
                .iter()
                .any(|c| t.column(c).is_some_and(|c| c.auto_increment.is_some()))
        })
    })
}

fn drop_constraint(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let ops: Vec<Op> = constraints(s)
        .into_iter()
        .filter(|(table, _, kind)| {
            *kind != ConstraintKind::PrimaryKey || !key_of_autoincrement(s, table)
        })
        .enumerate()
        .map(|(i, (table, name, kind))| Op::DropConstraint {
            table,
            name,
            kind: (i % 2 == 0).then_some(kind),
        })
        .filter(|op| applies(s, op))
        .collect();
    pick(ops)
}

// ---------------------------------------------------------------- sequences and data

fn create_sequence(s: &Schema) -> BoxedStrategy<Op> {
    fresh(s, "_seq9")
        .prop_flat_map(arb_sequence)
        .prop_map(Op::CreateSequence)
        .boxed()
}

fn drop_sequence(s: &Schema) -> Option<BoxedStrategy<Op>> {
    let ops = s
        .sequences
        .keys()
        .map(|name| Op::DropSequence { name: name.clone() })
        .collect();
    pick(ops)
}

/// A value of `ty` as a row field (varied by `n`), where one is generated.
fn value_for(s: &Schema, ty: &ColumnType, n: u16) -> Option<serde_json::Value> {
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
fn row_for(s: &Schema, t: &Table, n: u16) -> Option<Row> {
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
fn checked(t: &Table, column: &str) -> bool {
    t.checks
        .values()
        .any(|c| crate::expr::mentions(&c.expression, column))
}

/// `BulkInsert` (or `BulkDelete`) of zero or one generated row. The rows fit the
/// schema; they are not guaranteed to fit data inserted earlier (a second row can
/// collide on a unique boolean or enum column).
fn bulk(s: &Schema, insert: bool) -> Option<BoxedStrategy<Op>> {
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

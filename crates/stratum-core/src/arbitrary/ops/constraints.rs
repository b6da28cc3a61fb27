//! Generated index and constraint ops.

use super::super::build::{KeyRef, fk_action, indexable, key_candidates};
use super::super::word;
use super::{applies, fresh, pick, sorted_tables};
use crate::ops::Op;
use crate::schema::{
    CheckConstraint, ConstraintKind, FkAction, ForeignKey, Index, PrimaryKey, Schema, Table,
    UniqueConstraint,
};
use proptest::prelude::*;
use proptest::sample::Index as Pick;

pub(super) fn indexable_columns(t: &Table) -> Vec<String> {
    t.columns
        .iter()
        .filter(|c| indexable(&c.ty))
        .map(|c| c.name.clone())
        .collect()
}

/// (table, its indexable columns) for tables that have some.
pub(super) fn indexable_tables(s: &Schema) -> Vec<(String, Vec<String>)> {
    sorted_tables(s)
        .iter()
        .map(|t| (t.name.clone(), indexable_columns(t)))
        .filter(|(_, cols)| !cols.is_empty())
        .collect()
}

pub(super) fn columns_of(cols: &[String], a: Pick, b: Pick, two: bool) -> Vec<String> {
    let (a, b) = (a.get(cols).clone(), b.get(cols).clone());
    if two && a != b { vec![a, b] } else { vec![a] }
}

pub(super) fn create_index(s: &Schema) -> Option<BoxedStrategy<Op>> {
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

pub(super) fn drop_index(s: &Schema) -> Option<BoxedStrategy<Op>> {
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
pub(super) fn fk_candidates(s: &Schema) -> Vec<(String, Vec<String>, KeyRef)> {
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

pub(super) fn add_foreign_key(s: &Schema) -> Option<BoxedStrategy<Op>> {
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
pub(super) fn new_key_candidates(s: &Schema, without_pk: bool) -> Vec<(String, Vec<String>)> {
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

pub(super) fn add_unique(s: &Schema) -> Option<BoxedStrategy<Op>> {
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

pub(super) fn add_check(s: &Schema) -> Option<BoxedStrategy<Op>> {
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

pub(super) fn add_primary_key(s: &Schema) -> Option<BoxedStrategy<Op>> {
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
pub(super) fn constraints(s: &Schema) -> Vec<(String, String, ConstraintKind)> {
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

pub(super) fn validate_constraint(s: &Schema) -> Option<BoxedStrategy<Op>> {
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
pub(super) fn key_of_autoincrement(s: &Schema, table: &str) -> bool {
    s.table(table).is_some_and(|t| {
        t.primary_key.as_ref().is_some_and(|pk| {
            pk.columns
                .iter()
                .any(|c| t.column(c).is_some_and(|c| c.auto_increment.is_some()))
        })
    })
}

pub(super) fn drop_constraint(s: &Schema) -> Option<BoxedStrategy<Op>> {
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

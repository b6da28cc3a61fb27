//! Steps 1–4 of a diff: drop what changed or is gone (foreign keys, keys and
//! indexes, columns, tables), foreign keys that depend on them first.

use super::{Plan, drop_constraint};
use crate::ops::Op;
use crate::schema::{ConstraintKind, Schema};

/// Foreign keys of tables present in both schemas that differ or are gone in `to`.
pub(super) fn drop_changed_foreign_keys(p: &mut Plan, to: &Schema) {
    let mut drops = Vec::new();
    for t in p.cur.tables.values() {
        let Some(target) = to.table(&t.name) else {
            continue;
        };
        for fk in t.foreign_keys.values() {
            if target.foreign_keys.get(&fk.name) != Some(fk) {
                drops.push(drop_constraint(
                    &t.name,
                    &fk.name,
                    ConstraintKind::ForeignKey,
                ));
            }
        }
    }
    drops.into_iter().for_each(|op| p.emit(op));
}

/// Drops the foreign keys (of any table) that reference exactly `columns` of
/// `table`, before a key over those columns goes (see the simulator on why another
/// key over the same columns does not help).
pub(super) fn drop_dependent_fks(p: &mut Plan, table: &str, columns: &[String]) {
    let drops: Vec<Op> = p
        .cur
        .fks_referencing_key(table, columns)
        .map(|(by, fk)| drop_constraint(&by.name, &fk.name, ConstraintKind::ForeignKey))
        .collect();
    drops.into_iter().for_each(|op| p.emit(op));
}

/// Indexes, unique and check constraints and primary keys of tables present in both
/// schemas that differ or are gone in `to`.
pub(super) fn drop_changed_keys_and_indexes(p: &mut Plan, to: &Schema) {
    let names: Vec<String> = p.cur.tables.keys().cloned().collect();
    for name in names {
        let (Some(cur), Some(target)) = (p.table(&name).cloned(), to.table(&name)) else {
            continue;
        };
        for i in cur.indexes.values() {
            if target.indexes.get(&i.name) != Some(i) {
                if i.unique && i.predicate.is_none() {
                    drop_dependent_fks(p, &name, &i.columns);
                }
                p.emit(Op::DropIndex {
                    table: Some(name.clone()),
                    name: i.name.clone(),
                    concurrently: false,
                });
            }
        }
        for u in cur.uniques.values() {
            if target.uniques.get(&u.name) != Some(u) {
                drop_dependent_fks(p, &name, &u.columns);
                p.emit(drop_constraint(&name, &u.name, ConstraintKind::Unique));
            }
        }
        for c in cur.checks.values() {
            if target.checks.get(&c.name) != Some(c) {
                p.emit(drop_constraint(&name, &c.name, ConstraintKind::Check));
            }
        }
        if let Some(pk) = &cur.primary_key
            && target.primary_key.as_ref() != Some(pk)
        {
            drop_dependent_fks(p, &name, &pk.columns);
            p.emit(drop_constraint(&name, &pk.name, ConstraintKind::PrimaryKey));
        }
    }
}

/// Drops columns gone in `to` and columns whose autoincrement changes. A drop that
/// would leave a table without columns is returned instead, to run after the new
/// columns are added.
pub(super) fn drop_columns(p: &mut Plan, to: &Schema) -> Vec<(String, String)> {
    let mut deferred = Vec::new();
    let names: Vec<String> = p.cur.tables.keys().cloned().collect();
    for name in names {
        let (Some(cur), Some(target)) = (p.table(&name).cloned(), to.table(&name)) else {
            continue;
        };
        let mut left = cur.columns.len();
        for c in &cur.columns {
            let wanted = target.column(&c.name);
            let gone = wanted.is_none();
            if !gone && wanted.map(|w| w.auto_increment) == Some(c.auto_increment) {
                continue;
            }
            if left == 1 && gone {
                deferred.push((name.clone(), c.name.clone()));
                continue;
            }
            drop_fks_on_column(p, &name, &c.name);
            p.emit(Op::DropColumn {
                table: name.clone(),
                column: c.name.clone(),
            });
            left -= 1;
        }
    }
    deferred
}

/// Drops the foreign keys of any table that reference `table.column`.
pub(super) fn drop_fks_on_column(p: &mut Plan, table: &str, column: &str) {
    let drops: Vec<Op> = p
        .cur
        .fks_referencing(table)
        .filter(|(_, fk)| fk.ref_columns.iter().any(|c| c == column))
        .map(|(by, fk)| drop_constraint(&by.name, &fk.name, ConstraintKind::ForeignKey))
        .collect();
    drops.into_iter().for_each(|op| p.emit(op));
}

/// Drops the tables gone in `to`: each time the first one that no other remaining
/// table references; in a cycle, the first one after dropping the foreign keys that
/// point at it.
pub(super) fn drop_tables(p: &mut Plan, to: &Schema) {
    let mut doomed: Vec<String> = p
        .cur
        .tables
        .keys()
        .filter(|t| !to.tables.contains_key(*t))
        .cloned()
        .collect();
    while !doomed.is_empty() {
        let free = doomed
            .iter()
            .position(|t| !p.cur.fks_referencing(t).any(|(by, _)| &by.name != t));
        let at = free.unwrap_or(0);
        let name = doomed.remove(at);
        if free.is_none() {
            let drops: Vec<Op> = p
                .cur
                .fks_referencing(&name)
                .filter(|(by, _)| by.name != name)
                .map(|(by, fk)| drop_constraint(&by.name, &fk.name, ConstraintKind::ForeignKey))
                .collect();
            drops.into_iter().for_each(|op| p.emit(op));
        }
        p.emit(Op::DropTable { name });
    }
}

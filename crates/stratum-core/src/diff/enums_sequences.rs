//! Steps 5–6 of a diff (enum types and sequences that change or come), and the last
//! step (the ones that go).

use super::{Plan, is_subsequence};
use crate::ops::{ColumnChange, Op};
use crate::schema::{ColumnType, EnumType, Schema};

pub(super) fn change_enums(p: &mut Plan, to: &Schema) {
    for e in to.enums.values() {
        match p.cur.enums.get(&e.name).cloned() {
            None => p.emit(Op::CreateEnum(e.clone())),
            Some(old) if old.values == e.values => {}
            Some(old) if is_subsequence(&old.values, &e.values) => add_enum_values(p, e),
            Some(_) => recreate_enum(p, e),
        }
    }
}

/// Adds the labels of `target` that the current type lacks, each right after its
/// predecessor in `target` (or before the first existing label).
pub(super) fn add_enum_values(p: &mut Plan, target: &EnumType) {
    for (i, v) in target.values.iter().enumerate() {
        let Some(cur) = p.cur.enums.get(&target.name) else {
            return;
        };
        if cur.values.contains(v) {
            continue;
        }
        let after = (i > 0).then(|| target.values[i - 1].clone());
        let before = match &after {
            Some(_) => None,
            None => cur.values.first().cloned(),
        };
        p.emit(Op::AddEnumValue {
            enum_name: target.name.clone(),
            value: v.clone(),
            before,
            after,
        });
    }
}

/// Turns the columns using the type into text (dropping their defaults), drops
/// the type and creates it anew; step 8 turns the columns back.
pub(super) fn recreate_enum(p: &mut Plan, target: &EnumType) {
    let ty = ColumnType::Enum(target.name.clone());
    let users: Vec<Op> = p
        .cur
        .tables
        .values()
        .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
        .filter(|(_, c)| c.ty == ty)
        .map(|(t, c)| Op::AlterColumn {
            table: t.name.clone(),
            column: c.name.clone(),
            change: ColumnChange {
                ty: Some(ColumnType::Text),
                default: c.default.as_ref().map(|_| None),
                ..ColumnChange::default()
            },
        })
        .collect();
    users.into_iter().for_each(|op| p.emit(op));
    p.emit(Op::DropEnum {
        name: target.name.clone(),
    });
    p.emit(Op::CreateEnum(target.clone()));
}

pub(super) fn change_sequences(p: &mut Plan, to: &Schema) {
    for s in to.sequences.values() {
        match p.cur.sequences.get(&s.name) {
            Some(old) if old == s => continue,
            Some(_) => p.emit(Op::DropSequence {
                name: s.name.clone(),
            }),
            None => {}
        }
        p.emit(Op::CreateSequence(s.clone()));
    }
}

// ---------------------------------------------------------------- types and sequences that go

/// Drops the sequences gone in `to` (nothing in the model depends on them).
pub(super) fn drop_sequences(p: &mut Plan, to: &Schema) {
    let gone: Vec<String> = p
        .cur
        .sequences
        .keys()
        .filter(|s| !to.sequences.contains_key(*s))
        .cloned()
        .collect();
    for name in gone {
        p.emit(Op::DropSequence { name });
    }
}

/// Drops the enum types gone in `to`, once no column uses them.
pub(super) fn drop_enums(p: &mut Plan, to: &Schema) {
    let gone: Vec<String> = p
        .cur
        .enums
        .keys()
        .filter(|e| !to.enums.contains_key(*e))
        .cloned()
        .collect();
    for name in gone {
        p.emit(Op::DropEnum { name });
    }
}

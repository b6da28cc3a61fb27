//! The differ: ordered ops that turn one schema into another.
//!
//! [`diff`] plans on a working copy of the source schema: every op it emits is also
//! applied to that copy with the simulator, so each later decision sees the schema
//! as it will be at that point (what a dropped column took with it, which keys a
//! foreign key still relies on). The phases, in order:
//!
//! 1. drop foreign keys that changed or went away;
//! 2. drop changed or removed indexes, unique and check constraints and primary keys
//!    (first dropping foreign keys elsewhere that rely on such a key; they are added
//!    back in step 11);
//! 3. drop removed columns, and columns whose autoincrement changes (no column change
//!    can switch it; they are added back in step 7);
//! 4. drop removed tables, referencing tables first (breaking cycles by dropping
//!    foreign keys), and removed sequences;
//! 5. enum types: create new ones, add new labels at their positions; a type that
//!    lost or reordered labels is recreated (see [`recreated_enums`]);
//! 6. create new sequences, recreate changed ones;
//! 7. add new columns (appended: no op moves a column, so column order of tables in
//!    both schemas is kept as it is); a drop that would have left a table without
//!    columns happens here, after the additions;
//! 8. change column types, nullability and defaults (a type change carries no
//!    `USING`: renderers cast the column to the new type);
//! 9. drop removed enum types, now that no column uses them;
//! 10. add primary keys, unique and check constraints and indexes of existing tables;
//! 11. create new tables in foreign key order, with the foreign keys whose targets
//!     are ready; then add every other missing foreign key.
//!
//! Names freed by a drop (tables, indexes, sequences and types share one namespace)
//! are free before anything new takes them.
//!
//! Renames are not detected: a renamed table or column shows up as a drop and an add.
//! [`rename_hints`] points out likely column renames for a human to confirm (the
//! generated code carries them as review comments, see [`crate::codegen`]).
//!
//! ```
//! use stratum_core::diff::{create_all, diff};
//! use stratum_core::prelude::*;
//! use stratum_core::schema::Schema;
//! use stratum_core::simulate::apply_all;
//!
//! let mut op = Ops::new();
//! op.create_enum("status", ["planned", "started"]);
//! op.create_table("acquisition")
//!     .column(col("id", integer()).primary_key())
//!     .column(col("status", enum_type("status")).default_text("planned"));
//! let mut target = Schema::new();
//! apply_all(&mut target, op.as_slice()).unwrap();
//!
//! let ops = create_all(&target);
//! assert_eq!(ops.len(), 2); // the enum type, then the table
//! let mut built = Schema::new();
//! apply_all(&mut built, &ops).unwrap();
//! assert_eq!(built, target);
//! assert!(diff(&built, &target).is_empty());
//! ```
//!
//! Server defaults are compared by meaning ([`same_default`]): a raw expression that
//! spells a literal, `now()` or `gen_random_uuid()` equals the portable value, so a
//! database's own spelling never shows up as drift. [`differences`] lists what differs
//! object by object, for people.

use crate::ops::{ColumnChange, Op};
use crate::schema::{
    Column, ColumnType, ConstraintKind, DefaultValue, EnumType, ForeignKey, Schema, Table,
};
use crate::simulate::apply;

mod report;
#[cfg(test)]
mod tests;

pub use report::{Difference, DifferenceKind, differences};

/// Ops that build `schema` from an empty database: enum types and sequences, then
/// tables in foreign key order (each with its indexes and constraints), then the
/// foreign keys that would point forward or form a cycle.
pub fn create_all(schema: &Schema) -> Vec<Op> {
    diff(&Schema::new(), schema)
}

/// Ordered ops that turn `from` into `to` (both are compared in normal form).
/// `apply_all(from, diff(from, to))` gives `to`, up to the order of columns of
/// tables present in both; `diff(s, s)` is empty.
pub fn diff(from: &Schema, to: &Schema) -> Vec<Op> {
    let to = to.normalized();
    let mut p = Plan {
        cur: from.normalized(),
        ops: Vec::new(),
    };
    drop_changed_foreign_keys(&mut p, &to);
    drop_changed_keys_and_indexes(&mut p, &to);
    let deferred = drop_columns(&mut p, &to);
    drop_tables(&mut p, &to);
    drop_sequences(&mut p, &to);
    change_enums(&mut p, &to);
    change_sequences(&mut p, &to);
    add_columns(&mut p, &to);
    for (table, column) in deferred {
        p.emit(Op::DropColumn { table, column });
    }
    alter_columns(&mut p, &to);
    drop_enums(&mut p, &to);
    add_keys_and_indexes(&mut p, &to);
    create_tables(&mut p, &to);
    add_foreign_keys(&mut p, &to);
    p.ops
}

/// The enum types that [`diff`] recreates because labels were removed or reordered
/// (drop and create, with the columns using it turned into text in between): data
/// holding a removed label will not convert, so such a change needs a human look.
pub fn recreated_enums(from: &Schema, to: &Schema) -> Vec<String> {
    to.enums
        .values()
        .filter(|e| {
            from.enums.get(&e.name).is_some_and(|old| {
                old.values != e.values && !is_subsequence(&old.values, &e.values)
            })
        })
        .map(|e| e.name.clone())
        .collect()
}

/// A column that was probably renamed: dropped and added in the same table with the
/// same type. [`diff`] emits a drop and an add; a rename keeps the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameHint {
    /// Table name.
    pub table: String,
    /// The column that goes away.
    pub from: String,
    /// The column that appears.
    pub to: String,
}

/// Likely column renames between `from` and `to`: within each table present in
/// both, each dropped column is paired with the first not yet paired added column of
/// the same type.
pub fn rename_hints(from: &Schema, to: &Schema) -> Vec<RenameHint> {
    let mut hints = Vec::new();
    for (name, old) in &from.tables {
        let Some(new) = to.tables.get(name) else {
            continue;
        };
        let dropped = old.columns.iter().filter(|c| new.column(&c.name).is_none());
        let mut added: Vec<&Column> = new
            .columns
            .iter()
            .filter(|c| old.column(&c.name).is_none())
            .collect();
        for d in dropped {
            if let Some(i) = added.iter().position(|a| a.ty == d.ty) {
                hints.push(RenameHint {
                    table: name.clone(),
                    from: d.name.clone(),
                    to: added.remove(i).name.clone(),
                });
            }
        }
    }
    hints
}

/// The ops emitted so far and the schema they lead to.
struct Plan {
    cur: Schema,
    ops: Vec<Op>,
}

impl Plan {
    /// Records `op` and applies it to the working schema. An op that does not apply
    /// (only possible when `to` itself is inconsistent) is kept, so that the caller
    /// sees it fail where it would fail on a database.
    fn emit(&mut self, op: Op) {
        let _ = apply(&mut self.cur, &op);
        self.ops.push(op);
    }

    fn table(&self, name: &str) -> Option<&Table> {
        self.cur.table(name)
    }
}

fn drop_constraint(table: &str, name: &str, kind: ConstraintKind) -> Op {
    Op::DropConstraint {
        table: table.to_string(),
        name: name.to_string(),
        kind: Some(kind),
    }
}

fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

// ---------------------------------------------------------------- 1–4: drops

/// Foreign keys of tables present in both schemas that differ or are gone in `to`.
fn drop_changed_foreign_keys(p: &mut Plan, to: &Schema) {
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
fn drop_dependent_fks(p: &mut Plan, table: &str, columns: &[String]) {
    let drops: Vec<Op> = p
        .cur
        .fks_referencing_key(table, columns)
        .map(|(by, fk)| drop_constraint(&by.name, &fk.name, ConstraintKind::ForeignKey))
        .collect();
    drops.into_iter().for_each(|op| p.emit(op));
}

/// Indexes, unique and check constraints and primary keys of tables present in both
/// schemas that differ or are gone in `to`.
fn drop_changed_keys_and_indexes(p: &mut Plan, to: &Schema) {
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
fn drop_columns(p: &mut Plan, to: &Schema) -> Vec<(String, String)> {
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
fn drop_fks_on_column(p: &mut Plan, table: &str, column: &str) {
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
fn drop_tables(p: &mut Plan, to: &Schema) {
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

// ---------------------------------------------------------------- 5–6: types and sequences

fn change_enums(p: &mut Plan, to: &Schema) {
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
fn add_enum_values(p: &mut Plan, target: &EnumType) {
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
fn recreate_enum(p: &mut Plan, target: &EnumType) {
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

fn change_sequences(p: &mut Plan, to: &Schema) {
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

// ---------------------------------------------------------------- 7–9: existing tables

fn add_columns(p: &mut Plan, to: &Schema) {
    for target in to.tables.values() {
        let Some(cur) = p.table(&target.name) else {
            continue;
        };
        let missing: Vec<Column> = target
            .columns
            .iter()
            .filter(|c| cur.column(&c.name).is_none())
            .cloned()
            .collect();
        for column in missing {
            p.emit(Op::AddColumn {
                table: target.name.clone(),
                column,
            });
        }
    }
}

fn alter_columns(p: &mut Plan, to: &Schema) {
    for target in to.tables.values() {
        let Some(cur) = p.table(&target.name).cloned() else {
            continue;
        };
        for want in &target.columns {
            let Some(have) = cur.column(&want.name) else {
                continue;
            };
            let change = column_change(have, want);
            if !change.is_empty() {
                p.emit(Op::AlterColumn {
                    table: target.name.clone(),
                    column: want.name.clone(),
                    change,
                });
            }
        }
    }
}

/// The change from `have` to `want` (same name). Defaults are compared by meaning
/// (see [`same_default`]).
fn column_change(have: &Column, want: &Column) -> ColumnChange {
    ColumnChange {
        ty: (have.ty != want.ty).then(|| want.ty.clone()),
        using: None,
        nullable: (have.nullable != want.nullable).then_some(want.nullable),
        default: (!same_default(have.default.as_ref(), want.default.as_ref()))
            .then(|| want.default.clone()),
        rename: None,
    }
}

/// Whether two server defaults mean the same: compared after [`canonical_default`],
/// so that `Expr("CURRENT_TIMESTAMP")` equals `Now`, `Expr("(0)")` equals `Int(0)`,
/// `Expr("'x'::character varying")` equals `Text("x")` and `DEFAULT NULL` equals no
/// default.
pub fn same_default(a: Option<&DefaultValue>, b: Option<&DefaultValue>) -> bool {
    canonical_default(a) == canonical_default(b)
}

/// One spelling for each default: raw expressions that are a literal, `now()` or
/// `gen_random_uuid()` become the matching [`DefaultValue`]; whitespace and outer
/// parentheses of other expressions are normalized; `NULL` becomes no default.
pub fn canonical_default(d: Option<&DefaultValue>) -> Option<DefaultValue> {
    let d = d?;
    let DefaultValue::Expr(e) = d else {
        return (d != &DefaultValue::Null).then(|| d.clone());
    };
    let e = strip_outer_parens(&e.split_whitespace().collect::<Vec<_>>().join(" "));
    let lower = e.to_ascii_lowercase();
    Some(match lower.as_str() {
        "null" => return None,
        "now()" | "current_timestamp" | "current_timestamp()" => DefaultValue::Now,
        "gen_random_uuid()" => DefaultValue::RandomUuid,
        "true" => DefaultValue::Bool(true),
        "false" => DefaultValue::Bool(false),
        _ => {
            let uncast = strip_cast(&e);
            if let Ok(i) = uncast.parse::<i64>() {
                DefaultValue::Int(i)
            } else if let Some(text) = string_literal(uncast) {
                DefaultValue::Text(text)
            } else {
                DefaultValue::Expr(e)
            }
        }
    })
}

fn strip_outer_parens(s: &str) -> String {
    let mut s = s.trim().to_string();
    while s.starts_with('(') && s.ends_with(')') && closes_at_end(&s) {
        s = s[1..s.len() - 1].trim().to_string();
    }
    s
}

/// Whether the `(` that opens `s` closes at its last character (quotes skipped).
fn closes_at_end(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quoted = false;
    let last = s.len() - 1;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return i == last;
                }
            }
            _ => {}
        }
    }
    false
}

/// `'x'::character varying` → `'x'`; `0::integer` → `0`.
fn strip_cast(e: &str) -> &str {
    match e.rfind("::") {
        Some(i) if !e[i..].contains('\'') => e[..i].trim_end(),
        _ => e,
    }
}

/// The value of a single SQL string literal, if `e` is exactly one.
fn string_literal(e: &str) -> Option<String> {
    let inner = e.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

fn add_keys_and_indexes(p: &mut Plan, to: &Schema) {
    for target in to.tables.values() {
        let Some(cur) = p.table(&target.name).cloned() else {
            continue;
        };
        let table = target.name.clone();
        if cur.primary_key.is_none()
            && let Some(pk) = &target.primary_key
        {
            p.emit(Op::AddPrimaryKey {
                table: table.clone(),
                primary_key: pk.clone(),
            });
        }
        for u in target
            .uniques
            .values()
            .filter(|u| !cur.uniques.contains_key(&u.name))
        {
            p.emit(Op::AddUnique {
                table: table.clone(),
                unique: u.clone(),
            });
        }
        for c in target
            .checks
            .values()
            .filter(|c| !cur.checks.contains_key(&c.name))
        {
            p.emit(Op::AddCheck {
                table: table.clone(),
                check: c.clone(),
                not_valid: false,
            });
        }
        for i in target
            .indexes
            .values()
            .filter(|i| !cur.indexes.contains_key(&i.name))
        {
            p.emit(Op::CreateIndex {
                table: table.clone(),
                index: i.clone(),
                concurrently: false,
            });
        }
    }
}

// ---------------------------------------------------------------- 10: new tables, foreign keys

/// Creates the tables new in `to`: each time the first one whose foreign keys
/// only point at tables that exist already (or at itself); in a cycle, the first
/// remaining one. Foreign keys whose target is not ready stay for
/// [`add_foreign_keys`].
fn create_tables(p: &mut Plan, to: &Schema) {
    let mut pending: Vec<&Table> = to
        .tables
        .values()
        .filter(|t| p.table(&t.name).is_none())
        .collect();
    while !pending.is_empty() {
        let ready = |t: &&Table| {
            t.foreign_keys
                .values()
                .all(|fk| fk.ref_table == t.name || p.cur.tables.contains_key(&fk.ref_table))
        };
        let at = pending.iter().position(ready).unwrap_or(0);
        let mut table = pending.remove(at).clone();
        let own = table_keys_only(&table);
        table
            .foreign_keys
            .retain(|_, fk| fk_ready(&p.cur, &own, fk));
        p.emit(Op::CreateTable(table));
    }
}

/// `t` without its indexes: what exists for a self-reference while `CREATE TABLE`
/// runs (indexes are created after it).
fn table_keys_only(t: &Table) -> Table {
    Table {
        indexes: Default::default(),
        foreign_keys: Default::default(),
        ..t.clone()
    }
}

/// Whether `fk` of the table being created (`own`, keys only) can be declared with
/// it: its target exists with a key on the referenced columns.
fn fk_ready(cur: &Schema, own: &Table, fk: &ForeignKey) -> bool {
    let target = if fk.ref_table == own.name {
        Some(own)
    } else {
        cur.table(&fk.ref_table)
    };
    target.is_some_and(|t| t.has_key(&fk.ref_columns, None))
}

fn add_foreign_keys(p: &mut Plan, to: &Schema) {
    for target in to.tables.values() {
        let Some(cur) = p.table(&target.name).cloned() else {
            continue;
        };
        for fk in target.foreign_keys.values() {
            if cur.foreign_keys.get(&fk.name) != Some(fk) {
                p.emit(Op::AddForeignKey {
                    table: target.name.clone(),
                    foreign_key: fk.clone(),
                    not_valid: false,
                });
            }
        }
    }
}

// ---------------------------------------------------------------- types and sequences that go

/// Drops the sequences gone in `to` (nothing in the model depends on them).
fn drop_sequences(p: &mut Plan, to: &Schema) {
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
fn drop_enums(p: &mut Plan, to: &Schema) {
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

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
use crate::schema::{Column, ConstraintKind, ForeignKey, Schema, Table};
use crate::simulate::apply;

mod defaults;
mod drops;
mod enums_sequences;
mod report;
#[cfg(test)]
mod tests;

pub use defaults::{canonical_default, same_default};
pub use report::{Difference, DifferenceKind, differences};

use drops::{drop_changed_foreign_keys, drop_changed_keys_and_indexes, drop_columns, drop_tables};
use enums_sequences::{change_enums, change_sequences, drop_enums, drop_sequences};

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
        mysql: None,
    }
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

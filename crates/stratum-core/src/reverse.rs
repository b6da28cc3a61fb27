//! Reversal: the ops that undo an op, given the schema before it.
//!
//! [`reverse`] answers `None` where no op sequence is determined: raw SQL
//! ([`Op::Execute`] carries no inverse), a new enum label ([`Op::AddEnumValue`]:
//! neither PostgreSQL nor the op vocabulary can remove one), and ops that do not
//! apply to the given schema.
//!
//! Column position: [`Op::AddColumn`] appends, so undoing a [`Op::DropColumn`] of a
//! column that was not the last brings it back as the last column. PostgreSQL
//! behaves the same way (a re-added column gets a new, last position), so the
//! simulated schema still matches the database; comparisons that must hold across
//! such a round trip use [`Schema::column_order_insensitive`].
//!
//! Type changes are reversed without a `USING` expression; the renderer casts.
//!
//! ```
//! use stratum_core::prelude::*;
//! use stratum_core::reverse::reverse;
//! use stratum_core::schema::Schema;
//! use stratum_core::simulate::{apply, apply_all};
//!
//! let mut op = Ops::new();
//! op.create_table("atlas")
//!     .column(col("id", integer()).primary_key())
//!     .column(col("name", text()).index());
//! let mut before = Schema::new();
//! apply_all(&mut before, op.as_slice()).unwrap();
//!
//! let drop = Op::DropTable { name: "atlas".into() };
//! let undo = reverse(&drop, &before).unwrap();
//! let mut after = before.clone();
//! apply(&mut after, &drop).unwrap();
//! apply_all(&mut after, &undo).unwrap();
//! assert_eq!(after, before);
//! ```

use crate::ops::{ColumnChange, Op};
use crate::schema::{ConstraintKind, Schema, Table};

/// The ops that undo `op`, given the schema `before` it ran; `None` when the inverse
/// is not determined (see the module docs), or when the undoing ops would not apply
/// (e.g. dropping a second unique key over columns that a foreign key references:
/// the simulator cannot tell which of the keys backs the foreign key).
pub fn reverse(op: &Op, before: &Schema) -> Option<Vec<Op>> {
    let mut after = before.clone();
    crate::simulate::apply(&mut after, op).ok()?;
    let undo = inverse(op, before, &after)?;
    crate::simulate::apply_all(&mut after, &undo).ok()?;
    Some(undo)
}

/// The undoing ops of `op`, which led from `before` to `after`.
fn inverse(op: &Op, before: &Schema, after: &Schema) -> Option<Vec<Op>> {
    Some(match op {
        Op::CreateEnum(e) => vec![Op::DropEnum {
            name: e.name.clone(),
        }],
        Op::DropEnum { name } => vec![Op::CreateEnum(before.enums.get(name)?.clone())],
        Op::AddEnumValue { .. } | Op::Execute(_) => return None,
        Op::RenameEnumValue {
            enum_name,
            from,
            to,
        } => vec![Op::RenameEnumValue {
            enum_name: enum_name.clone(),
            from: to.clone(),
            to: from.clone(),
        }],
        Op::CreateTable(t) => vec![Op::DropTable {
            name: t.name.clone(),
        }],
        Op::DropTable { name } => vec![Op::CreateTable(before.table(name)?.clone())],
        Op::RenameTable { from, to } => vec![Op::RenameTable {
            from: to.clone(),
            to: from.clone(),
        }],
        Op::AddColumn { table, column } => vec![Op::DropColumn {
            table: table.clone(),
            column: column.name.clone(),
        }],
        Op::DropColumn { table, column } => restore_column(before.table(table)?, column)?,
        Op::AlterColumn {
            table,
            column,
            change,
        } => vec![undo_alter(
            before.table(table)?,
            after.table(table)?,
            column,
            change,
        )?],
        Op::CreateIndex {
            table,
            index,
            concurrently,
        } => vec![Op::DropIndex {
            table: Some(table.clone()),
            name: index.name.clone(),
            concurrently: *concurrently,
        }],
        Op::DropIndex {
            table,
            name,
            concurrently,
        } => {
            let t = match table {
                Some(t) => before.table(t)?,
                None => before.table_of_index(name)?,
            };
            vec![Op::CreateIndex {
                table: t.name.clone(),
                index: t.indexes.get(name)?.clone(),
                concurrently: *concurrently,
            }]
        }
        Op::AddForeignKey {
            table, foreign_key, ..
        } => vec![drop_constraint(
            table,
            &foreign_key.name,
            ConstraintKind::ForeignKey,
        )],
        Op::AddUnique { table, unique } => {
            vec![drop_constraint(table, &unique.name, ConstraintKind::Unique)]
        }
        Op::AddCheck { table, check, .. } => {
            vec![drop_constraint(table, &check.name, ConstraintKind::Check)]
        }
        Op::AddPrimaryKey { table, primary_key } => undo_primary_key(
            before.table(table)?,
            &primary_key.name,
            &primary_key.columns,
        ),
        Op::ValidateConstraint { .. } => vec![],
        Op::DropConstraint { table, name, .. } => {
            vec![readd_constraint(before.table(table)?, name)?]
        }
        Op::CreateSequence(s) => vec![Op::DropSequence {
            name: s.name.clone(),
        }],
        Op::DropSequence { name } => vec![Op::CreateSequence(before.sequences.get(name)?.clone())],
        Op::BulkInsert { table, rows } => vec![Op::BulkDelete {
            table: table.clone(),
            rows: rows.clone(),
        }],
        Op::BulkDelete { table, rows } => vec![Op::BulkInsert {
            table: table.clone(),
            rows: rows.clone(),
        }],
        Op::ChangeRows(change) => vec![Op::ChangeRows(*change.reverse.clone()?)],
    })
}

#[cfg(test)]
mod tests;

fn drop_constraint(table: &str, name: &str, kind: ConstraintKind) -> Op {
    Op::DropConstraint {
        table: table.to_string(),
        name: name.to_string(),
        kind: Some(kind),
    }
}

/// Adds the column back (last), then every key, index and constraint that dropping
/// it removed: primary key and uniques first, so that the table's own foreign keys
/// can rely on them.
fn restore_column(before: &Table, column: &str) -> Option<Vec<Op>> {
    let table = before.name.clone();
    let mut after = before.clone();
    after.remove_dependents(column);
    let mut ops = vec![Op::AddColumn {
        table: table.clone(),
        column: before.column(column)?.clone(),
    }];
    if after.primary_key.is_none()
        && let Some(pk) = &before.primary_key
    {
        ops.push(Op::AddPrimaryKey {
            table: table.clone(),
            primary_key: pk.clone(),
        });
    }
    for u in before.uniques.values() {
        if !after.uniques.contains_key(&u.name) {
            ops.push(Op::AddUnique {
                table: table.clone(),
                unique: u.clone(),
            });
        }
    }
    for i in before.indexes.values() {
        if !after.indexes.contains_key(&i.name) {
            ops.push(Op::CreateIndex {
                table: table.clone(),
                index: i.clone(),
                concurrently: false,
            });
        }
    }
    for c in before.checks.values() {
        if !after.checks.contains_key(&c.name) {
            ops.push(Op::AddCheck {
                table: table.clone(),
                check: c.clone(),
                not_valid: false,
            });
        }
    }
    for fk in before.foreign_keys.values() {
        if !after.foreign_keys.contains_key(&fk.name) {
            ops.push(Op::AddForeignKey {
                table: table.clone(),
                foreign_key: fk.clone(),
                not_valid: false,
            });
        }
    }
    Some(ops)
}

/// The change that brings the column back to how it was in `before`; `None` when
/// the change also lost the column's autoincrement (a type change to a non-integer),
/// which no column change can restore.
fn undo_alter(before: &Table, after: &Table, column: &str, change: &ColumnChange) -> Option<Op> {
    let old = before.column(column)?;
    let new_name = change.rename.clone().unwrap_or_else(|| column.to_string());
    if after.column(&new_name)?.auto_increment != old.auto_increment {
        return None;
    }
    let undo = ColumnChange {
        ty: change.ty.as_ref().map(|_| old.ty.clone()),
        using: None,
        nullable: change.nullable.map(|_| old.nullable),
        default: change.default.as_ref().map(|_| old.default.clone()),
        rename: (new_name != column).then(|| column.to_string()),
        // The reverse change may not be possible the same way: the server chooses.
        mysql: None,
    };
    Some(Op::AlterColumn {
        table: before.name.clone(),
        column: new_name,
        change: undo,
    })
}

/// Drops the key again and lets the columns that were nullable before allow NULL
/// again (adding a primary key made them NOT NULL).
fn undo_primary_key(before: &Table, name: &str, columns: &[String]) -> Vec<Op> {
    let mut ops = vec![drop_constraint(
        &before.name,
        name,
        ConstraintKind::PrimaryKey,
    )];
    for c in columns {
        if before.column(c).is_some_and(|c| c.nullable) {
            ops.push(Op::AlterColumn {
                table: before.name.clone(),
                column: c.clone(),
                change: ColumnChange {
                    nullable: Some(true),
                    ..ColumnChange::default()
                },
            });
        }
    }
    ops
}

/// The op that adds constraint `name` of `before` back.
fn readd_constraint(before: &Table, name: &str) -> Option<Op> {
    let table = before.name.clone();
    Some(match before.constraint_kind(name)? {
        ConstraintKind::PrimaryKey => Op::AddPrimaryKey {
            table,
            primary_key: before.primary_key.clone()?,
        },
        ConstraintKind::ForeignKey => Op::AddForeignKey {
            table,
            foreign_key: before.foreign_keys.get(name)?.clone(),
            not_valid: false,
        },
        ConstraintKind::Unique => Op::AddUnique {
            table,
            unique: before.uniques.get(name)?.clone(),
        },
        ConstraintKind::Check => Op::AddCheck {
            table,
            check: before.checks.get(name)?.clone(),
            not_valid: false,
        },
    })
}

//! The simulator: what a schema looks like after an op.
//!
//! [`apply`] follows PostgreSQL's rules, which are the stricter of the two dialects:
//! dropping a column also drops the indexes and constraints of its table that involve
//! it, but not while another table's foreign key references it; a table or enum type
//! cannot be dropped while something uses it; tables, indexes, sequences and the
//! indexes behind primary keys and unique constraints share one namespace; a foreign
//! key must reference columns covered by a primary key, unique constraint or
//! (non-partial) unique index of the same columns, and such a key cannot be dropped
//! while a foreign key references its columns.
//!
//! On error the schema is left as it was. The touched tables are kept in normal form
//! (see [`Schema::normalized`]).
//!
//! ```
//! use stratum_core::prelude::*;
//! use stratum_core::schema::Schema;
//! use stratum_core::simulate::{SimulateError, apply_all};
//!
//! let mut op = Ops::new();
//! op.create_table("grid").column(col("id", integer()).primary_key());
//! op.create_table("square")
//!     .column(col("id", integer()).primary_key())
//!     .column(col("grid_id", integer()).references("grid.id"));
//! op.drop_table("grid");
//! let mut schema = Schema::new();
//! let err = apply_all(&mut schema, op.as_slice()).unwrap_err();
//! assert!(matches!(err, SimulateError::AtOp { index: 2, .. }));
//! assert_eq!(schema.tables.len(), 2);
//! ```

mod columns;
mod constraints;
mod enums;
mod error;
mod require;
mod sequences;
mod tables;
#[cfg(test)]
pub(crate) mod tests;

pub use error::SimulateError;

use crate::ops::Op;
use crate::schema::Schema;
use columns::{add_column, alter_column, drop_column};
use constraints::{
    add_check, add_foreign_key, add_primary_key, add_unique, create_index, drop_constraint,
    drop_index, validate_constraint,
};
use enums::{add_enum_value, create_enum, drop_enum, rename_enum_value};
use sequences::{check_row_change, check_rows, create_sequence, drop_sequence};
use tables::{create_table, drop_table, rename_table};

type Result<T> = std::result::Result<T, SimulateError>;

/// Applies one op to `schema`. On error the schema is unchanged.
pub fn apply(schema: &mut Schema, op: &Op) -> Result<()> {
    match op {
        Op::CreateEnum(e) => create_enum(schema, e),
        Op::DropEnum { name } => drop_enum(schema, name),
        Op::AddEnumValue {
            enum_name,
            value,
            before,
            after,
        } => add_enum_value(
            schema,
            enum_name,
            value,
            before.as_deref(),
            after.as_deref(),
        ),
        Op::RenameEnumValue {
            enum_name,
            from,
            to,
        } => rename_enum_value(schema, enum_name, from, to),
        Op::CreateTable(table) => create_table(schema, table),
        Op::DropTable { name } => drop_table(schema, name),
        Op::RenameTable { from, to } => rename_table(schema, from, to),
        Op::AddColumn { table, column } => add_column(schema, table, column),
        Op::DropColumn { table, column } => drop_column(schema, table, column),
        Op::AlterColumn {
            table,
            column,
            change,
        } => alter_column(schema, table, column, change),
        Op::CreateIndex { table, index, .. } => create_index(schema, table, index),
        Op::DropIndex { table, name, .. } => drop_index(schema, table.as_deref(), name),
        Op::AddForeignKey {
            table, foreign_key, ..
        } => add_foreign_key(schema, table, foreign_key),
        Op::AddUnique { table, unique } => add_unique(schema, table, unique),
        Op::AddCheck { table, check, .. } => add_check(schema, table, check),
        Op::AddPrimaryKey { table, primary_key } => add_primary_key(schema, table, primary_key),
        Op::ValidateConstraint { table, name } => validate_constraint(schema, table, name),
        Op::DropConstraint { table, name, kind } => drop_constraint(schema, table, name, *kind),
        Op::CreateSequence(seq) => create_sequence(schema, seq),
        Op::DropSequence { name } => drop_sequence(schema, name),
        Op::BulkInsert { table, rows } | Op::BulkDelete { table, rows } => {
            check_rows(schema, table, rows)
        }
        Op::Execute(_) => Ok(()),
        Op::ChangeRows(change) => check_row_change(schema, change),
    }
}

/// Applies ops in order. On error, the ops before the failing one stay applied and
/// the error is [`SimulateError::AtOp`] with the failing op's position.
pub fn apply_all(schema: &mut Schema, ops: &[Op]) -> Result<()> {
    for (index, op) in ops.iter().enumerate() {
        apply(schema, op).map_err(|e| SimulateError::AtOp {
            index,
            kind: op.kind_name(),
            source: Box::new(e),
        })?;
    }
    Ok(())
}

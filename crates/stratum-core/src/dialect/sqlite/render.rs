//! SQLite statements of each op.

use super::quote::{quote_ident, quote_literal};
use super::rebuild::{after, can_drop_natively, rebuild, rebuild_same_columns};
use super::table::{column_sql, create_index_sql, create_table, enum_values};
use super::types::is_constant_default;
use super::{D, Sqlite};
use crate::dialect::common::raw_sql;
use crate::dialect::{RenderError, Statement, column, data, table};
use crate::ops::{ColumnChange, Op};
use crate::schema::{ColumnType, DefaultValue, Schema, Table};

fn alter_column(
    op: &Op,
    table_name: &str,
    column_name: &str,
    change: &ColumnChange,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let old = table(before, table_name)?;
    let current = column(old, column_name)?;
    if change.is_empty() {
        return Ok(Vec::new());
    }
    // An autoincrement column is `INTEGER` whatever its integer width.
    let only_type =
        change.nullable.is_none() && change.default.is_none() && change.rename.is_none();
    if only_type
        && current.auto_increment.is_some()
        && change.ty.as_ref().is_some_and(ColumnType::is_integer)
    {
        return Ok(Vec::new());
    }
    // `RENAME COLUMN` rewrites references to the column, but not the column name
    // inside an enum CHECK constraint's name: enum columns are rebuilt instead.
    let only_rename = change.ty.is_none()
        && change.nullable.is_none()
        && change.default.is_none()
        && !matches!(current.ty, ColumnType::Enum(_));
    if only_rename && let Some(new_name) = &change.rename {
        return Ok(vec![Statement::new(format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            quote_ident(table_name),
            quote_ident(column_name),
            quote_ident(new_name)
        ))]);
    }
    let after = after(op, before)?;
    let new_name = change.rename.as_deref().unwrap_or(column_name);
    rebuild(table_name, before, &after, |c| {
        if c.name == new_name {
            Some(quote_ident(column_name))
        } else if c.name != column_name {
            old.column(&c.name).map(|_| quote_ident(&c.name))
        } else {
            None
        }
    })
}

/// Tables with a column of enum type `enum_name`, in name order.
fn tables_using_enum<'a>(schema: &'a Schema, enum_name: &str) -> Vec<&'a Table> {
    schema
        .tables
        .values()
        .filter(|t| {
            t.columns
                .iter()
                .any(|c| matches!(&c.ty, ColumnType::Enum(n) if n == enum_name))
        })
        .collect()
}

/// The SQLite statements of one op, given the schema before it.
pub(super) fn render(op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
    Ok(match op {
        Op::CreateEnum(_) | Op::DropEnum { .. } | Op::ValidateConstraint { .. } => Vec::new(),
        Op::AddEnumValue { enum_name, .. } => {
            enum_values(before, enum_name)?;
            let after = after(op, before)?;
            let mut out = Vec::new();
            for t in tables_using_enum(before, enum_name) {
                out.extend(rebuild_same_columns(&t.name, before, &after)?);
            }
            out
        }
        Op::RenameEnumValue {
            enum_name,
            from,
            to,
        } => {
            if !enum_values(before, enum_name)?.contains(from) {
                return Err(RenderError::MissingEnumValue {
                    enum_name: enum_name.clone(),
                    value: from.clone(),
                });
            }
            let after = after(op, before)?;
            let mut out = Vec::new();
            for t in tables_using_enum(before, enum_name) {
                out.extend(rebuild(&t.name, before, &after, |c| {
                    let q = quote_ident(&c.name);
                    match &c.ty {
                        ColumnType::Enum(n) if n == enum_name => Some(format!(
                            "CASE WHEN {q} = {} THEN {} ELSE {q} END",
                            quote_literal(from),
                            quote_literal(to)
                        )),
                        _ => t.column(&c.name).map(|_| q),
                    }
                })?);
            }
            out
        }
        Op::CreateTable(t) => create_table(t, before)?,
        Op::DropTable { name } => vec![Statement::new(format!("DROP TABLE {}", quote_ident(name)))],
        Op::RenameTable { from, to } => vec![Statement::new(format!(
            "ALTER TABLE {} RENAME TO {}",
            quote_ident(from),
            quote_ident(to)
        ))],
        Op::AddColumn {
            table: table_name,
            column: col,
        } => {
            let t = table(before, table_name)?;
            let has_default = col
                .default
                .as_ref()
                .is_some_and(|d| *d != DefaultValue::Null);
            let native = col.auto_increment.is_none()
                && col.default.as_ref().is_none_or(is_constant_default)
                && (col.nullable || has_default);
            if native {
                vec![Statement::new(format!(
                    "ALTER TABLE {} ADD COLUMN {}",
                    quote_ident(table_name),
                    column_sql(t, col, before, true)?
                ))]
            } else {
                if col.auto_increment.is_some() {
                    column_sql(t, col, before, true)?;
                }
                rebuild_same_columns(table_name, before, &after(op, before)?)?
            }
        }
        Op::DropColumn {
            table: table_name,
            column: col,
        } => {
            let t = table(before, table_name)?;
            column(t, col)?;
            if t.columns.len() == 1 {
                return Err(RenderError::Unsupported {
                    op: op.kind_name(),
                    dialect: D,
                    server: D.to_string(),
                    reason: format!(
                        "{col:?} is the only column of {table_name:?} and a SQLite table needs one; \
                         drop the table instead"
                    ),
                });
            }
            if can_drop_natively(t, col) {
                vec![Statement::new(format!(
                    "ALTER TABLE {} DROP COLUMN {}",
                    quote_ident(table_name),
                    quote_ident(col)
                ))]
            } else {
                rebuild_same_columns(table_name, before, &after(op, before)?)?
            }
        }
        Op::AlterColumn {
            table,
            column,
            change,
        } => alter_column(op, table, column, change, before)?,
        Op::CreateIndex { table, index, .. } => vec![create_index_sql(table, index)],
        Op::DropIndex { name, .. } => {
            vec![Statement::new(format!("DROP INDEX {}", quote_ident(name)))]
        }
        Op::AddForeignKey { table, .. }
        | Op::AddUnique { table, .. }
        | Op::AddCheck { table, .. }
        | Op::AddPrimaryKey { table, .. } => {
            rebuild_same_columns(table, before, &after(op, before)?)?
        }
        Op::DropConstraint {
            table: table_name,
            name,
            ..
        } => {
            if !table(before, table_name)?.has_constraint(name) {
                return Err(RenderError::MissingConstraint {
                    table: table_name.clone(),
                    name: name.clone(),
                });
            }
            rebuild_same_columns(table_name, before, &after(op, before)?)?
        }
        Op::CreateSequence(_) | Op::DropSequence { .. } => {
            return Err(RenderError::Unsupported {
                op: op.kind_name(),
                dialect: D,
                server: D.to_string(),
                reason: "SQLite has no sequences; use an autoincrement column, or raw SQL \
                         limited to PostgreSQL"
                    .into(),
            });
        }
        Op::BulkInsert { table, rows } => data::bulk_insert(&Sqlite, table, rows, before)?,
        Op::BulkDelete { table, rows } => data::bulk_delete(&Sqlite, table, rows, before)?,
        Op::Execute(raw) => raw_sql(&Sqlite, raw)?,
        Op::ChangeRows(change) => crate::dialect::row_change::change_rows(&Sqlite, change, before)?,
    })
}

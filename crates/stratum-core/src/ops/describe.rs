//! One-line descriptions of ops for people (`check`, `show`, lint output).

use super::Op;
use std::fmt;

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::CreateEnum(e) => write!(f, "create enum type {} ({})", e.name, e.values.join(", ")),
            Op::DropEnum { name } => write!(f, "drop enum type {name}"),
            Op::AddEnumValue {
                enum_name,
                value,
                before,
                after,
            } => {
                write!(f, "add value '{value}' to enum type {enum_name}")?;
                match (before, after) {
                    (Some(b), _) => write!(f, " before '{b}'"),
                    (_, Some(a)) => write!(f, " after '{a}'"),
                    _ => Ok(()),
                }
            }
            Op::RenameEnumValue {
                enum_name,
                from,
                to,
            } => write!(
                f,
                "rename value '{from}' of enum type {enum_name} to '{to}'"
            ),
            Op::CreateTable(t) => {
                write!(f, "create table {} ({} columns)", t.name, t.columns.len())
            }
            Op::DropTable { name } => write!(f, "drop table {name}"),
            Op::RenameTable { from, to } => write!(f, "rename table {from} to {to}"),
            Op::AddColumn { table, column } => write!(
                f,
                "add column {table}.{} {}{}",
                column.name,
                column.ty,
                if column.nullable { "" } else { " NOT NULL" }
            ),
            Op::DropColumn { table, column } => write!(f, "drop column {table}.{column}"),
            Op::AlterColumn {
                table,
                column,
                change,
            } => {
                write!(f, "alter column {table}.{column}:")?;
                if let Some(ty) = &change.ty {
                    write!(f, " type {ty}")?;
                }
                if let Some(n) = change.nullable {
                    write!(f, " {}", if n { "DROP NOT NULL" } else { "SET NOT NULL" })?;
                }
                match &change.default {
                    Some(Some(d)) => write!(f, " default {d}")?,
                    Some(None) => write!(f, " drop default")?,
                    None => {}
                }
                if let Some(r) = &change.rename {
                    write!(f, " rename to {r}")?;
                }
                Ok(())
            }
            Op::CreateIndex {
                table,
                index,
                concurrently,
            } => write!(
                f,
                "create {}index {} on {table} ({}){}",
                if index.unique { "unique " } else { "" },
                index.name,
                index.columns.join(", "),
                if *concurrently { " concurrently" } else { "" }
            ),
            Op::DropIndex { name, table, .. } => match table {
                Some(t) => write!(f, "drop index {name} on {t}"),
                None => write!(f, "drop index {name}"),
            },
            Op::AddForeignKey {
                table,
                foreign_key: fk,
                not_valid,
            } => write!(
                f,
                "add foreign key {} on {table} ({}) -> {} ({}){}",
                fk.name,
                fk.columns.join(", "),
                fk.ref_table,
                fk.ref_columns.join(", "),
                if *not_valid { " not valid" } else { "" }
            ),
            Op::AddUnique { table, unique } => write!(
                f,
                "add unique constraint {} on {table} ({})",
                unique.name,
                unique.columns.join(", ")
            ),
            Op::AddCheck { table, check, .. } => write!(
                f,
                "add check constraint {} on {table} ({})",
                check.name, check.expression
            ),
            Op::AddPrimaryKey { table, primary_key } => write!(
                f,
                "add primary key {} on {table} ({})",
                primary_key.name,
                primary_key.columns.join(", ")
            ),
            Op::ValidateConstraint { table, name } => {
                write!(f, "validate constraint {name} on {table}")
            }
            Op::DropConstraint { table, name, .. } => {
                write!(f, "drop constraint {name} on {table}")
            }
            Op::CreateSequence(s) => write!(f, "create sequence {}", s.name),
            Op::DropSequence { name } => write!(f, "drop sequence {name}"),
            Op::BulkInsert { table, rows } => {
                write!(f, "insert {} row(s) into {table}", rows.len())
            }
            Op::BulkDelete { table, rows } => {
                write!(f, "delete {} row(s) from {table}", rows.len())
            }
            Op::Execute(_) => f.write_str("execute raw SQL"),
            Op::ChangeRows(change) => {
                match &change.action {
                    super::RowAction::Update(set) => {
                        let cols: Vec<&str> = set.iter().map(|(c, _)| c.as_str()).collect();
                        write!(f, "update {} of {}", cols.join(", "), change.table)?;
                    }
                    super::RowAction::Delete => write!(f, "delete rows from {}", change.table)?,
                }
                match &change.filter {
                    Some(filter) => write!(f, " where {filter}"),
                    None => f.write_str(" (every row)"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn describes_ops_in_one_line() {
        let mut op = Ops::new();
        op.add_column("grid", col("note", varchar_n(20)).not_null());
        op.alter_column("grid", "name")
            .drop_not_null()
            .drop_default();
        op.create_index("ix_grid_note", "grid", ["note"]).unique();
        let lines: Vec<String> = op.as_slice().iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "add column grid.note varchar(20) NOT NULL",
                "alter column grid.name: DROP NOT NULL drop default",
                "create unique index ix_grid_note on grid (note)",
            ]
        );
    }
}

//! Columns: add, drop and alter.

use super::Result;
use super::error::SimulateError;
use super::require::*;
use crate::ops::ColumnChange;
use crate::schema::{Column, ForeignKey, Schema, Table};

pub(super) fn add_column(schema: &mut Schema, table: &str, column: &Column) -> Result<()> {
    let t = get_table(schema, table)?;
    if t.column(&column.name).is_some() {
        return Err(SimulateError::ColumnExists {
            table: table.to_string(),
            column: column.name.clone(),
        });
    }
    check_type(schema, table, column)?;
    let t = get_table_mut(schema, table)?;
    t.columns.push(column.clone());
    t.normalize();
    Ok(())
}

/// Rejects dropping `table.column` while a foreign key that survives the drop
/// references it (foreign keys of the same table on that column go with it).
pub(super) fn require_column_unreferenced(
    schema: &Schema,
    table: &str,
    column: &str,
) -> Result<()> {
    let doomed =
        |t: &Table, fk: &ForeignKey| t.name == table && fk.columns.iter().any(|c| c == column);
    for (by, fk) in schema.fks_referencing(table) {
        if fk.ref_columns.iter().any(|c| c == column) && !doomed(by, fk) {
            return Err(SimulateError::ColumnReferenced {
                table: table.to_string(),
                column: column.to_string(),
                by_table: by.name.clone(),
                by_fk: fk.name.clone(),
            });
        }
    }
    Ok(())
}

pub(super) fn drop_column(schema: &mut Schema, table: &str, column: &str) -> Result<()> {
    require_column(get_table(schema, table)?, column)?;
    require_column_unreferenced(schema, table, column)?;
    let t = get_table_mut(schema, table)?;
    t.remove_dependents(column);
    t.columns.retain(|c| c.name != column);
    Ok(())
}

pub(super) fn alter_column(
    schema: &mut Schema,
    table: &str,
    column: &str,
    change: &ColumnChange,
) -> Result<()> {
    let t = get_table(schema, table)?;
    let old = t
        .column(column)
        .ok_or_else(|| SimulateError::NoSuchColumn {
            table: table.to_string(),
            column: column.to_string(),
        })?;
    let new = changed_column(old, change);
    if new.name != old.name && t.column(&new.name).is_some() {
        return Err(SimulateError::ColumnExists {
            table: table.to_string(),
            column: new.name.clone(),
        });
    }
    let in_pk = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| c == column));
    if change.nullable == Some(true) && in_pk {
        return Err(SimulateError::ColumnInPrimaryKey {
            table: table.to_string(),
            column: column.to_string(),
        });
    }
    check_type(schema, table, &new)?;
    let t = get_table_mut(schema, table)?;
    let rename = (new.name != column).then(|| new.name.clone());
    *t.column_mut(column).expect("checked above") = new;
    if let Some(to) = rename {
        rename_column_refs(schema, table, column, &to);
    }
    get_table_mut(schema, table)?.normalize();
    Ok(())
}

/// `old` with `change` applied (the name included).
pub(super) fn changed_column(old: &Column, change: &ColumnChange) -> Column {
    let mut new = old.clone();
    if let Some(ty) = &change.ty {
        new.ty = ty.clone();
    }
    if let Some(n) = change.nullable {
        new.nullable = n;
    }
    if let Some(d) = &change.default {
        new.default = d.clone();
    }
    if let Some(r) = &change.rename {
        new.name = r.clone();
    }
    new
}

/// Renames column `from` of `table` to `to` wherever it is named: the table's keys,
/// indexes, constraints and expressions, and other tables' foreign keys.
pub(super) fn rename_column_refs(schema: &mut Schema, table: &str, from: &str, to: &str) {
    let swap = |cols: &mut Vec<String>| {
        for c in cols.iter_mut().filter(|c| *c == from) {
            *c = to.to_string();
        }
    };
    for fk in schema
        .tables
        .values_mut()
        .flat_map(|t| t.foreign_keys.values_mut())
        .filter(|fk| fk.ref_table == table)
    {
        swap(&mut fk.ref_columns);
    }
    let Some(t) = schema.table_mut(table) else {
        return;
    };
    if let Some(pk) = &mut t.primary_key {
        swap(&mut pk.columns);
    }
    t.foreign_keys
        .values_mut()
        .for_each(|fk| swap(&mut fk.columns));
    t.uniques.values_mut().for_each(|u| swap(&mut u.columns));
    for i in t.indexes.values_mut() {
        swap(&mut i.columns);
        if let Some(p) = &mut i.predicate {
            *p = crate::expr::rename_identifier(p, from, to);
        }
    }
    for c in t.checks.values_mut() {
        c.expression = crate::expr::rename_identifier(&c.expression, from, to);
    }
}

//! Indexes and constraints: create, drop and validate.

use super::Result;
use super::error::SimulateError;
use super::require::*;
use super::tables::resolve_fk;
use crate::schema::{
    CheckConstraint, ConstraintKind, ForeignKey, Index, PrimaryKey, Schema, Table, UniqueConstraint,
};

pub(super) fn create_index(schema: &mut Schema, table: &str, index: &Index) -> Result<()> {
    let t = get_table(schema, table)?;
    require_columns(t, &index.name, &index.columns)?;
    if let Some(holder) = schema.table_of_index(&index.name) {
        return Err(SimulateError::IndexExists {
            table: holder.name.clone(),
            name: index.name.clone(),
        });
    }
    require_free_name(schema, &index.name)?;
    let t = get_table_mut(schema, table)?;
    t.indexes.insert(index.name.clone(), index.clone());
    t.normalize();
    Ok(())
}

pub(super) fn drop_index(schema: &mut Schema, table: Option<&str>, name: &str) -> Result<()> {
    let missing = || SimulateError::NoSuchIndex {
        table: table.map(str::to_string),
        name: name.to_string(),
    };
    let t = match table {
        Some(t) => get_table(schema, t)?,
        None => schema.table_of_index(name).ok_or_else(missing)?,
    };
    let index = t.indexes.get(name).ok_or_else(missing)?;
    if index.unique && index.predicate.is_none() {
        require_key_unreferenced(schema, t, name, &index.columns)?;
    }
    let table_name = t.name.clone();
    get_table_mut(schema, &table_name)?.indexes.remove(name);
    Ok(())
}

pub(super) fn add_foreign_key(schema: &mut Schema, table: &str, fk: &ForeignKey) -> Result<()> {
    let t = get_table(schema, table)?;
    require_free_constraint(t, &fk.name)?;
    let fk = resolve_fk(schema, t, fk)?;
    get_table_mut(schema, table)?
        .foreign_keys
        .insert(fk.name.clone(), fk);
    Ok(())
}

pub(super) fn add_unique(
    schema: &mut Schema,
    table: &str,
    unique: &UniqueConstraint,
) -> Result<()> {
    let t = get_table(schema, table)?;
    require_columns(t, &unique.name, &unique.columns)?;
    require_free_constraint(t, &unique.name)?;
    require_free_name(schema, &unique.name)?;
    get_table_mut(schema, table)?
        .uniques
        .insert(unique.name.clone(), unique.clone());
    Ok(())
}

pub(super) fn add_check(schema: &mut Schema, table: &str, check: &CheckConstraint) -> Result<()> {
    require_free_constraint(get_table(schema, table)?, &check.name)?;
    let t = get_table_mut(schema, table)?;
    t.checks.insert(check.name.clone(), check.clone());
    t.normalize();
    Ok(())
}

pub(super) fn add_primary_key(schema: &mut Schema, table: &str, pk: &PrimaryKey) -> Result<()> {
    let t = get_table(schema, table)?;
    if let Some(existing) = &t.primary_key {
        return Err(SimulateError::PrimaryKeyExists {
            table: table.to_string(),
            name: existing.name.clone(),
        });
    }
    require_columns(t, &pk.name, &pk.columns)?;
    require_free_constraint(t, &pk.name)?;
    require_free_name(schema, &pk.name)?;
    let t = get_table_mut(schema, table)?;
    t.primary_key = Some(pk.clone());
    t.normalize();
    Ok(())
}

/// The kind of constraint `name` of `table`, checked against the `kind` an op gives.
pub(super) fn constraint_kind(
    t: &Table,
    name: &str,
    kind: Option<ConstraintKind>,
) -> Result<ConstraintKind> {
    let found = t
        .constraint_kind(name)
        .ok_or_else(|| SimulateError::NoSuchConstraint {
            table: t.name.clone(),
            name: name.to_string(),
        })?;
    match kind {
        Some(expected) if expected != found => Err(SimulateError::ConstraintKindMismatch {
            table: t.name.clone(),
            name: name.to_string(),
            expected,
            found,
        }),
        _ => Ok(found),
    }
}

pub(super) fn validate_constraint(schema: &Schema, table: &str, name: &str) -> Result<()> {
    match constraint_kind(get_table(schema, table)?, name, None)? {
        ConstraintKind::ForeignKey | ConstraintKind::Check => Ok(()),
        kind => Err(SimulateError::NotValidatable {
            table: table.to_string(),
            name: name.to_string(),
            kind,
        }),
    }
}

pub(super) fn drop_constraint(
    schema: &mut Schema,
    table: &str,
    name: &str,
    kind: Option<ConstraintKind>,
) -> Result<()> {
    let t = get_table(schema, table)?;
    let kind = constraint_kind(t, name, kind)?;
    let key_columns = match kind {
        ConstraintKind::PrimaryKey => t.primary_key.as_ref().map(|pk| pk.columns.clone()),
        ConstraintKind::Unique => t.uniques.get(name).map(|u| u.columns.clone()),
        _ => None,
    };
    if let Some(cols) = key_columns {
        require_key_unreferenced(schema, t, name, &cols)?;
    }
    let t = get_table_mut(schema, table)?;
    match kind {
        ConstraintKind::PrimaryKey => t.primary_key = None,
        ConstraintKind::ForeignKey => {
            t.foreign_keys.remove(name);
        }
        ConstraintKind::Unique => {
            t.uniques.remove(name);
        }
        ConstraintKind::Check => {
            t.checks.remove(name);
        }
    }
    Ok(())
}

//! Tables: create (with their columns and keys), drop and rename.

use super::Result;
use super::error::SimulateError;
use super::require::*;
use crate::schema::{ColumnType, ForeignKey, Schema, Table};
use std::collections::{BTreeMap, BTreeSet};

/// The table as it should be stored: maps keyed by the objects' own names, foreign
/// keys with their referenced columns resolved, normal form.
pub(super) fn create_table(schema: &mut Schema, table: &Table) -> Result<()> {
    if schema.tables.contains_key(&table.name) {
        return Err(SimulateError::TableExists {
            table: table.name.clone(),
        });
    }
    require_free_name(schema, &table.name)?;
    let mut t = rekeyed(table);
    check_new_columns(schema, &t)?;
    check_new_keys(schema, &t)?;
    let mut fks = BTreeMap::new();
    for fk in t.foreign_keys.values() {
        let fk = resolve_fk(schema, &t, fk)?;
        fks.insert(fk.name.clone(), fk);
    }
    t.foreign_keys = fks;
    t.normalize();
    schema.insert_table(t);
    Ok(())
}

/// A copy of `table` whose maps are keyed by each object's `name` field.
pub(super) fn rekeyed(table: &Table) -> Table {
    Table {
        name: table.name.clone(),
        columns: table.columns.clone(),
        primary_key: table.primary_key.clone(),
        foreign_keys: by_name(table.foreign_keys.values(), |f| &f.name),
        indexes: by_name(table.indexes.values(), |i| &i.name),
        uniques: by_name(table.uniques.values(), |u| &u.name),
        checks: by_name(table.checks.values(), |c| &c.name),
    }
}

pub(super) fn by_name<'a, T: Clone + 'a>(
    items: impl Iterator<Item = &'a T>,
    name: impl Fn(&T) -> &String,
) -> BTreeMap<String, T> {
    items.map(|x| (name(x).clone(), x.clone())).collect()
}

pub(super) fn check_new_columns(schema: &Schema, t: &Table) -> Result<()> {
    let mut seen = BTreeSet::new();
    for c in &t.columns {
        if !seen.insert(&c.name) {
            return Err(SimulateError::ColumnExists {
                table: t.name.clone(),
                column: c.name.clone(),
            });
        }
        check_type(schema, &t.name, c)?;
    }
    Ok(())
}

/// Checks the primary key, uniques, checks and indexes of a new table: columns
/// exist, constraint names are unique in the table, index-like names are free
/// schema-wide.
pub(super) fn check_new_keys(schema: &Schema, t: &Table) -> Result<()> {
    let mut constraint_names = BTreeSet::new();
    let mut relation_names = BTreeSet::from([t.name.clone()]);
    // `constraint`: the name is a constraint of the table; `relation`: it names an
    // index (its own, or the one behind a primary key or unique constraint).
    let mut claim = |name: &String, constraint: bool, relation: bool| -> Result<()> {
        if constraint && !constraint_names.insert(name.clone()) {
            return Err(SimulateError::ConstraintExists {
                table: t.name.clone(),
                name: name.clone(),
            });
        }
        if relation {
            if !relation_names.insert(name.clone()) {
                return Err(SimulateError::NameInUse {
                    name: name.clone(),
                    used_by: format!("another object of table {}", t.name),
                });
            }
            require_free_name(schema, name)?;
        }
        Ok(())
    };
    if let Some(pk) = &t.primary_key {
        require_columns(t, &pk.name, &pk.columns)?;
        claim(&pk.name, true, true)?;
    }
    for u in t.uniques.values() {
        require_columns(t, &u.name, &u.columns)?;
        claim(&u.name, true, true)?;
    }
    for c in t.checks.values() {
        claim(&c.name, true, false)?;
    }
    for fk in t.foreign_keys.values() {
        claim(&fk.name, true, false)?;
    }
    for i in t.indexes.values() {
        require_columns(t, &i.name, &i.columns)?;
        claim(&i.name, false, true)?;
    }
    Ok(())
}

/// Validates a foreign key of `table` (which may not be in `schema` yet) and
/// returns it with empty referenced columns resolved to the target's primary key.
pub(super) fn resolve_fk(schema: &Schema, table: &Table, fk: &ForeignKey) -> Result<ForeignKey> {
    require_columns(table, &fk.name, &fk.columns)?;
    let target = if fk.ref_table == table.name {
        table
    } else {
        schema
            .table(&fk.ref_table)
            .ok_or_else(|| SimulateError::ForeignKeyTarget {
                table: table.name.clone(),
                fk: fk.name.clone(),
                ref_table: fk.ref_table.clone(),
            })?
    };
    let mut fk = fk.clone();
    if fk.ref_columns.is_empty() {
        let pk = target
            .primary_key
            .as_ref()
            .ok_or_else(|| SimulateError::NoPrimaryKey {
                table: target.name.clone(),
            })?;
        fk.ref_columns = pk.columns.clone();
    }
    if fk.ref_columns.len() != fk.columns.len() {
        return Err(SimulateError::ForeignKeyArity {
            table: table.name.clone(),
            fk: fk.name.clone(),
            columns: fk.columns.len(),
            ref_columns: fk.ref_columns.len(),
        });
    }
    fk.ref_columns
        .iter()
        .try_for_each(|c| require_column(target, c))?;
    if !target.has_key(&fk.ref_columns, None) {
        return Err(SimulateError::ForeignKeyNotUnique {
            table: table.name.clone(),
            fk: fk.name.clone(),
            ref_table: target.name.clone(),
            ref_columns: fk.ref_columns.clone(),
        });
    }
    check_fk_types(table, target, &fk)?;
    Ok(fk)
}

/// Rejects a foreign key whose column types PostgreSQL cannot compare with the
/// referenced ones (integers with integers, strings with strings, timestamps with
/// timestamps, floats with floats; other types must match exactly).
pub(super) fn check_fk_types(table: &Table, target: &Table, fk: &ForeignKey) -> Result<()> {
    for (c, r) in fk.columns.iter().zip(&fk.ref_columns) {
        let (Some(col), Some(rcol)) = (table.column(c), target.column(r)) else {
            continue;
        };
        if !comparable(&col.ty, &rcol.ty) {
            return Err(SimulateError::ForeignKeyTypes {
                table: table.name.clone(),
                fk: fk.name.clone(),
                column: c.clone(),
                references: format!("{}.{r}", target.name),
                types: format!("{} vs {}", col.ty, rcol.ty),
            });
        }
    }
    Ok(())
}

/// Whether values of the two types can be compared by a foreign key.
pub(super) fn comparable(a: &ColumnType, b: &ColumnType) -> bool {
    use ColumnType as T;
    let family = |t: &ColumnType| match t {
        T::SmallInt | T::Integer | T::BigInt => Some(0),
        T::Text | T::Varchar(_) => Some(1),
        T::Timestamp { .. } => Some(2),
        T::Real | T::Double => Some(3),
        T::Numeric { .. } => Some(4),
        _ => None,
    };
    matches!((a, b), (T::Custom(_), _) | (_, T::Custom(_)))
        || a == b
        || family(a).is_some_and(|f| family(b) == Some(f))
}

pub(super) fn drop_table(schema: &mut Schema, name: &str) -> Result<()> {
    get_table(schema, name)?;
    if let Some((by, fk)) = schema.fks_referencing(name).find(|(t, _)| t.name != name) {
        return Err(SimulateError::TableReferenced {
            table: name.to_string(),
            by_table: by.name.clone(),
            by_fk: fk.name.clone(),
        });
    }
    schema.tables.remove(name);
    Ok(())
}

pub(super) fn rename_table(schema: &mut Schema, from: &str, to: &str) -> Result<()> {
    get_table(schema, from)?;
    if from == to {
        return Ok(());
    }
    if schema.tables.contains_key(to) {
        return Err(SimulateError::TableExists {
            table: to.to_string(),
        });
    }
    require_free_name(schema, to)?;
    let mut t = schema.tables.remove(from).expect("checked above");
    t.name = to.to_string();
    schema.insert_table(t);
    for fk in schema
        .tables
        .values_mut()
        .flat_map(|t| t.foreign_keys.values_mut())
    {
        if fk.ref_table == from {
            fk.ref_table = to.to_string();
        }
    }
    Ok(())
}

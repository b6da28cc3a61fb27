//! Lookups and checks shared by the op families: the table, column or name an op
//! needs, and whether a new column's type and default fit.

use super::Result;
use super::error::SimulateError;
use crate::schema::{Column, ColumnType, DefaultValue, Schema, Table};

pub(super) fn get_table<'a>(schema: &'a Schema, name: &str) -> Result<&'a Table> {
    schema
        .table(name)
        .ok_or_else(|| SimulateError::NoSuchTable {
            table: name.to_string(),
        })
}

pub(super) fn get_table_mut<'a>(schema: &'a mut Schema, name: &str) -> Result<&'a mut Table> {
    schema
        .table_mut(name)
        .ok_or_else(|| SimulateError::NoSuchTable {
            table: name.to_string(),
        })
}

pub(super) fn require_column(table: &Table, column: &str) -> Result<()> {
    match table.column(column) {
        Some(_) => Ok(()),
        None => Err(SimulateError::NoSuchColumn {
            table: table.name.clone(),
            column: column.to_string(),
        }),
    }
}

pub(super) fn require_columns(table: &Table, name: &str, columns: &[String]) -> Result<()> {
    if columns.is_empty() {
        return Err(SimulateError::NoColumns {
            table: table.name.clone(),
            name: name.to_string(),
        });
    }
    columns.iter().try_for_each(|c| require_column(table, c))
}

pub(super) fn require_free_name(schema: &Schema, name: &str) -> Result<()> {
    match schema.name_holder(name) {
        Some(used_by) => Err(SimulateError::NameInUse {
            name: name.to_string(),
            used_by,
        }),
        None => Ok(()),
    }
}

pub(super) fn require_free_constraint(table: &Table, name: &str) -> Result<()> {
    if table.has_constraint(name) {
        Err(SimulateError::ConstraintExists {
            table: table.name.clone(),
            name: name.to_string(),
        })
    } else {
        Ok(())
    }
}

/// Rejects dropping the key `name` of `table` (whose columns are `columns`) while a
/// foreign key references exactly those columns. This holds even when another key
/// covers the same columns: PostgreSQL ties a foreign key to the one index it found
/// when the key was made, and which one that was is not part of the model, so the
/// simulator refuses the drop either way (drop the foreign key first).
pub(super) fn require_key_unreferenced(
    schema: &Schema,
    table: &Table,
    name: &str,
    columns: &[String],
) -> Result<()> {
    match schema.fks_referencing_key(&table.name, columns).next() {
        Some((by, fk)) => Err(SimulateError::KeyReferenced {
            table: table.name.clone(),
            name: name.to_string(),
            by_table: by.name.clone(),
            by_fk: fk.name.clone(),
        }),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------- columns and types

pub(super) fn check_type(schema: &Schema, table: &str, column: &Column) -> Result<()> {
    if let ColumnType::Enum(name) = &column.ty
        && !schema.enums.contains_key(name)
    {
        return Err(SimulateError::UnknownType {
            table: table.to_string(),
            column: column.name.clone(),
            enum_name: name.clone(),
        });
    }
    check_default(schema, table, column)
}

/// Rejects literal defaults that cannot be values of the column's type.
pub(super) fn check_default(schema: &Schema, table: &str, column: &Column) -> Result<()> {
    let Some(default) = &column.default else {
        return Ok(());
    };
    let reason = default_mismatch(schema, &column.ty, default);
    match reason {
        None => Ok(()),
        Some(reason) => Err(SimulateError::InvalidDefault {
            table: table.to_string(),
            column: column.name.clone(),
            reason,
        }),
    }
}

pub(super) fn default_mismatch(
    schema: &Schema,
    ty: &ColumnType,
    default: &DefaultValue,
) -> Option<String> {
    use ColumnType as T;
    use DefaultValue as D;
    match (ty, default) {
        (T::Enum(e), D::Text(label)) => {
            let values = &schema.enums.get(e)?.values;
            (!values.contains(label))
                .then(|| format!("{label:?} is not a value of enum type {e:?}"))
        }
        (T::Boolean, D::Int(_) | D::Decimal(_)) => Some("a number is not a boolean".into()),
        (T::SmallInt | T::Integer | T::BigInt, D::Bool(_)) => {
            Some("a boolean is not an integer".into())
        }
        (T::SmallInt | T::Integer | T::BigInt, D::Decimal(_)) => {
            Some("a decimal is not an integer".into())
        }
        (T::Varchar(Some(n)), D::Text(s)) if s.chars().count() > *n as usize => {
            Some(format!("{s:?} is longer than {n} characters"))
        }
        _ => None,
    }
}

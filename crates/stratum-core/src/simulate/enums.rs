//! Enum types: create, drop, add and rename values.

use super::Result;
use super::error::SimulateError;
use super::require::*;
use crate::schema::{ColumnType, DefaultValue, EnumType, Schema};
use std::collections::BTreeSet;

pub(super) fn create_enum(schema: &mut Schema, e: &EnumType) -> Result<()> {
    if schema.enums.contains_key(&e.name) {
        return Err(SimulateError::EnumExists {
            name: e.name.clone(),
        });
    }
    require_free_name(schema, &e.name)?;
    let mut seen = BTreeSet::new();
    for v in &e.values {
        if !seen.insert(v) {
            return Err(SimulateError::EnumValueExists {
                enum_name: e.name.clone(),
                value: v.clone(),
            });
        }
    }
    schema.insert_enum(e.clone());
    Ok(())
}

pub(super) fn get_enum_mut<'a>(schema: &'a mut Schema, name: &str) -> Result<&'a mut EnumType> {
    schema
        .enums
        .get_mut(name)
        .ok_or_else(|| SimulateError::NoSuchEnum {
            name: name.to_string(),
        })
}

pub(super) fn drop_enum(schema: &mut Schema, name: &str) -> Result<()> {
    if !schema.enums.contains_key(name) {
        return Err(SimulateError::NoSuchEnum {
            name: name.to_string(),
        });
    }
    if let Some((t, c)) = schema.enum_user(name) {
        return Err(SimulateError::EnumInUse {
            enum_name: name.to_string(),
            table: t.name.clone(),
            column: c.name.clone(),
        });
    }
    schema.enums.remove(name);
    Ok(())
}

pub(super) fn add_enum_value(
    schema: &mut Schema,
    enum_name: &str,
    value: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    let e = get_enum_mut(schema, enum_name)?;
    let err_missing = |v: &str| SimulateError::NoSuchEnumValue {
        enum_name: enum_name.to_string(),
        value: v.to_string(),
    };
    if e.values.iter().any(|v| v == value) {
        return Err(SimulateError::EnumValueExists {
            enum_name: enum_name.to_string(),
            value: value.to_string(),
        });
    }
    let at = match (before, after) {
        (Some(_), Some(_)) => {
            return Err(SimulateError::EnumValuePosition {
                enum_name: enum_name.to_string(),
            });
        }
        (Some(b), None) => position(&e.values, b).ok_or_else(|| err_missing(b))?,
        (None, Some(a)) => position(&e.values, a).ok_or_else(|| err_missing(a))? + 1,
        (None, None) => e.values.len(),
    };
    e.values.insert(at, value.to_string());
    Ok(())
}

pub(super) fn position(values: &[String], v: &str) -> Option<usize> {
    values.iter().position(|x| x == v)
}

pub(super) fn rename_enum_value(
    schema: &mut Schema,
    enum_name: &str,
    from: &str,
    to: &str,
) -> Result<()> {
    let e = get_enum_mut(schema, enum_name)?;
    if from != to && e.values.iter().any(|v| v == to) {
        return Err(SimulateError::EnumValueExists {
            enum_name: enum_name.to_string(),
            value: to.to_string(),
        });
    }
    let at = position(&e.values, from).ok_or_else(|| SimulateError::NoSuchEnumValue {
        enum_name: enum_name.to_string(),
        value: from.to_string(),
    })?;
    e.values[at] = to.to_string();
    let ty = ColumnType::Enum(enum_name.to_string());
    let old = Some(DefaultValue::Text(from.to_string()));
    for col in schema
        .tables
        .values_mut()
        .flat_map(|t| t.columns.iter_mut())
    {
        if col.ty == ty && col.default == old {
            col.default = Some(DefaultValue::Text(to.to_string()));
        }
    }
    Ok(())
}

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

pub(crate) mod expr;
#[cfg(test)]
pub(crate) mod tests;

use crate::ops::{ColumnChange, Op, Rows};
use crate::schema::{
    CheckConstraint, Column, ColumnType, ConstraintKind, DefaultValue, EnumType, ForeignKey, Index,
    PrimaryKey, Schema, Sequence, Table, UniqueConstraint,
};
use std::collections::{BTreeMap, BTreeSet};

/// Why an op cannot be applied to a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimulateError {
    /// Op number `index` of a sequence failed (see [`apply_all`]).
    #[error("op #{index} ({kind}) cannot be applied: {source}")]
    AtOp {
        /// Position of the failing op, from 0.
        index: usize,
        /// The op's kind name.
        kind: &'static str,
        /// What went wrong.
        #[source]
        source: Box<SimulateError>,
    },
    /// A table of that name exists already.
    #[error("table {table:?} already exists; choose another name or drop it first")]
    TableExists {
        /// Table name.
        table: String,
    },
    /// No table of that name.
    #[error("table {table:?} does not exist; check the name or create it first")]
    NoSuchTable {
        /// Table name.
        table: String,
    },
    /// The name is taken by another object of the shared namespace (tables, indexes,
    /// sequences, primary key and unique constraint indexes, types).
    #[error("the name {name:?} is already used by {used_by}; choose another name")]
    NameInUse {
        /// The contested name.
        name: String,
        /// What holds it (`table`, `index`, `sequence`, `enum type`, `constraint on t`).
        used_by: String,
    },
    /// No column of that name.
    #[error("column {table}.{column} does not exist; check the name or add it first")]
    NoSuchColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// A column of that name exists already.
    #[error("column {table}.{column} already exists; choose another name")]
    ColumnExists {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// No index of that name.
    #[error("index {name:?} does not exist{}; check the name", table_suffix(table))]
    NoSuchIndex {
        /// The table it was looked for in, if one was given.
        table: Option<String>,
        /// Index name.
        name: String,
    },
    /// An index of that name exists already.
    #[error("index {name:?} already exists (on table {table:?}); choose another name")]
    IndexExists {
        /// The table holding it.
        table: String,
        /// Index name.
        name: String,
    },
    /// An index, key or constraint lists no columns.
    #[error("{name:?} on table {table:?} lists no columns; give at least one")]
    NoColumns {
        /// Table name.
        table: String,
        /// Index or constraint name.
        name: String,
    },
    /// No constraint of that name (or not of the requested kind).
    #[error("constraint {name:?} does not exist on table {table:?}; check the name and kind")]
    NoSuchConstraint {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
    },
    /// The constraint exists but is of another kind than the op says.
    #[error("constraint {name:?} on table {table:?} is a {found:?}, not a {expected:?}")]
    ConstraintKindMismatch {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
        /// The kind the op asked for.
        expected: ConstraintKind,
        /// The kind it is.
        found: ConstraintKind,
    },
    /// A constraint of that name exists on the table already.
    #[error("constraint {name:?} already exists on table {table:?}; choose another name")]
    ConstraintExists {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
    },
    /// The table has a primary key already.
    #[error("table {table:?} already has primary key {name:?}; drop it first")]
    PrimaryKeyExists {
        /// Table name.
        table: String,
        /// The existing key's name.
        name: String,
    },
    /// A foreign key names no referenced columns and the target has no primary key.
    #[error("table {table:?} has no primary key; name the referenced columns explicitly")]
    NoPrimaryKey {
        /// Table name.
        table: String,
    },
    /// No enum type of that name.
    #[error("enum type {name:?} does not exist; create it first")]
    NoSuchEnum {
        /// Type name.
        name: String,
    },
    /// An enum type of that name exists already.
    #[error("enum type {name:?} already exists; drop it first or choose another name")]
    EnumExists {
        /// Type name.
        name: String,
    },
    /// The enum type has that label already.
    #[error("enum type {enum_name:?} already has the value {value:?}")]
    EnumValueExists {
        /// Type name.
        enum_name: String,
        /// Label.
        value: String,
    },
    /// The enum type has no such label.
    #[error("enum type {enum_name:?} has no value {value:?}")]
    NoSuchEnumValue {
        /// Type name.
        enum_name: String,
        /// Label.
        value: String,
    },
    /// Both `before` and `after` were given for a new enum label.
    #[error("a new value of enum type {enum_name:?} can go before or after a value, not both")]
    EnumValuePosition {
        /// Type name.
        enum_name: String,
    },
    /// The enum type is still used by a column.
    #[error(
        "enum type {enum_name:?} is used by column {table}.{column}; change or drop that column first"
    )]
    EnumInUse {
        /// Type name.
        enum_name: String,
        /// Table of the column using it.
        table: String,
        /// The column using it.
        column: String,
    },
    /// The table is still referenced by another table's foreign key.
    #[error(
        "table {table:?} is referenced by foreign key {by_fk:?} of table {by_table:?}; drop that first"
    )]
    TableReferenced {
        /// The referenced table.
        table: String,
        /// The referencing table.
        by_table: String,
        /// The foreign key.
        by_fk: String,
    },
    /// The column is still referenced by a foreign key.
    #[error(
        "column {table}.{column} is referenced by foreign key {by_fk:?} of table {by_table:?}; drop that first"
    )]
    ColumnReferenced {
        /// The referenced table.
        table: String,
        /// The referenced column.
        column: String,
        /// The referencing table.
        by_table: String,
        /// The foreign key.
        by_fk: String,
    },
    /// A key (primary key, unique constraint or unique index) is what a foreign key
    /// relies on.
    #[error(
        "{name:?} on table {table:?} backs foreign key {by_fk:?} of table {by_table:?}; drop that first"
    )]
    KeyReferenced {
        /// The referenced table.
        table: String,
        /// The key's name.
        name: String,
        /// The referencing table.
        by_table: String,
        /// The foreign key.
        by_fk: String,
    },
    /// A column uses an enum type that does not exist.
    #[error(
        "column {table}.{column} uses enum type {enum_name:?}, which does not exist; create it first"
    )]
    UnknownType {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// The missing type.
        enum_name: String,
    },
    /// A foreign key's referenced table does not exist.
    #[error(
        "foreign key {fk:?} of table {table:?} references table {ref_table:?}, which does not exist"
    )]
    ForeignKeyTarget {
        /// Referencing table.
        table: String,
        /// Foreign key name.
        fk: String,
        /// The missing table.
        ref_table: String,
    },
    /// A foreign key lists different numbers of referencing and referenced columns.
    #[error(
        "foreign key {fk:?} of table {table:?} has {columns} columns but references {ref_columns}"
    )]
    ForeignKeyArity {
        /// Referencing table.
        table: String,
        /// Foreign key name.
        fk: String,
        /// Number of referencing columns.
        columns: usize,
        /// Number of referenced columns.
        ref_columns: usize,
    },
    /// A referencing column's type cannot be compared with the referenced column's.
    #[error(
        "foreign key {fk:?} of table {table:?}: column {column} cannot reference {references} ({types}); use the same type"
    )]
    ForeignKeyTypes {
        /// Referencing table.
        table: String,
        /// Foreign key name.
        fk: String,
        /// Referencing column.
        column: String,
        /// The referenced column, as `table.column`.
        references: String,
        /// The two types, as `text vs integer`.
        types: String,
    },
    /// Only foreign keys and check constraints can be validated.
    #[error(
        "constraint {name:?} on table {table:?} is a {kind:?}; only foreign keys and checks can be validated"
    )]
    NotValidatable {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
        /// Its kind.
        kind: ConstraintKind,
    },
    /// The referenced columns are not covered by a key.
    #[error("foreign key {fk:?} of table {table:?} references {ref_table}({}), which has no primary key, unique constraint or unique index on exactly those columns", ref_columns.join(", "))]
    ForeignKeyNotUnique {
        /// Referencing table.
        table: String,
        /// Foreign key name.
        fk: String,
        /// Referenced table.
        ref_table: String,
        /// Referenced columns.
        ref_columns: Vec<String>,
    },
    /// A primary key column cannot be made nullable.
    #[error(
        "column {table}.{column} is part of the primary key and cannot allow NULL; drop the key first"
    )]
    ColumnInPrimaryKey {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// A column default does not fit the column's type.
    #[error("the default of column {table}.{column} is not valid: {reason}")]
    InvalidDefault {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// What is wrong.
        reason: String,
    },
    /// No sequence of that name.
    #[error("sequence {name:?} does not exist; check the name")]
    NoSuchSequence {
        /// Sequence name.
        name: String,
    },
    /// A sequence of that name exists already.
    #[error("sequence {name:?} already exists; choose another name")]
    SequenceExists {
        /// Sequence name.
        name: String,
    },
    /// A sequence with an increment of zero.
    #[error("sequence {name:?} has increment 0; use a non-zero step")]
    ZeroIncrement {
        /// Sequence name.
        name: String,
    },
}

fn table_suffix(table: &Option<String>) -> String {
    table
        .as_ref()
        .map(|t| format!(" on table {t:?}"))
        .unwrap_or_default()
}

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

// ---------------------------------------------------------------- lookups

fn get_table<'a>(schema: &'a Schema, name: &str) -> Result<&'a Table> {
    schema
        .table(name)
        .ok_or_else(|| SimulateError::NoSuchTable {
            table: name.to_string(),
        })
}

fn get_table_mut<'a>(schema: &'a mut Schema, name: &str) -> Result<&'a mut Table> {
    schema
        .table_mut(name)
        .ok_or_else(|| SimulateError::NoSuchTable {
            table: name.to_string(),
        })
}

fn require_column(table: &Table, column: &str) -> Result<()> {
    match table.column(column) {
        Some(_) => Ok(()),
        None => Err(SimulateError::NoSuchColumn {
            table: table.name.clone(),
            column: column.to_string(),
        }),
    }
}

fn require_columns(table: &Table, name: &str, columns: &[String]) -> Result<()> {
    if columns.is_empty() {
        return Err(SimulateError::NoColumns {
            table: table.name.clone(),
            name: name.to_string(),
        });
    }
    columns.iter().try_for_each(|c| require_column(table, c))
}

/// What holds `name` in the namespace shared by tables, indexes (including those of
/// primary keys and unique constraints), sequences and types, if anything.
pub(crate) fn name_holder(schema: &Schema, name: &str) -> Option<String> {
    if schema.tables.contains_key(name) {
        return Some("table".into());
    }
    if schema.enums.contains_key(name) {
        return Some("enum type".into());
    }
    if schema.sequences.contains_key(name) {
        return Some("sequence".into());
    }
    schema
        .tables
        .values()
        .find_map(|t| index_like_holder(t, name))
}

fn index_like_holder(table: &Table, name: &str) -> Option<String> {
    let t = &table.name;
    if table.indexes.contains_key(name) {
        Some(format!("an index on {t}"))
    } else if table.uniques.contains_key(name)
        || table.primary_key.as_ref().is_some_and(|pk| pk.name == name)
    {
        Some(format!("a constraint on {t}"))
    } else {
        None
    }
}

fn require_free_name(schema: &Schema, name: &str) -> Result<()> {
    match name_holder(schema, name) {
        Some(used_by) => Err(SimulateError::NameInUse {
            name: name.to_string(),
            used_by,
        }),
        None => Ok(()),
    }
}

fn require_free_constraint(table: &Table, name: &str) -> Result<()> {
    if table.has_constraint(name) {
        Err(SimulateError::ConstraintExists {
            table: table.name.clone(),
            name: name.to_string(),
        })
    } else {
        Ok(())
    }
}

/// Whether `table` has a key (primary key, unique constraint or non-partial unique
/// index) on exactly the column set `columns`, not counting the key named `except`.
pub(crate) fn has_key(table: &Table, columns: &[String], except: Option<&str>) -> bool {
    let want: BTreeSet<&String> = columns.iter().collect();
    let same = |cols: &[String]| same_column_set(cols, &want);
    let kept = |name: &str| except != Some(name);
    table
        .primary_key
        .iter()
        .any(|pk| kept(&pk.name) && same(&pk.columns))
        || table
            .uniques
            .values()
            .any(|u| kept(&u.name) && same(&u.columns))
        || table
            .indexes
            .values()
            .any(|i| kept(&i.name) && i.unique && i.predicate.is_none() && same(&i.columns))
}

/// Foreign keys of any table (as `(table, fk)`) that reference `table`.
pub(crate) fn fks_referencing<'a>(
    schema: &'a Schema,
    table: &'a str,
) -> impl Iterator<Item = (&'a Table, &'a ForeignKey)> + 'a {
    schema.tables.values().flat_map(move |t| {
        t.foreign_keys
            .values()
            .filter(move |fk| fk.ref_table == table)
            .map(move |fk| (t, fk))
    })
}

/// Whether `cols` name the column set `set`: as many columns, each one in it
/// (in any order).
fn same_column_set(cols: &[String], set: &BTreeSet<&String>) -> bool {
    cols.len() == set.len() && cols.iter().all(|c| set.contains(c))
}

/// Foreign keys of any table (as `(table, fk)`, in [`fks_referencing`] order) that
/// reference exactly the column set `columns` of `table`: the ones that rely on a
/// key over those columns.
pub(crate) fn fks_referencing_key<'a>(
    schema: &'a Schema,
    table: &'a str,
    columns: &'a [String],
) -> impl Iterator<Item = (&'a Table, &'a ForeignKey)> + 'a {
    let set: BTreeSet<&String> = columns.iter().collect();
    fks_referencing(schema, table).filter(move |(_, fk)| same_column_set(&fk.ref_columns, &set))
}

/// Rejects dropping the key `name` of `table` (whose columns are `columns`) while a
/// foreign key references exactly those columns. This holds even when another key
/// covers the same columns: PostgreSQL ties a foreign key to the one index it found
/// when the key was made, and which one that was is not part of the model, so the
/// simulator refuses the drop either way (drop the foreign key first).
fn require_key_unreferenced(
    schema: &Schema,
    table: &Table,
    name: &str,
    columns: &[String],
) -> Result<()> {
    match fks_referencing_key(schema, &table.name, columns).next() {
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

fn check_type(schema: &Schema, table: &str, column: &Column) -> Result<()> {
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
fn check_default(schema: &Schema, table: &str, column: &Column) -> Result<()> {
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

fn default_mismatch(schema: &Schema, ty: &ColumnType, default: &DefaultValue) -> Option<String> {
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

// ---------------------------------------------------------------- enums

fn create_enum(schema: &mut Schema, e: &EnumType) -> Result<()> {
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

fn get_enum_mut<'a>(schema: &'a mut Schema, name: &str) -> Result<&'a mut EnumType> {
    schema
        .enums
        .get_mut(name)
        .ok_or_else(|| SimulateError::NoSuchEnum {
            name: name.to_string(),
        })
}

/// The first column (as `(table, column)`) whose type is the enum `name`.
pub(crate) fn enum_user<'a>(schema: &'a Schema, name: &str) -> Option<(&'a Table, &'a Column)> {
    schema.tables.values().find_map(|t| {
        t.columns
            .iter()
            .find(|c| c.ty == ColumnType::Enum(name.to_string()))
            .map(|c| (t, c))
    })
}

fn drop_enum(schema: &mut Schema, name: &str) -> Result<()> {
    if !schema.enums.contains_key(name) {
        return Err(SimulateError::NoSuchEnum {
            name: name.to_string(),
        });
    }
    if let Some((t, c)) = enum_user(schema, name) {
        return Err(SimulateError::EnumInUse {
            enum_name: name.to_string(),
            table: t.name.clone(),
            column: c.name.clone(),
        });
    }
    schema.enums.remove(name);
    Ok(())
}

fn add_enum_value(
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

fn position(values: &[String], v: &str) -> Option<usize> {
    values.iter().position(|x| x == v)
}

fn rename_enum_value(schema: &mut Schema, enum_name: &str, from: &str, to: &str) -> Result<()> {
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

// ---------------------------------------------------------------- tables

/// The table as it should be stored: maps keyed by the objects' own names, foreign
/// keys with their referenced columns resolved, normal form.
fn create_table(schema: &mut Schema, table: &Table) -> Result<()> {
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
fn rekeyed(table: &Table) -> Table {
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

fn by_name<'a, T: Clone + 'a>(
    items: impl Iterator<Item = &'a T>,
    name: impl Fn(&T) -> &String,
) -> BTreeMap<String, T> {
    items.map(|x| (name(x).clone(), x.clone())).collect()
}

fn check_new_columns(schema: &Schema, t: &Table) -> Result<()> {
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
fn check_new_keys(schema: &Schema, t: &Table) -> Result<()> {
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
fn resolve_fk(schema: &Schema, table: &Table, fk: &ForeignKey) -> Result<ForeignKey> {
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
    if !has_key(target, &fk.ref_columns, None) {
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
fn check_fk_types(table: &Table, target: &Table, fk: &ForeignKey) -> Result<()> {
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
fn comparable(a: &ColumnType, b: &ColumnType) -> bool {
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

fn drop_table(schema: &mut Schema, name: &str) -> Result<()> {
    get_table(schema, name)?;
    if let Some((by, fk)) = fks_referencing(schema, name).find(|(t, _)| t.name != name) {
        return Err(SimulateError::TableReferenced {
            table: name.to_string(),
            by_table: by.name.clone(),
            by_fk: fk.name.clone(),
        });
    }
    schema.tables.remove(name);
    Ok(())
}

fn rename_table(schema: &mut Schema, from: &str, to: &str) -> Result<()> {
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

// ---------------------------------------------------------------- columns

fn add_column(schema: &mut Schema, table: &str, column: &Column) -> Result<()> {
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
fn require_column_unreferenced(schema: &Schema, table: &str, column: &str) -> Result<()> {
    let doomed =
        |t: &Table, fk: &ForeignKey| t.name == table && fk.columns.iter().any(|c| c == column);
    for (by, fk) in fks_referencing(schema, table) {
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

fn drop_column(schema: &mut Schema, table: &str, column: &str) -> Result<()> {
    require_column(get_table(schema, table)?, column)?;
    require_column_unreferenced(schema, table, column)?;
    let t = get_table_mut(schema, table)?;
    remove_dependents(t, column);
    t.columns.retain(|c| c.name != column);
    Ok(())
}

/// What PostgreSQL drops along with a column: the primary key, foreign keys,
/// indexes and unique constraints that list it, and the checks and partial-index
/// predicates that mention it.
pub(crate) fn remove_dependents(t: &mut Table, column: &str) {
    let lists = |cols: &[String]| cols.iter().any(|c| c == column);
    if t.primary_key.as_ref().is_some_and(|pk| lists(&pk.columns)) {
        t.primary_key = None;
    }
    t.foreign_keys.retain(|_, fk| !lists(&fk.columns));
    t.uniques.retain(|_, u| !lists(&u.columns));
    t.checks
        .retain(|_, c| !expr::mentions(&c.expression, column));
    t.indexes.retain(|_, i| {
        !lists(&i.columns)
            && !i
                .predicate
                .as_deref()
                .is_some_and(|p| expr::mentions(p, column))
    });
}

fn alter_column(
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
fn changed_column(old: &Column, change: &ColumnChange) -> Column {
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
fn rename_column_refs(schema: &mut Schema, table: &str, from: &str, to: &str) {
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
            *p = expr::rename_identifier(p, from, to);
        }
    }
    for c in t.checks.values_mut() {
        c.expression = expr::rename_identifier(&c.expression, from, to);
    }
}

// ---------------------------------------------------------------- indexes and constraints

fn create_index(schema: &mut Schema, table: &str, index: &Index) -> Result<()> {
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

fn drop_index(schema: &mut Schema, table: Option<&str>, name: &str) -> Result<()> {
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

fn add_foreign_key(schema: &mut Schema, table: &str, fk: &ForeignKey) -> Result<()> {
    let t = get_table(schema, table)?;
    require_free_constraint(t, &fk.name)?;
    let fk = resolve_fk(schema, t, fk)?;
    get_table_mut(schema, table)?
        .foreign_keys
        .insert(fk.name.clone(), fk);
    Ok(())
}

fn add_unique(schema: &mut Schema, table: &str, unique: &UniqueConstraint) -> Result<()> {
    let t = get_table(schema, table)?;
    require_columns(t, &unique.name, &unique.columns)?;
    require_free_constraint(t, &unique.name)?;
    require_free_name(schema, &unique.name)?;
    get_table_mut(schema, table)?
        .uniques
        .insert(unique.name.clone(), unique.clone());
    Ok(())
}

fn add_check(schema: &mut Schema, table: &str, check: &CheckConstraint) -> Result<()> {
    require_free_constraint(get_table(schema, table)?, &check.name)?;
    let t = get_table_mut(schema, table)?;
    t.checks.insert(check.name.clone(), check.clone());
    t.normalize();
    Ok(())
}

fn add_primary_key(schema: &mut Schema, table: &str, pk: &PrimaryKey) -> Result<()> {
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
fn constraint_kind(t: &Table, name: &str, kind: Option<ConstraintKind>) -> Result<ConstraintKind> {
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

fn validate_constraint(schema: &Schema, table: &str, name: &str) -> Result<()> {
    match constraint_kind(get_table(schema, table)?, name, None)? {
        ConstraintKind::ForeignKey | ConstraintKind::Check => Ok(()),
        kind => Err(SimulateError::NotValidatable {
            table: table.to_string(),
            name: name.to_string(),
            kind,
        }),
    }
}

fn drop_constraint(
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

// ---------------------------------------------------------------- sequences and data

fn create_sequence(schema: &mut Schema, seq: &Sequence) -> Result<()> {
    if schema.sequences.contains_key(&seq.name) {
        return Err(SimulateError::SequenceExists {
            name: seq.name.clone(),
        });
    }
    require_free_name(schema, &seq.name)?;
    if seq.increment == 0 {
        return Err(SimulateError::ZeroIncrement {
            name: seq.name.clone(),
        });
    }
    schema.sequences.insert(seq.name.clone(), seq.clone());
    Ok(())
}

fn drop_sequence(schema: &mut Schema, name: &str) -> Result<()> {
    schema
        .sequences
        .remove(name)
        .map(|_| ())
        .ok_or_else(|| SimulateError::NoSuchSequence {
            name: name.to_string(),
        })
}

fn check_rows(schema: &Schema, table: &str, rows: &Rows) -> Result<()> {
    let t = get_table(schema, table)?;
    rows.columns().iter().try_for_each(|c| require_column(t, c))
}

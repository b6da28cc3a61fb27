//! [`SimulateError`]: why an op cannot be applied to a schema.

use crate::schema::ConstraintKind;

/// Why an op cannot be applied to a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
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

//! Declared models: Rust types that describe tables and enum types, and the target
//! [`Schema`] an application builds from them.
//!
//! ```
//! use stratum::model::{DbEnum, SchemaBuilder, Table, TableModel};
//!
//! #[derive(DbEnum)]
//! enum Status {
//!     Planned,
//!     InProgress,
//! }
//!
//! #[derive(Table)]
//! #[table(index(name = "ix_job_owner_status", columns("owner", "status")))]
//! struct Job {
//!     #[column(primary_key, autoincrement)]
//!     id: i32,
//!     #[column(ty = "varchar(64)", default = "'nobody'")]
//!     owner: String,
//!     #[column(enum_type, default_value = "PLANNED")]
//!     status: Option<Status>,
//! }
//!
//! let schema = SchemaBuilder::new().model::<Job>().build();
//! let job = schema.table("job").unwrap();
//! assert_eq!(job.columns.len(), 3);
//! assert_eq!(schema.enums["status"].values, ["PLANNED", "IN_PROGRESS"]);
//! ```
//!
//! # `#[derive(Table)]`
//!
//! One column per named field, in field order. The column type and nullability
//! come from the field's [`SqlType`] (`Option<T>` is nullable) unless an attribute
//! says otherwise. The table name defaults to the struct name in lower case.
//!
//! Struct attributes, `#[table(...)]`:
//!
//! | key | meaning |
//! |---|---|
//! | `name = "t"` | table name |
//! | `primary_key("a", "b")` | composite primary key (named `<table>_pkey`) |
//! | `index(name = "ix", columns("a", "b"), unique, using = "gin", predicate = "a > 0")` | an index; the name defaults to `ix_<table>_<cols>` |
//! | `unique(name = "uq", columns("a", "b"))` | a unique constraint; the name defaults to `<table>_<cols>_key` |
//! | `check(name = "ck", expr = "a > 0")` | a check constraint |
//! | `foreign_key(columns("a"), references = "t", ref_columns("x"), name = .., on_delete = ..)` | a (composite) foreign key |
//!
//! Field attributes, `#[column(...)]`:
//!
//! | key | meaning |
//! |---|---|
//! | `primary_key` | part of the primary key (NOT NULL) |
//! | `autoincrement` / `autoincrement = "serial" \| "identity" \| "identity_always"` | values from a sequence |
//! | `name = "c"` | column name (default: the field name) |
//! | `ty = "varchar(255)"` | SQL type instead of the field's [`SqlType`]; also `"enum:<name>"`, `"custom:<sql>"` |
//! | `nullable` / `not_null` | override nullability |
//! | `default = "<sql>"` | server default as SQL: `now()`, `gen_random_uuid()`, `'text'`, `42`, `true`, or any expression |
//! | `default_now`, `default_uuid` | `now()`, a random UUID |
//! | `default_value = <literal>` | a string, integer, bool or float literal |
//! | `index` (with `unique`: a unique index) | index `ix_<table>_<col>` |
//! | `unique` (without `index`) | unique constraint `<table>_<col>_key` |
//! | `foreign_key = "table.column"`, `on_delete = "cascade"`, `on_update = ..` | foreign key `<table>_<col>_fkey` |
//! | `enum_type` | the field's type (or `Option` of it) implements [`DbEnum`] |
//! | `skip` | not a column |

use crate::schema::{ColumnType, EnumType, Schema, Table};
use std::collections::BTreeMap;

pub use stratum_macros::{DbEnum, Table};

/// A Rust type that declares one table (usually through `#[derive(Table)]`).
pub trait TableModel {
    /// The declared table.
    fn table() -> Table;

    /// The enum types the table's columns use.
    fn enum_types() -> Vec<EnumType> {
        vec![]
    }
}

/// A Rust enum that declares a database enum type (usually through
/// `#[derive(DbEnum)]`).
pub trait DbEnum {
    /// The declared enum type: name and labels in order.
    fn enum_type() -> EnumType;
}

/// A Rust type that maps to a column type.
pub trait SqlType {
    /// The column type for values of this Rust type.
    fn column_type() -> ColumnType;

    /// Whether the column allows NULL (`Option<T>` does).
    const NULLABLE: bool = false;

    /// The enum type behind [`SqlType::column_type`], for enums declared with
    /// `#[derive(DbEnum)]`.
    fn enum_declaration() -> Option<EnumType> {
        None
    }
}

macro_rules! sql_type {
    ($($t:ty => $ct:expr;)*) => {
        $(
            impl SqlType for $t {
                fn column_type() -> ColumnType {
                    $ct
                }
            }
        )*
    };
}

sql_type! {
    String => ColumnType::Varchar(None);
    i16 => ColumnType::SmallInt;
    i32 => ColumnType::Integer;
    i64 => ColumnType::BigInt;
    f32 => ColumnType::Real;
    f64 => ColumnType::Double;
    bool => ColumnType::Boolean;
    chrono::NaiveDateTime => ColumnType::Timestamp { tz: false };
    chrono::DateTime<chrono::Utc> => ColumnType::Timestamp { tz: true };
    chrono::NaiveDate => ColumnType::Date;
    chrono::NaiveTime => ColumnType::Time;
    serde_json::Value => ColumnType::Jsonb;
    uuid::Uuid => ColumnType::Uuid;
    Vec<u8> => ColumnType::Bytes;
}

impl<T: SqlType> SqlType for Option<T> {
    fn column_type() -> ColumnType {
        T::column_type()
    }

    const NULLABLE: bool = true;

    fn enum_declaration() -> Option<EnumType> {
        T::enum_declaration()
    }
}

/// A text that is not one of a database enum's labels.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{label}` is not a label of enum type `{type_name}`: check the value or add the label with a revision"
)]
pub struct UnknownEnumLabel {
    /// The enum type's database name.
    pub type_name: &'static str,
    /// The text that matched no label.
    pub label: String,
}

/// A declared schema that is not consistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// Two models declare the same table.
    #[error("table `{0}` is declared twice: remove one model or rename its table")]
    DuplicateTable(String),
    /// Two declarations of one enum type disagree on the labels.
    #[error(
        "enum type `{name}` is declared with labels {first:?} and {second:?}: use one Rust enum for it"
    )]
    ConflictingEnum {
        /// Enum type name.
        name: String,
        /// Labels of the first declaration.
        first: Vec<String>,
        /// Labels of the other one.
        second: Vec<String>,
    },
    /// A column uses an enum type that no model declares.
    #[error(
        "column `{table}.{column}` uses enum type `{name}`, which no model declares: add it with `enum_type::<T>()` or `#[column(enum_type)]`"
    )]
    UnknownEnum {
        /// Table.
        table: String,
        /// Column.
        column: String,
        /// The missing enum type.
        name: String,
    },
    /// A constraint or index names a column the table does not have.
    #[error("`{object}` on table `{table}` names column `{column}`, which the table does not have")]
    UnknownColumn {
        /// Table.
        table: String,
        /// Constraint or index name.
        object: String,
        /// The missing column.
        column: String,
    },
    /// A foreign key points at a table or column that no model declares.
    #[error(
        "foreign key `{name}` on `{table}` references `{ref_table}.{ref_column}`, which no model declares"
    )]
    UnknownReference {
        /// Table holding the foreign key.
        table: String,
        /// Constraint name.
        name: String,
        /// Referenced table.
        ref_table: String,
        /// Referenced column.
        ref_column: String,
    },
    /// Two indexes, primary keys or unique constraints share a name (each is backed
    /// by an index, and index names are schema-wide).
    #[error(
        "the name `{0}` is used by two indexes, primary keys or unique constraints: rename one"
    )]
    DuplicateName(String),
}

/// Collects models and enum types into a target [`Schema`].
///
/// ```
/// # use stratum::model::SchemaBuilder;
/// let schema = SchemaBuilder::new().build();
/// assert!(schema.tables.is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct SchemaBuilder {
    tables: Vec<Table>,
    enums: Vec<EnumType>,
}

impl SchemaBuilder {
    /// No models yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a model's table and the enum types its columns use.
    pub fn model<T: TableModel>(mut self) -> Self {
        self.tables.push(T::table());
        self.enums.extend(T::enum_types());
        self
    }

    /// Adds an enum type that no column may use yet.
    pub fn enum_type<E: DbEnum>(mut self) -> Self {
        self.enums.push(E::enum_type());
        self
    }

    /// Adds a table built by hand.
    pub fn table(mut self, table: Table) -> Self {
        self.tables.push(table);
        self
    }

    /// Adds an enum type built by hand.
    pub fn enum_value(mut self, e: EnumType) -> Self {
        self.enums.push(e);
        self
    }

    /// The schema in normal form, checked for consistency: no duplicate tables,
    /// no enum declared twice with different labels, every column named by an
    /// index or constraint exists, every foreign key references a declared column,
    /// every enum column's type is declared, and no two indexes, primary keys or
    /// unique constraints share a name.
    pub fn try_build(self) -> Result<Schema, ModelError> {
        let mut schema = Schema::new();
        let mut enums: BTreeMap<String, EnumType> = BTreeMap::new();
        for e in self.enums {
            match enums.get(&e.name) {
                Some(prev) if prev.values != e.values => {
                    return Err(ModelError::ConflictingEnum {
                        name: e.name,
                        first: prev.values.clone(),
                        second: e.values,
                    });
                }
                Some(_) => {}
                None => {
                    enums.insert(e.name.clone(), e);
                }
            }
        }
        schema.enums = enums;
        for t in self.tables {
            if schema.tables.contains_key(&t.name) {
                return Err(ModelError::DuplicateTable(t.name));
            }
            schema.insert_table(t);
        }
        validate(&schema)?;
        Ok(schema.normalized())
    }

    /// The schema in normal form, without the checks of [`SchemaBuilder::try_build`]
    /// (a later table or enum of the same name replaces an earlier one).
    pub fn build(self) -> Schema {
        let mut schema = Schema::new();
        for e in self.enums {
            schema.insert_enum(e);
        }
        for t in self.tables {
            schema.insert_table(t);
        }
        schema.normalized()
    }
}

/// The normalized schema of these tables and enum types (without the checks of
/// [`SchemaBuilder::try_build`]). Prefer [`SchemaBuilder::model`], which also
/// collects the enum types a model's columns use.
pub fn schema_of(tables: &[fn() -> Table], enums: &[fn() -> EnumType]) -> Schema {
    let mut b = SchemaBuilder::new();
    for e in enums {
        b = b.enum_value(e());
    }
    for t in tables {
        b = b.table(t());
    }
    b.build()
}

/// Checks that a declared schema is consistent (see [`SchemaBuilder::try_build`]).
pub fn validate(schema: &Schema) -> Result<(), ModelError> {
    let mut names = std::collections::BTreeSet::new();
    let mut claim = |name: &str| {
        if names.insert(name.to_string()) {
            Ok(())
        } else {
            Err(ModelError::DuplicateName(name.to_string()))
        }
    };
    for t in schema.tables.values() {
        let has = |c: &str| t.column(c).is_some();
        let missing = |object: &str, cols: &[String]| -> Result<(), ModelError> {
            match cols.iter().find(|c| !has(c)) {
                Some(c) => Err(ModelError::UnknownColumn {
                    table: t.name.clone(),
                    object: object.to_string(),
                    column: c.clone(),
                }),
                None => Ok(()),
            }
        };
        for c in &t.columns {
            if let ColumnType::Enum(name) = &c.ty
                && !schema.enums.contains_key(name)
            {
                return Err(ModelError::UnknownEnum {
                    table: t.name.clone(),
                    column: c.name.clone(),
                    name: name.clone(),
                });
            }
        }
        if let Some(pk) = &t.primary_key {
            missing(&pk.name, &pk.columns)?;
            claim(&pk.name)?;
        }
        for fk in t.foreign_keys.values() {
            missing(&fk.name, &fk.columns)?;
            let target = schema.table(&fk.ref_table);
            for rc in &fk.ref_columns {
                if target.and_then(|rt| rt.column(rc)).is_none() {
                    return Err(ModelError::UnknownReference {
                        table: t.name.clone(),
                        name: fk.name.clone(),
                        ref_table: fk.ref_table.clone(),
                        ref_column: rc.clone(),
                    });
                }
            }
        }
        for ix in t.indexes.values() {
            missing(&ix.name, &ix.columns)?;
            claim(&ix.name)?;
        }
        for uq in t.uniques.values() {
            missing(&uq.name, &uq.columns)?;
            claim(&uq.name)?;
        }
    }
    Ok(())
}

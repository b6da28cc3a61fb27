//! SQL rendering per dialect, behind one trait.
//!
//! [`SqlDialect`] holds everything about writing SQL for one database: what it can
//! do ([`Capabilities`]), type names, defaults and literals, quoting, the statements
//! of each op, what a schema looks like once stored and read back, and the text a
//! script needs around its statements. [`Dialect`] is the key; [`Dialect::sql`] (in
//! `registry.rs`) is the only place that maps a key to its implementation. Generic
//! code asks capabilities and calls the trait; it never matches on the variant.
//!
//! [`render`] turns one [`Op`] into the exact statements that carry it out on a
//! database whose schema is `before`; [`render_all`] does the same for a sequence of
//! ops, advancing the schema with [`crate::simulate::apply`] between them.
//! [`normalize_for`] says what a schema looks like once stored in a dialect and read
//! back, which is what introspection of the rendered SQL must yield.
//!
//! - [`postgres`] renders for PostgreSQL;
//! - [`sqlite`] renders for SQLite, with table rebuilds where `ALTER TABLE` cannot do
//!   the change, and defines the encoding of enum columns (read its docs before
//!   executing its SQL: it needs foreign-key enforcement off);
//! - `common.rs` holds the SQL that more than one database writes the same way, and
//!   `data.rs` the bulk inserts and deletes; a database's folder never imports from
//!   another database's folder.

mod common;
mod data;
pub mod mysql;
pub mod postgres;
mod registry;
pub(crate) mod row_change;
pub mod sqlite;
mod value;

pub use registry::{COPY_MIN_ROWS, Dialect, online};
pub use value::ValueError;

use crate::lint::{Hazard, Rule};
use crate::ops::Op;
use crate::schema::{Column, ColumnType, DefaultValue, Schema, Table};
use crate::simulate::SimulateError;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Everything about writing SQL for one database. One implementation per database,
/// reached through [`Dialect::sql`].
pub trait SqlDialect: Send + Sync {
    /// The key of this dialect.
    fn dialect(&self) -> Dialect;

    /// The name shown to people (`postgresql`, `sqlite`): [`Dialect`]'s `Display`.
    fn name(&self) -> &'static str;

    /// The server the SQL is written for, as people name it: [`SqlDialect::name`],
    /// or the flavour and version where they matter (`MySQL 8.0.36`).
    fn server(&self) -> String {
        self.name().to_string()
    }

    /// The short lowercase key (`postgres`, `sqlite`): the name of the dialect's
    /// raw-SQL variant in revision code (`.postgres("...")`) and serialized ops.
    fn key(&self) -> &'static str;

    /// What the database can do.
    fn capabilities(&self) -> Capabilities;

    /// An identifier as SQL, quoted whatever it contains.
    fn quote_ident(&self, name: &str) -> String;

    /// A string as a string literal whose meaning does not depend on session
    /// settings.
    fn quote_literal(&self, value: &str) -> String;

    /// `expr` converted to text, for the engine's own reads of bookkeeping rows.
    fn text_cast(&self, expr: &str) -> String {
        format!("CAST({expr} AS TEXT)")
    }

    /// A JSON-like value (of a bulk insert or delete row) as an SQL literal for a
    /// column of type `ty` (see [`literal`]).
    fn literal(&self, value: &serde_json::Value, ty: &ColumnType) -> Result<String, ValueError> {
        value::literal_with(value, ty, |s| self.quote_literal(s))
    }

    /// The spelling of a column type.
    fn type_sql(&self, ty: &ColumnType) -> String;

    /// The expression of a default of column `column`.
    fn default_sql(&self, column: &str, default: &DefaultValue) -> Result<String, RenderError>;

    /// The condition that a column (`column`, already quoted) equals `literal` (a
    /// value written by [`SqlDialect::literal`] for a column of type `ty`).
    fn value_equals(&self, column: &str, literal: &str, ty: &ColumnType) -> String {
        let _ = ty;
        format!("{column} = {literal}")
    }

    /// An `INSERT` of one row of defaults only into `table` (already quoted).
    fn insert_defaults_sql(&self, table: &str) -> String {
        format!("INSERT INTO {table} DEFAULT VALUES")
    }

    /// The statements that carry out `op`, given the schema before it.
    fn render(&self, op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError>;

    /// Turns a schema in [`Schema::normalized`] form into what it looks like once
    /// stored in this database and read back (see [`normalize_for`]).
    fn normalize_stored(&self, schema: &mut Schema);

    /// Statements to run, outside any transaction, before a migration's statements.
    fn script_preamble(&self) -> Vec<Statement> {
        Vec::new()
    }

    /// A query to run before each commit when [`Capabilities::foreign_key_guard`] is
    /// set: any row it returns is a violated foreign key, and the transaction must be
    /// rolled back.
    fn foreign_key_check(&self) -> Option<Statement> {
        None
    }

    /// The hazards only this database has in a revision's upgrade, `before` being
    /// the schema before the revision ([`crate::lint::lint_revision_for`]). None by
    /// default.
    fn lint_hazards(&self, upgrade: &[Op], before: &Schema) -> Vec<Hazard> {
        let _ = (upgrade, before);
        Vec::new()
    }

    /// The generic lint rules that do not hold on this database (its hazard there
    /// is another, which [`SqlDialect::lint_hazards`] reports, or there is none).
    fn lint_rules_left_out(&self) -> &'static [Rule] {
        &[]
    }
}

/// What a database can do, for generic code to ask instead of naming the database
/// ([`Dialect::capabilities`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// DDL statements run inside a transaction and roll back with it.
    pub transactional_ddl: bool,
    /// Enum types are schema objects of their own (`CREATE TYPE ... AS ENUM`);
    /// without them an enum column carries its labels in a CHECK constraint.
    pub native_enums: bool,
    /// `ALTER TABLE ... RENAME COLUMN` exists.
    pub rename_column: bool,
    /// An index may have a `WHERE` predicate.
    pub partial_indexes: bool,
    /// Indexes can be created and dropped without blocking writes
    /// (`CONCURRENTLY`, outside any transaction).
    pub concurrent_indexes: bool,
    /// An index may name its access method (`USING gin`).
    pub index_methods: bool,
    /// Standalone sequences exist.
    pub sequences: bool,
    /// Identity columns and autoincrement columns of any integer width exist.
    pub identity_columns: bool,
    /// A constraint can be added `NOT VALID` and validated later.
    pub not_valid_constraints: bool,
    /// `CREATE ... IF NOT EXISTS` and `DROP ... IF EXISTS` exist for tables and
    /// indexes.
    pub if_exists: bool,
    /// CHECK constraints exist and are enforced.
    pub check_constraints: bool,
    /// `DEFAULT` may stand for a value inside `INSERT ... VALUES`.
    pub default_in_values: bool,
    /// Rows can be loaded with `COPY ... FROM STDIN` ([`Statement::copy_data`]).
    pub copy_from_stdin: bool,
    /// Foreign-key enforcement must be off while a migration runs, with
    /// [`SqlDialect::script_preamble`] before it and [`SqlDialect::foreign_key_check`]
    /// before each commit (table rebuilds drop tables other tables reference).
    pub foreign_key_guard: bool,
    /// The longest identifier the database keeps, in bytes (`None`: no limit).
    pub max_identifier_length: Option<usize>,
    /// Which changes rebuild the table instead of altering it.
    pub table_rebuilds: TableRebuilds,
}

/// Which changes `ALTER TABLE` cannot make, so that the table is rebuilt (created
/// anew under a temporary name, its rows copied, the old one dropped, the new one
/// renamed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TableRebuilds {
    /// Changing a column's type, nullability or default.
    pub alter_column: bool,
    /// Adding or dropping a primary key, foreign key, unique or check constraint.
    pub constraints: bool,
    /// Dropping a column that is indexed, constrained or named in a check.
    pub drop_constrained_column: bool,
    /// Adding a column that is `NOT NULL` without a constant default, or whose
    /// default is not a constant.
    pub add_column_without_constant_default: bool,
    /// Adding or renaming an enum label (every table with a column of the type).
    pub enum_labels: bool,
    /// Renaming an enum column.
    pub rename_enum_column: bool,
}

impl TableRebuilds {
    /// Whether any change rebuilds the table.
    pub fn any(&self) -> bool {
        self.alter_column
            || self.constraints
            || self.drop_constrained_column
            || self.add_column_without_constant_default
            || self.enum_labels
            || self.rename_enum_column
    }
}

/// One SQL statement to execute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// The SQL text, without a trailing semicolon.
    pub sql: String,
    /// Whether it may run inside a transaction (`CREATE INDEX CONCURRENTLY` may not).
    pub transactional: bool,
    /// For a PostgreSQL `COPY ... FROM STDIN` statement: the rows to send, in
    /// COPY text format (tab-separated, `\N` for NULL, every row ending in a
    /// newline). `None` for every other statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_data: Option<String>,
}

impl Statement {
    /// A statement that may run inside a transaction.
    pub fn new(sql: impl Into<String>) -> Self {
        Self {
            sql: sql.into(),
            transactional: true,
            copy_data: None,
        }
    }

    /// A statement that must run outside any transaction.
    pub fn non_transactional(sql: impl Into<String>) -> Self {
        Self {
            sql: sql.into(),
            transactional: false,
            copy_data: None,
        }
    }

    /// A `COPY ... FROM STDIN` statement (PostgreSQL) with the rows it reads, in
    /// COPY text format.
    pub fn copy_from_stdin(sql: impl Into<String>, data: String) -> Self {
        Self {
            sql: sql.into(),
            transactional: true,
            copy_data: Some(data),
        }
    }

    /// The statement as it appears in a SQL script run by `psql`: the SQL and a
    /// semicolon, and for a COPY statement its rows followed by the `\.` end
    /// marker, as `pg_dump` writes them.
    pub fn script_text(&self) -> String {
        let sql = self.sql.trim_end().trim_end_matches(';');
        match &self.copy_data {
            None => format!("{sql};"),
            Some(data) => format!("{sql};\n{data}\\."),
        }
    }
}

/// Why an op cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The dialect has no way to carry out the op.
    #[error("{op} is not supported on {server}: {reason}")]
    Unsupported {
        /// The op kind.
        op: &'static str,
        /// The dialect.
        dialect: Dialect,
        /// The server the SQL was written for, as people name it: the dialect's
        /// name (`sqlite`), or the flavour and version where they matter
        /// (`MySQL 8.0.36`, `MariaDB 10.11.0`).
        server: String,
        /// What is missing, and what to do instead.
        reason: String,
    },
    /// The op refers to a table the schema before it does not have.
    #[error(
        "table {table:?} does not exist at this point of the migration; \
         create it in an earlier op, or check the name"
    )]
    MissingTable {
        /// Table name.
        table: String,
    },
    /// The op refers to a column the table does not have.
    #[error(
        "column {column:?} does not exist in table {table:?} at this point of the migration; \
         check the name"
    )]
    MissingColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// The op refers to an index no table has.
    #[error("index {name:?} does not exist at this point of the migration; check the name")]
    MissingIndex {
        /// Index name.
        name: String,
    },
    /// The op refers to a constraint the table does not have.
    #[error(
        "constraint {name:?} does not exist on table {table:?} at this point of the migration; \
         check the name"
    )]
    MissingConstraint {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
    },
    /// The op refers to an enum type the schema does not have.
    #[error(
        "enum type {name:?} does not exist at this point of the migration; \
         create it with create_enum first"
    )]
    MissingEnum {
        /// Enum type name.
        name: String,
    },
    /// The op refers to an enum label the type does not have.
    #[error("enum type {enum_name:?} has no value {value:?}; check the label")]
    MissingEnumValue {
        /// Enum type name.
        enum_name: String,
        /// The label.
        value: String,
    },
    /// A row value cannot be written into its column.
    #[error("value for {table}.{column} cannot be written: {source}")]
    InvalidValue {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// What is wrong with the value.
        #[source]
        source: ValueError,
    },
    /// A column's default cannot be written as SQL.
    #[error("default of column {column:?} cannot be rendered: {reason}")]
    InvalidDefault {
        /// Column name.
        column: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An autoincrement or identity column the dialect cannot express.
    #[error("autoincrement column {table}.{column} cannot be rendered on {dialect}: {reason}")]
    AutoIncrement {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// The dialect.
        dialect: Dialect,
        /// What is wrong, and what to do instead.
        reason: String,
    },
    /// The op itself is malformed.
    #[error("invalid {op} op: {reason}")]
    InvalidOp {
        /// The op kind.
        op: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// Simulating an op (to know the schema for the next one) failed.
    #[error("{op} cannot be applied to the schema before it: {source}")]
    Simulate {
        /// The op kind.
        op: &'static str,
        /// Why the simulator refused it.
        #[source]
        source: Box<SimulateError>,
    },
}

/// The statements that carry out `op` on `dialect`, given the schema before it.
///
/// The schema is needed for what the op does not say itself: the types of the
/// columns of a bulk insert, the enum labels of a SQLite CHECK, the whole table of a
/// SQLite rebuild. Ops that need nothing from it render even when `before` does not
/// know the objects they touch (for example after raw SQL).
pub fn render(dialect: Dialect, op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
    dialect.sql().render(op, before)
}

/// The statements of a sequence of ops, each rendered against the schema left by the
/// ops before it (starting from `before`).
pub fn render_all(
    dialect: Dialect,
    ops: &[Op],
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    render_all_with(dialect.sql(), ops, before)
}

/// [`render_all`] with `sql`: the SQL of one server where its version matters
/// (a connection's, or one named without connecting).
pub fn render_all_with(
    sql: &dyn SqlDialect,
    ops: &[Op],
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let mut schema = before.clone();
    let mut out = Vec::new();
    for op in ops {
        out.extend(sql.render(op, &schema)?);
        apply(&mut schema, op)?;
    }
    Ok(out)
}

/// [`crate::simulate::apply`], with its error as a [`RenderError`].
pub(crate) fn apply(schema: &mut Schema, op: &Op) -> Result<(), RenderError> {
    crate::simulate::apply(schema, op).map_err(|source| RenderError::Simulate {
        op: op.kind_name(),
        source: Box::new(source),
    })
}

/// What `schema` looks like once stored in `dialect` and read back, in
/// [`Schema::normalized`] form.
///
/// - PostgreSQL keeps everything the model expresses (identity and serial columns
///   stay as they are); the one difference is that `numeric(p)` is stored as
///   `numeric(p,0)`.
/// - SQLite: enum types used by no column vanish (a type lives only in its columns'
///   CHECK constraints); standalone sequences vanish (SQLite has none);
///   autoincrement and identity columns become `Serial` `Integer` columns (SQLite's
///   `INTEGER PRIMARY KEY AUTOINCREMENT`); index access methods vanish (SQLite has
///   only b-trees). Constraint names, FK actions, declared types, defaults, partial
///   index predicates and check expressions are kept in the table's SQL text.
pub fn normalize_for(dialect: Dialect, schema: &Schema) -> Schema {
    let mut s = schema.normalized();
    dialect.sql().normalize_stored(&mut s);
    s
}

/// An identifier as SQL: always double-quoted, embedded double quotes doubled (the
/// quoting of every dialect the engine has; [`Dialect::quote_ident`] asks the
/// dialect).
///
/// ```
/// use stratum_core::dialect::quote_ident;
/// assert_eq!(quote_ident("group"), "\"group\"");
/// assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
/// ```
pub fn quote_ident(name: &str) -> String {
    common::double_quote_ident(name)
}

/// A comma-separated list of quoted identifiers: `"a", "b"`.
pub fn quote_ident_list<S: AsRef<str>>(names: &[S]) -> String {
    common::ident_list(names, quote_ident)
}

/// A string as an SQL string literal for that dialect.
///
/// Embedded single quotes are doubled. On PostgreSQL a string that contains a
/// backslash is written as an escape string (`E'a\\b'`, backslashes doubled), so its
/// meaning does not depend on the `standard_conforming_strings` setting; SQLite never
/// treats backslashes specially.
///
/// ```
/// use stratum_core::dialect::{quote_literal, Dialect};
/// assert_eq!(quote_literal("it's", Dialect::Postgres), "'it''s'");
/// assert_eq!(quote_literal("a\\b", Dialect::Postgres), "E'a\\\\b'");
/// assert_eq!(quote_literal("a\\b", Dialect::Sqlite), "'a\\b'");
/// ```
pub fn quote_literal(value: &str, dialect: Dialect) -> String {
    dialect.quote_literal(value)
}

/// A JSON-like value (of a bulk insert or delete row) as an SQL literal for a column
/// of type `ty`.
///
/// - `null` is SQL `NULL` (also in `json`/`jsonb` columns: a JSON `null` cannot be
///   told apart from a missing value in a row);
/// - in `json`/`jsonb` columns every other value is stored as its JSON text, as a
///   string literal (`{"a": 1}` → `'{"a":1}'`, `"x"` → `'"x"'`, `5` → `'5'`);
/// - elsewhere strings are string literals, numbers are written as they are,
///   booleans are `TRUE`/`FALSE`; objects and arrays are refused.
pub fn literal(
    value: &serde_json::Value,
    ty: &ColumnType,
    dialect: Dialect,
) -> Result<String, ValueError> {
    dialect.sql().literal(value, ty)
}

#[cfg(test)]
mod capability_tests;
#[cfg(test)]
mod tests;

/// The table `name` of `schema`, or the error that names it.
pub(crate) fn table<'a>(schema: &'a Schema, name: &str) -> Result<&'a Table, RenderError> {
    schema.table(name).ok_or_else(|| RenderError::MissingTable {
        table: name.to_string(),
    })
}

/// The column `name` of `table`, or the error that names both.
pub(crate) fn column<'a>(table: &'a Table, name: &str) -> Result<&'a Column, RenderError> {
    table
        .column(name)
        .ok_or_else(|| RenderError::MissingColumn {
            table: table.name.clone(),
            column: name.to_string(),
        })
}

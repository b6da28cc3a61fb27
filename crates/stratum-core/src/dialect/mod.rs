//! SQL rendering per dialect. Dialect dispatch happens here, and only here.
//!
//! [`render`] turns one [`Op`] into the exact statements that carry it out on a
//! database whose schema is `before`; [`render_all`] does the same for a sequence of
//! ops, advancing the schema with [`crate::simulate::apply`] between them.
//! [`normalize_for`] says what a schema looks like once stored in a dialect and read
//! back, which is what introspection of the rendered SQL must yield.
//!
//! - [`quote`] is the one place where identifiers and values are quoted;
//! - [`postgres`] renders for PostgreSQL;
//! - [`sqlite`] renders for SQLite, with table rebuilds where `ALTER TABLE` cannot do
//!   the change, and defines the encoding of enum columns (read its docs before
//!   executing its SQL: it needs foreign-key enforcement off).

mod data;
pub use data::COPY_MIN_ROWS;
pub mod postgres;
pub mod quote;
pub mod sqlite;

pub use quote::{ValueError, literal, quote_ident, quote_ident_list, quote_literal};

use crate::ops::Op;
use crate::schema::{AutoIncrement, Column, ColumnType, Schema, Table};
use crate::simulate::SimulateError;
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// A SQL dialect the engine renders for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dialect {
    /// PostgreSQL (13 and later).
    Postgres,
    /// SQLite (3.35 and later).
    Sqlite,
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Postgres => "postgresql",
            Dialect::Sqlite => "sqlite",
        })
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
pub enum RenderError {
    /// The dialect has no way to carry out the op.
    #[error("{op} is not supported on {dialect}: {reason}")]
    Unsupported {
        /// The op kind.
        op: &'static str,
        /// The dialect.
        dialect: Dialect,
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
    match dialect {
        Dialect::Postgres => postgres::render(op, before),
        Dialect::Sqlite => sqlite::render(op, before),
    }
}

/// The statements of a sequence of ops, each rendered against the schema left by the
/// ops before it (starting from `before`).
pub fn render_all(
    dialect: Dialect,
    ops: &[Op],
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let mut schema = before.clone();
    let mut out = Vec::new();
    for op in ops {
        out.extend(render(dialect, op, &schema)?);
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
    if dialect == Dialect::Postgres {
        for col in s.tables.values_mut().flat_map(|t| t.columns.iter_mut()) {
            if let ColumnType::Numeric {
                precision: Some(_),
                scale: scale @ None,
            } = &mut col.ty
            {
                *scale = Some(0);
            }
        }
    }
    if dialect == Dialect::Sqlite {
        s.sequences.clear();
        for table in s.tables.values_mut() {
            for col in &mut table.columns {
                if col.auto_increment.is_some() {
                    col.auto_increment = Some(AutoIncrement::Serial);
                    col.ty = ColumnType::Integer;
                }
            }
            for idx in table.indexes.values_mut() {
                idx.method = None;
            }
        }
        let used: std::collections::BTreeSet<String> = s
            .tables
            .values()
            .flat_map(|t| &t.columns)
            .filter_map(|c| match &c.ty {
                ColumnType::Enum(name) => Some(name.clone()),
                _ => None,
            })
            .collect();
        s.enums.retain(|name, _| used.contains(name));
        s.normalize();
    }
    s
}

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

/// A decimal default as SQL: the literal itself, or an error when it is no
/// decimal number (both dialects write it the same way).
pub(crate) fn decimal_default(column: &str, d: &str) -> Result<String, RenderError> {
    if quote::is_decimal_literal(d) {
        Ok(d.to_string())
    } else {
        Err(RenderError::InvalidDefault {
            column: column.to_string(),
            reason: format!("{d:?} is not a decimal number; use a Text or Expr default instead"),
        })
    }
}

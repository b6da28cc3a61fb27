//! PostgreSQL: quoting, types, the statements of each op, and bulk loading with
//! `COPY`.
//!
//! Types map to PostgreSQL's own spelling (`character varying(255)`, `timestamp
//! without time zone`, ...) so that the catalogs show what the model says. Every
//! statement may run in a transaction except `CREATE INDEX CONCURRENTLY` and `DROP
//! INDEX CONCURRENTLY`. `ALTER TYPE ... ADD VALUE` runs in a transaction (PostgreSQL
//! 12 and later) but the new label cannot be used before that transaction commits.
//!
//! `CREATE TABLE` carries its primary key, unique, check and foreign key constraints
//! inline (each named with `CONSTRAINT`), then its indexes follow. Two kinds of
//! constraint are added after the table instead, so that PostgreSQL keeps them as
//! the model says: a unique constraint over the same columns as the primary key or
//! an earlier unique constraint (which CREATE TABLE would silently drop), and a
//! foreign key to the table's own unique index (which does not exist yet inside
//! CREATE TABLE).
//!
//! A type change adds `USING "col"::<new type>` unless the op gives its own `USING`
//! or both types are text types; a default of the column is dropped before and set
//! again after the change; a serial column's sequence gets the new integer type as
//! well (`ALTER SEQUENCE ... AS`, found by `pg_get_serial_sequence`).

mod copy;
pub mod online;
mod quote;
mod render;
mod types;

pub use copy::COPY_MIN_ROWS;
pub use types::{default_sql, type_sql};

use super::{Capabilities, Dialect, RenderError, SqlDialect, Statement, TableRebuilds};
use crate::ops::Op;
use crate::schema::{ColumnType, DefaultValue, Schema};

/// PostgreSQL (13 and later).
#[derive(Debug, Clone, Copy, Default)]
pub struct Postgres;

/// What PostgreSQL can do.
pub const CAPABILITIES: Capabilities = Capabilities {
    transactional_ddl: true,
    native_enums: true,
    rename_column: true,
    partial_indexes: true,
    concurrent_indexes: true,
    index_methods: true,
    sequences: true,
    identity_columns: true,
    not_valid_constraints: true,
    if_exists: true,
    check_constraints: true,
    default_in_values: true,
    copy_from_stdin: true,
    foreign_key_guard: false,
    max_identifier_length: Some(63),
    table_rebuilds: TableRebuilds {
        alter_column: false,
        constraints: false,
        drop_constrained_column: false,
        add_column_without_constant_default: false,
        enum_labels: false,
        rename_enum_column: false,
    },
};

/// The PostgreSQL statements of one op, given the schema before it.
pub fn render(op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
    render::render(op, before)
}

impl SqlDialect for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn name(&self) -> &'static str {
        "postgresql"
    }

    fn key(&self) -> &'static str {
        "postgres"
    }

    fn capabilities(&self) -> Capabilities {
        CAPABILITIES
    }

    fn quote_ident(&self, name: &str) -> String {
        quote::quote_ident(name)
    }

    fn quote_literal(&self, value: &str) -> String {
        quote::quote_literal(value)
    }

    fn type_sql(&self, ty: &ColumnType) -> String {
        types::type_sql(ty)
    }

    fn default_sql(&self, column: &str, default: &DefaultValue) -> Result<String, RenderError> {
        types::default_sql(column, default)
    }

    /// JSON values compare as JSON: `"c" = '{..}'::jsonb`, and
    /// `"c"::jsonb = '{..}'::jsonb` for `json` columns, which have no equality.
    fn value_equals(&self, column: &str, literal: &str, ty: &ColumnType) -> String {
        match ty {
            ColumnType::Jsonb => format!("{column} = {literal}::jsonb"),
            ColumnType::Json => format!("{column}::jsonb = {literal}::jsonb"),
            _ => format!("{column} = {literal}"),
        }
    }

    fn render(&self, op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
        render::render(op, before)
    }

    /// PostgreSQL keeps everything the model expresses; `numeric(p)` is stored as
    /// `numeric(p,0)`.
    fn normalize_stored(&self, schema: &mut Schema) {
        for col in schema
            .tables
            .values_mut()
            .flat_map(|t| t.columns.iter_mut())
        {
            if let ColumnType::Numeric {
                precision: Some(_),
                scale: scale @ None,
            } = &mut col.ty
            {
                *scale = Some(0);
            }
        }
    }
}

impl crate::ops::builder::ExecuteBuilder<'_> {
    /// SQL to run on PostgreSQL instead.
    pub fn postgres(self, sql: impl Into<String>) -> Self {
        self.variant(Dialect::Postgres, sql)
    }
}

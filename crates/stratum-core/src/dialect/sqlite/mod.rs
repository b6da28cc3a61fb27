//! SQLite: quoting, declared types, the statements of each op, and table rebuilds.
//!
//! # Declared types
//!
//! SQLite keeps a column's declared type as written, so each [`ColumnType`] gets a
//! declared type that names it unambiguously and that introspection maps back (see
//! [`type_sql`]): `SMALLINT`, `INTEGER`, `BIGINT`, `REAL`, `DOUBLE PRECISION`,
//! `NUMERIC(p,s)`/`NUMERIC(p)`/`NUMERIC`, `TEXT`, `VARCHAR(n)`/`VARCHAR`, `BOOLEAN`,
//! `DATE`, `TIME`, `TIMESTAMP`, `TIMESTAMPTZ`, `UUID`, `JSON`, `JSONB`, `BLOB`; a
//! custom type is written as given. An autoincrement column is always
//! `INTEGER ... PRIMARY KEY AUTOINCREMENT` (the only form SQLite accepts), so it reads
//! back as a `Serial` `Integer` whatever its declared width.
//!
//! # Enum columns
//!
//! SQLite has no enum types. An enum column is declared `TEXT` and carries a named
//! column CHECK constraint that lists the labels, in order:
//!
//! ```sql
//! "status" TEXT NOT NULL CONSTRAINT "enum:gridsquarestatus:status" CHECK ("status" IN ('none', 'registered'))
//! ```
//!
//! The constraint name is `enum:<type>:<column>` ([`enum_check_name`]), where `%` and
//! `:` inside the type and column names are written `%25` and `%3A`;
//! [`parse_enum_check_name`] reverses it. The expression is
//! `"<column>" IN ('<label>', ...)` with labels as SQL string literals
//! ([`enum_check_expression`], reversed by [`parse_enum_check_expression`]). These
//! constraints are not part of the table's [`crate::schema::Table::checks`]. The
//! column named in the constraint name is always the column the constraint is
//! attached to (renaming an enum column rebuilds the table, since SQLite's
//! `RENAME COLUMN` would not rename the constraint).
//! `CREATE TYPE`/`DROP TYPE` render nothing; adding or renaming a label rebuilds every
//! table that has a column of the type (a rename also rewrites the stored labels
//! while copying the rows).
//!
//! # Defaults
//!
//! `now()` is `CURRENT_TIMESTAMP`; a random UUID is [`RANDOM_UUID_DEFAULT`] (a
//! parenthesised expression that yields a version-4 UUID in lowercase text); booleans
//! are `TRUE`/`FALSE`; other expressions are written in parentheses.
//!
//! # Table rebuilds and foreign keys
//!
//! What `ALTER TABLE` cannot do in SQLite (changing a column's type, nullability or
//! default; adding or dropping a primary key, foreign key, unique or check
//! constraint; dropping a column that is indexed or constrained; adding a column
//! that is `NOT NULL` without a constant default, or whose default is not a constant;
//! changing an enum's labels; renaming an enum column) is done by rebuilding the
//! table:
//!
//! 1. `CREATE TABLE "_stratum_new_<t>" (...)` with the table as it is after the op;
//! 2. `INSERT INTO "_stratum_new_<t>" (...) SELECT ... FROM "<t>"`;
//! 3. `DROP TABLE "<t>"`;
//! 4. `ALTER TABLE "_stratum_new_<t>" RENAME TO "<t>"`;
//! 5. the table's indexes, created again.
//!
//! This is only correct while foreign-key enforcement is off: with it on, step 3
//! would delete (or refuse to delete) rows that other tables reference. **Contract
//! for whoever executes SQLite statements:** run `PRAGMA foreign_keys = OFF` before
//! the migration's transaction begins (the pragma does nothing inside a transaction;
//! [`script_preamble`]), and run [`foreign_key_check`] before each commit, rolling
//! back if it returns any row. Foreign keys are therefore checked once per
//! transaction rather than per statement; a foreign key added `NOT VALID` is checked
//! all the same.
//!
//! A type change's `USING` expression is PostgreSQL's and is ignored: the rebuild
//! copies the values as they are, and SQLite converts them by the new column's type
//! affinity where it can.
//!
//! Index access methods are ignored (SQLite has only b-trees), as are
//! `CONCURRENTLY` and `NOT VALID`; `VALIDATE CONSTRAINT` renders nothing. Standalone
//! sequences do not exist in SQLite and are refused.

mod enum_check;
mod quote;
mod rebuild;
mod render;
mod table;
mod types;

pub use enum_check::{
    ENUM_CHECK_PREFIX, enum_check_expression, enum_check_name, parse_enum_check_expression,
    parse_enum_check_name,
};
pub use rebuild::REBUILD_PREFIX;
pub use types::{NOW_DEFAULT, RANDOM_UUID_DEFAULT, default_sql, type_sql};

use super::{Capabilities, Dialect, RenderError, SqlDialect, Statement, TableRebuilds};
use crate::ops::Op;
use crate::schema::{AutoIncrement, ColumnType, DefaultValue, Schema};

const D: Dialect = Dialect::Sqlite;

/// SQLite (3.35 and later).
#[derive(Debug, Clone, Copy, Default)]
pub struct Sqlite;

/// What SQLite can do.
pub const CAPABILITIES: Capabilities = Capabilities {
    transactional_ddl: true,
    native_enums: false,
    rename_column: true,
    partial_indexes: true,
    concurrent_indexes: false,
    index_methods: false,
    sequences: false,
    identity_columns: false,
    not_valid_constraints: false,
    if_exists: true,
    check_constraints: true,
    default_in_values: false,
    copy_from_stdin: false,
    foreign_key_guard: true,
    max_identifier_length: None,
    table_rebuilds: TableRebuilds {
        alter_column: true,
        constraints: true,
        drop_constrained_column: true,
        add_column_without_constant_default: true,
        enum_labels: true,
        rename_enum_column: true,
    },
};

/// Statements to run, outside any transaction, before the statements of a SQLite
/// migration: `PRAGMA foreign_keys = OFF` (see the module docs).
pub fn script_preamble() -> Vec<Statement> {
    vec![Statement::non_transactional("PRAGMA foreign_keys = OFF")]
}

/// `PRAGMA foreign_key_check`: to run before each commit; any row it returns is a
/// violated foreign key, and the transaction must be rolled back.
pub fn foreign_key_check() -> Statement {
    Statement::new("PRAGMA foreign_key_check")
}

/// The SQLite statements of one op, given the schema before it.
pub fn render(op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
    render::render(op, before)
}

impl SqlDialect for Sqlite {
    fn dialect(&self) -> Dialect {
        D
    }

    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn key(&self) -> &'static str {
        "sqlite"
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

    fn render(&self, op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
        render::render(op, before)
    }

    /// Enum types used by no column vanish (a type lives only in its columns' CHECK
    /// constraints); standalone sequences vanish; autoincrement and identity columns
    /// become `Serial` `Integer` columns; index access methods vanish.
    fn normalize_stored(&self, s: &mut Schema) {
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

    fn script_preamble(&self) -> Vec<Statement> {
        script_preamble()
    }

    fn foreign_key_check(&self) -> Option<Statement> {
        Some(foreign_key_check())
    }
}

impl crate::ops::builder::ExecuteBuilder<'_> {
    /// SQL to run on SQLite instead.
    pub fn sqlite(self, sql: impl Into<String>) -> Self {
        self.variant(Dialect::Sqlite, sql)
    }
}

//! MariaDB and MySQL: quoting, types, and the statements of each op, written for
//! one server flavour and version.
//!
//! A [`Mysql`] renders for one [`Server`]: MariaDB 10.x/11.x or MySQL 8.0+. What
//! only some versions have is decided by [`Server`]'s methods: CHECK constraints
//! (MariaDB 10.2.1, MySQL 8.0.16), `RENAME COLUMN` (MariaDB 10.5.2, MySQL 8.0),
//! expression defaults (MariaDB 10.2.1, MySQL 8.0.13), functional indexes (MySQL
//! 8.0.13), `DROP CHECK` (MySQL) against `DROP CONSTRAINT` (MariaDB), `IF [NOT]
//! EXISTS` for indexes (MariaDB), sequences (MariaDB 10.3), the `uuid` type
//! (MariaDB 10.7).
//!
//! # Types
//!
//! `smallint`, `int`, `bigint`, `float`, `double`, `decimal(p,s)` (an unbounded
//! numeric is `decimal(65,30)`), `longtext` (text), `varchar(n)` (an unbounded
//! varchar is `varchar(255)`, [`UNBOUNDED_VARCHAR_LENGTH`], so that it can be a
//! key), `tinyint(1)` for booleans, `date`, `time(6)`, `datetime(6)` for
//! timestamps without time zone and `timestamp(6)` for those with one, `uuid`
//! (MariaDB 10.7+) or `char(36)`, `longblob`. JSON is `json` on MySQL and
//! `longtext` with a `CHECK (json_valid(..))` on MariaDB. An enum column lists its
//! labels inline (`enum('a','b')`); there are no enum types, so creating or
//! dropping one writes nothing and changing its labels restates every column of
//! the type (a rename widens the column to both labels, moves the stored values,
//! then narrows it).
//!
//! # Column changes
//!
//! A column change restates the whole column (`MODIFY COLUMN`, or `CHANGE COLUMN`
//! with a rename) as the simulated schema has it after the change, so that no
//! nullability or default is lost; a rename alone is `RENAME COLUMN` where the
//! server has it. A type change's `USING` expression is PostgreSQL's and is
//! ignored: the server converts the values itself.
//!
//! # Constraints and indexes
//!
//! Constraints are dropped by kind: `DROP PRIMARY KEY`, `DROP FOREIGN KEY`,
//! `DROP INDEX` (unique), `DROP CHECK`/`DROP CONSTRAINT`. A changed foreign key is
//! a drop then an add, the order in which the diff emits them. A foreign key
//! needs an index on its columns: dropping the last index or key that serves one
//! adds the key's own index (named after it) in the same statement, dropping the
//! key drops that index with it, and dropping a column first drops the keys over
//! it, then the column with every index, key and check it takes along in the
//! model (see `fk_index`). A plain index indexes a text column by its first
//! [`TEXT_INDEX_PREFIX`] characters; a primary or foreign key over a text column
//! is refused, and so is a unique key over one but on MariaDB 10.4+ (a hash
//! key). Checks over an `AUTO_INCREMENT` column or over a column a cascading
//! foreign key writes are refused, as the servers do. The server names every
//! primary key `PRIMARY`: introspection and [`SqlDialect::normalize_stored`]
//! both call it by the default name `<table>_pkey` instead, which is unique in
//! the schema as the simulator wants constraint names to be. `NOT VALID` is ignored (constraints are checked when added)
//! and `VALIDATE CONSTRAINT` writes nothing; `CONCURRENTLY` and index access
//! methods are ignored; partial indexes are refused.
//!
//! # Online changes
//!
//! A column change may ask for `ALGORITHM=` and `LOCK=` ([`MysqlAlter`]); they are
//! written only then, and the server refuses the statement when it cannot honour
//! them. `INSTANT` needs MariaDB 10.3 or MySQL 8.0.12, `NOCOPY` MariaDB 10.3.
//!
//! # Transactions
//!
//! Every DDL statement commits implicitly: a migration cannot be rolled back, and
//! [`Capabilities::transactional_ddl`] is false.
//!
//! # Literals
//!
//! Strings are single-quoted; a string with a backslash is written as a
//! hexadecimal literal with a `_utf8mb4` introducer, so that no literal depends on
//! `NO_BACKSLASH_ESCAPES`.

mod alter_options;
mod check_rules;
mod check_text;
mod column;
mod fk_index;
mod fk_types;
mod lint;
mod names;
mod quote;
mod render;
mod stored;
mod text_keys;
mod types;
mod version;

pub use alter_options::{MysqlAlgorithm, MysqlAlter, MysqlLock};
pub use check_text::{check_from_mysql_catalog, uppercase_keywords};
pub use fk_index::unnamed_key_index;
pub use names::MAX_IDENTIFIER_LENGTH;
pub use text_keys::PREFIX as TEXT_INDEX_PREFIX;
pub use types::{FSP, UNBOUNDED_VARCHAR_LENGTH, default_sql, type_sql};
pub use version::{Flavour, Server, ServerVersion};

use super::{Capabilities, Dialect, RenderError, SqlDialect, Statement, TableRebuilds};
use crate::lint::{Hazard, Rule};
use crate::ops::Op;
use crate::schema::{ColumnType, DefaultValue, Schema};

/// The SQL of MariaDB or MySQL, for one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mysql {
    /// The server the SQL is for.
    pub server: Server,
}

/// The SQL [`Dialect::Mysql`] renders when no server is at hand: MariaDB 10.11,
/// the version the tests run on. A connected backend renders for the flavour and
/// version it reads with `SELECT VERSION()` instead.
pub static DEFAULT: Mysql = Mysql::mariadb_at(10, 11);

impl Mysql {
    /// SQL for `flavour` at `version`.
    pub const fn new(flavour: Flavour, version: ServerVersion) -> Self {
        Self {
            server: Server { flavour, version },
        }
    }

    /// SQL for MariaDB `major.minor`.
    pub const fn mariadb_at(major: u32, minor: u32) -> Self {
        Self::new(Flavour::MariaDb, ServerVersion::new(major, minor, 0))
    }

    /// SQL for MySQL `major.minor.patch`.
    pub const fn mysql_at(major: u32, minor: u32, patch: u32) -> Self {
        Self::new(Flavour::Mysql, ServerVersion::new(major, minor, patch))
    }
}

/// The renderer for `server`, for as long as the program runs: one per distinct
/// server, so that a connection can hand out a `&'static dyn SqlDialect`.
pub fn for_server(server: Server) -> &'static Mysql {
    use std::sync::Mutex;
    static KNOWN: Mutex<Vec<&'static Mysql>> = Mutex::new(Vec::new());
    if server == DEFAULT.server {
        return &DEFAULT;
    }
    let mut known = KNOWN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(m) = known.iter().find(|m| m.server == server) {
        return m;
    }
    let m: &'static Mysql = Box::leak(Box::new(Mysql { server }));
    known.push(m);
    m
}

/// What a server can do.
pub fn capabilities(server: Server) -> Capabilities {
    Capabilities {
        transactional_ddl: false,
        native_enums: false,
        rename_column: server.rename_column(),
        partial_indexes: false,
        concurrent_indexes: false,
        index_methods: false,
        sequences: server.sequences(),
        identity_columns: true,
        not_valid_constraints: false,
        if_exists: server.if_exists(),
        check_constraints: server.check_constraints(),
        default_in_values: true,
        copy_from_stdin: false,
        foreign_key_guard: false,
        max_identifier_length: Some(MAX_IDENTIFIER_LENGTH),
        table_rebuilds: TableRebuilds::default(),
    }
}

impl SqlDialect for Mysql {
    /// [`Dialect::Mysql`], whatever the flavour and version.
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    /// Implicit defaults, enum label changes, table copies and the implicit commit
    /// of DDL (see the `lint` module of this folder).
    fn lint_hazards(&self, upgrade: &[Op], before: &Schema) -> Vec<Hazard> {
        lint::hazards(self.server, upgrade, before)
    }

    fn lint_rules_left_out(&self) -> &'static [Rule] {
        lint::LEFT_OUT
    }

    fn name(&self) -> &'static str {
        match self.server.flavour {
            Flavour::MariaDb => "mariadb",
            Flavour::Mysql => "mysql",
        }
    }

    /// `MariaDB 10.11.0`, `MySQL 8.0.36`.
    fn server(&self) -> String {
        self.server.to_string()
    }

    fn key(&self) -> &'static str {
        "mysql"
    }

    fn capabilities(&self) -> Capabilities {
        capabilities(self.server)
    }

    fn quote_ident(&self, name: &str) -> String {
        quote::quote_ident(name)
    }

    fn quote_literal(&self, value: &str) -> String {
        quote::quote_literal(value)
    }

    /// These servers have no `TEXT` cast type; `CHAR` without a length is text.
    fn text_cast(&self, expr: &str) -> String {
        format!("CAST({expr} AS CHAR)")
    }

    /// The type without a schema: an enum column's labels are unknown here and it
    /// is written `enum()`; the op renderers write the labels.
    fn type_sql(&self, ty: &ColumnType) -> String {
        types::type_sql(self.server, ty, None)
    }

    /// A default for a column of any type but `TEXT`, `BLOB` and `JSON` (whose
    /// literal defaults MySQL wants in parentheses: the op renderers know the type).
    fn default_sql(&self, column: &str, default: &DefaultValue) -> Result<String, RenderError> {
        types::default_sql(self.server, column, &ColumnType::Integer, default)
    }

    /// JSON values compare as JSON on MySQL (`` `c` = CAST('..' AS JSON) ``), and as
    /// the compact text a bulk insert stores on MariaDB.
    fn value_equals(&self, column: &str, literal: &str, ty: &ColumnType) -> String {
        match ty {
            ColumnType::Json | ColumnType::Jsonb if self.server.native_json() => {
                format!("{column} = CAST({literal} AS JSON)")
            }
            _ => format!("{column} = {literal}"),
        }
    }

    /// There is no `DEFAULT VALUES`: an empty column list and an empty row.
    fn insert_defaults_sql(&self, table: &str) -> String {
        format!("INSERT INTO {table} () VALUES ()")
    }

    fn render(&self, op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
        render::render(self, op, before)
    }

    /// What the server keeps: enum types used by no column vanish (they live only
    /// in columns), and so do sequences where there are none; check keywords are
    /// in one case (see [`uppercase_keywords`]); every autoincrement
    /// is `Serial`; a primary key has the default name `<table>_pkey` (the
    /// server keeps none); index methods vanish; `jsonb`
    /// is `json`; an unbounded varchar is `varchar(255)`; `numeric(p)` is
    /// `numeric(p,0)` and an unbounded numeric `numeric(65,30)`. Enum types,
    /// unique indexes and `RESTRICT` are then as introspection reads them (see
    /// [`as_introspected`]), so that a model and the database it built compare
    /// equal.
    fn normalize_stored(&self, schema: &mut Schema) {
        let used: std::collections::BTreeSet<String> = schema
            .tables
            .values()
            .flat_map(|t| t.columns.iter())
            .filter_map(|c| match &c.ty {
                ColumnType::Enum(e) => Some(e.clone()),
                _ => None,
            })
            .collect();
        schema.enums.retain(|name, _| used.contains(name));
        if !self.server.sequences() {
            schema.sequences.clear();
        }
        for t in schema.tables.values_mut() {
            if let Some(pk) = &mut t.primary_key {
                pk.name = crate::naming::primary_key(&t.name);
            }
            for index in t.indexes.values_mut() {
                index.method = None;
            }
            for check in t.checks.values_mut() {
                check.expression = uppercase_keywords(&check.expression);
            }
            for col in &mut t.columns {
                if col.auto_increment.is_some() {
                    col.auto_increment = Some(crate::schema::AutoIncrement::Serial);
                }
                col.ty = match std::mem::replace(&mut col.ty, ColumnType::Text) {
                    ColumnType::Jsonb => ColumnType::Json,
                    ColumnType::Varchar(None) => {
                        ColumnType::Varchar(Some(UNBOUNDED_VARCHAR_LENGTH))
                    }
                    ColumnType::Numeric {
                        precision: Some(p),
                        scale: None,
                    } => ColumnType::Numeric {
                        precision: Some(p),
                        scale: Some(0),
                    },
                    ColumnType::Numeric {
                        precision: None, ..
                    } => ColumnType::Numeric {
                        precision: Some(65),
                        scale: Some(30),
                    },
                    other => other,
                };
                col.default = col
                    .default
                    .take()
                    .map(|d| stored::stored_default(&col.ty, d));
            }
        }
        as_introspected(schema);
    }
}

/// `schema` as the server can tell it: every enum column has a type of its own,
/// named `<table>_<column>` (the server keeps the labels in the column and no
/// type name), a foreign key's `RESTRICT` is `NO ACTION` (InnoDB checks both
/// at once), and a unique index is a unique key, read as a unique constraint.
/// Introspection reads enum columns this way; compare a schema with an
/// introspected one after this.
pub fn as_introspected(schema: &mut Schema) {
    let mut enums = std::collections::BTreeMap::new();
    for t in schema.tables.values_mut() {
        for col in &mut t.columns {
            if let ColumnType::Enum(name) = &col.ty {
                let own = format!("{}_{}", t.name, col.name);
                let values = schema
                    .enums
                    .get(name)
                    .map(|e| e.values.clone())
                    .unwrap_or_default();
                enums.insert(
                    own.clone(),
                    crate::schema::EnumType {
                        name: own.clone(),
                        values,
                    },
                );
                col.ty = ColumnType::Enum(own);
            }
        }
        let unique: Vec<String> = t
            .indexes
            .values()
            .filter(|i| i.unique && i.predicate.is_none())
            .map(|i| i.name.clone())
            .collect();
        for name in unique {
            if let Some(index) = t.indexes.remove(&name) {
                t.uniques.insert(
                    name.clone(),
                    crate::schema::UniqueConstraint {
                        name,
                        columns: index.columns,
                    },
                );
            }
        }
        for fk in t.foreign_keys.values_mut() {
            for action in [&mut fk.on_delete, &mut fk.on_update] {
                if *action == crate::schema::FkAction::Restrict {
                    *action = crate::schema::FkAction::NoAction;
                }
            }
        }
    }
    schema.enums = enums;
}

impl crate::ops::builder::ExecuteBuilder<'_> {
    /// SQL to run on MariaDB and MySQL instead.
    pub fn mysql(self, sql: impl Into<String>) -> Self {
        self.variant(Dialect::Mysql, sql)
    }
}

#[cfg(test)]
mod tests;

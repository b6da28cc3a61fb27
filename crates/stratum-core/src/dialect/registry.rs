//! The [`Dialect`] key and the registry: the one place that maps a key to the
//! [`SqlDialect`] that writes SQL for it. Adding a database adds a variant here and
//! a line in [`Dialect::sql`]; nothing else names the variants.

use super::{Capabilities, SqlDialect, mysql, postgres, sqlite};

/// PostgreSQL's online plans and its COPY threshold, under the names generic
/// code uses.
pub use super::postgres::{COPY_MIN_ROWS, online};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A SQL dialect the engine renders for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Dialect {
    /// PostgreSQL (13 and later).
    Postgres,
    /// SQLite (3.35 and later).
    Sqlite,
    /// MariaDB (10.5 and later) and MySQL (8.0 and later). The flavour and version
    /// are the server's: [`Dialect::sql`] answers for MariaDB 10.11, and a backend
    /// connected to a server renders with the [`mysql::Mysql`] of the version it
    /// reads from the server at connect time.
    Mysql,
}

impl Dialect {
    /// Every dialect, in declaration order.
    pub const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Sqlite, Dialect::Mysql];

    /// The implementation that writes SQL for this dialect.
    pub fn sql(self) -> &'static dyn SqlDialect {
        match self {
            Dialect::Postgres => &postgres::Postgres,
            Dialect::Sqlite => &sqlite::Sqlite,
            Dialect::Mysql => &mysql::DEFAULT,
        }
    }

    /// What the database can do, for generic code to ask instead of naming it.
    pub fn capabilities(self) -> Capabilities {
        self.sql().capabilities()
    }

    /// The short lowercase key of the dialect (`postgres`, `sqlite`, `mysql`): the name of
    /// its raw-SQL variant in revision code and in serialized ops.
    pub fn key(self) -> &'static str {
        self.sql().key()
    }

    /// The dialect whose [`Dialect::key`] is `key`.
    pub fn from_key(key: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.key() == key)
    }

    /// An identifier quoted for this dialect, for SQL written outside the op
    /// renderers (bookkeeping tables, session settings).
    pub fn quote_ident(self, name: &str) -> String {
        self.sql().quote_ident(name)
    }

    /// A string as a string literal of this dialect, for SQL written outside the
    /// op renderers.
    pub fn quote_literal(self, value: &str) -> String {
        self.sql().quote_literal(value)
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.sql().name())
    }
}

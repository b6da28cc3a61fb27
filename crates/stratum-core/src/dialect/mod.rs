//! SQL rendering per dialect. Dialect dispatch happens here, and only here.

use serde::{Deserialize, Serialize};
use std::fmt;

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
}

impl Statement {
    /// A statement that may run inside a transaction.
    pub fn new(sql: impl Into<String>) -> Self {
        Self {
            sql: sql.into(),
            transactional: true,
        }
    }
}

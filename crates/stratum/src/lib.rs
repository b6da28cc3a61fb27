//! stratum: a schema-migration engine for Rust applications.
//!
//! Revisions are Rust files that record [`ops`](stratum_core::ops) through a builder;
//! the engine plans paths through the revision graph, renders SQL for PostgreSQL or
//! SQLite, runs each revision in a transaction with its version-table update, and
//! compares declared models with live databases.

pub use stratum_core as core;
pub use stratum_core::{codegen, dialect, diff, naming, ops, reverse, revision, schema, simulate};

pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod introspect;
pub mod model;
pub mod runner;
pub mod script;
pub mod verify;

/// Everything a revision file or a model module needs in scope.
pub mod prelude {
    pub use stratum_core::prelude::*;

    pub use crate::model::{DbEnum, SchemaBuilder, SqlType, Table, TableModel};
}

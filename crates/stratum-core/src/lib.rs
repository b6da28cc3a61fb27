//! The pure heart of the migration engine: the neutral [`schema`] model, the [`ops`]
//! vocabulary, and the functions over them that need no database:
//!
//! - [`simulate::apply`]: what a schema looks like after an op;
//! - [`reverse::reverse`]: the ops that undo an op, given the schema before it;
//! - [`diff::diff`]: ordered ops that turn one schema into another;
//! - [`dialect::render`]: the SQL of an op for PostgreSQL or SQLite;
//! - [`revision`]: the revision graph and target resolution;
//! - [`codegen`]: ops written back as revision code (autogenerate).

pub mod codegen;
pub mod dialect;
pub mod diff;
pub(crate) mod expr;
pub mod lint;
pub mod naming;
pub use dialect::online;
pub mod ops;
pub mod picture;
pub mod reverse;
pub mod revision;
pub mod schema;
pub mod simulate;

#[cfg(any(test, feature = "arbitrary"))]
pub mod arbitrary;

/// What a revision file needs in scope.
pub mod prelude {
    pub use crate::dialect::mysql::{MysqlAlgorithm, MysqlLock};
    pub use crate::ops::builder::types::*;
    pub use crate::ops::builder::{ColumnDef, Ops, col, foreign_key, index};
    pub use crate::ops::{Op, RawSql};
    pub use crate::revision::Revision;
    pub use crate::schema::{ColumnType, ConstraintKind, DefaultValue, FkAction};
    pub use serde_json::json;
}

//! stratum: a schema-migration engine for Rust applications.
//!
//! Revisions are Rust files that record [`ops`] through a builder;
//! the engine plans paths through the revision graph, renders SQL for PostgreSQL or
//! SQLite, runs each revision in a transaction with its version-table update, and
//! compares declared models with live databases.
//!
//! An application adopts the engine in four pieces (`smartem-migrate init` writes
//! them for a new crate):
//!
//! - a `migrations/versions/` directory of revision files, compiled into the binary
//!   by `stratum_build::embed_versions_or_panic("migrations/versions")` in
//!   `build.rs`, which generates a `REVISIONS` table to `include!`;
//! - models declared with [`#[derive(Table)]`](model::Table) (optional: they feed
//!   `check` and `revision --autogenerate`);
//! - a migration binary: `stratum_cli::run` with a `stratum_cli::App` (the
//!   `stratum-cli` crate) gives it every command (`upgrade`, `downgrade`,
//!   `current`, `history`, `revision`, `check`, ...);
//! - optionally, migrating from the application itself at start-up with
//!   [`embed::Migrations`].
//!
//! # Migrating at start-up
//!
//! The revisions below are written inline so that the example runs as it is; in
//! an application they come from the build script:
//! `include!(concat!(env!("OUT_DIR"), "/stratum_versions.rs"));`.
//!
//! ```
//! use stratum::prelude::*;
//! use stratum::script::EmbeddedRevision;
//!
//! fn create_task(op: &mut Ops) {
//!     op.create_table("task")
//!         .column(col("id", integer()).primary_key().autoincrement())
//!         .column(col("title", varchar_n(200)).not_null())
//!         .column(col("done", boolean()).not_null().default_bool(false));
//! }
//! fn drop_task(op: &mut Ops) {
//!     op.drop_table("task");
//! }
//!
//! static REVISIONS: &[EmbeddedRevision] = &[EmbeddedRevision {
//!     revision: Revision::new("5c0ffee00001").message("Create the task table"),
//!     upgrade: create_task,
//!     downgrade: drop_task,
//!     file_name: "2026_01_05_0900-5c0ffee00001_create_the_task_table.rs",
//!     source: "(the file's text, for checksums)",
//! }];
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let url = format!("sqlite:{}", dir.path().join("app.db").display());
//! let runtime = tokio::runtime::Runtime::new()?;
//! runtime.block_on(async {
//!     // At start-up, before serving: every replica may do this at once; the
//!     // migration lock lets one upgrade while the others wait, then find
//!     // nothing left to do.
//!     let report = stratum::embed::Migrations::new(REVISIONS)
//!         .lock_timeout(std::time::Duration::from_secs(60))
//!         .run(&url)
//!         .await?;
//!     assert_eq!(report.heads_after, ["5c0ffee00001"]);
//!
//!     let again = stratum::embed::upgrade_to_head(&url, REVISIONS).await?;
//!     assert!(again.applied.is_empty());
//!     Ok::<_, stratum::embed::EmbedError>(())
//! })?;
//! # Ok(()) }
//! ```
//!
//! The same steps by hand, when the application needs more control (a plan to log
//! first, a downgrade, its own connection): [`script::Script::load`] checks the
//! embedded revisions, [`runner::ScriptPlanner`] plans toward a [`runner::Goal`], and
//! [`runner::Migrator::run`] executes under the lock. See the user guide in `docs/`
//! for configuration, deployment and the command line.

pub use stratum_core as core;
pub use stratum_core::{codegen, dialect, diff, naming, ops, reverse, revision, schema, simulate};

pub(crate) mod backend;
pub mod backup;
pub mod config;
pub mod db;
pub mod embed;
pub mod fleet;
pub mod introspect;
pub mod lineage;
pub mod model;

pub mod python;
pub mod runner;
pub mod scratch;
pub mod script;
pub mod testing;
pub mod verify;

/// Everything a revision file or a model module needs in scope.
pub mod prelude {
    pub use stratum_core::prelude::*;

    pub use crate::model::{DbEnum, SchemaBuilder, SqlType, Table, TableModel};
}

//! Fleets: one command over many databases.
//!
//! A fleet is a list of [`FleetTarget`]s (the command line reads them from a
//! targets file or from every environment of its configuration file).
//! [`run_fleet`] upgrades, downgrades, reads, checks or
//! verifies them `jobs` at a time, each on its own connection and under its own
//! migration lock; databases already at the target are skipped; the `canary`
//! group goes first and the others only if every canary succeeded; the first
//! failure stops new databases from starting unless `continue_on_error` is set.
//! Progress comes as [`FleetEvent`]s; the result is a [`FleetReport`].
//!
//! ```no_run
//! use stratum::config::DatabaseUrl;
//! use stratum::fleet::{FleetCommand, FleetEvent, FleetOptions, FleetTarget, run_fleet};
//! use stratum::script::{EmbeddedRevision, Script};
//! use std::sync::Arc;
//!
//! # async fn demo(revisions: &'static [EmbeddedRevision]) -> Result<(), Box<dyn std::error::Error>> {
//! let script = Script::load(revisions)?;
//! let targets = ["site-a", "site-b"].map(|site| FleetTarget {
//!     name: site.to_string(),
//!     url: DatabaseUrl::parse(&format!("postgresql://app@{site}.internal/app")).unwrap(),
//!     group: None,
//!     settings: Default::default(),
//! });
//! let options = FleetOptions { jobs: 8, ..Default::default() };
//! let sink = Arc::new(|e: &FleetEvent| eprintln!("{e:?}"));
//! let report = run_fleet(&script, &targets, &FleetCommand::Upgrade("head".into()), &options, sink).await;
//! assert!(report.ok());
//! # Ok(()) }
//! ```

mod errors;
mod events;
mod run;
mod target;

pub use errors::{FleetError, TargetError};
pub use events::{FleetEvent, FleetSink};
pub use run::{FleetCommand, FleetOptions, FleetReport, Outcome, TargetReport, run_fleet};
pub use target::{CANARY_GROUP, FleetTarget};

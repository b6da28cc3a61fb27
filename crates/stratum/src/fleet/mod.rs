//! Fleets: one command over many databases.
//!
//! [`targets_from_file`] reads a targets file (one `[targets.NAME]` table per
//! database) and [`targets_from_config`] takes every environment of the
//! configuration file. [`run_fleet`] then upgrades, downgrades, reads, checks or
//! verifies them `jobs` at a time, each on its own connection and under its own
//! migration lock; databases already at the target are skipped; the `canary`
//! group goes first and the others only if every canary succeeded; the first
//! failure stops new databases from starting unless `continue_on_error` is set.
//! Progress comes as [`FleetEvent`]s; the result is a [`FleetReport`].
//!
//! ```no_run
//! use stratum::config::Env;
//! use stratum::fleet::{FleetCommand, FleetEvent, FleetOptions, run_fleet, targets_from_file};
//! use stratum::script::{EmbeddedRevision, Script};
//! use std::sync::Arc;
//!
//! # async fn demo(revisions: &'static [EmbeddedRevision]) -> Result<(), Box<dyn std::error::Error>> {
//! let script = Script::load(revisions)?;
//! let targets = targets_from_file("targets.toml".as_ref(), &Env::from_process())?;
//! let options = FleetOptions { jobs: 8, ..Default::default() };
//! let sink = Arc::new(|e: &FleetEvent| eprintln!("{e:?}"));
//! let report = run_fleet(&script, &targets, &FleetCommand::Upgrade("head".into()), &options, sink).await;
//! assert!(report.ok());
//! # Ok(()) }
//! ```

mod errors;
mod events;
mod run;
mod targets;

pub use errors::{FleetError, TargetError};
pub use events::{FleetEvent, FleetSink};
pub use run::{FleetCommand, FleetOptions, FleetReport, Outcome, TargetReport, run_fleet};
pub use targets::{CANARY_GROUP, FleetTarget, targets_from_config, targets_from_file};

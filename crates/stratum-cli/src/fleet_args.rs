//! Arguments of `fleet`.

use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `fleet`.
#[derive(Debug, Args)]
pub struct FleetArgs {
    /// What to do on every database.
    #[command(subcommand)]
    pub command: FleetSubcommand,
    /// The targets file: one `[targets.NAME]` table per database, with `url`
    /// and optionally `group = "canary"` (default: every environment of the
    /// configuration file).
    #[arg(long, value_name = "FILE", global = true)]
    pub targets: Option<PathBuf>,
    /// Databases worked on at once.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 1, global = true,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
    /// Keep starting databases after one failed (default: stop starting new
    /// ones at the first failure; those running finish).
    #[arg(long, global = true)]
    pub continue_on_error: bool,
}

/// The commands `fleet` runs on each database.
#[derive(Debug, Subcommand)]
pub enum FleetSubcommand {
    /// Upgrade every database (default: to head); those already there are skipped.
    Upgrade {
        /// Target: `head`, a revision id or prefix, `+N`.
        #[arg(default_value = "head")]
        target: String,
    },
    /// Downgrade every database to a target (`-1`, a revision, `base`).
    Downgrade {
        /// Target.
        #[arg(allow_hyphen_values = true)]
        target: String,
        /// Proceed past revisions marked irreversible named here.
        #[arg(long, value_name = "REV")]
        force: Vec<String>,
    },
    /// Show the revision every database is at.
    Current,
    /// Check that every database is at head and matches the models (exit 1 on drift).
    Check,
    /// Check every database's recorded revisions and that its schema is the one
    /// they build (exit 1 on drift).
    Verify,
}

//! Why a fleet could not be set up, and why one database of it failed.

use crate::config::{ConfigError, ConnectError, SqliteFileError};
use crate::introspect::IntrospectError;
use crate::runner::RunError;
use std::path::PathBuf;

/// The fleet cannot run at all (its targets cannot be read).
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    /// A URL, variable, password file or setting of a target is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A target has no `url`.
    #[error("{key} in {} has no url; add url = \"postgresql://...\" (or sqlite:FILE)", file.display())]
    MissingUrl {
        /// `targets.NAME` or `environments.NAME`.
        key: String,
        /// The file.
        file: PathBuf,
    },
    /// The file names no database.
    #[error("{source_name} names no database; {hint}")]
    NoTargets {
        /// The file.
        source_name: String,
        /// What to add.
        hint: &'static str,
    },
}

/// Why one database of the fleet failed. Never holds a password.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// Its SQLite file cannot be used for the command (missing for a read,
    /// a directory, not SQLite, read-only for a change); nothing was opened.
    #[error(transparent)]
    SqliteFile(#[from] SqliteFileError),
    /// The database could not be reached.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The run (or the integrity check) failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// Its schema could not be read.
    #[error("reading the schema failed: {0}")]
    Introspect(#[from] IntrospectError),
    /// The revisions could not be simulated or planned.
    #[error("{0}")]
    Plan(String),
}

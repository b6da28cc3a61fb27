//! Why a fleet could not be set up, and why one database of it failed.

use crate::config::{ConfigError, ConnectError, DatabaseFileError};
use crate::introspect::IntrospectError;
use crate::runner::RunError;
use crate::runner::conn::StorageFailure;
use std::path::PathBuf;

/// The fleet cannot run at all (its targets cannot be read).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
#[non_exhaustive]
pub enum TargetError {
    /// Its SQLite file cannot be used for the command (missing for a read,
    /// a directory, not SQLite, read-only for a change); nothing was opened.
    #[error(transparent)]
    DatabaseFile(#[from] DatabaseFileError),
    /// The database could not be reached.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The run (or the integrity check) failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The run failed because the SQLite file's storage gave out (disk full,
    /// I/O error); names the file.
    #[error("{source}; {failure}")]
    Storage {
        /// The run's error.
        source: RunError,
        /// The file and what gave out.
        failure: StorageFailure,
    },
    /// The database is at a revision a finalized squash removed: this build
    /// cannot plan for it.
    #[error("{0}")]
    Retired(String),
    /// Its schema could not be read.
    #[error("reading the schema failed: {0}")]
    Introspect(#[from] IntrospectError),
    /// The revisions could not be simulated or planned.
    #[error("{0}")]
    Plan(String),
}

impl TargetError {
    /// A run's error against the database at `url`: a storage failure on
    /// SQLite names the file, as the single-database commands do.
    pub fn run_at(e: RunError, url: &crate::config::DatabaseUrl) -> Self {
        match StorageFailure::of(&e, url) {
            Some(failure) => TargetError::Storage { source: e, failure },
            None => TargetError::Run(e),
        }
    }
}

//! Exit codes: distinct for each class of failure, so scripts and deploy pipelines can
//! tell a bad command line from an unreachable database from a failed migration.

use std::process::ExitCode;

/// What a run ended with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done.
    Success = 0,
    /// `check` found drift, `lint` found errors, `verify` found a revision that
    /// does not go up, down and up again cleanly (or a squash baseline that
    /// differs from its chain), `stamp --detect` matched no revision, or
    /// `fleet check`/`fleet verify` found a database that differs.
    Drift = 1,
    /// The command line, the configuration or a target is wrong (unknown or
    /// ambiguous revision, bad configuration, a SQLite path with no database
    /// file, ...).
    Usage = 2,
    /// The database could not be reached, refused the login, or the connection
    /// was lost; a SQLite file that cannot be read, or is read-only for a
    /// command that changes it.
    Connection = 3,
    /// A migration failed and was rolled back: a statement failed or ran past the
    /// statement timeout, or the database refused a version-table write.
    Migration = 4,
    /// The tool refused to act: integrity or state problem (edited revision, unknown
    /// revision in the database, bad scripts).
    Refused = 5,
    /// A lock was not free within the lock timeout: the migration lock, a
    /// table's lock (the version and history tables included) or SQLite's write
    /// lock.
    LockTimeout = 6,
    /// Stopped by a signal at a revision boundary.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

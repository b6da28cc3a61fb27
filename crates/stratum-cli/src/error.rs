//! Errors at the CLI edge: every library error becomes one message, an optional next
//! step, and an [`Exit`] class.

use super::exit::Exit;
use crate::config::{ConfigError, ConnectError, DatabaseFileError, DatabaseUrl};
use crate::runner::conn::{StorageFailure, is_connection_lost};
use crate::runner::{RunError, WaitKind};
use crate::script::ScriptError;
use crate::script::disk::DiskError;
use std::fmt;
use stratum_core::revision::GraphError;

/// An error as the CLI reports it.
#[derive(Debug)]
pub struct CliError {
    /// Exit class.
    pub exit: Exit,
    /// The message (one line where possible).
    pub message: String,
    /// The next step to take, if the message does not already say.
    pub hint: Option<String>,
}

impl CliError {
    /// An error of that class.
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Self {
            exit,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds the next step.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

fn graph_exit(e: &GraphError) -> Exit {
    match e {
        GraphError::UnknownCurrentRevision { .. } | GraphError::InconsistentCurrentHeads { .. } => {
            Exit::Refused
        }
        _ => Exit::Usage,
    }
}

impl From<GraphError> for CliError {
    fn from(e: GraphError) -> Self {
        CliError::new(graph_exit(&e), e.to_string())
    }
}

impl From<ScriptError> for CliError {
    fn from(e: ScriptError) -> Self {
        CliError::new(Exit::Refused, e.to_string())
    }
}

impl From<DiskError> for CliError {
    fn from(e: DiskError) -> Self {
        CliError::new(Exit::Refused, e.to_string())
    }
}

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        CliError::new(Exit::Usage, e.to_string())
    }
}

impl From<ConnectError> for CliError {
    fn from(e: ConnectError) -> Self {
        CliError::new(Exit::Connection, e.to_string())
    }
}

impl From<DatabaseFileError> for CliError {
    fn from(e: DatabaseFileError) -> Self {
        // A path that names no database file is wrong input; a database file
        // that may not be written or read is like a refused login.
        let exit = match e {
            DatabaseFileError::Missing { .. }
            | DatabaseFileError::Directory { .. }
            | DatabaseFileError::NotSqlite { .. } => Exit::Usage,
            DatabaseFileError::ReadOnly { .. } | DatabaseFileError::Unreadable { .. } => {
                Exit::Connection
            }
            _ => Exit::Usage,
        };
        CliError::new(exit, e.to_string())
    }
}

/// The exit class of a boxed planning error (graph or script errors inside).
fn boxed_exit(e: &(dyn std::error::Error + 'static)) -> Exit {
    if let Some(g) = e.downcast_ref::<GraphError>() {
        graph_exit(g)
    } else if let Some(ScriptError::Graph { .. }) = e.downcast_ref::<ScriptError>() {
        Exit::Usage
    } else {
        Exit::Refused
    }
}

impl From<RunError> for CliError {
    fn from(e: RunError) -> Self {
        let exit = match &e {
            RunError::Plan(inner) => boxed_exit(inner.as_ref()),
            RunError::LockTimeout { .. }
            | RunError::TableLockTimeout { .. }
            | RunError::DatabaseBusy { .. } => Exit::LockTimeout,
            RunError::StatementFailed {
                code: Some(code), ..
            } if code.starts_with(CONNECTION_EXCEPTION) => Exit::Connection,
            RunError::StatementFailed { .. }
            | RunError::PartiallyApplied { .. }
            | RunError::ForeignKeyViolation { .. }
            | RunError::ConcurrentChange { .. } => Exit::Migration,
            RunError::Cancelled { .. } => Exit::Interrupted,
            RunError::BookkeepingTimeout {
                wait: WaitKind::Statement,
                ..
            } => Exit::Migration,
            RunError::BookkeepingTimeout { .. } => Exit::LockTimeout,
            RunError::Database { code, source, .. } => database_exit(code.as_deref(), source),
            RunError::ConnectionClosed
            | RunError::ConnectionLost { .. }
            | RunError::LockLost { .. } => Exit::Connection,
            RunError::StampUnknown { .. } => Exit::Usage,
            _ => Exit::Refused,
        };
        let message = match &e {
            RunError::Plan(inner) => inner.to_string(),
            _ => e.to_string(),
        };
        let error = CliError::new(exit, message);
        match &e {
            RunError::Database {
                code: Some(code), ..
            } if code == INSUFFICIENT_PRIVILEGE => error.hint(
                "the database user may not change the schema: migrate as the schema's owner, or grant it CREATE on the schema",
            ),
            RunError::StatementFailed {
                code: Some(code), ..
            } if code.starts_with(CONNECTION_EXCEPTION) => error.hint(
                "the connection was lost before the revision was recorded; the database is at the last recorded revision: run again once the server is reachable",
            ),
            _ => error,
        }
    }
}

/// The exit class of a failed statement of the runner's own: a lock that was not
/// free in time is a lock timeout, a lost connection (by the runner's one rule,
/// [`is_connection_lost`]) a connection error, a missing privilege a refusal;
/// anything else the database refused (a version-table write a trigger or
/// constraint rejects, a statement timeout) failed the migration, which was
/// rolled back with it.
fn database_exit(code: Option<&str>, source: &crate::db::DbError) -> Exit {
    match WaitKind::of(source) {
        Some(WaitKind::Statement) => Exit::Migration,
        Some(_) => Exit::LockTimeout,
        None if is_connection_lost(source) => Exit::Connection,
        None if code == Some(INSUFFICIENT_PRIVILEGE) => Exit::Refused,
        None => Exit::Migration,
    }
}

/// A run's error against the database at `url`. On SQLite, a statement that
/// failed because the file's storage gave out (the disk or its quota full, an
/// I/O error) names the file and the cause, and says what to fix.
pub fn run_error_at(e: RunError, url: &DatabaseUrl) -> CliError {
    let storage = StorageFailure::of(&e, url);
    let error = CliError::from(e);
    match storage {
        Some(failure) => {
            let message = format!("{}; {failure}", error.message);
            CliError { message, ..error }.hint(failure.hint())
        }
        None => error,
    }
}

/// PostgreSQL's SQLSTATE class of lost and failed connections.
const CONNECTION_EXCEPTION: &str = "08";

/// PostgreSQL's SQLSTATE for a missing privilege.
const INSUFFICIENT_PRIVILEGE: &str = "42501";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_migration_lock_is_a_connection_error_and_a_timeout_a_lock_error() {
        let lost = CliError::from(RunError::LockLost {
            detail: "the connection holding it failed".into(),
        });
        assert_eq!(lost.exit, Exit::Connection);
        assert!(
            lost.message.starts_with(
                "the migration lock was lost during the run (the connection holding it failed)"
            ),
            "{}",
            lost.message
        );
        let timeout = CliError::from(RunError::LockTimeout {
            waited: std::time::Duration::from_millis(300),
            holder: None,
        });
        assert_eq!(timeout.exit, Exit::LockTimeout);
        assert_eq!(Exit::LockTimeout as i32, 6);
    }
}

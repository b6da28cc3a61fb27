//! Errors of the history tools.

use std::path::PathBuf;

/// Why a history operation could not be planned or written. Each message says
/// what to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LineageError {
    /// Folding a revision's ops with the simulator failed.
    #[error("simulating the chain failed at revision {revision}: {reason}")]
    Simulate {
        /// The revision whose ops failed.
        revision: String,
        /// The simulator's message.
        reason: String,
    },
    /// A revision file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The request does not fit the revision graph.
    #[error("{0}")]
    Graph(String),
}

//! The engine's kinds of database errors, into which each backend classifies
//! its own.

/// What went wrong, in the engine's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A lock wait ran past the lock timeout.
    LockTimeout,
    /// A statement ran past the statement timeout (or was cancelled).
    StatementTimeout,
    /// Another writer holds the database and the busy wait ran out.
    Busy,
    /// The server could not be reached.
    Unreachable,
    /// The server refused the credentials.
    Authentication,
    /// The named database does not exist.
    DatabaseMissing,
    /// TLS could not be set up.
    Tls,
    /// The user lacks a privilege.
    Permission,
    /// The database file could not be opened, read or written.
    Storage,
    /// The connection went away.
    ConnectionLost,
    /// Anything else.
    Other,
}

/// Whether a driver's message is about TLS.
pub(crate) fn mentions_tls(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("tls") || lower.contains("ssl") || lower.contains("certificate")
}

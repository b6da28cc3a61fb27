//! Opening a connection from a [`DatabaseUrl`], with failures sorted into the
//! cases a user can act on. No message ever contains the password.

use super::url::DatabaseUrl;
use crate::backend::ErrorKind;
use crate::backend::registry::for_dialect;
use crate::db::{Connection, DbError};

/// Why a connection could not be opened, with the next step in the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// Host unknown, connection refused or timed out.
    #[error(
        "cannot reach the database server at {target} ({detail}); check the host and port and that the server is running and accepts TCP connections"
    )]
    Unreachable {
        /// `host:port`.
        target: String,
        /// What the system said.
        detail: String,
    },
    /// The server refused the credentials (or does not know the user).
    #[error(
        "authentication failed for user `{user}` at {target} ({detail}); check the user name and password in the URL or POSTGRES_USER/POSTGRES_PASSWORD"
    )]
    AuthenticationFailed {
        /// The user name.
        user: String,
        /// `host:port`.
        target: String,
        /// The server's message.
        detail: String,
    },
    /// The server is reachable but the database does not exist.
    #[error(
        "database `{database}` does not exist on {target}; create it (createdb {database}) or fix the database name"
    )]
    DatabaseMissing {
        /// The database name.
        database: String,
        /// `host:port`.
        target: String,
    },
    /// TLS negotiation or certificate verification failed.
    #[error(
        "TLS problem connecting to {target} ({detail}); check sslmode in the URL (disable, prefer, require, verify-ca, verify-full) and the server's certificate"
    )]
    Tls {
        /// `host:port`.
        target: String,
        /// What failed.
        detail: String,
    },
    /// A SQLite file cannot be opened or created.
    #[error(
        "cannot open SQLite database {path} ({detail}); check that its directory exists and is writable"
    )]
    FileOpen {
        /// The file.
        path: String,
        /// What SQLite said.
        detail: String,
    },
    /// Anything else.
    #[error("cannot connect to {url}: {detail}")]
    Other {
        /// The URL, redacted.
        url: String,
        /// What failed.
        detail: String,
    },
}

/// Connects to `url`, classifying failures.
pub async fn connect(url: &DatabaseUrl) -> Result<Connection, ConnectError> {
    Connection::connect(url.expose())
        .await
        .map_err(|e| classify(url, &e))
}

/// The kind of a connection failure, before it is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unreachable,
    Auth,
    DatabaseMissing,
    Tls,
    FileOpen,
    Other,
}

/// Sorts a connection error into a [`ConnectError`], by the kind the URL's
/// backend gives it ([`crate::backend::Backend::classify_connect`]).
pub fn classify(url: &DatabaseUrl, err: &DbError) -> ConnectError {
    let kind = match err {
        DbError::Connect(_)
        | DbError::Query(_)
        | DbError::Statement { .. }
        | DbError::Transport(_) => match for_dialect(url.dialect()).classify_connect(err) {
            ErrorKind::Unreachable => Kind::Unreachable,
            ErrorKind::Authentication => Kind::Auth,
            ErrorKind::DatabaseMissing => Kind::DatabaseMissing,
            ErrorKind::Tls => Kind::Tls,
            ErrorKind::Storage => Kind::FileOpen,
            _ => Kind::Other,
        },
        DbError::UnsupportedScheme(_)
        | DbError::ForeignKeyViolation { .. }
        | DbError::CopyOnSqlite => Kind::Other,
    };
    word(url, kind, &url.scrub(&detail_of(err)))
}

/// What the system, the driver or the server said.
fn detail_of(err: &DbError) -> String {
    match err {
        DbError::Connect(e) | DbError::Query(e) | DbError::Statement { source: e, .. } => match e {
            sqlx::Error::Io(io) => io.to_string(),
            sqlx::Error::Tls(t) => t.to_string(),
            sqlx::Error::Database(db) => db.message().to_string(),
            other => other.to_string(),
        },
        DbError::Transport(f) => f.to_string(),
        other => other.to_string(),
    }
}

fn word(url: &DatabaseUrl, kind: Kind, detail: &str) -> ConnectError {
    let target = url.target();
    let detail = detail.to_string();
    match kind {
        Kind::Unreachable => ConnectError::Unreachable { target, detail },
        Kind::Auth => ConnectError::AuthenticationFailed {
            user: url.user().unwrap_or_else(|| "(default)".to_string()),
            target,
            detail,
        },
        Kind::DatabaseMissing => ConnectError::DatabaseMissing {
            database: url.database().unwrap_or_else(|| "(default)".to_string()),
            target,
        },
        Kind::Tls => ConnectError::Tls { target, detail },
        Kind::FileOpen => ConnectError::FileOpen {
            path: target,
            detail,
        },
        Kind::Other => ConnectError::Other {
            url: url.redacted(),
            detail,
        },
    }
}

//! Opening a connection from a [`DatabaseUrl`], with failures sorted into the
//! cases a user can act on. No message ever contains the password.

use super::url::DatabaseUrl;
use crate::backend::postgres::transport::FrontError;
use crate::db::{Connection, DbError};
use stratum_core::dialect::Dialect;

/// Why a connection could not be opened, with the next step in the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    SqliteOpen {
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
    SqliteOpen,
    Other,
}

/// Sorts a connection error into a [`ConnectError`].
pub fn classify(url: &DatabaseUrl, err: &DbError) -> ConnectError {
    let (kind, detail) = match err {
        DbError::Connect(e) | DbError::Query(e) | DbError::Statement { source: e, .. } => {
            kind_of(url.dialect(), e)
        }
        DbError::Transport(f) => transport_kind(f),
        DbError::UnsupportedScheme(_)
        | DbError::ForeignKeyViolation { .. }
        | DbError::CopyOnSqlite => (Kind::Other, err.to_string()),
    };
    word(url, kind, &url.scrub(&detail))
}

fn kind_of(dialect: Dialect, e: &sqlx::Error) -> (Kind, String) {
    match e {
        sqlx::Error::Io(io) => (io_kind(dialect, io), io.to_string()),
        sqlx::Error::Tls(t) => (Kind::Tls, t.to_string()),
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            let message = db.message().to_string();
            (server_kind(dialect, &code, &message), message)
        }
        other => {
            let text = other.to_string();
            let lower = text.to_ascii_lowercase();
            let kind = if lower.contains("tls")
                || lower.contains("ssl")
                || lower.contains("certificate")
            {
                Kind::Tls
            } else if dialect == Dialect::Sqlite {
                Kind::SqliteOpen
            } else {
                Kind::Other
            };
            (kind, text)
        }
    }
}

/// The kind of an error the server sent while the session was starting.
fn server_kind(dialect: Dialect, code: &str, message: &str) -> Kind {
    let lower = message.to_ascii_lowercase();
    match (dialect, code) {
        (Dialect::Postgres, "3D000") => Kind::DatabaseMissing,
        (Dialect::Postgres, _) if lower.contains("ssl") || lower.contains("encryption") => {
            Kind::Tls
        }
        (Dialect::Postgres, "28P01" | "28000") => Kind::Auth,
        (Dialect::Sqlite, _) => Kind::SqliteOpen,
        _ => Kind::Other,
    }
}

/// The kind of a failure of the PostgreSQL transport.
fn transport_kind(e: &FrontError) -> (Kind, String) {
    let kind = match e {
        FrontError::Unreachable(_) | FrontError::Timeout(_) | FrontError::Lost(_) => {
            Kind::Unreachable
        }
        FrontError::TlsNotOffered(_) | FrontError::CertificateFile { .. } | FrontError::Tls(_) => {
            Kind::Tls
        }
        FrontError::Auth { .. } => Kind::Auth,
        FrontError::Server { code, message } => server_kind(Dialect::Postgres, code, message),
        FrontError::Setting(_) | FrontError::Protocol(_) | FrontError::Local(_) => Kind::Other,
    };
    (kind, e.to_string())
}

fn io_kind(dialect: Dialect, io: &std::io::Error) -> Kind {
    use std::io::ErrorKind::*;
    if dialect == Dialect::Sqlite {
        return Kind::SqliteOpen;
    }
    match io.kind() {
        ConnectionRefused | TimedOut | HostUnreachable | NetworkUnreachable | AddrNotAvailable
        | ConnectionReset | NotFound => Kind::Unreachable,
        _ => {
            let text = io.to_string().to_ascii_lowercase();
            if text.contains("lookup")
                || text.contains("resolve")
                || text.contains("name or service")
            {
                Kind::Unreachable
            } else if text.contains("tls") || text.contains("certificate") {
                Kind::Tls
            } else {
                Kind::Unreachable
            }
        }
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
        Kind::SqliteOpen => ConnectError::SqliteOpen {
            path: target,
            detail,
        },
        Kind::Other => ConnectError::Other {
            url: url.redacted(),
            detail,
        },
    }
}

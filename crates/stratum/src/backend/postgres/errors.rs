//! PostgreSQL's errors in the engine's terms.

use super::transport::FrontError;
use crate::backend::{ErrorKind, mentions_tls};
use crate::db::DbError;

/// SQLSTATE `55P03`: a lock wait ran past `lock_timeout`.
pub(crate) const LOCK_NOT_AVAILABLE: &str = "55P03";
/// SQLSTATE `40P01`: a deadlock; the server chose this session as the victim,
/// so trying again is safe.
pub(crate) const DEADLOCK_DETECTED: &str = "40P01";
/// SQLSTATE `57014`: a statement was cancelled (`statement_timeout`).
pub(crate) const QUERY_CANCELED: &str = "57014";

/// The engine's kind for a PostgreSQL error.
pub(super) fn classify(error: &DbError) -> ErrorKind {
    match error {
        DbError::Transport(f) => f
            .downcast_ref::<FrontError>()
            .map_or(ErrorKind::Other, transport_kind),
        DbError::Query(e) | DbError::Connect(e) | DbError::Statement { source: e, .. } => {
            driver_kind(e)
        }
        _ => ErrorKind::Other,
    }
}

fn driver_kind(e: &sqlx::Error) -> ErrorKind {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => {
            ErrorKind::ConnectionLost
        }
        sqlx::Error::Tls(_) => ErrorKind::Tls,
        sqlx::Error::Database(db) => {
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            server_kind(&code, db.message())
        }
        _ => ErrorKind::Other,
    }
}

/// The engine's kind for a failure to connect to PostgreSQL.
pub(super) fn classify_connect(error: &DbError) -> ErrorKind {
    match error {
        DbError::Transport(f) => f
            .downcast_ref::<FrontError>()
            .map_or(ErrorKind::Other, transport_kind),
        DbError::Query(e) | DbError::Connect(e) | DbError::Statement { source: e, .. } => match e {
            sqlx::Error::Io(io) => io_kind(io),
            sqlx::Error::Tls(_) => ErrorKind::Tls,
            sqlx::Error::Database(db) => {
                let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                server_kind(&code, db.message())
            }
            other if mentions_tls(&other.to_string()) => ErrorKind::Tls,
            _ => ErrorKind::Other,
        },
        _ => ErrorKind::Other,
    }
}

/// The kind of an I/O error while connecting.
fn io_kind(io: &std::io::Error) -> ErrorKind {
    use std::io::ErrorKind::*;
    match io.kind() {
        ConnectionRefused | TimedOut | HostUnreachable | NetworkUnreachable | AddrNotAvailable
        | ConnectionReset | NotFound => ErrorKind::Unreachable,
        _ => {
            let text = io.to_string().to_ascii_lowercase();
            if text.contains("lookup")
                || text.contains("resolve")
                || text.contains("name or service")
            {
                ErrorKind::Unreachable
            } else if text.contains("tls") || text.contains("certificate") {
                ErrorKind::Tls
            } else {
                ErrorKind::Unreachable
            }
        }
    }
}

/// The kind of an error the server sent.
pub(crate) fn server_kind(code: &str, message: &str) -> ErrorKind {
    let lower = message.to_ascii_lowercase();
    match code {
        LOCK_NOT_AVAILABLE => ErrorKind::LockTimeout,
        QUERY_CANCELED => ErrorKind::StatementTimeout,
        "3D000" => ErrorKind::DatabaseMissing,
        _ if lower.contains("ssl") || lower.contains("encryption") => ErrorKind::Tls,
        "28P01" | "28000" => ErrorKind::Authentication,
        "42501" => ErrorKind::Permission,
        "57P01" | "57P02" | "57P03" => ErrorKind::ConnectionLost,
        c if c.starts_with("08") => ErrorKind::ConnectionLost,
        _ => ErrorKind::Other,
    }
}

/// The kind of a failure of the TCP transport.
pub(crate) fn transport_kind(e: &FrontError) -> ErrorKind {
    match e {
        FrontError::Unreachable(_) | FrontError::Timeout(_) | FrontError::Lost(_) => {
            ErrorKind::Unreachable
        }
        FrontError::TlsNotOffered(_) | FrontError::CertificateFile { .. } | FrontError::Tls(_) => {
            ErrorKind::Tls
        }
        FrontError::Auth { .. } => ErrorKind::Authentication,
        FrontError::Server { code, message } => server_kind(code, message),
        FrontError::Setting(_) | FrontError::Protocol(_) | FrontError::Local(_) => ErrorKind::Other,
    }
}

/// The character position (from 1) in the query text that an error points at,
/// when it points at one.
pub(super) fn error_position(e: &sqlx::Error) -> Option<usize> {
    let pg = e
        .as_database_error()?
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?;
    match pg.position()? {
        sqlx::postgres::PgErrorPosition::Original(at) => Some(at),
        _ => None,
    }
}

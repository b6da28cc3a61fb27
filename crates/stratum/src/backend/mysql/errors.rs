//! MariaDB's and MySQL's errors in the engine's terms.

use crate::backend::{ErrorKind, mentions_tls};
use crate::db::DbError;

/// ER_LOCK_WAIT_TIMEOUT: a row or metadata lock wait ran past its timeout.
const LOCK_WAIT_TIMEOUT: u16 = 1205;
/// ER_LOCK_DEADLOCK.
const LOCK_DEADLOCK: u16 = 1213;
/// ER_STATEMENT_TIMEOUT (MariaDB `max_statement_time`).
const STATEMENT_TIMEOUT_MARIADB: u16 = 1969;
/// ER_QUERY_TIMEOUT (MySQL `max_execution_time`).
const STATEMENT_TIMEOUT_MYSQL: u16 = 3024;
/// ER_ACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR (at connect).
const ACCESS_DENIED: u16 = 1045;
const DB_ACCESS_DENIED: u16 = 1044;
/// ER_BAD_DB_ERROR: unknown database.
const BAD_DB: u16 = 1049;
/// ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR,
/// ER_SPECIFIC_ACCESS_DENIED_ERROR.
const TABLE_ACCESS_DENIED: u16 = 1142;
const COLUMN_ACCESS_DENIED: u16 = 1143;
const SPECIFIC_ACCESS_DENIED: u16 = 1227;
/// ER_RECORD_FILE_FULL, ER_DISK_FULL.
const RECORD_FILE_FULL: u16 = 1114;
const DISK_FULL: u16 = 1021;
/// CR_SERVER_GONE_ERROR, CR_SERVER_LOST, ER_CONNECTION_KILLED.
const SERVER_GONE: u16 = 2006;
const SERVER_LOST: u16 = 2013;
const CONNECTION_KILLED: u16 = 1927;

/// The server's error number, for an error of this driver.
fn number(e: &sqlx::Error) -> Option<u16> {
    match e {
        sqlx::Error::Database(db) => db
            .try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>()
            .map(|m| m.number()),
        _ => None,
    }
}

/// The engine's kind for a MariaDB/MySQL error.
pub(super) fn classify(error: &DbError) -> ErrorKind {
    let e = match error {
        DbError::Query(e) | DbError::Connect(e) | DbError::Statement { source: e, .. } => e,
        _ => return ErrorKind::Other,
    };
    match e {
        sqlx::Error::Database(_) => number(e).map_or(ErrorKind::Other, server_kind),
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => {
            // Only errors of this driver: another database's I/O is its own.
            ErrorKind::Other
        }
        _ => ErrorKind::Other,
    }
}

/// The kind of a server error number.
fn server_kind(n: u16) -> ErrorKind {
    match n {
        LOCK_WAIT_TIMEOUT | LOCK_DEADLOCK => ErrorKind::LockTimeout,
        STATEMENT_TIMEOUT_MARIADB | STATEMENT_TIMEOUT_MYSQL => ErrorKind::StatementTimeout,
        ACCESS_DENIED => ErrorKind::Authentication,
        DB_ACCESS_DENIED | TABLE_ACCESS_DENIED | COLUMN_ACCESS_DENIED | SPECIFIC_ACCESS_DENIED => {
            ErrorKind::Permission
        }
        BAD_DB => ErrorKind::DatabaseMissing,
        RECORD_FILE_FULL | DISK_FULL => ErrorKind::Storage,
        SERVER_GONE | SERVER_LOST | CONNECTION_KILLED => ErrorKind::ConnectionLost,
        _ => ErrorKind::Other,
    }
}

/// The engine's kind for a failure to connect to MariaDB/MySQL.
pub(super) fn classify_connect(error: &DbError) -> ErrorKind {
    match error {
        DbError::Query(e) | DbError::Connect(e) | DbError::Statement { source: e, .. } => match e {
            sqlx::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::ConnectionRefused
                | std::io::ErrorKind::TimedOut
                | std::io::ErrorKind::NotFound => ErrorKind::Unreachable,
                _ => ErrorKind::ConnectionLost,
            },
            sqlx::Error::Tls(_) => ErrorKind::Tls,
            sqlx::Error::Database(_) => number(e).map_or(ErrorKind::Other, server_kind),
            other if mentions_tls(&other.to_string()) => ErrorKind::Tls,
            _ => ErrorKind::Other,
        },
        _ => ErrorKind::Other,
    }
}

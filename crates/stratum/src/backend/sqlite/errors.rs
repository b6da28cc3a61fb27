//! SQLite's errors in the engine's terms.

use crate::backend::{ErrorKind, mentions_tls};
use crate::db::DbError;

/// SQLITE_BUSY: another connection holds the database.
pub(crate) const SQLITE_BUSY: i32 = 5;
/// SQLITE_IOERR.
const SQLITE_IOERR: i32 = 10;
/// SQLITE_FULL.
const SQLITE_FULL: i32 = 13;
/// SQLITE_CANTOPEN.
const SQLITE_CANTOPEN: i32 = 14;
/// SQLITE_PERM and SQLITE_READONLY.
const SQLITE_PERM: i32 = 3;
const SQLITE_READONLY: i32 = 8;

/// SQLite's primary result code from the (extended) code text SQLite reports:
/// the low byte, so that `SQLITE_BUSY_SNAPSHOT` (517) reads as `SQLITE_BUSY` (5).
pub(crate) fn primary(code: &str) -> Option<i32> {
    code.parse::<i32>().ok().map(|c| c & 0xff)
}

/// What gave out, for a statement that failed with result `code` because the
/// file's storage did.
pub(super) fn storage_failure(code: &str) -> Option<&'static str> {
    match primary(code)? {
        SQLITE_FULL => Some("the disk is full"),
        SQLITE_IOERR => Some("reading or writing failed (an I/O error)"),
        _ => None,
    }
}

/// The engine's kind for a SQLite error.
pub(super) fn classify(error: &DbError) -> ErrorKind {
    let source = match error {
        DbError::Query(e) | DbError::Connect(e) | DbError::Statement { source: e, .. } => e,
        _ => return ErrorKind::Other,
    };
    match source {
        sqlx::Error::Database(db) => {
            if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_none() {
                return ErrorKind::Other;
            }
            let primary = db.code().and_then(|c| primary(&c));
            match primary {
                Some(SQLITE_BUSY) => ErrorKind::Busy,
                Some(SQLITE_IOERR | SQLITE_FULL | SQLITE_CANTOPEN) => ErrorKind::Storage,
                Some(SQLITE_PERM | SQLITE_READONLY) => ErrorKind::Permission,
                _ => ErrorKind::Other,
            }
        }
        sqlx::Error::Io(_) => ErrorKind::Storage,
        sqlx::Error::WorkerCrashed => ErrorKind::ConnectionLost,
        _ => ErrorKind::Other,
    }
}

/// The engine's kind for a failure to open a SQLite file: a storage problem,
/// unless the driver speaks of TLS.
pub(super) fn classify_connect(error: &DbError) -> ErrorKind {
    match error {
        DbError::Query(e) | DbError::Connect(e) | DbError::Statement { source: e, .. } => match e {
            sqlx::Error::Tls(_) => ErrorKind::Tls,
            sqlx::Error::Io(_) | sqlx::Error::Database(_) => ErrorKind::Storage,
            other if mentions_tls(&other.to_string()) => ErrorKind::Tls,
            _ => ErrorKind::Storage,
        },
        _ => ErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_codes_read_as_their_primary_code() {
        assert_eq!(primary("517"), Some(SQLITE_BUSY));
        // SQLITE_IOERR_WRITE (778) reads as SQLITE_IOERR.
        assert_eq!(storage_failure("778"), storage_failure("10"));
        assert_eq!(storage_failure("13"), Some("the disk is full"));
        assert_eq!(storage_failure("19"), None);
        assert_eq!(primary("x"), None);
    }
}

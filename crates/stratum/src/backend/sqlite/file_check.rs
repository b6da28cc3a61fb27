//! Checks on a SQLite file before it is opened, so that a mistyped path, a
//! directory, a file of another kind or a read-only file is reported by name
//! before anything happens, and a command that only reads never creates a file.

use crate::config::DatabaseUrl;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// What a command will do with the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only read it (`current`, `history`, `check`, `diff`, `schema`, ...): a
    /// missing SQLite file is an error, never created.
    Read,
    /// Change it, creating it when missing (`upgrade`, `stamp`): the file, if
    /// there, must be writable.
    Write,
    /// Change a database that must exist already (`downgrade`): a missing
    /// file is an error, and the file must be writable.
    Modify,
}

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Why a SQLite file cannot be used. Nothing has been opened or changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DatabaseFileError {
    /// A read command was given a path where no file exists.
    #[error(
        "SQLite database {} does not exist, and only `upgrade` and `stamp` create one: check the path and the working directory", path.display()
    )]
    Missing {
        /// The path.
        path: PathBuf,
    },
    /// The path is a directory.
    #[error("SQLite database {} is a directory, not a file; name the database file inside it", path.display())]
    Directory {
        /// The path.
        path: PathBuf,
    },
    /// The file is not a SQLite database.
    #[error("{} is not a SQLite database (it does not start with the SQLite header); check the path: nothing was changed", path.display())]
    NotSqlite {
        /// The path.
        path: PathBuf,
    },
    /// The file is read-only and the command would change it.
    #[error("SQLite database {} is read-only; make it writable (chmod u+w) to migrate it: nothing was changed", path.display())]
    ReadOnly {
        /// The path.
        path: PathBuf,
    },
    /// The file cannot be examined.
    #[error("cannot read SQLite database {}: {source}; check its permissions", path.display())]
    Unreadable {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// Checks the file of a SQLite URL for `access`. PostgreSQL URLs and explicit
/// in-memory databases pass; so does a missing file when `access` is
/// [`Access::Write`] (it is created on connection).
pub fn check_database_file(url: &DatabaseUrl, access: Access) -> Result<(), DatabaseFileError> {
    let backend = crate::backend::registry::for_dialect(url.dialect());
    if !backend.capabilities().file_database || url.sqlite_in_memory() {
        return Ok(());
    }
    check_path(Path::new(&url.target()), access)
}

fn check_path(path: &Path, access: Access) -> Result<(), DatabaseFileError> {
    let path_buf = path.to_path_buf();
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return match access {
                Access::Read | Access::Modify => Err(DatabaseFileError::Missing { path: path_buf }),
                Access::Write => Ok(()),
            };
        }
        Err(source) => {
            return Err(DatabaseFileError::Unreadable {
                path: path_buf,
                source,
            });
        }
    };
    if meta.is_dir() {
        return Err(DatabaseFileError::Directory { path: path_buf });
    }
    if !meta.is_file() {
        return Err(DatabaseFileError::NotSqlite { path: path_buf });
    }
    // An empty file is an empty database (SQLite writes the header on first use).
    if meta.len() > 0 {
        let mut header = [0u8; 16];
        let read = std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut header))
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::UnexpectedEof => None,
                _ => Some(source),
            });
        match read {
            Ok(()) if &header == SQLITE_HEADER => {}
            Ok(()) | Err(None) => return Err(DatabaseFileError::NotSqlite { path: path_buf }),
            Err(Some(source)) => {
                return Err(DatabaseFileError::Unreadable {
                    path: path_buf,
                    source,
                });
            }
        }
    }
    // Checked on the mode bits: a superuser could write the file anyway, and
    // would then change a file its owner marked read-only.
    if access != Access::Read && meta.permissions().readonly() {
        return Err(DatabaseFileError::ReadOnly { path: path_buf });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_unusable_path_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("typo.db");
        assert!(matches!(
            check_path(&missing, Access::Read),
            Err(DatabaseFileError::Missing { .. })
        ));
        assert!(check_path(&missing, Access::Write).is_ok());
        assert!(!missing.exists(), "checking creates nothing");
        assert!(matches!(
            check_path(dir.path(), Access::Write),
            Err(DatabaseFileError::Directory { .. })
        ));
        let text = dir.path().join("notes.txt");
        std::fs::write(&text, "these are notes, not a database\n").unwrap();
        let err = check_path(&text, Access::Write).unwrap_err();
        assert!(matches!(err, DatabaseFileError::NotSqlite { .. }), "{err}");
        assert!(err.to_string().contains("notes.txt"), "{err}");
        let short = dir.path().join("short.db");
        std::fs::write(&short, "SQLite").unwrap();
        assert!(matches!(
            check_path(&short, Access::Read),
            Err(DatabaseFileError::NotSqlite { .. })
        ));
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, "").unwrap();
        assert!(check_path(&empty, Access::Write).is_ok());
        let mut perms = std::fs::metadata(&empty).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&empty, perms).unwrap();
        assert!(check_path(&empty, Access::Read).is_ok());
        for access in [Access::Write, Access::Modify] {
            assert!(matches!(
                check_path(&empty, access),
                Err(DatabaseFileError::ReadOnly { .. })
            ));
        }
        assert!(matches!(
            check_path(&missing, Access::Modify),
            Err(DatabaseFileError::Missing { .. })
        ));
    }

    #[test]
    fn postgres_and_in_memory_urls_pass() {
        for raw in ["postgresql://u@h/db", "sqlite::memory:"] {
            let url = DatabaseUrl::parse(raw).unwrap();
            assert!(check_database_file(&url, Access::Read).is_ok(), "{raw}");
        }
    }
}

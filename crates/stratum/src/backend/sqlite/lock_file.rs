//! Where SQLite's migration lock lives: a file beside the database,
//! `<database>.migrate-lock`, which the runner locks exclusively for the whole
//! run ([`super::super::LockStyle::File`]). SQLite's own write lock only covers
//! one transaction, so without it several processes doing the first upgrade of a
//! new file would interleave revision by revision and could read "no version
//! table" while another one creates the first tables. The database file itself
//! is never opened for the lock: closing another descriptor of it would drop
//! SQLite's own POSIX locks.

use std::path::PathBuf;

/// What is appended to the database file's name to name its lock file.
pub const LOCK_FILE_SUFFIX: &str = ".migrate-lock";

/// The lock file of the database in `database_file`.
pub(super) fn beside(database_file: String) -> PathBuf {
    let mut name = PathBuf::from(database_file).into_os_string();
    name.push(LOCK_FILE_SUFFIX);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_file_sits_beside_the_database() {
        assert_eq!(
            beside("/data/app.db".into()),
            PathBuf::from("/data/app.db.migrate-lock")
        );
    }
}

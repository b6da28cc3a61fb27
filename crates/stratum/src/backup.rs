//! Backups taken before an upgrade changes anything, each written by the
//! database's backend ([`crate::backend::Backend::backup`]) into a timestamped
//! file, with the command that restores it.

use crate::backend::registry::for_dialect;
use crate::config::{ConnectError, DatabaseUrl};
use std::path::{Path, PathBuf};

/// Why a backup could not be taken. The upgrade must not go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    /// The backup directory cannot be created or written.
    #[error("cannot write the backup to {path}: {source}; choose another --backup-dir")]
    Io {
        /// The directory or file.
        path: PathBuf,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// The dump program (`pg_dump`, `mariadb-dump`) is not installed or cannot be
    /// started.
    #[error("cannot run {program} ({source}); {hint}")]
    ToolMissing {
        /// The program.
        program: String,
        /// What to install.
        hint: String,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// The dump program ran and failed.
    #[error("{program} failed ({status}): {stderr}")]
    DumpFailed {
        /// The program.
        program: String,
        /// Exit status.
        status: String,
        /// Its error output, without the password.
        stderr: String,
    },
    /// The URL lacks what a dump needs.
    #[error("cannot back up {url}: {reason}")]
    BadUrl {
        /// The URL, redacted.
        url: String,
        /// What is missing.
        reason: String,
    },
    /// The SQLite database cannot be opened.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// `VACUUM INTO` failed.
    #[error("copying the SQLite database with VACUUM INTO failed: {0}")]
    FileCopy(String),
}

/// A backup that was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// How to restore it, as a command to run (without the password).
    pub restore: String,
}

/// Options of [`backup`].
#[derive(Debug, Clone)]
pub struct BackupOptions {
    /// Directory of the backup files (created when missing).
    pub dir: PathBuf,
    /// The `pg_dump` program.
    pub pg_dump: PathBuf,
    /// The MariaDB/MySQL dump program; `None`: `mariadb-dump` from `PATH`, else
    /// `mysqldump`.
    pub mysql_dump: Option<PathBuf>,
    /// How long the dump may wait for its table locks before failing (instead
    /// of queueing behind a session that holds a table exclusively).
    pub lock_wait_timeout: Option<std::time::Duration>,
}

impl BackupOptions {
    /// Backups in `dir`, with `pg_dump` from `PATH`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            pg_dump: PathBuf::from("pg_dump"),
            mysql_dump: None,
            lock_wait_timeout: None,
        }
    }
}

/// A file-name-safe stem: letters, digits, `-` and `_`.
pub(crate) fn stem(text: &str) -> String {
    let s: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "database".into() } else { s }
}

/// A path in `dir` that does not exist yet: `<stem>_<UTC timestamp>[_n].<ext>`.
pub(crate) fn fresh_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let ts = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut path = dir.join(format!("{stem}_{ts}.{ext}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}_{ts}_{n}.{ext}"));
    }
    path
}

/// Quotes a word for a POSIX shell when it needs it (for the printed restore
/// command).
pub(crate) fn shell_word(w: &str) -> String {
    if !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+".contains(c))
    {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', r"'\''"))
    }
}

/// Backs up the database `url` points at into `options.dir`.
pub async fn backup(url: &DatabaseUrl, options: &BackupOptions) -> Result<Backup, BackupError> {
    std::fs::create_dir_all(&options.dir).map_err(|source| BackupError::Io {
        path: options.dir.clone(),
        source,
    })?;
    let path = for_dialect(url.dialect()).backup(url, options).await?;
    let bytes = std::fs::metadata(&path)
        .map_err(|source| BackupError::Io {
            path: path.clone(),
            source,
        })?
        .len();
    let restore = restore_command(url, &path)?;
    Ok(Backup {
        path,
        bytes,
        restore,
    })
}

/// The command that restores `path` into the database of `url`.
fn restore_command(url: &DatabaseUrl, path: &Path) -> Result<String, BackupError> {
    for_dialect(url.dialect()).restore_command(url, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_command_names_the_database_but_not_the_password() {
        let url = DatabaseUrl::parse("postgresql://app:s3cr%40t@db.internal:5433/smartem").unwrap();
        let cmd = restore_command(&url, Path::new("backups/smartem_x.dump")).unwrap();
        assert_eq!(
            cmd,
            "pg_restore --clean --if-exists --no-owner --host=db.internal --port=5433 \
             --username=app --dbname=smartem backups/smartem_x.dump"
        );
        assert!(!cmd.contains("s3cr"));
    }

    #[test]
    fn file_names_are_safe_and_fresh() {
        assert_eq!(stem("my db/1"), "my_db_1");
        let dir = std::env::temp_dir();
        let p = fresh_path(&dir, "x", "dump");
        assert!(p.file_name().unwrap().to_string_lossy().starts_with("x_"));
        assert!(!p.exists());
    }
}

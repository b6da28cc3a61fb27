//! Backups taken before an upgrade changes anything.
//!
//! PostgreSQL: `pg_dump --format=custom` into a timestamped file. The connection
//! parameters are given as separate options and the password only through the
//! `PGPASSWORD` environment variable of the child process, so it never appears on
//! a command line (visible to other users in the process list) or in output.
//! SQLite: `VACUUM INTO` a timestamped file, a consistent copy even while other
//! connections write.

use crate::config::{ConnectError, DatabaseUrl, connect};
use std::path::{Path, PathBuf};
use stratum_core::dialect::Dialect;

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
    /// `pg_dump` is not installed or cannot be started.
    #[error(
        "cannot run {program} ({source}); install the PostgreSQL client tools (the same major version as the server, or newer) or put pg_dump on PATH"
    )]
    ToolMissing {
        /// The program.
        program: String,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
    /// `pg_dump` ran and failed.
    #[error("pg_dump failed ({status}): {stderr}")]
    DumpFailed {
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
    SqliteCopy(String),
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
    /// How long `pg_dump` may wait for its table locks before failing (instead
    /// of queueing behind a session that holds a table exclusively).
    pub lock_wait_timeout: Option<std::time::Duration>,
}

impl BackupOptions {
    /// Backups in `dir`, with `pg_dump` from `PATH`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: dir.into(),
            pg_dump: PathBuf::from("pg_dump"),
            lock_wait_timeout: None,
        }
    }
}

/// Connection parameters for the PostgreSQL client tools.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PgParams {
    host: String,
    port: u16,
    user: Option<String>,
    database: String,
    sslmode: Option<String>,
}

fn pg_params(url: &DatabaseUrl) -> Result<PgParams, BackupError> {
    let bad = |reason: &str| BackupError::BadUrl {
        url: url.redacted(),
        reason: reason.to_string(),
    };
    let parsed = url::Url::parse(url.expose()).map_err(|_| bad("the URL does not parse"))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| bad("no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let database = url.database().ok_or_else(|| bad("no database name"))?;
    let sslmode = parsed
        .query_pairs()
        .find(|(k, _)| k == "sslmode")
        .map(|(_, v)| v.into_owned());
    Ok(PgParams {
        host,
        port: parsed.port().unwrap_or(5432),
        user: url.user(),
        database,
        sslmode,
    })
}

/// A file-name-safe stem: letters, digits, `-` and `_`.
fn stem(text: &str) -> String {
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
fn fresh_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
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
fn shell_word(w: &str) -> String {
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
    let path = match url.dialect() {
        Dialect::Postgres => pg_dump(url, options).await?,
        Dialect::Sqlite => sqlite_copy(url, options).await?,
    };
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
    let file = shell_word(&path.display().to_string());
    Ok(match url.dialect() {
        Dialect::Postgres => {
            let p = pg_params(url)?;
            let mut words = vec![
                "pg_restore".to_string(),
                "--clean".into(),
                "--if-exists".into(),
                "--no-owner".into(),
                format!("--host={}", shell_word(&p.host)),
                format!("--port={}", p.port),
            ];
            if let Some(u) = &p.user {
                words.push(format!("--username={}", shell_word(u)));
            }
            words.push(format!("--dbname={}", shell_word(&p.database)));
            words.push(file);
            words.join(" ")
        }
        Dialect::Sqlite => format!(
            "cp {file} {}   (with no process using the database)",
            shell_word(&url.target())
        ),
    })
}

async fn pg_dump(url: &DatabaseUrl, options: &BackupOptions) -> Result<PathBuf, BackupError> {
    let p = pg_params(url)?;
    let path = fresh_path(&options.dir, &stem(&p.database), "dump");
    let mut cmd = tokio::process::Command::new(&options.pg_dump);
    cmd.arg("--format=custom")
        .arg(format!("--file={}", path.display()))
        .arg(format!("--host={}", p.host))
        .arg(format!("--port={}", p.port))
        .arg("--no-password")
        .arg(format!("--dbname={}", p.database))
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    if let Some(u) = &p.user {
        cmd.arg(format!("--username={u}"));
    }
    if let Some(t) = options.lock_wait_timeout {
        cmd.arg(format!("--lock-wait-timeout={}", t.as_millis().max(1)));
    }
    // Never inherit a password or service file meant for another database.
    cmd.env_remove("PGPASSWORD")
        .env_remove("PGSERVICE")
        .env_remove("PGDATABASE");
    if let Some(pw) = url.password() {
        cmd.env("PGPASSWORD", pw);
    }
    if let Some(mode) = &p.sslmode {
        cmd.env("PGSSLMODE", mode);
    }
    let out = cmd
        .output()
        .await
        .map_err(|source| BackupError::ToolMissing {
            program: options.pg_dump.display().to_string(),
            source,
        })?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&path);
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(BackupError::DumpFailed {
            status: out.status.to_string(),
            stderr: url.scrub(stderr.trim()),
        });
    }
    Ok(path)
}

async fn sqlite_copy(url: &DatabaseUrl, options: &BackupOptions) -> Result<PathBuf, BackupError> {
    let source = PathBuf::from(url.target());
    let name = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = fresh_path(&options.dir, &stem(&name), "db");
    let mut conn = connect(url).await?;
    let literal = path.display().to_string().replace('\'', "''");
    let result = conn.execute(&format!("VACUUM INTO '{literal}'")).await;
    let _ = conn.close().await;
    result.map_err(|e| BackupError::SqliteCopy(crate::runner::conn::error_message(&e)))?;
    Ok(path)
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

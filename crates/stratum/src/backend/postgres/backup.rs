//! Backups of PostgreSQL databases: `pg_dump --format=custom` into a timestamped
//! file. The connection parameters are given as separate options and the
//! password only through the `PGPASSWORD` environment variable of the child
//! process, so it never appears on a command line (visible to other users in the
//! process list) or in output.

use crate::backup::{BackupError, BackupOptions, fresh_path, shell_word, stem};
use crate::config::DatabaseUrl;
use std::path::{Path, PathBuf};

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

pub(super) async fn pg_dump(
    url: &DatabaseUrl,
    options: &BackupOptions,
) -> Result<PathBuf, BackupError> {
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
            hint: "install the PostgreSQL client tools (the same major version as the server, or newer) or put pg_dump on PATH".to_string(),
            source,
        })?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&path);
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(BackupError::DumpFailed {
            program: "pg_dump".to_string(),
            status: out.status.to_string(),
            stderr: url.scrub(stderr.trim()),
        });
    }
    Ok(path)
}

/// The command that restores `path` into the database of `url`.
pub(super) fn restore_command(url: &DatabaseUrl, path: &Path) -> Result<String, BackupError> {
    let file = shell_word(&path.display().to_string());
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
    Ok(words.join(" "))
}

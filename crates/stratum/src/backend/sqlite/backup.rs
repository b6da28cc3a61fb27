//! Backups of SQLite databases: `VACUUM INTO` a timestamped file, a consistent
//! copy even while other connections write.

use crate::backup::{BackupError, BackupOptions, fresh_path, shell_word, stem};
use crate::config::{DatabaseUrl, connect};
use std::path::{Path, PathBuf};
use stratum_core::dialect::{Dialect, quote_literal};

pub(super) async fn sqlite_copy(
    url: &DatabaseUrl,
    options: &BackupOptions,
) -> Result<PathBuf, BackupError> {
    let source = PathBuf::from(url.target());
    let name = source
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let path = fresh_path(&options.dir, &stem(&name), "db");
    let mut conn = connect(url).await?;
    let literal = quote_literal(&path.display().to_string(), Dialect::Sqlite);
    let result = conn.execute(&format!("VACUUM INTO {literal}")).await;
    let _ = conn.close().await;
    result.map_err(|e| BackupError::FileCopy(crate::runner::conn::error_message(&e)))?;
    Ok(path)
}

/// The command that restores `path` into the database of `url`.
pub(super) fn restore_command(url: &DatabaseUrl, path: &Path) -> String {
    let file = shell_word(&path.display().to_string());
    format!(
        "cp {file} {}   (with no process using the database)",
        shell_word(&url.target())
    )
}

//! Backups of MariaDB/MySQL databases: `mariadb-dump` (else `mysqldump`) with
//! `--single-transaction --routines --triggers --events` into a timestamped SQL
//! file, restored by feeding it to the `mariadb` (or `mysql`) client.
//!
//! The password never appears on a command line (visible to every user in the
//! process list) or in output: it goes into a temporary option file, readable by
//! its owner alone (mode 0600), named by `--defaults-extra-file` and removed when
//! the dump ends. The client's own option files are still read (`~/.my.cnf` after
//! this one); the host, port and user given as options win over them.

use crate::backup::{BackupError, BackupOptions, fresh_path, shell_word, stem};
use crate::config::DatabaseUrl;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The dump programs, in the order they are looked for on `PATH`, each with the
/// client that restores its files.
const TOOLS: [(&str, &str); 2] = [("mariadb-dump", "mariadb"), ("mysqldump", "mysql")];

/// What to install when no dump program is found.
const TOOL_HINT: &str =
    "install the MariaDB client (mariadb-dump) or the MySQL client (mysqldump), or put one on PATH";

/// Connection parameters for the client tools.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Params {
    host: String,
    port: u16,
    user: Option<String>,
    database: String,
    socket: Option<String>,
}

fn params(url: &DatabaseUrl) -> Result<Params, BackupError> {
    let bad = |reason: &str| BackupError::BadUrl {
        url: url.redacted(),
        reason: reason.to_string(),
    };
    let parsed = url::Url::parse(url.expose()).map_err(|_| bad("the URL does not parse"))?;
    let host = parsed
        .host_str()
        .unwrap_or("localhost")
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let database = url
        .database()
        .filter(|d| !d.is_empty())
        .ok_or_else(|| bad("no database name"))?;
    let socket = parsed
        .query_pairs()
        .find(|(k, _)| k == "socket")
        .map(|(_, v)| v.into_owned());
    Ok(Params {
        host,
        port: parsed.port().unwrap_or(3306),
        user: url.user(),
        database,
        socket,
    })
}

/// `program` when it is a path or found on `PATH`.
fn on_path(program: &str) -> bool {
    let p = Path::new(program);
    if p.components().count() > 1 {
        return p.is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// The dump program: the configured one, else the first of [`TOOLS`] on `PATH`
/// (the first one, to be named in the error, when none is).
fn dump_program(options: &BackupOptions) -> PathBuf {
    if let Some(p) = &options.mysql_dump {
        return p.clone();
    }
    let found = TOOLS.iter().find(|(dump, _)| on_path(dump));
    PathBuf::from(found.unwrap_or(&TOOLS[0]).0)
}

/// The client that restores the files of `dump` (by its name).
fn client_for(dump: &Path) -> &'static str {
    let name = dump
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.starts_with("mysql") {
        TOOLS[1].1
    } else {
        TOOLS[0].1
    }
}

/// An option-file value: double-quoted, with backslashes, quotes and line breaks
/// escaped.
fn option_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A temporary option file holding the password, removed when dropped.
struct OptionFile {
    path: PathBuf,
}

impl OptionFile {
    /// Writes `[client] password=...` to a new file only its owner can read.
    fn with_password(password: &str) -> std::io::Result<Self> {
        let dir = std::env::temp_dir();
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut n = 0u32;
        loop {
            let path = dir.join(format!(
                "stratum-dump-{}-{nanos:x}-{n}.cnf",
                std::process::id()
            ));
            let mut open = std::fs::OpenOptions::new();
            open.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt as _;
                open.mode(0o600);
            }
            match open.open(&path) {
                Ok(mut file) => {
                    let file_guard = OptionFile { path };
                    writeln!(file, "[client]\npassword={}", option_value(password))?;
                    file.sync_all()?;
                    return Ok(file_guard);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for OptionFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Dumps the database of `url` into a new file in `options.dir`.
pub(super) async fn dump(
    url: &DatabaseUrl,
    options: &BackupOptions,
) -> Result<PathBuf, BackupError> {
    let p = params(url)?;
    let program = dump_program(options);
    let path = fresh_path(&options.dir, &stem(&p.database), "sql");
    let option_file = match url.password() {
        Some(pw) => Some(
            OptionFile::with_password(&pw).map_err(|source| BackupError::Io {
                path: std::env::temp_dir(),
                source,
            })?,
        ),
        None => None,
    };
    let mut cmd = tokio::process::Command::new(&program);
    // The option file must be the first argument.
    if let Some(f) = &option_file {
        cmd.arg(format!("--defaults-extra-file={}", f.path.display()));
    }
    cmd.args([
        "--single-transaction",
        "--routines",
        "--triggers",
        "--events",
        "--hex-blob",
    ]);
    match &p.socket {
        Some(s) => cmd.arg(format!("--socket={s}")),
        None => cmd
            .arg("--protocol=TCP")
            .arg(format!("--host={}", p.host))
            .arg(format!("--port={}", p.port)),
    };
    if let Some(u) = &p.user {
        cmd.arg(format!("--user={u}"));
    }
    cmd.arg(format!("--result-file={}", path.display()))
        .arg("--")
        .arg(&p.database)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    // Never take a password or server meant for another database from the
    // environment.
    for var in [
        "MYSQL_PWD",
        "MYSQL_HOST",
        "MYSQL_TCP_PORT",
        "MYSQL_UNIX_PORT",
    ] {
        cmd.env_remove(var);
    }
    let out = cmd.output().await;
    drop(option_file);
    let out = out.map_err(|source| BackupError::ToolMissing {
        program: program.display().to_string(),
        hint: TOOL_HINT.to_string(),
        source,
    })?;
    if !out.status.success() {
        let _ = std::fs::remove_file(&path);
        let stderr = String::from_utf8_lossy(&out.stderr);
        return Err(BackupError::DumpFailed {
            program: program.display().to_string(),
            status: out.status.to_string(),
            stderr: url.scrub(stderr.trim()),
        });
    }
    Ok(path)
}

/// The command that restores `path` into the database of `url`: the client
/// reads the file on its standard input, and asks for the password when the URL
/// has one.
pub(super) fn restore_command(url: &DatabaseUrl, path: &Path) -> Result<String, BackupError> {
    let p = params(url)?;
    let client = client_for(&dump_program(&BackupOptions::new(".")));
    let mut words = vec![client.to_string()];
    match &p.socket {
        Some(s) => words.push(format!("--socket={}", shell_word(s))),
        None => {
            words.push("--protocol=TCP".into());
            words.push(format!("--host={}", shell_word(&p.host)));
            words.push(format!("--port={}", p.port));
        }
    }
    if let Some(u) = &p.user {
        words.push(format!("--user={}", shell_word(u)));
    }
    if url.password().is_some() {
        words.push("--password".into());
    }
    words.push(shell_word(&p.database));
    words.push("<".into());
    words.push(shell_word(&path.display().to_string()));
    Ok(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_command_names_the_database_but_not_the_password() {
        let url = DatabaseUrl::parse("mysql://app:s3cr%40t@db.internal:3307/shop").unwrap();
        let cmd = restore_command(&url, Path::new("backups/shop_x.sql")).unwrap();
        let client = client_for(&dump_program(&BackupOptions::new(".")));
        assert_eq!(
            cmd,
            format!(
                "{client} --protocol=TCP --host=db.internal --port=3307 --user=app --password shop < backups/shop_x.sql"
            )
        );
        assert!(!cmd.contains("s3cr"));
    }

    #[test]
    fn option_values_are_quoted_and_escaped() {
        assert_eq!(option_value(r#"a"b\c#d"#), r#""a\"b\\c#d""#);
        assert_eq!(option_value("x\ny"), r#""x\ny""#);
    }

    #[test]
    fn the_option_file_is_private_and_removed() {
        let f = OptionFile::with_password("pw").unwrap();
        let path = f.path.clone();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[client]\npassword=\"pw\"\n"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        drop(f);
        assert!(!path.exists());
    }

    #[test]
    fn a_url_without_a_database_is_refused() {
        let url = DatabaseUrl::parse("mysql://app@db.internal/").unwrap();
        let err = params(&url).unwrap_err().to_string();
        assert!(err.contains("no database name"), "{err}");
    }

    #[test]
    fn mysqldump_files_are_restored_with_mysql() {
        assert_eq!(client_for(Path::new("/usr/bin/mysqldump")), "mysql");
        assert_eq!(client_for(Path::new("mariadb-dump")), "mariadb");
    }
}

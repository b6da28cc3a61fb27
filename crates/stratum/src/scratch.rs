//! Scratch databases for `verify`. On PostgreSQL each is named
//! `stratum_verify_<pid>_<random>` and guarded, for as long as its verify runs,
//! by a session-level advisory lock held on a separate connection to the server
//! (advisory locks of every database show in `pg_locks`). A verify that dies
//! without dropping its database (SIGKILL, a lost machine) leaves the lock
//! released and the database without sessions: [`drop_orphans`], run by the
//! next verify, drops exactly those, and leaves any database that is locked or
//! in use alone. On SQLite the scratch database is a file in a fresh temporary
//! directory.

use crate::backend::registry::for_dialect;
use crate::config::{DatabaseUrl, connect};
use crate::db::Connection;
use crate::runner::conn::{error_message, fetch_text_rows};
use crate::verify::VerifyError;

/// The prefix of every scratch database's name.
pub const SCRATCH_PREFIX: &str = "stratum_verify_";

/// The advisory-lock key that guards the scratch database `name` (non-negative,
/// distinct from the migration lock's keys).
pub fn guard_key(name: &str) -> i64 {
    crate::runner::lock_key(&format!("verify scratch database {name}")) & i64::MAX
}

/// A database created for verification and dropped afterwards: on PostgreSQL
/// `stratum_verify_<pid>_<random>` on the server of the given URL, on SQLite a
/// file in a fresh temporary directory.
#[derive(Debug)]
pub struct ScratchDatabase {
    url: DatabaseUrl,
    name: String,
    server: DatabaseUrl,
    dir: Option<std::path::PathBuf>,
    /// The connection holding the guard lock (PostgreSQL).
    guard: Option<Connection>,
}

pub(crate) fn with_database(url: &DatabaseUrl, database: &str) -> Option<DatabaseUrl> {
    let mut parsed = url::Url::parse(url.expose()).ok()?;
    parsed.set_path(&format!("/{database}"));
    DatabaseUrl::parse(parsed.as_str()).ok()
}

fn scratch_error(action: &'static str, name: &str, message: String) -> VerifyError {
    VerifyError::Scratch {
        action,
        name: name.to_string(),
        message,
    }
}

impl ScratchDatabase {
    /// Creates a scratch database on the server `server` points at (its database
    /// is used only to issue `CREATE DATABASE` and to hold the guard lock), or a
    /// temporary SQLite file when `server` is a SQLite URL.
    pub async fn create(server: &DatabaseUrl) -> Result<Self, VerifyError> {
        let random = rand::random::<u64>() & 0xffff_ffff_ffff;
        let backend = for_dialect(server.dialect());
        match backend.capabilities().file_database {
            false => {
                let name = format!("{SCRATCH_PREFIX}{}_{random:012x}", std::process::id());
                let mut guard = connect(server).await?;
                let sql = backend.create_scratch_sql(&name, guard_key(&name));
                let created = async {
                    for statement in &sql {
                        guard.execute(statement).await?;
                    }
                    Ok::<_, crate::db::DbError>(())
                }
                .await;
                if let Err(e) = created {
                    let _ = guard.close().await;
                    return Err(scratch_error(
                        "creating",
                        &name,
                        server.scrub(&error_message(&e)),
                    ));
                }
                let Some(url) = with_database(server, &name) else {
                    let scratch = Self {
                        url: server.clone(),
                        name: name.clone(),
                        server: server.clone(),
                        dir: None,
                        guard: Some(guard),
                    };
                    let _ = scratch.drop_database().await;
                    return Err(scratch_error(
                        "creating",
                        &name,
                        "cannot build its URL from the server's".to_string(),
                    ));
                };
                Ok(Self {
                    url,
                    name,
                    server: server.clone(),
                    dir: None,
                    guard: Some(guard),
                })
            }
            true => {
                let dir = std::env::temp_dir().join(format!(
                    "{SCRATCH_PREFIX}{}_{random:012x}",
                    std::process::id()
                ));
                std::fs::create_dir_all(&dir).map_err(|e| {
                    scratch_error("creating", &dir.display().to_string(), e.to_string())
                })?;
                let file = dir.join("verify.db");
                let Some(url) = backend.file_url(&file) else {
                    let _ = std::fs::remove_dir_all(&dir);
                    return Err(scratch_error(
                        "creating",
                        &file.display().to_string(),
                        format!("{} names no URL for a file", backend.name()),
                    ));
                };
                Ok(Self {
                    url,
                    name: file.display().to_string(),
                    server: server.clone(),
                    dir: Some(dir),
                    guard: None,
                })
            }
        }
    }

    /// The scratch database's URL.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Its name (PostgreSQL) or file (SQLite).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops the database (PostgreSQL, `WITH (FORCE)`, which also ends a
    /// verify's connection still open to it) or removes the file, then releases
    /// the guard lock.
    pub async fn drop_database(mut self) -> Result<(), VerifyError> {
        if let Some(dir) = &self.dir {
            // A connection dropped by an interrupted run closes on SQLite's own
            // thread, which may still write its journal files for a moment.
            let mut attempt = 0;
            loop {
                match std::fs::remove_dir_all(dir) {
                    Ok(()) => return Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
                    Err(_) if attempt < 5 => {
                        attempt += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    }
                    Err(e) => return Err(scratch_error("dropping", &self.name, e.to_string())),
                }
            }
        }
        let mut admin = match self.guard.take() {
            Some(conn) => conn,
            None => connect(&self.server).await?,
        };
        let sql = for_dialect(self.server.dialect()).drop_database_sql(&self.name, true);
        let dropped = admin.execute(&sql).await;
        let _ = admin.close().await;
        dropped.map(|_| ()).map_err(|e| {
            scratch_error(
                "dropping",
                &self.name,
                self.server.scrub(&error_message(&e)),
            )
        })
    }
}

/// What [`drop_orphans`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Orphans {
    /// Scratch databases of verifies that are gone, now dropped.
    pub dropped: Vec<String>,
    /// Scratch databases left alone: in use, or guarded by a live verify.
    pub in_use: Vec<String>,
    /// Orphans that could not be dropped, with the server's reason.
    pub failed: Vec<(String, String)>,
}

/// Drops the scratch databases on the server of `server` whose verify is gone:
/// no session holds their guard lock and none is connected to them. On SQLite,
/// removes the scratch directories in this machine's temporary directory whose
/// name carries the id of a process that no longer runs.
pub async fn drop_orphans(server: &DatabaseUrl) -> Result<Orphans, VerifyError> {
    let mut found = Orphans::default();
    let backend = for_dialect(server.dialect());
    if backend.capabilities().file_database {
        remove_orphan_dirs(&std::env::temp_dir(), &mut found);
        return Ok(found);
    }
    let mut admin = connect(server).await?;
    let result = async {
        let rows = fetch_text_rows(&mut admin, &backend.list_databases_sql(SCRATCH_PREFIX)).await?;
        for name in rows
            .into_iter()
            .filter_map(|r| r.into_iter().next().flatten())
        {
            let sql = backend.database_in_use_sql(&name, guard_key(&name));
            let busy = fetch_text_rows(&mut admin, &sql).await?;
            let busy = busy
                .first()
                .and_then(|r| r.first().cloned().flatten())
                .is_none_or(|n| n != "0");
            if busy {
                found.in_use.push(name);
                continue;
            }
            // Without FORCE: a session that connected since is left alone.
            match admin
                .execute(&backend.drop_database_sql(&name, false))
                .await
            {
                Ok(_) => found.dropped.push(name),
                Err(e) => found.failed.push((name, server.scrub(&error_message(&e)))),
            }
        }
        Ok::<_, crate::db::DbError>(())
    }
    .await;
    let _ = admin.close().await;
    result.map_err(|e| {
        scratch_error(
            "listing",
            "stratum_verify_*",
            server.scrub(&error_message(&e)),
        )
    })?;
    Ok(found)
}

/// The process id in a scratch name `stratum_verify_<pid>_<random>`.
fn pid_of(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(SCRATCH_PREFIX)?;
    let (pid, random) = rest.split_once('_')?;
    (!random.is_empty() && random.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Whether the process `pid` runs on this machine (`None`: cannot tell).
fn process_runs(pid: u32) -> Option<bool> {
    let proc = std::path::Path::new("/proc");
    proc.join("self")
        .exists()
        .then(|| proc.join(pid.to_string()).exists())
}

/// Removes the SQLite scratch directories under `temp` whose process is gone.
fn remove_orphan_dirs(temp: &std::path::Path, found: &mut Orphans) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = pid_of(&name) else {
            continue;
        };
        if pid == std::process::id() || process_runs(pid) != Some(false) {
            continue;
        }
        let path = entry.path();
        match std::fs::remove_dir_all(&path) {
            Ok(()) => found.dropped.push(path.display().to_string()),
            Err(e) => found
                .failed
                .push((path.display().to_string(), e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_urls_keep_credentials_and_replace_the_database() {
        let url = DatabaseUrl::parse("postgresql://u:p%40ss@h:5433/app?sslmode=disable").unwrap();
        let s = with_database(&url, "stratum_verify_1").unwrap();
        assert_eq!(
            s.expose(),
            "postgresql://u:p%40ss@h:5433/stratum_verify_1?sslmode=disable"
        );
    }

    #[test]
    fn guard_keys_are_non_negative_and_differ_by_name() {
        let a = guard_key("stratum_verify_1_a");
        let b = guard_key("stratum_verify_1_b");
        assert!(a >= 0 && b >= 0);
        assert_ne!(a, b);
        assert_ne!(a, crate::runner::lock_key("stratum_verify_1_a"));
    }

    #[test]
    fn sqlite_scratch_directories_of_gone_processes_are_removed() {
        let temp = tempfile::tempdir().unwrap();
        // A process that has ended: its id is free (until reused, in which case
        // the directory is kept, the safe side).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let orphan = temp
            .path()
            .join(format!("{SCRATCH_PREFIX}{gone}_00000000abcd"));
        let mine = temp.path().join(format!(
            "{SCRATCH_PREFIX}{}_00000000abcd",
            std::process::id()
        ));
        let unknown = temp
            .path()
            .join(format!("{SCRATCH_PREFIX}0123456789abcdef"));
        for d in [&orphan, &mine, &unknown] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join("verify.db"), "").unwrap();
        }
        let mut found = Orphans::default();
        remove_orphan_dirs(temp.path(), &mut found);
        if process_runs(gone) == Some(false) {
            assert!(!orphan.exists());
            assert_eq!(found.dropped, [orphan.display().to_string()]);
        }
        assert!(mine.exists(), "a live process's directory is kept");
        assert!(unknown.exists(), "a name without a process id is kept");
        assert_eq!(pid_of("stratum_verify_42_00ff"), Some(42));
        assert_eq!(pid_of("stratum_verify_0123456789abcdef"), None);
        assert_eq!(pid_of("stratum_verify_42_"), None);
    }
}

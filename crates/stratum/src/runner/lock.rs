//! The migration lock, in the backend's [`LockStyle`]. An advisory lock is held
//! by the session and polled with the backend's try-lock query (a blocking wait
//! would hold a snapshot and stall concurrent index builds run by the holder). A
//! file lock is an exclusive lock on a file beside the database (see
//! [`super::file_lock`]), held for the whole run; each revision then takes the
//! database's write lock with the backend's `BEGIN` under its busy timeout.
//!
//! The guard borrows the runner's connection slot. It is released explicitly
//! (async) on success and error paths; if it is dropped while armed (a panic, a
//! dropped future, a failed unlock) it drops the connection, and the server ends
//! the session and frees the lock with it, so the lock can never outlive a run.

use super::cancel::CancelFlag;
use super::conn::{fetch_scalar, fetch_text_rows};
use super::errors::RunError;
use super::events::{Event, EventSink};
use crate::backend::LockStyle;
use crate::db::Connection;
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::{Duration, Instant};

/// The session holding the migration lock, as the server reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LockHolder {
    /// Backend process id.
    pub pid: Option<String>,
    /// Database user.
    pub user: Option<String>,
    /// `application_name` of the session.
    pub application_name: Option<String>,
    /// Client address (none for a Unix socket).
    pub client_addr: Option<String>,
    /// When its current query started.
    pub query_start: Option<String>,
    /// Session state (`active`, `idle`, `idle in transaction`, ...).
    pub state: Option<String>,
    /// Its current or last query.
    pub query: Option<String>,
}

impl fmt::Display for LockHolder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {}", self.pid.as_deref().unwrap_or("?"))?;
        let mut parts = Vec::new();
        if let Some(a) = self.application_name.as_deref().filter(|a| !a.is_empty()) {
            parts.push(format!("application {a}"));
        }
        if let Some(u) = &self.user {
            parts.push(format!("user {u}"));
        }
        parts.push(format!(
            "client {}",
            self.client_addr.as_deref().unwrap_or("local socket")
        ));
        if let Some(q) = &self.query_start {
            parts.push(format!("query started {q}"));
        }
        if let Some(s) = &self.state {
            parts.push(format!("state {s}"));
        }
        if let Some(q) = self.query.as_deref().filter(|q| !q.is_empty()) {
            parts.push(format!("query `{}`", super::errors::shorten(q)));
        }
        write!(f, " ({})", parts.join(", "))
    }
}

/// The advisory-lock key for a version table: the first 8 bytes of a SHA-256 of
/// the table name, so migrators of one version table exclude each other and those
/// of different tables do not.
pub fn lock_key(version_table: &str) -> i64 {
    let digest = Sha256::digest(format!("stratum migration lock: {version_table}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// How to take the lock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LockSettings {
    /// The advisory-lock key.
    pub(crate) key: i64,
    /// Give up after this long (`None`: wait indefinitely).
    pub(crate) timeout: Option<Duration>,
    /// Pause between attempts.
    pub(crate) poll_interval: Duration,
}

/// The held migration lock; see the module documentation.
pub(crate) struct MigrationLock<'a> {
    slot: &'a mut Option<Connection>,
    key: i64,
    armed: bool,
    /// [`LockStyle::File`]: the held lock file, when the database is reachable
    /// by other processes.
    file: Option<super::file_lock::HeldFileLock>,
}

impl<'a> MigrationLock<'a> {
    /// Takes the lock on the connection in `slot`, polling until `timeout`, or
    /// until `cancel` is set (nothing has run yet then).
    pub(crate) async fn acquire(
        slot: &'a mut Option<Connection>,
        settings: LockSettings,
        sink: &dyn EventSink,
        cancel: &CancelFlag,
    ) -> Result<MigrationLock<'a>, RunError> {
        if slot.is_none() {
            return Err(RunError::ConnectionClosed);
        }
        // Armed from the first attempt: if this future is dropped after the server
        // granted the lock but before we saw it, the connection goes with it.
        let mut guard = MigrationLock {
            slot,
            key: settings.key,
            armed: true,
            file: None,
        };
        let started = Instant::now();
        let conn = guard.conn()?;
        let backend = conn.backend();
        backend
            .prepare_lock(conn, settings.timeout)
            .await
            .map_err(|e| RunError::db("preparing the migration lock", e))?;
        match backend.capabilities().lock {
            LockStyle::File => {
                let Some(path) = super::file_lock::lock_file_of(conn).await? else {
                    sink.emit(&Event::LockAcquired {
                        waited: started.elapsed(),
                    });
                    return Ok(guard);
                };
                let taken = super::file_lock::acquire(
                    &path,
                    settings.timeout,
                    settings.poll_interval,
                    sink,
                    cancel,
                )
                .await;
                match taken {
                    Ok(held) => {
                        guard.file = Some(held);
                        Ok(guard)
                    }
                    Err(e) => {
                        guard.armed = false;
                        Err(e)
                    }
                }
            }
            LockStyle::Advisory => {
                let (try_sql, _) = backend
                    .advisory_lock_sql(settings.key)
                    .expect("an advisory-lock backend writes its lock SQL");
                let mut announced = false;
                loop {
                    let conn = guard.conn()?;
                    let got = fetch_scalar(conn, &try_sql)
                        .await
                        .map_err(|e| RunError::db("taking the migration lock", e))?;
                    if got.as_deref() == Some("true") {
                        sink.emit(&Event::LockAcquired {
                            waited: started.elapsed(),
                        });
                        return Ok(guard);
                    }
                    if got.is_none() {
                        guard.armed = false;
                        return Err(RunError::LockFailed);
                    }
                    let waited = started.elapsed();
                    if cancel.is_cancelled() {
                        guard.armed = false;
                        sink.emit(&Event::Cancelled {
                            applied: Vec::new(),
                        });
                        return Err(RunError::Cancelled {
                            applied: Vec::new(),
                            remaining: 0,
                        });
                    }
                    if settings.timeout.is_some_and(|t| waited >= t) {
                        let holder = lock_holder(conn, settings.key).await;
                        guard.armed = false;
                        return Err(RunError::LockTimeout {
                            waited,
                            holder: holder.map(Box::new),
                        });
                    }
                    if !announced {
                        announced = true;
                        let holder = lock_holder(conn, settings.key).await;
                        sink.emit(&Event::LockWaiting { holder });
                    }
                    let mut pause = settings.poll_interval;
                    if let Some(t) = settings.timeout {
                        pause = pause
                            .min(t.saturating_sub(waited))
                            .max(Duration::from_millis(1));
                    }
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }

    /// The connection, while it is open.
    pub(crate) fn conn(&mut self) -> Result<&mut Connection, RunError> {
        self.slot.as_mut().ok_or(RunError::ConnectionClosed)
    }

    /// Releases the lock and keeps the connection. If unlocking fails, the
    /// connection is closed instead (which also frees the lock).
    pub(crate) async fn release(mut self, sink: &dyn EventSink) -> Result<(), RunError> {
        let key = self.key;
        let conn = self.conn()?;
        let backend = conn.backend();
        let result = match backend.capabilities().lock {
            LockStyle::Advisory => {
                let (_, unlock) = backend
                    .advisory_lock_sql(key)
                    .expect("an advisory-lock backend writes its lock SQL");
                fetch_scalar(conn, &unlock)
                    .await
                    .map(|_| ())
                    .map_err(|e| RunError::db("releasing the migration lock", e))
            }
            LockStyle::File => {
                if let Some(held) = self.file.take() {
                    held.release();
                }
                Ok(())
            }
        };
        if result.is_ok() {
            self.armed = false;
        }
        sink.emit(&Event::LockReleased);
        result
    }
}

impl Drop for MigrationLock<'_> {
    fn drop(&mut self) {
        if self.armed {
            // Dropping the connection closes it; the server then ends the session,
            // rolls back any open transaction and frees session-level locks.
            *self.slot = None;
        }
    }
}

/// Who holds the advisory lock with that key in this database, if the server
/// says (the same key is taken by migrators of other databases of the server).
pub(crate) async fn lock_holder(conn: &mut Connection, key: i64) -> Option<LockHolder> {
    let sql = conn.backend().lock_holder_sql(key)?;
    let row = fetch_text_rows(conn, &sql).await.ok()?.into_iter().next()?;
    Some(holder_from_row(row))
}

fn holder_from_row(row: Vec<Option<String>>) -> LockHolder {
    let mut cols = row.into_iter();
    LockHolder {
        pid: cols.next().flatten(),
        user: cols.next().flatten(),
        application_name: cols.next().flatten(),
        client_addr: cols.next().flatten(),
        query_start: cols.next().flatten(),
        state: cols.next().flatten(),
        query: cols.next().flatten(),
    }
}

/// Other sessions of this database holding a lock on a table whose name appears
/// in `statement` (the sessions a statement that hit `lock_timeout` waited for;
/// asked after the fact, so one may have finished meanwhile).
pub(crate) async fn table_lock_holders(conn: &mut Connection, statement: &str) -> Vec<LockHolder> {
    let Some(sql) = conn.backend().table_lock_holders_sql(statement) else {
        return Vec::new();
    };
    fetch_text_rows(conn, &sql)
        .await
        .map(|rows| rows.into_iter().map(holder_from_row).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_per_table_and_are_stable() {
        assert_eq!(lock_key("alembic_version"), lock_key("alembic_version"));
        assert_ne!(lock_key("alembic_version"), lock_key("other_version"));
    }

    #[test]
    fn holder_display_names_pid_application_and_client() {
        let h = LockHolder {
            pid: Some("4242".into()),
            application_name: Some("psql".into()),
            client_addr: None,
            ..Default::default()
        };
        let s = h.to_string();
        assert!(s.starts_with("pid 4242"), "{s}");
        assert!(s.contains("application psql"), "{s}");
        assert!(s.contains("client local socket"), "{s}");
    }
}

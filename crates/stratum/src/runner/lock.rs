//! The migration lock, in the backend's [`LockStyle`]. An advisory lock is held
//! by the session and polled with the backend's try-lock query (a blocking wait
//! would hold a snapshot and stall concurrent index builds run by the holder). A
//! file lock is an exclusive lock on a file beside the database (see
//! [`super::file_lock`]), held for the whole run; each revision then takes the
//! database's write lock with the backend's `BEGIN` under its busy timeout.
//!
//! Where the backend asks for it
//! ([`crate::backend::Capabilities::dedicated_lock_connection`], MariaDB/MySQL),
//! the advisory lock lives on a session of its own, opened with the migration
//! connection's URL for the run and closed after it: the migration's statements
//! cannot release it, and it stays held whatever they do to their own session.
//! That session idles while revisions run; [`HeldLock::ensure`] checks before each
//! revision that it still holds the lock, so a run whose lock session was lost
//! (and whose lock another migrator may now hold) stops there. A connection not
//! opened from a URL keeps the lock on itself. PostgreSQL keeps the lock on the
//! migration session, so a waiting migrator's report of the holder shows what the
//! holder is running.
//!
//! The guard borrows the runner's connection slot. It is released explicitly
//! (async) on success and error paths; if it is dropped while armed (a panic, a
//! dropped future, a failed unlock) it drops the connections, and the server ends
//! the sessions and frees the lock with them, so the lock can never outlive a run.

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
    held: HeldLock,
    armed: bool,
    /// Whether the lock was taken (the run may be under way on the migration
    /// connection).
    taken: bool,
    /// [`LockStyle::File`]: the held lock file, when the database is reachable
    /// by other processes.
    file: Option<super::file_lock::HeldFileLock>,
}

/// Where an advisory lock is held: the session of its own, when the backend
/// asks for one ([`crate::backend::Capabilities::dedicated_lock_connection`]).
pub(crate) struct HeldLock {
    key: i64,
    /// Whether the lock lives on a session of its own.
    dedicated: bool,
    /// That session, until it is closed or found lost.
    own: Option<Connection>,
}

impl HeldLock {
    /// Checks, on a session of its own, that it still holds the lock: a lost
    /// session (killed, dropped by the network, ended by the server) has freed
    /// it, and another migrator may be running. Nothing to check on the
    /// migration connection, whose loss fails the migration's own statements.
    pub(crate) async fn ensure(&mut self) -> Result<(), RunError> {
        if !self.dedicated {
            return Ok(());
        }
        let Some(conn) = self.own.as_mut() else {
            return Err(lost("its session was already closed".into()));
        };
        let Some(sql) = conn.backend().lock_held_sql(self.key) else {
            return Ok(());
        };
        let detail = match fetch_scalar(conn, &sql).await {
            Ok(Some(held)) if held == "true" => return Ok(()),
            Ok(_) => "the server no longer counts it as the lock's holder".to_string(),
            Err(e) => format!(
                "the connection holding it failed: {}",
                super::conn::error_message(&e)
            ),
        };
        // The session is of no more use; dropping it frees whatever it held.
        self.own = None;
        Err(lost(detail))
    }
}

fn lost(detail: String) -> RunError {
    RunError::LockLost { detail }
}

impl<'a> MigrationLock<'a> {
    /// Takes the lock on the connection in `slot` (or on a session of its own,
    /// opened like it, where the backend asks for one), polling until `timeout`,
    /// or until `cancel` is set (nothing has run yet then).
    pub(crate) async fn acquire(
        slot: &'a mut Option<Connection>,
        settings: LockSettings,
        sink: &dyn EventSink,
        cancel: &CancelFlag,
    ) -> Result<MigrationLock<'a>, RunError> {
        let Some(conn) = slot.as_ref() else {
            return Err(RunError::ConnectionClosed);
        };
        let backend = conn.backend();
        let caps = backend.capabilities();
        let own = if caps.lock == LockStyle::Advisory && caps.dedicated_lock_connection {
            conn.open_sibling()
                .await
                .map_err(|e| RunError::db("opening the migration lock's connection", e))?
        } else {
            None
        };
        // Armed from the first attempt: if this future is dropped after the server
        // granted the lock but before we saw it, the connection goes with it.
        let mut guard = MigrationLock {
            slot,
            held: HeldLock {
                key: settings.key,
                dedicated: own.is_some(),
                own,
            },
            armed: true,
            taken: false,
            file: None,
        };
        let started = Instant::now();
        backend
            .prepare_lock(guard.lock_conn()?, settings.timeout)
            .await
            .map_err(|e| RunError::db("preparing the migration lock", e))?;
        match caps.lock {
            LockStyle::File => {
                let Some(path) = super::file_lock::lock_file_of(guard.conn()?).await? else {
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
                    let conn = guard.lock_conn()?;
                    let got = fetch_scalar(conn, &try_sql)
                        .await
                        .map_err(|e| RunError::db("taking the migration lock", e))?;
                    if got.as_deref() == Some("true") {
                        guard.taken = true;
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

    /// The migration connection, while it is open.
    pub(crate) fn conn(&mut self) -> Result<&mut Connection, RunError> {
        self.slot.as_mut().ok_or(RunError::ConnectionClosed)
    }

    /// The migration connection and the held lock, to check the lock between
    /// revisions ([`HeldLock::ensure`]).
    pub(crate) fn parts(&mut self) -> Result<(&mut Connection, &mut HeldLock), RunError> {
        let conn = self.slot.as_mut().ok_or(RunError::ConnectionClosed)?;
        Ok((conn, &mut self.held))
    }

    /// The session the lock is taken on.
    fn lock_conn(&mut self) -> Result<&mut Connection, RunError> {
        if self.held.dedicated {
            return match self.held.own.as_mut() {
                Some(conn) => Ok(conn),
                None => Err(lost("its session was already closed".into())),
            };
        }
        self.conn()
    }

    /// Releases the lock and keeps the migration connection. If unlocking fails,
    /// the session holding the lock is closed instead (which also frees it): the
    /// lock's own session, or else the migration connection.
    pub(crate) async fn release(mut self, sink: &dyn EventSink) -> Result<(), RunError> {
        let key = self.held.key;
        let result = if self.held.dedicated && self.held.own.is_none() {
            // Found lost earlier: the server freed the lock with its session.
            Ok(())
        } else {
            let conn = self.lock_conn()?;
            let backend = conn.backend();
            match backend.capabilities().lock {
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
            }
        };
        if let Some(own) = self.held.own.take() {
            // Unlocked or not, the session goes: its end frees the lock.
            let _ = own.close().await;
            self.armed = false;
        }
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
            // Dropping a connection closes it; the server then ends the session,
            // rolls back any open transaction and frees session-level locks. The
            // migration connection goes too: an interrupted run may have left it
            // inside a transaction. A lock of its own that was not taken yet
            // leaves the migration connection as it was.
            self.held.own = None;
            if !self.held.dedicated || self.taken {
                *self.slot = None;
            }
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

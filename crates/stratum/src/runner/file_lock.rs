//! The migration lock of a file database ([`crate::backend::LockStyle::File`]):
//! an exclusive lock (`flock`) on the file the backend names
//! ([`crate::backend::Backend::lock_file`]), held for the whole run. The
//! operating system frees the lock when the holder exits, however it exits; the
//! file itself stays (removing it while another process waits on it would let
//! two processes hold "the" lock).
//!
//! The holder writes its process id, host and start time into the file, so that a
//! migrator that gives up can say who held it.

use super::cancel::CancelFlag;
use super::errors::RunError;
use super::events::{Event, EventSink};
use super::lock::LockHolder;
use crate::db::Connection;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The lock file of the database `conn` is connected to; `None` for an
/// in-memory or temporary database (no other process can reach it).
pub(crate) async fn lock_file_of(conn: &mut Connection) -> Result<Option<PathBuf>, RunError> {
    let backend = conn.backend();
    backend
        .lock_file(conn)
        .await
        .map_err(|e| RunError::db("finding the database file", e))
}

/// The held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub(crate) struct HeldFileLock {
    file: File,
}

impl HeldFileLock {
    /// Unlocks now rather than at drop.
    pub(crate) fn release(self) {
        let _ = self.file.unlock();
    }
}

/// Takes the lock on `path`, polling every `poll` until `timeout` (`None`: no
/// limit) or until `cancel` is raised.
pub(crate) async fn acquire(
    path: &Path,
    timeout: Option<Duration>,
    poll: Duration,
    sink: &dyn EventSink,
    cancel: &CancelFlag,
) -> Result<HeldFileLock, RunError> {
    let started = Instant::now();
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| lock_file_error(path, &e))?;
    let mut announced = false;
    loop {
        match file.try_lock() {
            Ok(()) => {
                // Best effort: the lock works without the note.
                let _ = write_note(&mut file);
                sink.emit(&Event::LockAcquired {
                    waited: started.elapsed(),
                });
                return Ok(HeldFileLock { file });
            }
            Err(TryLockError::Error(e)) => return Err(lock_file_error(path, &e)),
            Err(TryLockError::WouldBlock) => {}
        }
        let waited = started.elapsed();
        if cancel.is_cancelled() {
            sink.emit(&Event::Cancelled {
                applied: Vec::new(),
            });
            return Err(RunError::Cancelled {
                applied: Vec::new(),
                remaining: 0,
            });
        }
        if timeout.is_some_and(|t| waited >= t) {
            return Err(RunError::LockTimeout {
                waited,
                holder: read_note(&mut file).map(Box::new),
            });
        }
        if !announced {
            announced = true;
            sink.emit(&Event::LockWaiting {
                holder: read_note(&mut file),
            });
        }
        let mut pause = poll;
        if let Some(t) = timeout {
            pause = pause
                .min(t.saturating_sub(waited))
                .max(Duration::from_millis(1));
        }
        tokio::time::sleep(pause).await;
    }
}

fn lock_file_error(path: &Path, e: &std::io::Error) -> RunError {
    RunError::LockFile {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Writes who holds the lock into the file.
fn write_note(file: &mut File) -> std::io::Result<()> {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    let program = std::env::args()
        .next()
        .and_then(|a| {
            Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_default();
    file.set_len(0)?;
    file.rewind()?;
    write!(
        file,
        "pid={}\nhost={host}\nprogram={program}\nsince={since}\n",
        std::process::id()
    )?;
    file.flush()
}

/// Reads the holder's note, if it wrote one.
fn read_note(file: &mut File) -> Option<LockHolder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    parse_note(&text)
}

fn parse_note(text: &str) -> Option<LockHolder> {
    let field = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .map(str::to_string)
            .filter(|v| !v.is_empty())
    };
    let pid = field("pid")?;
    Some(LockHolder {
        pid: Some(pid),
        application_name: field("program"),
        client_addr: field("host"),
        query_start: field("since").map(|s| format!("at unix time {s}")),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_pid_program_and_host() {
        let h = parse_note("pid=42\nhost=node-3\nprogram=smartem-migrate\nsince=1700000000\n")
            .expect("a holder");
        let s = h.to_string();
        assert!(s.starts_with("pid 42"), "{s}");
        assert!(s.contains("application smartem-migrate"), "{s}");
        assert!(s.contains("client node-3"), "{s}");
        assert!(parse_note("").is_none());
    }

    #[tokio::test]
    async fn a_second_taker_waits_then_gives_up_naming_the_first() {
        let dir = std::env::temp_dir().join(format!("stratum_lockfile_{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.db.migrate-lock");
        let cancel = CancelFlag::new();
        let poll = Duration::from_millis(10);
        let sink = super::super::events::NoEvents;
        let first = acquire(&path, None, poll, &sink, &cancel).await.unwrap();
        let second = acquire(&path, Some(Duration::from_millis(50)), poll, &sink, &cancel).await;
        match second {
            Err(RunError::LockTimeout { holder, .. }) => {
                let pid = std::process::id().to_string();
                assert_eq!(holder.and_then(|h| h.pid), Some(pid));
            }
            other => panic!("expected a lock timeout, got {other:?}"),
        }
        first.release();
        let again = acquire(&path, Some(Duration::from_millis(50)), poll, &sink, &cancel).await;
        assert!(again.is_ok(), "free after release");
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

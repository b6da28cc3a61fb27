//! A PostgreSQL cluster of one test's own, which the test may restart: for faults
//! that a shared server must not suffer (a fast shutdown in the middle of a
//! migration).
//!
//! Like the process-wide cluster (see `cluster.rs`), it is run by a shell script
//! that is a child of the test process and removes the cluster when its standard
//! input closes, so it goes away even when the test process is killed.

use crate::cluster::{launch, read_logs, shell};
use std::path::PathBuf;
use std::process::Child;

/// A throwaway PostgreSQL cluster that a test can restart. Dropping it stops the
/// server and removes its directory.
pub struct RestartableCluster {
    bin: PathBuf,
    dir: PathBuf,
    admin_url: String,
    as_root: bool,
    /// Holding the child (and its stdin pipe) keeps the server alive.
    guard: Option<Child>,
}

impl RestartableCluster {
    /// Starts a cluster from the local PostgreSQL binaries (`initdb` and `pg_ctl`
    /// on `PATH`, else the newest under `/usr/lib/postgresql`), on 127.0.0.1 on a
    /// free port, trusting local connections.
    ///
    /// # Errors
    ///
    /// Why no cluster could be started (no binaries, no free port, a failed
    /// `initdb` or start, with the server's log).
    pub fn start() -> Result<Self, String> {
        let launched = launch("stratum_pg_own_", "-c fsync=off -c max_connections=50")?;
        Ok(Self {
            admin_url: launched.admin_url(),
            bin: launched.bin,
            dir: launched.dir,
            as_root: launched.as_root,
            guard: Some(launched.child),
        })
    }

    /// The URL of the cluster's `postgres` database (user `postgres`, no password).
    pub fn admin_url(&self) -> &str {
        &self.admin_url
    }

    /// Restarts the server with a fast shutdown (`pg_ctl restart -m fast`): every
    /// session is ended and its open transaction rolled back; returns once the
    /// server accepts connections again.
    ///
    /// # Errors
    ///
    /// When `pg_ctl` fails, with the server's log.
    pub fn restart_fast(&self) -> Result<(), String> {
        let data = self.dir.join("data");
        let log = self.dir.join("server.log");
        let mut cmd = shell(self.as_root)?;
        cmd.arg("-c")
            .arg(r#""$1/pg_ctl" -D "$2" -l "$3" -m fast -w -t 60 restart >/dev/null"#)
            .arg("sh")
            .arg(&self.bin)
            .arg(&data)
            .arg(&log);
        let out = cmd
            .output()
            .map_err(|e| format!("cannot run pg_ctl restart: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "pg_ctl restart failed: {}\n{}",
                String::from_utf8_lossy(&out.stderr).trim(),
                read_logs(&self.dir)
            ))
        }
    }
}

impl Drop for RestartableCluster {
    fn drop(&mut self) {
        if let Some(mut child) = self.guard.take() {
            // Closing stdin lets the script stop the server and remove the
            // directory.
            drop(child.stdin.take());
            let _ = child.wait();
        }
    }
}

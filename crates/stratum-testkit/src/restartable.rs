//! A PostgreSQL cluster of one test's own, which the test may restart: for faults
//! that a shared server must not suffer (a fast shutdown in the middle of a
//! migration).
//!
//! Like the process-wide cluster (see `cluster.rs`), it is run by a shell script
//! that is a child of the test process and removes the cluster when its standard
//! input closes, so it goes away even when the test process is killed.

use crate::cluster::{find_bin_dir, find_program, free_port, running_as_root};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const SCRIPT: &str = r#"
set -e
bin="$1"; dir="$2"; port="$3"
cleanup() { "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
"$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
"$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=50" \
  start >/dev/null
echo ready
read _ || true
"#;

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
        let bin = find_bin_dir().ok_or("no initdb/pg_ctl on PATH or under /usr/lib/postgresql")?;
        let port = free_port()?;
        let dir = tempfile::Builder::new()
            .prefix("stratum_pg_own_")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?
            .keep();
        let as_root = running_as_root();
        if as_root {
            let status = Command::new("chown")
                .arg("postgres:")
                .arg(&dir)
                .status()
                .map_err(|e| format!("cannot run chown: {e}"))?;
            if !status.success() {
                let _ = std::fs::remove_dir_all(&dir);
                return Err("cannot hand the cluster directory to the postgres user".into());
            }
        }
        let mut cmd = shell(as_root)?;
        cmd.args(["-c", SCRIPT, "sh"])
            .arg(&bin)
            .arg(&dir)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot start the cluster script: {e}"))?;
        let mut line = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut line);
        }
        if line.trim() != "ready" {
            let mut err = String::new();
            if let Some(mut s) = child.stderr.take() {
                let _ = s.read_to_string(&mut err);
            }
            let log = read_log(&dir);
            let _ = child.wait();
            let _ = std::fs::remove_dir_all(&dir);
            return Err(format!("the cluster did not start: {}\n{log}", err.trim()));
        }
        Ok(Self {
            bin,
            dir,
            admin_url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
            as_root,
            guard: Some(child),
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
                read_log(&self.dir)
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

/// `sh`, run as the postgres user when running as root (PostgreSQL refuses root).
fn shell(as_root: bool) -> Result<Command, String> {
    Ok(if as_root {
        let mut c = Command::new(
            find_program("runuser")
                .ok_or("running as root, and no runuser to run PostgreSQL as the postgres user")?,
        );
        c.args(["-u", "postgres", "--", "sh"]);
        c
    } else {
        Command::new("sh")
    })
}

fn read_log(dir: &Path) -> String {
    ["initdb.log", "server.log"]
        .iter()
        .filter_map(|f| std::fs::read_to_string(dir.join(f)).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

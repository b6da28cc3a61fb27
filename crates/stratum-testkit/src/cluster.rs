//! A throwaway PostgreSQL cluster, started at most once per test process from local
//! binaries and removed when the process exits.
//!
//! The cluster is run by a small shell script that is a child of the test process:
//! it creates the cluster, starts the server, reports readiness on its standard
//! output, and then waits on its standard input. When the test process exits (even
//! when killed), that pipe closes, and the script stops the server and removes the
//! directory. PostgreSQL refuses to run as root, so under root the script runs as
//! the `postgres` user.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// The cluster of this process, once started (or `None` if it cannot be).
static CLUSTER: OnceLock<Option<Cluster>> = OnceLock::new();

struct Cluster {
    admin_url: String,
    /// Holding the child (and its stdin pipe) keeps the server alive.
    _guard: Mutex<Child>,
}

/// The script that runs a throwaway cluster: `sh -c SCRIPT sh BIN DIR PORT
/// OPTIONS`, where OPTIONS are more server settings (`-c name=value ...`).
const SCRIPT: &str = r#"
set -e
bin="$1"; dir="$2"; port="$3"; options="$4"
cleanup() { "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
"$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
"$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $options" \
  start >/dev/null
echo ready
read _ || true
"#;

/// The admin URL of this process's throwaway cluster, starting it on first use;
/// `None` when no PostgreSQL binaries are found or the cluster fails to start
/// (the reason is printed).
pub(crate) fn admin_url() -> Option<String> {
    CLUSTER
        .get_or_init(|| match start() {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("note: no throwaway PostgreSQL cluster: {e}");
                None
            }
        })
        .as_ref()
        .map(|c| c.admin_url.clone())
}

fn start() -> Result<Cluster, String> {
    let launched = launch(
        "stratum_pg_",
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
    )?;
    Ok(Cluster {
        admin_url: launched.admin_url(),
        _guard: Mutex::new(launched.child),
    })
}

/// A cluster started by [`launch`].
pub(crate) struct Launched {
    /// The directory of `initdb` and `pg_ctl`.
    pub(crate) bin: PathBuf,
    /// The cluster's directory (data and logs), removed by the script.
    pub(crate) dir: PathBuf,
    /// The server's port on 127.0.0.1.
    pub(crate) port: u16,
    /// Whether the server runs as the postgres user because this process is root.
    pub(crate) as_root: bool,
    /// The script; holding it (and its stdin pipe) keeps the server alive.
    pub(crate) child: Child,
}

impl Launched {
    /// The URL of the `postgres` database as the `postgres` user.
    pub(crate) fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

/// Starts a throwaway cluster with [`SCRIPT`] from the local binaries, in a new
/// temporary directory named with `prefix`, on a free port, with more server
/// `options` (`-c name=value ...`).
pub(crate) fn launch(prefix: &str, options: &str) -> Result<Launched, String> {
    let bin = find_bin_dir().ok_or("no initdb/pg_ctl on PATH or under /usr/lib/postgresql")?;
    let port = free_port()?;
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?
        .keep();
    let as_root = running_as_root();
    hand_to_postgres(&dir, as_root)?;
    let child = run_script(SCRIPT, as_root, &bin, &dir, port, &[options])?;
    Ok(Launched {
        bin,
        dir,
        port,
        as_root,
        child,
    })
}

/// When running as root, hands `dir` and everything in it to the postgres user
/// (PostgreSQL refuses to run as root); removes `dir` if that fails.
pub(crate) fn hand_to_postgres(dir: &Path, as_root: bool) -> Result<(), String> {
    if !as_root {
        return Ok(());
    }
    let status = Command::new("chown")
        .args(["-R", "postgres:"])
        .arg(dir)
        .status()
        .map_err(|e| format!("cannot run chown: {e}"))?;
    if !status.success() {
        let _ = std::fs::remove_dir_all(dir);
        return Err(
            "running as root, and cannot hand the cluster directory to the postgres user".into(),
        );
    }
    Ok(())
}

/// `sh`, run as the postgres user when running as root.
pub(crate) fn shell(as_root: bool) -> Result<Command, String> {
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

/// Runs a cluster `script` (`sh -c SCRIPT sh BIN DIR PORT ARGS...`) as a child
/// that holds the server until its standard input closes, and waits for its
/// `ready` line. When it does not come, the script's errors and the cluster's
/// logs are returned and `dir` is removed.
pub(crate) fn run_script(
    script: &str,
    as_root: bool,
    bin: &Path,
    dir: &Path,
    port: u16,
    args: &[&str],
) -> Result<Child, String> {
    let mut cmd = shell(as_root)?;
    cmd.args(["-c", script, "sh"])
        .arg(bin)
        .arg(dir)
        .arg(port.to_string())
        .args(args)
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
        let log = read_logs(dir);
        let _ = child.wait();
        let _ = std::fs::remove_dir_all(dir);
        return Err(format!("the cluster did not start: {}\n{log}", err.trim()));
    }
    Ok(child)
}

/// The cluster's `initdb` and server logs, as far as they were written.
pub(crate) fn read_logs(dir: &Path) -> String {
    ["initdb.log", "server.log"]
        .iter()
        .filter_map(|f| std::fs::read_to_string(dir.join(f)).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A directory holding both `initdb` and `pg_ctl`: from `PATH` first, else the
/// newest `/usr/lib/postgresql/<version>/bin`.
pub(crate) fn find_bin_dir() -> Option<PathBuf> {
    let has_both = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(path) = std::env::var_os("PATH") {
        for d in std::env::split_paths(&path) {
            if has_both(&d) {
                // Resolve symlinks so that initdb finds its share directory.
                let real = std::fs::canonicalize(d.join("initdb")).ok()?;
                return real.parent().map(Path::to_path_buf);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let v: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            has_both(&bin).then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, b)| b)
}

/// A program on `PATH`, or in the system directories that a reduced `PATH` may
/// leave out.
pub(crate) fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

pub(crate) fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("cannot find a free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

pub(crate) fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

//! Helpers of the fault tests: the two binaries, the database's state (catalog
//! snapshot, version rows, history, advisory locks) and a second session that
//! holds locks.

#![allow(dead_code)]

use sqlx::{AssertSqlSafe, Connection as _, PgConnection};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use stratum::db::Connection;
use stratum::schema::Schema;
use stratum_testkit::{TestDb, encode_password, migrate_command};

/// The chain's revision ids, oldest first.
pub const F1: &str = "fa0000000001";
pub const F2: &str = "fa0000000002";
pub const F3: &str = "fa0000000003";
pub const F4: &str = "fa0000000004";
pub const F5: &str = "fa0000000005";
pub const F6: &str = "fa0000000006";

/// Longest wait for a state the test is waiting for (a process to block, a
/// killed session to go away). Not a timing assertion: it only bounds a hang.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Which binary.
#[derive(Debug, Clone, Copy)]
pub enum Bin {
    /// The chain as it should be.
    Good,
    /// The chain whose fifth revision has an invalid second statement.
    Broken,
}

/// A password with every character that needs encoding. The test server trusts
/// local connections, so it is accepted; every run checks that it never appears
/// in the output.
pub const SECRET: &str = "fa@ult:p%ss/1";

/// Fragments of [`SECRET`], raw and percent-encoded, that must never be printed.
const SECRET_FRAGMENTS: &[&str] = &[SECRET, "fa%40ult", "p%25ss", "fa@ult", "p%ss"];

/// `url` with [`SECRET`] as its password (PostgreSQL URLs only).
pub fn with_secret(url: &str) -> String {
    if !url.starts_with("postgres") {
        return url.to_string();
    }
    let mut parsed = url::Url::parse(url).expect("test URL");
    parsed
        .set_password(Some(&encode_password(SECRET)))
        .expect("password");
    parsed.to_string()
}

/// A command for the binary, in `dir`, pointed at `url` (given [`SECRET`] as its
/// password).
pub fn command(bin: Bin, dir: &Path, url: &str) -> Command {
    let path = match bin {
        Bin::Good => assert_cmd::cargo::cargo_bin!("faultapp-migrate"),
        Bin::Broken => assert_cmd::cargo::cargo_bin!("faultapp-broken-migrate"),
    };
    let mut cmd = migrate_command(path, dir);
    cmd.args(["--url", &with_secret(url)]);
    cmd
}

/// A finished run: exit code and both outputs.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The run's result; panics if the password shows anywhere in its output.
    pub fn from_output(out: Output) -> Self {
        let run = Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        for fragment in SECRET_FRAGMENTS {
            assert!(
                !run.all().contains(fragment),
                "the password shows in the output:\n{}",
                run.all()
            );
        }
        run
    }

    /// Both outputs.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "exit code; output:\n{}", self.all());
        self
    }

    #[track_caller]
    pub fn assert_mentions(&self, needle: &str) -> &Self {
        assert!(
            self.all().contains(needle),
            "output does not mention {needle:?}:\n{}",
            self.all()
        );
        self
    }
}

/// A test database and a scratch working directory.
pub struct Fixture {
    pub db: TestDb,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new(db: TestDb) -> Self {
        Self {
            db,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn command(&self, bin: Bin) -> Command {
        command(bin, self.dir.path(), self.db.url())
    }

    /// Runs a binary to completion.
    pub fn run(&self, bin: Bin, args: &[&str]) -> Run {
        Run::from_output(
            self.command(bin)
                .args(args)
                .output()
                .expect("the binary runs"),
        )
    }

    /// Starts a binary in the background.
    pub fn spawn(&self, bin: Bin, args: &[&str]) -> Child {
        self.command(bin)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts")
    }

    pub async fn connect(&self) -> Connection {
        Connection::connect(self.db.url()).await.expect("connect")
    }

    /// The version rows, sorted (empty when there is no version table).
    pub async fn version_rows(&self) -> Vec<String> {
        let mut conn = self.connect().await;
        let rows = stratum::runner::VersionTable::default()
            .read_heads(&mut conn)
            .await
            .expect("version table");
        conn.close().await.ok();
        let mut rows = rows.unwrap_or_default();
        rows.sort();
        rows
    }

    /// `(revision, direction)` rows of the history table, oldest first (none
    /// when there is no history table).
    pub async fn history(&self) -> Vec<(String, String)> {
        let mut conn = self.connect().await;
        let rows = conn
            .query_text("SELECT revision, direction FROM stratum_history ORDER BY id")
            .await
            .unwrap_or_default();
        conn.close().await.ok();
        rows.into_iter()
            .map(|r| {
                let [revision, direction] = <[_; 2]>::try_from(r).expect("two columns");
                (
                    revision.expect("a revision"),
                    direction.expect("a direction"),
                )
            })
            .collect()
    }

    /// The schema (catalog snapshot), without the bookkeeping tables.
    pub async fn schema(&self) -> Schema {
        let mut conn = self.connect().await;
        let s = stratum::introspect::introspect(&mut conn, &[])
            .await
            .expect("introspect");
        conn.close().await.ok();
        s
    }

    /// A plain PostgreSQL session on the test database (`None` on SQLite).
    pub async fn pg(&self) -> Option<PgConnection> {
        if !self.db.url().starts_with("postgres") {
            return None;
        }
        Some(PgConnection::connect(self.db.url()).await.expect("connect"))
    }

    /// Advisory locks held in the test database by anyone.
    pub async fn advisory_locks(&self) -> i64 {
        let mut c = self.pg().await.expect("PostgreSQL");
        let n = sqlx::query_scalar(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .fetch_one(&mut c)
        .await
        .unwrap();
        c.close().await.ok();
        n
    }

    /// Waits until no advisory lock is held in the test database (a killed
    /// client's session may take a moment to end), then asserts it.
    pub async fn assert_no_advisory_lock_eventually(&self) {
        let start = Instant::now();
        while self.advisory_locks().await > 0 && start.elapsed() < PATIENCE {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(self.advisory_locks().await, 0, "a migration lock was left");
    }

    /// Asserts that no advisory lock is held now.
    pub async fn assert_no_advisory_lock(&self) {
        assert_eq!(self.advisory_locks().await, 0, "a migration lock was left");
    }

    /// Waits until a session of the migrator waits on a lock inside the test
    /// database, and returns its pid.
    pub async fn wait_for_blocked_migrator(&self) -> i32 {
        let mut c = self.pg().await.expect("PostgreSQL");
        let start = Instant::now();
        loop {
            let pid: Option<i32> = sqlx::query_scalar(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
                 AND application_name = 'stratum-migrate' AND wait_event_type = 'Lock' LIMIT 1",
            )
            .fetch_optional(&mut c)
            .await
            .unwrap();
            if let Some(pid) = pid {
                c.close().await.ok();
                return pid;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the migrator never blocked on the lock"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until no session of the migrator is left in the test database.
    pub async fn wait_for_migrator_gone(&self) {
        let mut c = self.pg().await.expect("PostgreSQL");
        let start = Instant::now();
        loop {
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND application_name = 'stratum-migrate'",
            )
            .fetch_one(&mut c)
            .await
            .unwrap();
            if n == 0 {
                break;
            }
            assert!(start.elapsed() < PATIENCE, "the migrator's session stayed");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        c.close().await.ok();
    }
}

/// A session that holds a table lock in an open transaction until released.
pub struct TableLock {
    conn: PgConnection,
    /// The session's backend pid.
    pub pid: i32,
}

impl TableLock {
    /// `LOCK TABLE <table> IN <mode> MODE` in a transaction of a session named
    /// `application`.
    pub async fn take(fixture: &Fixture, table: &str, mode: &str, application: &str) -> Self {
        let mut conn = fixture.pg().await.expect("PostgreSQL");
        let pid = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        for sql in [
            format!("SET application_name = '{application}'"),
            "BEGIN".to_string(),
            format!("LOCK TABLE {table} IN {mode} MODE"),
        ] {
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut conn)
                .await
                .unwrap();
        }
        TableLock { conn, pid }
    }

    /// Ends the transaction and the session.
    pub async fn release(mut self) {
        sqlx::raw_sql("COMMIT")
            .execute(&mut self.conn)
            .await
            .unwrap();
        self.conn.close().await.ok();
    }
}

/// Sends a signal to a process by name (`TERM`, `INT`, `KILL`).
pub fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{name} failed");
}

/// Waits for a child and collects its outputs.
pub fn finish(child: Child) -> Run {
    Run::from_output(child.wait_with_output().expect("wait for the binary"))
}

/// A child whose stderr is read as it comes, so a test can wait for a message.
pub struct Watched {
    pub child: Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Watched {
    /// Takes over the child's stderr (it must be piped).
    pub fn new(mut child: Child) -> Self {
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, lines) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watched {
            child,
            lines,
            seen: Vec::new(),
            reader: Some(reader),
        }
    }

    /// Waits until a stderr line contains `needle`.
    pub fn wait_for(&mut self, needle: &str) {
        loop {
            match self.lines.recv_timeout(PATIENCE) {
                Ok(line) => {
                    let found = line.contains(needle);
                    self.seen.push(line);
                    if found {
                        return;
                    }
                }
                Err(_) => panic!("no {needle:?} on stderr; seen: {:?}", self.seen),
            }
        }
    }

    /// Waits for the process; its exit code and all of stderr (stdout is dropped).
    pub fn finish(mut self) -> Run {
        let status = self.child.wait().expect("wait for the binary");
        if let Some(r) = self.reader.take() {
            r.join().ok();
        }
        self.seen.extend(self.lines.try_iter());
        Run::from_output(Output {
            status,
            stdout: Vec::new(),
            stderr: self.seen.join("\n").into_bytes(),
        })
    }
}

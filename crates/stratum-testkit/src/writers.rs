//! Concurrent writers: a steady insert and update load on one PostgreSQL table,
//! measured statement by statement, for testing what a migration does to the
//! application that keeps writing while it runs.
//!
//! A [`WriterLoad`] names the table and the two statements; [`WriterLoad::start`]
//! opens one connection per task and returns a [`Writers`] guard. The tasks write
//! until [`Writers::stop`] (or until the guard is dropped), and `stop` returns a
//! [`WriterReport`]: every error, the longest single statement (the stall) and the
//! latency percentiles.
//!
//! Each statement takes one `bigint` parameter, `$1`:
//!
//! - the insert gets a key unique across all tasks, counting up from
//!   [`WriterLoad::first_key`];
//! - the update gets a random key, by default among the keys the writers have
//!   inserted so far, or within [`WriterLoad::update_keys`] to touch rows that
//!   existed before the load started.
//!
//! Writers do not set `lock_timeout` or `statement_timeout`: a statement blocked by a
//! migration's lock waits for as long as the lock is held, which is what shows up as
//! the stall.

use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection as _, PgConnection};
use std::fmt;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// The `application_name` prefix of the writers' connections (`stratum-writer-0`, …),
/// so that a report of blocking sessions names them.
pub const WRITER_APPLICATION_NAME: &str = "stratum-writer";

/// What a concurrent write load does: the table, the statements, how many tasks and
/// how fast.
#[derive(Debug, Clone)]
pub struct WriterLoad {
    url: String,
    table: String,
    columns: Vec<String>,
    insert: Option<String>,
    update: Option<String>,
    tasks: usize,
    pause: Duration,
    first_key: i64,
    update_keys: Option<Range<i64>>,
}

/// Which of the two statements a measurement or an error belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementKind {
    /// The insert statement.
    Insert,
    /// The update statement.
    Update,
    /// Opening a connection again after the previous one broke.
    Reconnect,
}

impl fmt::Display for StatementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StatementKind::Insert => "insert",
            StatementKind::Update => "update",
            StatementKind::Reconnect => "reconnect",
        })
    }
}

/// One failed writer statement.
#[derive(Debug, Clone)]
pub struct WriterError {
    /// The task that ran it (0-based).
    pub task: usize,
    /// Which statement failed.
    pub kind: StatementKind,
    /// When it started, from the start of the load.
    pub at: Duration,
    /// The server's SQLSTATE, when the server reported the error.
    pub code: Option<String>,
    /// The error message.
    pub message: String,
}

impl fmt::Display for WriterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "writer {} {} at {:.3}s: {}",
            self.task,
            self.kind,
            self.at.as_secs_f64(),
            self.message
        )?;
        if let Some(code) = &self.code {
            write!(f, " (SQLSTATE {code})")?;
        }
        Ok(())
    }
}

/// What the writers saw, returned by [`Writers::stop`].
#[derive(Debug, Clone)]
pub struct WriterReport {
    /// The table written to.
    pub table: String,
    /// How long the load ran.
    pub elapsed: Duration,
    /// Statements that succeeded.
    pub statements: u64,
    /// Every failed statement, in the order of their start.
    pub errors: Vec<WriterError>,
    /// The longest single statement, failed or not: the stall.
    pub stall: Duration,
    /// When the longest statement started, from the start of the load.
    pub stall_at: Duration,
    /// The median statement latency.
    pub p50: Duration,
    /// The 99th percentile of statement latency.
    pub p99: Duration,
}

impl WriterReport {
    /// Whether no writer statement failed.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }
}

impl fmt::Display for WriterReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} statements in {:.3}s, {} errors, stall {:.1} ms at {:.3}s, p50 {:.1} ms, p99 {:.1} ms",
            self.table,
            self.statements,
            self.elapsed.as_secs_f64(),
            self.errors.len(),
            ms(self.stall),
            self.stall_at.as_secs_f64(),
            ms(self.p50),
            ms(self.p99),
        )?;
        for e in &self.errors {
            write!(f, "\n  {e}")?;
        }
        Ok(())
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

impl WriterLoad {
    /// A load on `table` of the database at `url`, with two tasks, a 5 ms pause
    /// between statements, and no statements yet: without [`WriterLoad::insert`] the
    /// tasks insert `DEFAULT VALUES` (or, with [`WriterLoad::columns`], the key into
    /// every listed column), and without [`WriterLoad::update`] they only insert.
    /// `table` is used as written (quote it yourself when it needs quoting).
    pub fn new(url: impl Into<String>, table: impl Into<String>) -> WriterLoad {
        WriterLoad {
            url: url.into(),
            table: table.into(),
            columns: Vec::new(),
            insert: None,
            update: None,
            tasks: 2,
            pause: Duration::from_millis(5),
            first_key: 1,
            update_keys: None,
        }
    }

    /// The columns the default insert fills, each with the key (`$1`), so that a
    /// table keyed by a `bigint` column needs no insert statement of its own.
    pub fn columns<S: Into<String>>(mut self, columns: impl IntoIterator<Item = S>) -> Self {
        self.columns = columns.into_iter().map(Into::into).collect();
        self
    }

    /// The insert statement; `$1` is a `bigint` key unique across all tasks.
    pub fn insert(mut self, sql: impl Into<String>) -> Self {
        self.insert = Some(sql.into());
        self
    }

    /// The update statement; `$1` is a random `bigint` key (see
    /// [`WriterLoad::update_keys`]). Each task runs it after each insert.
    pub fn update(mut self, sql: impl Into<String>) -> Self {
        self.update = Some(sql.into());
        self
    }

    /// The number of tasks, each with its own connection (at least one).
    pub fn tasks(mut self, tasks: usize) -> Self {
        self.tasks = tasks.max(1);
        self
    }

    /// The pause a task takes after each round of statements.
    pub fn pause(mut self, pause: Duration) -> Self {
        self.pause = pause;
        self
    }

    /// The first key the inserts get (default 1); pick one above the keys of rows
    /// already in the table.
    pub fn first_key(mut self, key: i64) -> Self {
        self.first_key = key;
        self
    }

    /// The keys the update picks from, instead of the keys inserted so far.
    pub fn update_keys(mut self, keys: Range<i64>) -> Self {
        self.update_keys = Some(keys);
        self
    }

    /// The insert statement the tasks run.
    pub fn insert_sql(&self) -> String {
        if let Some(sql) = &self.insert {
            return sql.clone();
        }
        if self.columns.is_empty() {
            return format!("INSERT INTO {} DEFAULT VALUES", self.table);
        }
        let values = vec!["$1"; self.columns.len()].join(", ");
        format!(
            "INSERT INTO {} ({}) VALUES ({values})",
            self.table,
            self.columns.join(", ")
        )
    }

    /// Opens one connection per task and starts writing.
    ///
    /// # Errors
    ///
    /// When the URL does not parse or a connection cannot be opened.
    pub async fn start(self) -> Result<Writers, sqlx::Error> {
        let options: PgConnectOptions = self.url.parse()?;
        let mut conns = Vec::with_capacity(self.tasks);
        for task in 0..self.tasks {
            let opts = options
                .clone()
                .application_name(&format!("{WRITER_APPLICATION_NAME}-{task}"));
            conns.push((PgConnection::connect_with(&opts).await?, opts));
        }
        let defaults = self.insert.is_none() && self.columns.is_empty();
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            next_key: AtomicI64::new(self.first_key),
            first_key: self.first_key,
            insert: Arc::from(self.insert_sql()),
            insert_binds: !defaults,
            update: self.update.as_deref().map(Arc::from),
            update_keys: self.update_keys.clone(),
            pause: self.pause,
            started: Instant::now(),
        });
        let handles = conns
            .into_iter()
            .enumerate()
            .map(|(task, (conn, opts))| tokio::spawn(write(task, conn, opts, shared.clone())))
            .collect();
        Ok(Writers {
            table: self.table,
            shared,
            handles,
        })
    }
}

/// A running write load; stop it with [`Writers::stop`]. Dropping it stops the tasks
/// without waiting for them.
#[derive(Debug)]
pub struct Writers {
    table: String,
    shared: Arc<Shared>,
    handles: Vec<JoinHandle<TaskLog>>,
}

impl Writers {
    /// How long the load has been running.
    pub fn elapsed(&self) -> Duration {
        self.shared.started.elapsed()
    }

    /// Stops the tasks, waits for each one's statement in flight, and reports.
    ///
    /// # Panics
    ///
    /// When a writer task panicked.
    pub async fn stop(mut self) -> WriterReport {
        self.shared.stop.store(true, Ordering::SeqCst);
        let elapsed = self.shared.started.elapsed();
        let mut latencies = Vec::new();
        let mut errors = Vec::new();
        let mut statements = 0;
        let (mut stall, mut stall_at) = (Duration::ZERO, Duration::ZERO);
        for handle in std::mem::take(&mut self.handles) {
            let log = handle.await.expect("a writer task panicked");
            statements += log.ok;
            if log.stall > stall {
                (stall, stall_at) = (log.stall, log.stall_at);
            }
            latencies.extend(log.latencies);
            errors.extend(log.errors);
        }
        errors.sort_by_key(|e| e.at);
        latencies.sort_unstable();
        WriterReport {
            table: self.table.clone(),
            elapsed,
            statements,
            errors,
            stall,
            stall_at,
            p50: percentile(&latencies, 50.0),
            p99: percentile(&latencies, 99.0),
        }
    }
}

impl Drop for Writers {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
    }
}

/// The `pct` percentile (nearest rank) of sorted `values`; zero when empty.
fn percentile(sorted: &[Duration], pct: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((pct / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[derive(Debug)]
struct Shared {
    stop: AtomicBool,
    next_key: AtomicI64,
    first_key: i64,
    insert: Arc<str>,
    insert_binds: bool,
    update: Option<Arc<str>>,
    update_keys: Option<Range<i64>>,
    pause: Duration,
    started: Instant,
}

impl Shared {
    /// A key for the update: within the configured range, else among the keys
    /// inserted so far (`None` before the first insert).
    fn update_key(&self) -> Option<i64> {
        let keys = match &self.update_keys {
            Some(r) => r.clone(),
            None => self.first_key..self.next_key.load(Ordering::Relaxed),
        };
        (!keys.is_empty()).then(|| rand::random_range(keys))
    }
}

/// What one task measured.
#[derive(Debug, Default)]
struct TaskLog {
    ok: u64,
    latencies: Vec<Duration>,
    errors: Vec<WriterError>,
    stall: Duration,
    stall_at: Duration,
}

impl TaskLog {
    fn record(
        &mut self,
        task: usize,
        kind: StatementKind,
        at: Duration,
        took: Duration,
        outcome: Result<(), sqlx::Error>,
    ) {
        self.latencies.push(took);
        if took > self.stall {
            (self.stall, self.stall_at) = (took, at);
        }
        match outcome {
            Ok(()) => self.ok += 1,
            Err(e) => self.errors.push(WriterError {
                task,
                kind,
                at,
                code: e
                    .as_database_error()
                    .and_then(|d| d.code())
                    .map(|c| c.into_owned()),
                message: e.to_string(),
            }),
        }
    }
}

/// One writer task: insert, update, pause, until told to stop. A broken connection
/// is opened again (each failed attempt is an error of kind
/// [`StatementKind::Reconnect`]).
async fn write(
    task: usize,
    mut conn: PgConnection,
    opts: PgConnectOptions,
    shared: Arc<Shared>,
) -> TaskLog {
    let mut log = TaskLog::default();
    while !shared.stop.load(Ordering::SeqCst) {
        let key = shared.next_key.fetch_add(1, Ordering::Relaxed);
        let mut query = sqlx::query(AssertSqlSafe(shared.insert.clone()));
        if shared.insert_binds {
            query = query.bind(key);
        }
        let at = shared.started.elapsed();
        let outcome = query.execute(&mut conn).await.map(drop);
        let broken = outcome.as_ref().is_err_and(is_broken);
        log.record(
            task,
            StatementKind::Insert,
            at,
            shared.started.elapsed() - at,
            outcome,
        );
        if !broken
            && let Some(update) = &shared.update
            && let Some(key) = shared.update_key()
        {
            let at = shared.started.elapsed();
            let outcome = sqlx::query(AssertSqlSafe(update.clone()))
                .bind(key)
                .execute(&mut conn)
                .await
                .map(drop);
            let broken_now = outcome.as_ref().is_err_and(is_broken);
            log.record(
                task,
                StatementKind::Update,
                at,
                shared.started.elapsed() - at,
                outcome,
            );
            if broken_now {
                conn = reconnect(task, &opts, &shared, &mut log, conn).await;
            }
        } else if broken {
            conn = reconnect(task, &opts, &shared, &mut log, conn).await;
        }
        tokio::time::sleep(shared.pause).await;
    }
    let _ = conn.close().await;
    log
}

/// Whether the error means the connection is gone.
fn is_broken(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::Tls(_)
    )
}

/// A new connection in place of a broken one, retried every 100 ms until it opens
/// or the load stops (then the broken one is handed back).
async fn reconnect(
    task: usize,
    opts: &PgConnectOptions,
    shared: &Shared,
    log: &mut TaskLog,
    broken: PgConnection,
) -> PgConnection {
    while !shared.stop.load(Ordering::SeqCst) {
        let at = shared.started.elapsed();
        match PgConnection::connect_with(opts).await {
            Ok(conn) => return conn,
            Err(e) => {
                log.errors.push(WriterError {
                    task,
                    kind: StatementKind::Reconnect,
                    at,
                    code: None,
                    message: e.to_string(),
                });
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentile_is_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&v, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&v, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&v[..1], 99.0), Duration::from_millis(1));
        assert_eq!(percentile(&[], 99.0), Duration::ZERO);
    }

    #[test]
    fn default_insert_fills_the_columns_with_the_key() {
        let load = WriterLoad::new("postgres://x/y", "t");
        assert_eq!(load.insert_sql(), "INSERT INTO t DEFAULT VALUES");
        let load = load.columns(["id", "ref"]);
        assert_eq!(load.insert_sql(), "INSERT INTO t (id, ref) VALUES ($1, $1)");
        let load = load.insert("INSERT INTO t (id) VALUES ($1)");
        assert_eq!(load.insert_sql(), "INSERT INTO t (id) VALUES ($1)");
    }
}

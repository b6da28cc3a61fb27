//! The migration context: a connection plus options, events and a cancellation
//! flag. Every run takes the migration lock, reads the heads under it, checks
//! integrity, plans, renders everything, then executes step by step.

use super::cancel::CancelFlag;
use super::errors::RunError;
use super::events::{Event, EventSink, NoEvents};
use super::executor::{Commit, ExecContext, StepOutcome, execute_step, flush_commits};
use super::history::{DEFAULT_HISTORY_TABLE, HistoryRow, HistoryTable, applied_by};
use super::integrity::verify;
use super::lock::{LockSettings, MigrationLock, lock_key};
use super::plan::{Direction, KnownRevision, Planner, StampTarget};
use super::render::render_plan;
use super::session::{name_table_blockers, prepare_session};
use super::stamp::stamp_locked;
use super::version_table::{VersionTable, table_exists};
use crate::db::Connection;
use std::sync::Arc;
use std::time::Duration;

/// How many times a run plans again when the heads change under it (each time
/// means another migrator made progress, so this only stops a pathological loop).
const MAX_REPLANS: usize = 64;

/// The `application_name` the runner gives its PostgreSQL session when it has
/// none, so a waiting migrator can tell who holds the lock.
pub const APPLICATION_NAME: &str = "stratum-migrate";

/// Options of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The version table.
    pub version_table: VersionTable,
    /// The history table's name.
    pub history_table: String,
    /// How long to wait for the migration lock (`None`: indefinitely; zero: one
    /// attempt). On SQLite also the busy timeout while taking it.
    pub lock_timeout: Option<Duration>,
    /// How long any statement of the run waits for a table lock: PostgreSQL's
    /// `lock_timeout` (SQLite's busy timeout), set for the whole session, so it
    /// bounds the runner's reads and writes of its version and history tables
    /// as well as each revision's statements. Whole milliseconds from 1 ms to
    /// [`LONGEST_WAIT`](crate::config::LONGEST_WAIT); values outside are clamped
    /// (zero never means "no limit").
    pub db_lock_timeout: Option<Duration>,
    /// PostgreSQL `statement_timeout` for every statement of the session, clamped
    /// like `db_lock_timeout`.
    pub statement_timeout: Option<Duration>,
    /// Pause between attempts to take the migration lock.
    pub lock_poll_interval: Duration,
    /// Compare recorded checksums with the code's before running.
    pub verify_checksums: bool,
    /// Run each revision online (PostgreSQL): lock-friendly steps under short
    /// lock timeouts, resumable (see [`OnlineOptions`](super::OnlineOptions)).
    pub online: Option<super::online::OnlineOptions>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            version_table: VersionTable::default(),
            history_table: DEFAULT_HISTORY_TABLE.to_string(),
            lock_timeout: None,
            db_lock_timeout: None,
            statement_timeout: None,
            lock_poll_interval: Duration::from_millis(200),
            verify_checksums: true,
            online: None,
        }
    }
}

impl RunOptions {
    /// Takes the settings of a configuration environment: its version table, and
    /// its lock timeout for both the migration lock and table locks, its
    /// statement timeout, and `online = true`. Settings it leaves out keep their current values.
    pub fn with_settings(mut self, settings: &crate::config::EnvironmentSettings) -> Self {
        if let Some(t) = &settings.version_table {
            self.version_table = t.clone();
        }
        if let Some(t) = settings.lock_timeout {
            self.lock_timeout = Some(t);
            self.db_lock_timeout = Some(t);
        }
        if let Some(t) = settings.statement_timeout {
            self.statement_timeout = Some(t);
        }
        if settings.online {
            self.online.get_or_insert_with(Default::default);
        }
        self
    }
}

/// One revision applied by a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRevision {
    /// Revision id.
    pub id: String,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// Time from start to commit.
    pub duration: Duration,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunReport {
    /// Heads when the run started (read under the lock).
    pub heads_before: Vec<String>,
    /// Heads when it ended.
    pub heads_after: Vec<String>,
    /// Revisions applied, in order.
    pub applied: Vec<AppliedRevision>,
}

/// Runs migrations over one connection. See the module documentation.
pub struct Migrator {
    conn: Option<Connection>,
    options: RunOptions,
    sink: Arc<dyn EventSink>,
    cancel: CancelFlag,
    /// Whether the session has its name and timeouts (see [`prepare_session`]).
    prepared: bool,
}

impl std::fmt::Debug for Migrator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrator")
            .field("connected", &self.conn.is_some())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Migrator {
    /// A migrator over `conn` with default options and no event sink.
    pub fn new(conn: Connection) -> Self {
        Self {
            conn: Some(conn),
            options: RunOptions::default(),
            sink: Arc::new(NoEvents),
            cancel: CancelFlag::new(),
            prepared: false,
        }
    }

    /// Sets the options.
    pub fn with_options(mut self, options: RunOptions) -> Self {
        self.options = options;
        self.prepared = false;
        self
    }

    /// Sets the event sink.
    pub fn with_events(mut self, sink: impl EventSink + 'static) -> Self {
        self.sink = Arc::new(sink);
        self
    }

    /// Sets the cancellation flag checked between revisions.
    pub fn with_cancel(mut self, cancel: CancelFlag) -> Self {
        self.cancel = cancel;
        self
    }

    /// The options.
    pub fn options(&self) -> &RunOptions {
        &self.options
    }

    /// The connection, unless an interrupted run closed it.
    pub fn connection(&mut self) -> Result<&mut Connection, RunError> {
        self.conn.as_mut().ok_or(RunError::ConnectionClosed)
    }

    /// Gives the connection back.
    pub fn into_connection(self) -> Option<Connection> {
        self.conn
    }

    /// Closes the connection, if an interrupted run has not already closed it. A
    /// failure to close cleanly is ignored: the server ends the session either way.
    pub async fn close(self) {
        if let Some(conn) = self.conn {
            let _ = conn.close().await;
        }
    }

    /// The connection, with the session prepared once: named, and under the
    /// options' lock and statement timeouts (so that every statement of the
    /// runner's, reads included, is bounded as the migrations are).
    pub(super) async fn prepared(&mut self) -> Result<&mut Connection, RunError> {
        let conn = self.conn.as_mut().ok_or(RunError::ConnectionClosed)?;
        if !self.prepared {
            prepare_session(conn, &self.options).await?;
            self.prepared = true;
        }
        Ok(conn)
    }

    /// The current heads, without the lock: `None` when there is no version table.
    pub async fn current_heads(&mut self) -> Result<Option<Vec<String>>, RunError> {
        let table = self.options.version_table.clone();
        let conn = self.prepared().await?;
        match table.read_heads(conn).await {
            Ok(heads) => Ok(heads),
            Err(e) => Err(name_table_blockers(conn, e).await),
        }
    }

    /// The history table's rows, oldest first (empty when there is none).
    pub async fn history(&mut self) -> Result<Vec<HistoryRow>, RunError> {
        let name = self.options.history_table.clone();
        let conn = self.prepared().await?;
        match (HistoryTable { name: &name }).rows(conn).await {
            Ok(rows) => Ok(rows),
            Err(e) => Err(name_table_blockers(conn, e).await),
        }
    }

    /// The integrity checks alone (unknown heads, edited revisions), read-only.
    /// Returns the current heads.
    pub async fn check_integrity(
        &mut self,
        known: &[KnownRevision],
    ) -> Result<Vec<String>, RunError> {
        let options = self.options.clone();
        let conn = self.prepared().await?;
        let read = async {
            let heads = options
                .version_table
                .read_heads(conn)
                .await?
                .unwrap_or_default();
            let history = HistoryTable {
                name: &options.history_table,
            }
            .latest(conn)
            .await?;
            Ok::<_, RunError>((heads, history))
        }
        .await;
        let (heads, history) = match read {
            Ok(read) => read,
            Err(e) => return Err(name_table_blockers(conn, e).await),
        };
        verify(&heads, known, &history, options.verify_checksums)?;
        Ok(heads)
    }

    /// Runs the plan that `planner` computes from the heads read under the lock.
    /// `known` lists every revision the code has (for the integrity checks).
    pub async fn run(
        &mut self,
        known: &[KnownRevision],
        planner: &dyn Planner,
    ) -> Result<RunReport, RunError> {
        self.prepared().await?;
        let Migrator {
            conn,
            options,
            sink,
            cancel,
            ..
        } = self;
        let sink: &dyn EventSink = sink.as_ref();
        locked(conn, options, sink, cancel, async |lock| {
            run_locked(lock, options, sink, cancel, known, planner).await
        })
        .await
    }

    /// The connection, options, event sink and cancellation flag, apart.
    pub(super) fn parts(
        &mut self,
    ) -> (
        &mut Option<Connection>,
        &RunOptions,
        &dyn EventSink,
        &CancelFlag,
    ) {
        (
            &mut self.conn,
            &self.options,
            self.sink.as_ref(),
            &self.cancel,
        )
    }

    /// Sets the version table to the rows `target` computes from the current ones,
    /// without running anything. With `purge`, the table is emptied first and the
    /// current rows are neither checked nor passed to `target` (the way out of a
    /// database at an unknown revision). Refused, with or without `purge`, while
    /// a revision is partly applied ([`RunError::PartlyApplied`]): `resolve` it
    /// or finish it first.
    pub async fn stamp(
        &mut self,
        known: &[KnownRevision],
        target: &dyn StampTarget,
        purge: bool,
    ) -> Result<RunReport, RunError> {
        self.prepared().await?;
        let Migrator {
            conn,
            options,
            sink,
            cancel,
            ..
        } = self;
        let sink: &dyn EventSink = sink.as_ref();
        locked(conn, options, sink, cancel, async |lock| {
            stamp_locked(lock, options, sink, known, target, purge).await
        })
        .await
    }
}

/// Runs `body` holding the migration lock, which is released whatever `body`
/// returns (and, should the future be dropped, by the lock's guard). Waiting for
/// the lock stops when `cancel` is raised.
pub(super) async fn locked<T>(
    conn: &mut Option<Connection>,
    options: &RunOptions,
    sink: &dyn EventSink,
    cancel: &CancelFlag,
    body: impl AsyncFnOnce(&mut MigrationLock<'_>) -> Result<T, RunError>,
) -> Result<T, RunError> {
    let mut lock = MigrationLock::acquire(conn, lock_settings(options), sink, cancel).await?;
    let result = match body(&mut lock).await {
        Err(e) => match lock.conn() {
            Ok(conn) => Err(name_table_blockers(conn, e).await),
            Err(_) => Err(e),
        },
        ok => ok,
    };
    let released = lock.release(sink).await;
    let value = result?;
    released?;
    Ok(value)
}

fn lock_settings(options: &RunOptions) -> LockSettings {
    LockSettings {
        key: lock_key(options.version_table.name()),
        timeout: options.lock_timeout,
        poll_interval: options.lock_poll_interval,
    }
}

/// Creates the version and history tables when missing; `versioned` says whether
/// the version table exists (the caller has just read it, under the lock).
pub(crate) async fn ensure_tables(
    conn: &mut Connection,
    options: &RunOptions,
    sink: &dyn EventSink,
    versioned: bool,
) -> Result<(), RunError> {
    let history = HistoryTable {
        name: &options.history_table,
    };
    let backend = conn.backend();
    if !versioned {
        conn.execute(&options.version_table.create_sql())
            .await
            .map_err(|e| {
                RunError::on_table(
                    "creating the version table",
                    options.version_table.name(),
                    e,
                )
            })?;
        sink.emit(&Event::VersionTableCreated {
            table: options.version_table.name().to_string(),
        });
    }
    if !table_exists(conn, history.name).await? {
        conn.execute(&history.create_sql(backend))
            .await
            .map_err(|e| RunError::on_table("creating the history table", history.name, e))?;
        sink.emit(&Event::HistoryTableCreated {
            table: history.name.to_string(),
        });
    }
    Ok(())
}

/// Refuses to create the version table in a database that already holds a table
/// the plan creates: that database was built outside the migrations, and running
/// them would fail on the first `CREATE TABLE` after adding bookkeeping tables.
/// `versioned`: whether the version table exists.
async fn refuse_unversioned(
    conn: &mut Connection,
    options: &RunOptions,
    plan: &super::plan::Plan,
    versioned: bool,
) -> Result<(), RunError> {
    if versioned {
        return Ok(());
    }
    for step in plan.steps.iter().filter(|s| s.direction == Direction::Up) {
        for op in &step.ops {
            if let stratum_core::ops::Op::CreateTable(t) = op
                && table_exists(conn, &t.name).await?
            {
                return Err(RunError::Unversioned {
                    version_table: options.version_table.name().to_string(),
                    table: t.name.clone(),
                    revision: step.id.clone(),
                });
            }
        }
    }
    Ok(())
}

/// For an online run: refuses a database other than PostgreSQL, reports old
/// transactions, and returns the schema before each step (empty otherwise).
async fn online_schemas(
    conn: &mut Connection,
    options: &RunOptions,
    sink: &dyn EventSink,
    plan: &super::plan::Plan,
) -> Result<Vec<stratum_core::schema::Schema>, RunError> {
    let Some(online) = &options.online else {
        return Ok(Vec::new());
    };
    if !conn.backend().capabilities().online_ddl {
        return Err(super::online::OnlineError::NotPostgres.into());
    }
    super::online::report_old_transactions(conn, online, sink).await;
    super::online::schemas_before(plan)
}

async fn run_locked(
    lock: &mut MigrationLock<'_>,
    options: &RunOptions,
    sink: &dyn EventSink,
    cancel: &CancelFlag,
    known: &[KnownRevision],
    planner: &dyn Planner,
) -> Result<RunReport, RunError> {
    let (conn, held) = lock.parts()?;
    let sql = conn.sql_dialect();
    let history = HistoryTable {
        name: &options.history_table,
    };
    let found = options.version_table.read_heads(conn).await?;
    let versioned = found.is_some();
    let heads = found.unwrap_or_default();
    sink.emit(&Event::CurrentHeads {
        heads: heads.clone(),
    });
    verify(
        &heads,
        known,
        &history.latest(conn).await?,
        options.verify_checksums,
    )?;
    let mut report = RunReport {
        heads_before: heads.clone(),
        heads_after: heads.clone(),
        applied: Vec::new(),
    };
    let mut plan = planner.plan(&heads).map_err(RunError::Plan)?;
    plan.check_chain(&heads)
        .map_err(|m| RunError::Plan(m.into()))?;
    let mut rendered = render_plan(sql, &plan)?;
    if plan.steps.is_empty() {
        sink.emit(&Event::NothingToDo);
        return Ok(report);
    }
    refuse_unversioned(conn, options, &plan, versioned).await?;
    super::resolve::refuse_partial(conn, options, &plan).await?;
    sink.emit(&Event::Planned {
        steps: plan.steps.len(),
    });
    ensure_tables(conn, options, sink, versioned).await?;
    let by = applied_by(conn).await;
    let ctx = ExecContext {
        version_table: &options.version_table,
        history: history.clone(),
        applied_by: &by,
        db_lock_timeout: options.db_lock_timeout,
        statement_timeout: options.statement_timeout,
        sink,
        progress_ready: Default::default(),
    };
    let mut befores = online_schemas(conn, options, sink, &plan).await?;
    let mut replans = 0;
    let mut index = 0;
    // Every commit but the run's last is deferred (see `Commit`); the last one, or
    // `flush_commits` on the way out of a failure, makes them all durable.
    let mut deferred = false;
    while index < plan.steps.len() {
        if cancel.is_cancelled() {
            if deferred {
                flush_commits(conn).await;
            }
            let applied: Vec<String> = report.applied.iter().map(|a| a.id.clone()).collect();
            sink.emit(&Event::Cancelled {
                applied: applied.clone(),
            });
            return Err(RunError::Cancelled {
                applied,
                remaining: plan.steps.len() - index,
            });
        }
        if let Err(e) = held.ensure().await {
            if deferred {
                flush_commits(conn).await;
            }
            return Err(e);
        }
        let step = &plan.steps[index];
        sink.emit(&Event::RevisionStarted {
            id: step.id.clone(),
            direction: step.direction,
            message: step.message.clone(),
        });
        let commit = if index + 1 == plan.steps.len() {
            Commit::Durable
        } else {
            Commit::Deferred
        };
        let executed = match (&options.online, befores.get(index)) {
            (Some(online), Some(before)) => {
                super::online::run_online_revision(conn, &ctx, online, step, before, commit).await
            }
            _ => execute_step(conn, &ctx, step, &rendered[index], commit).await,
        };
        let outcome = match executed {
            Ok(outcome) => outcome,
            Err(e) => {
                if deferred {
                    flush_commits(conn).await;
                }
                return Err(e);
            }
        };
        match outcome {
            StepOutcome::Applied(duration) => {
                deferred = commit == Commit::Deferred && step.transactional;
                sink.emit(&Event::RevisionFinished {
                    id: step.id.clone(),
                    direction: step.direction,
                    duration,
                });
                report.applied.push(AppliedRevision {
                    id: step.id.clone(),
                    direction: step.direction,
                    duration,
                });
                report.heads_after = step.heads_after.clone();
                index += 1;
            }
            StepOutcome::HeadsChanged(found) => {
                replans += 1;
                if replans > MAX_REPLANS {
                    return Err(RunError::ConcurrentChange {
                        revision: step.id.clone(),
                        expected: step.heads_before.clone(),
                        found,
                    });
                }
                sink.emit(&Event::Replanned {
                    heads: found.clone(),
                });
                verify(
                    &found,
                    known,
                    &history.latest(conn).await?,
                    options.verify_checksums,
                )?;
                plan = planner.plan(&found).map_err(RunError::Plan)?;
                plan.check_chain(&found)
                    .map_err(|m| RunError::Plan(m.into()))?;
                rendered = render_plan(sql, &plan)?;
                if options.online.is_some() {
                    befores = super::online::schemas_before(&plan)?;
                }
                report.heads_after = found;
                index = 0;
            }
        }
    }
    Ok(report)
}

//! Running one command over every database of a fleet: `jobs` at a time, each on
//! its own connection under its own migration lock, canaries first.

use super::errors::TargetError;
use super::events::{FleetEvent, FleetSink};
use super::target::FleetTarget;
use crate::config::{Access, check_database_file, connect};
use crate::introspect::{Exclusions, introspect_excluding};
use crate::runner::{
    CancelFlag, Event, Goal, KnownRevision, Migrator, RunOptions, ScriptPlanner, heads_or_base,
    known_revisions, schema_at,
};
use crate::script::Script;
use futures_util::StreamExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use stratum_core::dialect::normalize_for;
use stratum_core::diff::{diff, differences};
use stratum_core::schema::Schema;

/// What to do on each database.
#[derive(Debug, Clone)]
pub enum FleetCommand {
    /// Upgrade to a target (`head`, a revision, ...).
    Upgrade(String),
    /// Downgrade to a target (`-1`, a revision, `base`).
    Downgrade {
        /// The target.
        target: String,
        /// Proceed past revisions marked irreversible.
        allow_irreversible: bool,
    },
    /// Read each database's revision.
    Current,
    /// Compare each database, which must be at head, with `expected` (the
    /// models' schema, or the head's when the application declares none).
    Check {
        /// The schema every database must have.
        expected: Schema,
    },
    /// Check each database's recorded revisions (unknown or edited revisions)
    /// and compare its schema with the one its revisions build.
    Verify,
}

impl FleetCommand {
    /// Whether the command changes databases (and so runs canaries first and
    /// stops at the first failure unless told to continue).
    pub fn changes(&self) -> bool {
        matches!(
            self,
            FleetCommand::Upgrade(_) | FleetCommand::Downgrade { .. }
        )
    }

    /// What the command needs of a SQLite file, as the single-database
    /// commands ask: only an upgrade creates a missing one.
    pub fn access(&self) -> Access {
        match self {
            FleetCommand::Upgrade(_) => Access::Write,
            FleetCommand::Downgrade { .. } => Access::Modify,
            FleetCommand::Current | FleetCommand::Check { .. } | FleetCommand::Verify => {
                Access::Read
            }
        }
    }
}

/// How to run the fleet.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    /// Databases worked on at once (at least 1).
    pub jobs: usize,
    /// Keep starting databases after one failed (changing commands only; read
    /// commands always visit every database).
    pub continue_on_error: bool,
    /// Overrides every target's lock timeout (migration and table locks).
    pub lock_timeout: Option<Duration>,
    /// Overrides every target's statement timeout.
    pub statement_timeout: Option<Duration>,
    /// Once cancelled, no database is started and running ones stop at a
    /// revision boundary.
    pub cancel: CancelFlag,
}

impl Default for FleetOptions {
    fn default() -> Self {
        Self {
            jobs: 1,
            continue_on_error: false,
            lock_timeout: None,
            statement_timeout: None,
            cancel: CancelFlag::new(),
        }
    }
}

/// How one database ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Revisions were applied.
    Applied,
    /// Already at the target: nothing ran.
    Skipped,
    /// A read command found it as expected.
    Ok,
    /// `check` or `verify` found its schema different from the expected one.
    Drift,
    /// The command failed on it (see the error).
    Failed,
    /// Not started: an earlier failure, a failed canary, or cancellation.
    NotRun,
}

impl Outcome {
    /// Whether the database counts as succeeded.
    pub fn succeeded(self) -> bool {
        matches!(self, Outcome::Applied | Outcome::Skipped | Outcome::Ok)
    }

    /// The word shown in the summary.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applied => "applied",
            Outcome::Skipped => "skipped",
            Outcome::Ok => "ok",
            Outcome::Drift => "drift",
            Outcome::Failed => "failed",
            Outcome::NotRun => "not run",
        }
    }
}

/// What happened on one database.
#[derive(Debug)]
pub struct TargetReport {
    /// The target's name.
    pub name: String,
    /// Its URL, redacted.
    pub url: String,
    /// Its group.
    pub group: Option<String>,
    /// Heads before (empty: base, or not read).
    pub from: Vec<String>,
    /// Heads after.
    pub to: Vec<String>,
    /// Whether a connection was made (`from` and `to` are unknown otherwise).
    pub reached: bool,
    /// Revisions applied.
    pub applied: usize,
    /// Time spent on it.
    pub duration: Duration,
    /// How it ended.
    pub outcome: Outcome,
    /// The failure, for [`Outcome::Failed`].
    pub error: Option<TargetError>,
    /// For [`Outcome::Drift`] and [`Outcome::NotRun`]: what differs, or why it
    /// was not started.
    pub notes: Vec<String>,
}

impl TargetReport {
    fn new(target: &FleetTarget) -> Self {
        Self {
            name: target.name.clone(),
            url: target.url.to_string(),
            group: target.group.clone(),
            from: Vec::new(),
            to: Vec::new(),
            reached: false,
            applied: 0,
            duration: Duration::ZERO,
            outcome: Outcome::NotRun,
            error: None,
            notes: Vec::new(),
        }
    }

    fn not_run(target: &FleetTarget, why: &str) -> Self {
        let mut r = Self::new(target);
        r.notes.push(why.to_string());
        r
    }
}

/// What the whole fleet did, in the targets' order.
#[derive(Debug, Default)]
pub struct FleetReport {
    /// One report per target.
    pub targets: Vec<TargetReport>,
}

impl FleetReport {
    /// Whether every database succeeded.
    pub fn ok(&self) -> bool {
        self.targets.iter().all(|t| t.outcome.succeeded())
    }
}

/// Runs `command` over `targets`: the `canary` group first (for changing
/// commands), then the others only if every canary succeeded; `jobs` databases
/// at a time. A failure on one database never touches another: each has its
/// own connection, lock and transactions.
pub async fn run_fleet(
    script: &Script,
    targets: &[FleetTarget],
    command: &FleetCommand,
    options: &FleetOptions,
    sink: Arc<dyn FleetSink>,
) -> FleetReport {
    let known = known_revisions(script);
    let stop = AtomicBool::new(false);
    let ctx = Shared {
        script,
        known: &known,
        command,
        options,
        sink: &sink,
        stop: &stop,
    };
    let indexed: Vec<(usize, &FleetTarget)> = targets.iter().enumerate().collect();
    let (canaries, rest): (Vec<_>, Vec<_>) = if command.changes() {
        indexed.into_iter().partition(|(_, t)| t.is_canary())
    } else {
        (Vec::new(), indexed)
    };
    let mut reports = ctx.phase(&canaries).await;
    let canary_failed = reports.iter().any(|(_, r)| !r.outcome.succeeded());
    if canary_failed {
        let held: Vec<String> = rest.iter().map(|(_, t)| t.name.clone()).collect();
        if !held.is_empty() {
            sink.emit(&FleetEvent::CanaryFailed { held });
        }
        reports.extend(
            rest.iter()
                .map(|(i, t)| (*i, TargetReport::not_run(t, "a canary database failed"))),
        );
    } else {
        reports.extend(ctx.phase(&rest).await);
    }
    reports.sort_by_key(|(i, _)| *i);
    FleetReport {
        targets: reports.into_iter().map(|(_, r)| r).collect(),
    }
}

struct Shared<'a> {
    script: &'a Script,
    known: &'a [KnownRevision],
    command: &'a FleetCommand,
    options: &'a FleetOptions,
    sink: &'a Arc<dyn FleetSink>,
    stop: &'a AtomicBool,
}

impl Shared<'_> {
    async fn phase(&self, targets: &[(usize, &FleetTarget)]) -> Vec<(usize, TargetReport)> {
        futures_util::stream::iter(targets.iter().map(|(i, t)| async move {
            if self.options.cancel.is_cancelled() {
                return (*i, TargetReport::not_run(t, "the run was interrupted"));
            }
            if self.stop.load(Ordering::SeqCst) {
                return (
                    *i,
                    TargetReport::not_run(t, "an earlier database failed (fail-fast)"),
                );
            }
            let report = self.one(t).await;
            if report.outcome == Outcome::Failed
                && self.command.changes()
                && !self.options.continue_on_error
            {
                self.stop.store(true, Ordering::SeqCst);
            }
            (*i, report)
        }))
        .buffer_unordered(self.options.jobs.max(1))
        .collect()
        .await
    }

    fn run_options(&self, target: &FleetTarget) -> RunOptions {
        let mut o = RunOptions::default().with_settings(&target.settings);
        if let Some(t) = self.options.lock_timeout {
            o.lock_timeout = Some(t);
            o.db_lock_timeout = Some(t);
        }
        if let Some(t) = self.options.statement_timeout {
            o.statement_timeout = Some(t);
        }
        o
    }

    async fn one(&self, target: &FleetTarget) -> TargetReport {
        let started = Instant::now();
        self.sink.emit(&FleetEvent::Started {
            name: target.name.clone(),
        });
        let mut report = TargetReport::new(target);
        if let Err(e) = self.work(target, &mut report).await {
            report.outcome = Outcome::Failed;
            report.error = Some(e);
        }
        report.duration = started.elapsed();
        self.sink.emit(&FleetEvent::Finished {
            name: report.name.clone(),
            outcome: report.outcome,
            from: report.from.clone(),
            to: report.to.clone(),
            applied: report.applied,
            duration: report.duration,
            error: report.error.as_ref().map(ToString::to_string),
        });
        report
    }

    async fn work(
        &self,
        target: &FleetTarget,
        report: &mut TargetReport,
    ) -> Result<(), TargetError> {
        check_database_file(&target.url, self.command.access())?;
        let conn = connect(&target.url).await?;
        report.reached = true;
        let forward = Arc::clone(self.sink);
        let name = target.name.clone();
        let mut migrator = Migrator::new(conn)
            .with_options(self.run_options(target))
            .with_events(move |event: &Event| {
                forward.emit(&FleetEvent::Runner {
                    name: name.clone(),
                    event: event.clone(),
                })
            })
            .with_cancel(self.options.cancel.clone());
        let result = self.on_database(target, &mut migrator, report).await;
        migrator.close().await;
        result
    }

    async fn on_database(
        &self,
        target: &FleetTarget,
        migrator: &mut Migrator,
        report: &mut TargetReport,
    ) -> Result<(), TargetError> {
        let goal = match self.command {
            FleetCommand::Upgrade(t) => Some((Goal::Upgrade(t.clone()), false)),
            FleetCommand::Downgrade {
                target,
                allow_irreversible,
            } => Some((Goal::Downgrade(target.clone()), *allow_irreversible)),
            _ => None,
        };
        if let Some((goal, allow)) = goal {
            report.from = migrator.current_heads().await?.unwrap_or_default();
            // A database at a revision a finalized squash removed cannot be
            // planned for.
            if let Some(message) =
                crate::lineage::squash::retired_heads_of(migrator, self.script).await
            {
                return Err(TargetError::Retired(message));
            }
            let planner = ScriptPlanner::new(self.script, goal).allow_irreversible(allow);
            match migrator.run(self.known, &planner).await {
                Ok(run) => {
                    report.from = run.heads_before;
                    report.to = run.heads_after;
                    report.applied = run.applied.len();
                    report.outcome = if run.applied.is_empty() {
                        Outcome::Skipped
                    } else {
                        Outcome::Applied
                    };
                    return Ok(());
                }
                Err(e) => {
                    // Where the failure left it (the failed revision rolled back).
                    if let Ok(Some(heads)) = migrator.current_heads().await {
                        report.to = heads;
                    }
                    return Err(TargetError::run_at(e, &target.url));
                }
            }
        }
        let heads = migrator.check_integrity(self.known).await?;
        report.from = heads.clone();
        report.to = heads.clone();
        let expected = match self.command {
            FleetCommand::Check { expected } => {
                let mut at: Vec<&str> = heads.iter().map(String::as_str).collect();
                let mut head = self.script.map().heads();
                at.sort();
                head.sort();
                if at != head {
                    report.outcome = Outcome::Drift;
                    report.notes.push(format!(
                        "the database is at {}, not at head ({}); upgrade it first",
                        heads_or_base(&heads),
                        head.join(", ")
                    ));
                    return Ok(());
                }
                expected.clone()
            }
            FleetCommand::Verify => {
                self.script
                    .map()
                    .applied(&heads)
                    .map_err(|e| TargetError::Plan(e.to_string()))?;
                schema_at(self.script, &heads).map_err(|e| TargetError::Plan(e.to_string()))?
            }
            _ => {
                report.outcome = Outcome::Ok;
                return Ok(());
            }
        };
        // As `check` and `verify` compare: without the bookkeeping tables and
        // what the target's ignore rules name, on both sides.
        let exclusions =
            Exclusions::for_run(migrator.options()).with_rules(&target.settings.ignore);
        let conn = migrator.connection()?;
        let dialect = conn.dialect();
        let live = introspect_excluding(conn, &exclusions).await?;
        let expected = exclusions
            .rules()
            .applied(&normalize_for(dialect, &expected));
        let found = differences(&live, &expected);
        let ops = diff(&live, &expected);
        if found.is_empty() && ops.is_empty() {
            report.outcome = Outcome::Ok;
        } else {
            report.outcome = Outcome::Drift;
            report.notes = found
                .iter()
                .map(|d| d.describe("database", "expected"))
                .collect();
            if report.notes.is_empty() {
                report.notes = ops.iter().map(|op| format!("needs: {op}")).collect();
            }
        }
        Ok(())
    }
}

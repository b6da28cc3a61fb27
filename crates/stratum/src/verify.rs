//! Checking revisions before they reach a real database.
//!
//! - [`lint_script`] runs the linter ([`stratum_core::lint::lint_revision`]) over
//!   every revision of a range, each against the simulated schema before it;
//!   [`lint_script_for`] lints for one database, with its dialect's own rules.
//! - [`verify_script`] replays a range on a scratch database it creates and drops
//!   itself: every revision is upgraded, the live schema compared with the
//!   simulated one, downgraded, compared with the schema before it, and upgraded
//!   again. The first revision that fails is reported with the differences.
//!
//! Ranges are written `START:END` (either side optional, `base` and `head` allowed)
//! or as one revision; both ends are included.

use crate::config::IgnoreRules;
use crate::config::{ConnectError, DatabaseUrl, connect};
use crate::db::Connection;
use crate::introspect::{Exclusions, IntrospectError, introspect_excluding};
use crate::runner::{
    Direction, EventSink, Goal, Migrator, NoEvents, Plan, RunError, RunOptions, ScriptPlanner,
    Step, known_revisions, schema_at,
};
use crate::script::{EmbeddedRevision, Script, ScriptError};
use serde::Serialize;
use stratum_core::dialect::{Dialect, normalize_for};
use stratum_core::lint::{Finding, Severity, lint_revision, lint_revision_for};
use stratum_core::revision::GraphError;
use stratum_core::schema::Schema;

/// Why a lint or verify run could not be carried out (as opposed to finding a
/// problem, which is reported in the result).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The range or a revision id is wrong.
    #[error(transparent)]
    Graph(#[from] GraphError),
    /// A revision could not be recorded.
    #[error(transparent)]
    Script(#[from] ScriptError),
    /// The simulated schema before a revision could not be computed.
    #[error("cannot simulate the schema before revision {revision}: {message}")]
    Simulate {
        /// Revision id.
        revision: String,
        /// What failed.
        message: String,
    },
    /// The server for the scratch database cannot be reached.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The scratch database could not be created or dropped.
    #[error("{action} the scratch database {name} failed: {message}")]
    Scratch {
        /// `creating` or `dropping`.
        action: &'static str,
        /// Its name (or file).
        name: String,
        /// What the server or file system said.
        message: String,
    },
    /// Reading the scratch database's schema failed.
    #[error("reading the scratch database's schema failed: {0}")]
    Introspect(#[from] IntrospectError),
}

/// The revisions of `range`, oldest first. `None` is every revision.
pub fn select_revisions(
    script: &Script,
    range: Option<&str>,
) -> Result<Vec<&'static EmbeddedRevision>, GraphError> {
    let map = script.map();
    let resolve = |text: &str, open: &[&str]| -> Result<Option<String>, GraphError> {
        let t = text.trim();
        if t.is_empty() || open.contains(&t) {
            Ok(None)
        } else {
            map.lookup(t).map(|id| Some(id.to_string()))
        }
    };
    let (start, end) = match range {
        None => (None, None),
        Some(r) => match r.split_once(':') {
            Some((s, e)) => (resolve(s, &["base"])?, resolve(e, &["head", "heads"])?),
            None => {
                let id = resolve(r, &[])?.ok_or_else(|| GraphError::InvalidTarget {
                    target: r.to_string(),
                    reason: "give a revision, or a range START:END".to_string(),
                })?;
                (Some(id.clone()), Some(id))
            }
        },
    };
    let below_end: Option<Vec<String>> = match &end {
        None => None,
        Some(e) => {
            let mut v: Vec<String> = map.ancestors(e)?.into_iter().map(String::from).collect();
            v.push(e.clone());
            Some(v)
        }
    };
    let above_start: Option<Vec<String>> = match &start {
        None => None,
        Some(s) => {
            let mut v: Vec<String> = map.descendants(s)?.into_iter().map(String::from).collect();
            v.push(s.clone());
            Some(v)
        }
    };
    let selected: Vec<&'static EmbeddedRevision> = script
        .iter()
        .filter(|r| {
            let id = r.revision.id.to_string();
            below_end.as_ref().is_none_or(|v| v.contains(&id))
                && above_start.as_ref().is_none_or(|v| v.contains(&id))
        })
        .collect();
    if selected.is_empty()
        && let Some(r) = range
    {
        return Err(GraphError::InvalidTarget {
            target: r.to_string(),
            reason: "the range holds no revision (is START after END?)".to_string(),
        });
    }
    Ok(selected)
}

/// One finding with the op it is about, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintEntry {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// The op (its `Display`), when the finding is about one op.
    pub op: Option<String>,
}

/// The findings of one revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintedRevision {
    /// Revision id.
    pub id: String,
    /// Its file.
    pub file: String,
    /// Findings, in op order.
    pub findings: Vec<LintEntry>,
}

/// The result of [`lint_script`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct LintReport {
    /// Every linted revision, oldest first (also those without findings).
    pub revisions: Vec<LintedRevision>,
}

impl LintReport {
    /// Every finding, oldest revision first.
    pub fn entries(&self) -> impl Iterator<Item = &LintEntry> {
        self.revisions.iter().flat_map(|r| r.findings.iter())
    }

    /// Whether an error-level finding is not acknowledged (the run fails).
    pub fn has_unacknowledged_errors(&self) -> bool {
        self.entries()
            .any(|e| e.finding.severity == Severity::Error && !e.finding.acknowledged)
    }

    /// Counts: (unacknowledged errors, unacknowledged warnings, acknowledged).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for e in self.entries() {
            match (e.finding.acknowledged, e.finding.severity) {
                (true, _) => c.2 += 1,
                (false, Severity::Error) => c.0 += 1,
                (false, Severity::Warning) => c.1 += 1,
                (false, Severity::Info) => {}
            }
        }
        c
    }
}

/// Lints the upgrades of `revisions` (each against the simulated schema of its
/// parents), for `dialect` (`None`: the generic rules alone).
pub fn lint_revisions(
    script: &Script,
    revisions: &[&'static EmbeddedRevision],
    dialect: Option<Dialect>,
) -> Result<LintReport, VerifyError> {
    let mut report = LintReport::default();
    for r in revisions {
        let id = r.revision.id;
        let parents: Vec<String> = r
            .revision
            .down_revisions
            .iter()
            .chain(r.revision.depends_on)
            .map(|p| p.to_string())
            .collect();
        let before = schema_at(script, &parents).map_err(|e| VerifyError::Simulate {
            revision: id.to_string(),
            message: e.to_string(),
        })?;
        let up = script.upgrade_ops(id)?;
        let down = script.downgrade_ops(id)?;
        let findings = match dialect {
            Some(d) => lint_revision_for(d, &r.revision, &up, &down, &before, r.source),
            None => lint_revision(&r.revision, &up, &down, &before, r.source),
        };
        let findings = findings
            .into_iter()
            .map(|finding| LintEntry {
                op: finding
                    .op_index
                    .and_then(|i| up.get(i))
                    .map(|op| op.to_string()),
                finding,
            })
            .collect();
        report.revisions.push(LintedRevision {
            id: id.to_string(),
            file: r.file_name.to_string(),
            findings,
        });
    }
    Ok(report)
}

/// Lints every revision of `range` (`None`: all), oldest first.
pub fn lint_script(script: &Script, range: Option<&str>) -> Result<LintReport, VerifyError> {
    let revisions = select_revisions(script, range)?;
    lint_revisions(script, &revisions, None)
}

/// Lints every revision of `range` (`None`: all) for `dialect`: the generic rules
/// that hold on that database and the dialect's own.
pub fn lint_script_for(
    script: &Script,
    range: Option<&str>,
    dialect: Dialect,
) -> Result<LintReport, VerifyError> {
    let revisions = select_revisions(script, range)?;
    lint_revisions(script, &revisions, Some(dialect))
}

/// Where in a revision's round trip verification failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyStage {
    /// The upgrade failed to run.
    Upgrade,
    /// After the upgrade, the database differs from the simulated schema.
    SchemaAfterUpgrade,
    /// The downgrade failed to run.
    Downgrade,
    /// After the downgrade, the database differs from the schema before the upgrade.
    SchemaAfterDowngrade,
    /// The second upgrade failed to run.
    Reupgrade,
    /// After the second upgrade, the database differs from the simulated schema.
    SchemaAfterReupgrade,
}

impl std::fmt::Display for VerifyStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VerifyStage::Upgrade => "the upgrade failed",
            VerifyStage::SchemaAfterUpgrade => {
                "after the upgrade the database differs from the revision's simulated schema"
            }
            VerifyStage::Downgrade => "the downgrade failed",
            VerifyStage::SchemaAfterDowngrade => {
                "after the downgrade the database differs from the schema before the revision"
            }
            VerifyStage::Reupgrade => "upgrading again after the downgrade failed",
            VerifyStage::SchemaAfterReupgrade => {
                "after upgrading again the database differs from the revision's simulated schema"
            }
        })
    }
}

/// The first revision that failed verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyFailure {
    /// Revision id.
    pub revision: String,
    /// Its file.
    pub file: String,
    /// What failed.
    pub stage: VerifyStage,
    /// The runner's error, for a failed run.
    pub error: Option<String>,
    /// For a schema mismatch: the ops that would turn the database into the
    /// expected schema (their `Display`), e.g. the index a downgrade forgot.
    pub differences: Vec<String>,
}

impl std::fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "revision {} ({}): {}",
            self.revision, self.file, self.stage
        )?;
        if let Some(e) = &self.error {
            write!(f, ": {e}")?;
        }
        if !self.differences.is_empty() {
            write!(
                f,
                "; to match, the database would need: {}",
                self.differences.join("; ")
            )?;
        }
        Ok(())
    }
}

/// The result of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct VerifyReport {
    /// Revisions whose round trip passed, oldest first.
    pub passed: Vec<String>,
    /// Revisions marked irreversible: upgraded and checked, but not downgraded.
    pub not_downgraded: Vec<String>,
    /// The first failure, if any (verification stops there).
    pub failure: Option<VerifyFailure>,
}

impl VerifyReport {
    /// Whether every revision passed.
    pub fn ok(&self) -> bool {
        self.failure.is_none()
    }
}

pub use crate::scratch::ScratchDatabase;

/// What a verification run uses besides the revisions.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Run options of the scratch database's migrator (its version and history
    /// tables are left out of every comparison).
    pub run: RunOptions,
    /// Objects left out of every comparison.
    pub ignore: IgnoreRules,
}

/// Verifies `range` (`None`: every revision) on a scratch database created on the
/// server of `server` and dropped afterwards, whatever the outcome.
pub async fn verify_script(
    server: &DatabaseUrl,
    script: &Script,
    range: Option<&str>,
) -> Result<VerifyReport, VerifyError> {
    let scratch = ScratchDatabase::create(server).await?;
    let result = async {
        let conn = connect(scratch.url()).await?;
        verify_on(conn, script, range, NoEvents).await
    }
    .await;
    let dropped = scratch.drop_database().await;
    let report = result?;
    dropped?;
    Ok(report)
}

/// Verifies `range` on an empty database reached through `conn` (which is closed
/// at the end). Revisions before the range are upgraded without checks; each
/// revision of the range is upgraded, compared, downgraded, compared and
/// upgraded again (revisions marked irreversible are not downgraded).
pub async fn verify_on(
    conn: Connection,
    script: &Script,
    range: Option<&str>,
    events: impl EventSink + 'static,
) -> Result<VerifyReport, VerifyError> {
    verify_on_with(conn, script, range, events, &VerifyOptions::default()).await
}

/// [`verify_on`] with the run options and ignore rules of `options`.
pub async fn verify_on_with(
    conn: Connection,
    script: &Script,
    range: Option<&str>,
    events: impl EventSink + 'static,
    options: &VerifyOptions,
) -> Result<VerifyReport, VerifyError> {
    let exclusions = Exclusions::for_run(&options.run).with_rules(&options.ignore);
    let selected: Vec<String> = select_revisions(script, range)?
        .iter()
        .map(|r| r.revision.id.to_string())
        .collect();
    let last = selected.last().cloned();
    let known = known_revisions(script);
    let dialect = conn.dialect();
    let mut migrator = Migrator::new(conn)
        .with_options(options.run.clone())
        .with_events(events);
    let mut report = VerifyReport::default();
    let mut heads: Vec<String> = Vec::new();
    let mut before = Schema::default();
    let result: Result<(), VerifyError> = async {
        for r in script.iter() {
            let id = r.revision.id.to_string();
            let checked = selected.contains(&id);
            let fail = |stage, error: Option<String>, differences| VerifyFailure {
                revision: id.clone(),
                file: r.file_name.to_string(),
                stage,
                error,
                differences,
            };
            let up = ScriptPlanner::new(script, Goal::Upgrade(id.clone()));
            let run = migrator.run(&known, &up).await;
            let after_heads = match run {
                Ok(run) => run.heads_after,
                Err(e) => {
                    report.failure = Some(fail(VerifyStage::Upgrade, Some(e.to_string()), vec![]));
                    return Ok(());
                }
            };
            let mut after = before.clone();
            for op in script.upgrade_ops(&id)? {
                stratum_core::simulate::apply(&mut after, &op).map_err(|e| {
                    VerifyError::Simulate {
                        revision: id.clone(),
                        message: e.to_string(),
                    }
                })?;
            }
            if checked {
                let differences = compare(&mut migrator, dialect, &exclusions, &after).await?;
                if !differences.is_empty() {
                    report.failure = Some(fail(VerifyStage::SchemaAfterUpgrade, None, differences));
                    return Ok(());
                }
                if r.revision.irreversible {
                    report.not_downgraded.push(id.clone());
                } else {
                    let down =
                        single_step(script, &id, Direction::Down, &after, &after_heads, &heads)?;
                    let down = move |_: &[String]| -> Result<
                            Plan,
                            Box<dyn std::error::Error + Send + Sync>,
                        > { Ok(down.clone()) };
                    if let Err(e) = migrator.run(&known, &down).await {
                        report.failure =
                            Some(fail(VerifyStage::Downgrade, Some(e.to_string()), vec![]));
                        return Ok(());
                    }
                    let differences = compare(&mut migrator, dialect, &exclusions, &before).await?;
                    if !differences.is_empty() {
                        report.failure =
                            Some(fail(VerifyStage::SchemaAfterDowngrade, None, differences));
                        return Ok(());
                    }
                    if let Err(e) = migrator.run(&known, &up).await {
                        report.failure =
                            Some(fail(VerifyStage::Reupgrade, Some(e.to_string()), vec![]));
                        return Ok(());
                    }
                    let differences = compare(&mut migrator, dialect, &exclusions, &after).await?;
                    if !differences.is_empty() {
                        report.failure =
                            Some(fail(VerifyStage::SchemaAfterReupgrade, None, differences));
                        return Ok(());
                    }
                    report.passed.push(id.clone());
                }
            }
            heads = after_heads;
            before = after;
            if last.as_deref() == Some(id.as_str()) {
                break;
            }
        }
        Ok(())
    }
    .await;
    migrator.close().await;
    result?;
    Ok(report)
}

/// A plan of exactly one step of `id` in `direction`, from `heads_before` to
/// `heads_after`.
fn single_step(
    script: &Script,
    id: &str,
    direction: Direction,
    start_schema: &Schema,
    heads_before: &[String],
    heads_after: &[String],
) -> Result<Plan, VerifyError> {
    let revision = script.revision(id)?;
    let ops = match direction {
        Direction::Up => script.upgrade_ops(id)?,
        Direction::Down => script.downgrade_ops(id)?,
    };
    Ok(Plan {
        start_schema: start_schema.clone(),
        steps: vec![Step {
            id: id.to_string(),
            direction,
            message: revision.message.to_string(),
            file: script.file_name(id)?.to_string(),
            ops,
            checksum: script.checksum(id)?,
            transactional: revision.transactional,
            heads_before: heads_before.to_vec(),
            heads_after: heads_after.to_vec(),
        }],
    })
}

/// The differences between the live schema and `expected`, as the ops that would
/// turn the database into it (empty when equal).
async fn compare(
    migrator: &mut Migrator,
    dialect: Dialect,
    exclusions: &Exclusions,
    expected: &Schema,
) -> Result<Vec<String>, VerifyError> {
    let conn = migrator
        .connection()
        .map_err(|e: RunError| VerifyError::Scratch {
            action: "reading",
            name: "(connection)".to_string(),
            message: e.to_string(),
        })?;
    let live = introspect_excluding(conn, exclusions).await?.normalized();
    let expected = exclusions
        .rules()
        .applied(&normalize_for(dialect, expected))
        .normalized();
    if live == expected {
        return Ok(Vec::new());
    }
    let ops = stratum_core::diff::diff(&live, &expected);
    if ops.is_empty() {
        return Ok(vec![
            "the schemas differ in a detail no op expresses (compare them with `check`)"
                .to_string(),
        ]);
    }
    Ok(ops.iter().map(ToString::to_string).collect())
}

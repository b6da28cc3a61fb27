//! Plans from a loaded versions directory ([`Script`]): the revision graph says
//! which revisions to run, each revision's recorded ops and checksum fill the
//! steps, and the schema at the current heads is simulated by folding the
//! upgrade ops of every applied revision, oldest first.

use super::plan::{Direction, KnownRevision, Plan, Planner, StampTarget, Step};
use crate::script::Script;
use stratum_core::schema::Schema;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where a run goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Goal {
    /// `upgrade <target>` (`head`, `heads`, an id, `+N`, `label@head`, ...).
    Upgrade(String),
    /// `downgrade <target>` (`base`, an id, `-N`, ...).
    Downgrade(String),
}

/// A downgrade would pass a revision marked irreversible.
#[derive(Debug, thiserror::Error)]
#[error(
    "downgrading revision {revision} ({file}) loses data (it is marked irreversible); pass --force to do it anyway"
)]
pub struct IrreversibleDowngrade {
    /// Revision id.
    pub revision: String,
    /// Its file.
    pub file: String,
}

/// A [`Planner`] over a [`Script`].
#[derive(Debug, Clone)]
pub struct ScriptPlanner<'s> {
    pub(super) script: &'s Script,
    pub(super) goal: Goal,
    allow_irreversible: bool,
}

impl<'s> ScriptPlanner<'s> {
    /// Plans toward `goal`.
    pub fn new(script: &'s Script, goal: Goal) -> Self {
        Self {
            script,
            goal,
            allow_irreversible: false,
        }
    }

    /// Allows downgrading past revisions marked irreversible (`--force`).
    pub fn allow_irreversible(mut self, allow: bool) -> Self {
        self.allow_irreversible = allow;
        self
    }
}

impl ScriptPlanner<'_> {
    /// The runner's steps for steps of the graph.
    pub(super) fn steps(
        &self,
        graph_steps: Vec<stratum_core::revision::PlanStep>,
    ) -> Result<Vec<Step>, BoxError> {
        let mut steps = Vec::with_capacity(graph_steps.len());
        for g in graph_steps {
            let revision = self.script.revision(&g.id)?;
            let file = self.script.file_name(&g.id)?.to_string();
            if g.direction == Direction::Down && revision.irreversible && !self.allow_irreversible {
                return Err(Box::new(IrreversibleDowngrade {
                    revision: g.id.clone(),
                    file,
                }));
            }
            let ops = match g.direction {
                Direction::Up => self.script.upgrade_ops(&g.id)?,
                Direction::Down => self.script.downgrade_ops(&g.id)?,
            };
            steps.push(Step {
                checksum: self.script.checksum(&g.id)?,
                message: revision.message.to_string(),
                transactional: revision.transactional,
                file,
                ops,
                id: g.id,
                direction: g.direction,
                heads_before: g.heads_before,
                heads_after: g.heads_after,
            });
        }
        Ok(steps)
    }
}

impl Planner for ScriptPlanner<'_> {
    fn plan(&self, current_heads: &[String]) -> Result<Plan, BoxError> {
        if let Some(plan) = super::replaced_plan::plan_from_replaced(self, current_heads)? {
            return Ok(plan);
        }
        let map = self.script.map();
        let graph_steps = match &self.goal {
            Goal::Upgrade(target) => map.plan_upgrade(current_heads, target)?,
            Goal::Downgrade(target) => map.plan_downgrade(current_heads, target)?,
        };
        Ok(Plan {
            start_schema: schema_at(self.script, current_heads)?,
            steps: self.steps(graph_steps)?,
        })
    }
}

/// `stamp` targets resolved in the revision graph: rows on unrelated branches
/// stay, rows related to a target are replaced by it, `base` clears the table.
/// Several targets are stamped one after the other (`stamp a b` records both
/// when they are on different branches).
#[derive(Debug, Clone)]
pub struct ScriptStamp<'s> {
    /// The versions directory.
    pub script: &'s Script,
    /// The targets (`head`, `heads`, `base`, an id, `label@head`, ...).
    pub targets: Vec<String>,
}

impl StampTarget for ScriptStamp<'_> {
    fn heads(&self, current_heads: &[String]) -> Result<Vec<String>, BoxError> {
        let mut heads = current_heads.to_vec();
        for target in &self.targets {
            heads = self.script.map().heads_for_stamp(&heads, target)?;
        }
        Ok(heads)
    }
}

/// The simulated schema of a database at `heads`: the upgrade ops of every
/// applied revision folded with `simulate::apply`, oldest first.
pub fn schema_at(script: &Script, heads: &[String]) -> Result<Schema, BoxError> {
    let map = match script.legacy() {
        Some(legacy) if !heads.is_empty() && heads.iter().all(|h| legacy.contains(h)) => legacy,
        _ => script.map(),
    };
    let mut schema = Schema::default();
    for id in map.applied(heads)? {
        for op in script.upgrade_ops(id)? {
            stratum_core::simulate::apply(&mut schema, &op)
                .map_err(|e| -> BoxError { format!("simulating revision {id}: {e}").into() })?;
        }
    }
    Ok(schema)
}

/// Every revision of the script with its checksum (replaced ones whose files are
/// still compiled in included), for the integrity checks.
pub fn known_revisions(script: &Script) -> Vec<KnownRevision> {
    script
        .all()
        .map(|r| KnownRevision {
            id: r.revision.id.to_string(),
            checksum: crate::script::checksum(r.source),
            file: r.file_name.to_string(),
        })
        .collect()
}

/// The heads an offline range starts from: `None` or `base` is an empty
/// database, anything else is resolved in the graph (`from` in `from:to`).
pub fn offline_start(script: &Script, from: Option<&str>) -> Result<Vec<String>, BoxError> {
    match from {
        None | Some("base") => Ok(Vec::new()),
        Some(from) => Ok(script
            .map()
            .resolve_str(from, &[])?
            .into_iter()
            .map(str::to_string)
            .collect()),
    }
}

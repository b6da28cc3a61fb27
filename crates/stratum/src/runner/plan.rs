//! What the runner executes: a plan of steps, each one revision applied in one
//! direction, computed by a planner from the database's current heads.

use stratum_core::ops::Op;
use stratum_core::schema::Schema;

pub use stratum_core::revision::Direction;

/// The word stored in the history table for a direction: `upgrade` or `downgrade`.
pub(crate) fn direction_word(direction: Direction) -> &'static str {
    match direction {
        Direction::Up => "upgrade",
        Direction::Down => "downgrade",
    }
}

/// Heads as text for messages: comma-separated, or `base` when there are none.
pub fn heads_or_base(heads: &[String]) -> String {
    if heads.is_empty() {
        "base".to_string()
    } else {
        heads.join(", ")
    }
}

/// One revision to apply in one direction, with everything the runner needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Revision id (at most 32 characters).
    pub id: String,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// The revision's one-line message.
    pub message: String,
    /// The revision's file name, for messages.
    pub file: String,
    /// The ops recorded by the revision's `upgrade` or `downgrade` function.
    pub ops: Vec<Op>,
    /// Checksum of the revision's source, recorded in the history table.
    pub checksum: String,
    /// Whether the step runs in one transaction with its version-table update.
    pub transactional: bool,
    /// Version-table rows before the step.
    pub heads_before: Vec<String>,
    /// Version-table rows after the step.
    pub heads_after: Vec<String>,
}

/// The steps from the database's current heads to a target.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// The schema at the current heads (all applied revisions folded with
    /// `simulate::apply`); the first step's ops are rendered against it.
    pub start_schema: Schema,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl Plan {
    /// Checks that the steps chain: the first starts at `current_heads` and each
    /// starts where the one before it ended (rows compared as sets).
    pub fn check_chain(&self, current_heads: &[String]) -> Result<(), ChainBreak> {
        let sorted = |v: &[String]| {
            let mut v = v.to_vec();
            v.sort();
            v.dedup();
            v
        };
        let mut at = sorted(current_heads);
        for step in &self.steps {
            if sorted(&step.heads_before) != at {
                return Err(ChainBreak {
                    direction: step.direction,
                    id: step.id.clone(),
                    starts_at: step.heads_before.clone(),
                    database_at: at,
                });
            }
            at = sorted(&step.heads_after);
        }
        Ok(())
    }
}

/// A plan whose steps do not chain (see [`Plan::check_chain`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "step {} {id} starts at {} but the database would be at {}",
    direction_word(*direction),
    heads_or_base(starts_at),
    heads_or_base(database_at)
)]
pub struct ChainBreak {
    /// Direction of the step that does not fit.
    pub direction: Direction,
    /// Revision id of that step.
    pub id: String,
    /// Version-table rows the step starts at.
    pub starts_at: Vec<String>,
    /// Version-table rows the database would be at (sorted, without duplicates).
    pub database_at: Vec<String>,
}

/// A revision the code knows, for the integrity checks run before migrating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownRevision {
    /// Revision id.
    pub id: String,
    /// Checksum of the revision's source as compiled.
    pub checksum: String,
    /// The revision's file name.
    pub file: String,
}

/// Computes a plan from the current heads (read under the migration lock). Called
/// again when the heads changed under a step, so it must be repeatable. `Sync`, so
/// that a run can be moved between threads.
pub trait Planner: Sync {
    /// The plan from `current_heads` to the target this planner was made for.
    fn plan(
        &self,
        current_heads: &[String],
    ) -> Result<Plan, Box<dyn std::error::Error + Send + Sync>>;
}

impl<F> Planner for F
where
    F: Fn(&[String]) -> Result<Plan, Box<dyn std::error::Error + Send + Sync>> + Sync,
{
    fn plan(
        &self,
        current_heads: &[String],
    ) -> Result<Plan, Box<dyn std::error::Error + Send + Sync>> {
        self(current_heads)
    }
}

/// Computes the rows `stamp` writes from the current rows (read under the lock;
/// empty when purging).
pub trait StampTarget: Sync {
    /// The version rows to write.
    fn heads(
        &self,
        current_heads: &[String],
    ) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>>;
}

/// Exactly these rows, whatever the current ones.
impl StampTarget for Vec<String> {
    fn heads(
        &self,
        _current_heads: &[String],
    ) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
        Ok(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(id: &str, before: &[&str], after: &[&str]) -> Step {
        Step {
            id: id.into(),
            direction: Direction::Up,
            message: String::new(),
            file: String::new(),
            ops: vec![],
            checksum: String::new(),
            transactional: true,
            heads_before: before.iter().map(|s| s.to_string()).collect(),
            heads_after: after.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn plans_must_chain_from_the_current_heads() {
        let plan = Plan {
            start_schema: Schema::default(),
            steps: vec![step("a", &[], &["a"]), step("b", &["a"], &["b"])],
        };
        assert!(plan.check_chain(&[]).is_ok());
        let err = plan
            .check_chain(&["x".to_string()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("upgrade a"), "{err}");
        let broken = Plan {
            start_schema: Schema::default(),
            steps: vec![step("a", &[], &["a"]), step("b", &["z"], &["b"])],
        };
        assert!(
            broken
                .check_chain(&[])
                .unwrap_err()
                .to_string()
                .contains("step upgrade b")
        );
    }
}

//! Revisions and the revision graph. Pure: no files, no database.
//!
//! [`Revision`] is the header a revision file declares. [`RevisionMap`] validates a
//! set of [`RevisionNode`]s into a graph, answers queries (heads, bases, ancestry,
//! history), resolves [`Target`]s such as `head`, `ae10`, `-2` or `label@head`
//! against the database's current heads, and plans upgrades, downgrades and stamps
//! as [`PlanStep`]s that carry the version table's rows before and after each step.
//!
//! ```
//! use stratum_core::revision::{Direction, RevisionMap, RevisionNode};
//!
//! let map = RevisionMap::new(vec![
//!     RevisionNode::new("001"),
//!     RevisionNode::new("002").revises(["001"]),
//! ])
//! .unwrap();
//! let plan = map.plan_upgrade(&[], "head").unwrap();
//! assert_eq!(plan.len(), 2);
//! assert_eq!(plan[1].direction, Direction::Up);
//! assert_eq!(plan[1].heads_before, ["001"]);
//! assert_eq!(plan[1].heads_after, ["002"]);
//! ```

pub mod draw;
mod error;
mod graph;
mod plan;
mod replaces;
mod target;
#[cfg(test)]
mod tests;

pub use error::GraphError;
pub use graph::{
    MAX_ID_LEN, RESERVED, RevisionMap, RevisionNode, branch_label_problem, validate_id,
};
pub use plan::{Direction, PlanStep};
pub use replaces::{Replaced, ReplacesError, split_replaced};
pub use target::Target;

/// The header of a revision file: identity, parents and options. Built in a
/// `const` so that it lives in the binary:
///
/// ```
/// use stratum_core::revision::Revision;
/// pub const REVISION: Revision = Revision::new("002")
///     .revises(&["6e6302f1ccb6"])
///     .message("Add composite index for acquisition datetime queries")
///     .created("2025-01-11 14:31:00");
/// assert_eq!(REVISION.down_revisions, &["6e6302f1ccb6"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revision {
    /// Revision id (at most 32 characters).
    pub id: &'static str,
    /// Parents: none for a root, two or more for a merge.
    pub down_revisions: &'static [&'static str],
    /// One-line message.
    pub message: &'static str,
    /// Creation time, `YYYY-MM-DD HH:MM:SS`.
    pub created: &'static str,
    /// Branch labels (usable as `label@head`).
    pub branch_labels: &'static [&'static str],
    /// Revisions that must be applied first without being parents.
    pub depends_on: &'static [&'static str],
    /// Runs inside a transaction with its version-table update (the default).
    pub transactional: bool,
    /// Its downgrade loses data: a downgrade past it needs `--force`.
    pub irreversible: bool,
    /// The revisions this baseline replaces (written by `squash`): a database at
    /// one of them finishes the replaced range, then is recorded at this revision.
    pub replaces: &'static [&'static str],
}

impl Revision {
    /// A root revision with that id.
    pub const fn new(id: &'static str) -> Self {
        Self {
            id,
            down_revisions: &[],
            message: "",
            created: "",
            branch_labels: &[],
            depends_on: &[],
            transactional: true,
            irreversible: false,
            replaces: &[],
        }
    }

    /// Sets the parents.
    pub const fn revises(mut self, parents: &'static [&'static str]) -> Self {
        self.down_revisions = parents;
        self
    }

    /// Sets the message.
    pub const fn message(mut self, message: &'static str) -> Self {
        self.message = message;
        self
    }

    /// Sets the creation time.
    pub const fn created(mut self, created: &'static str) -> Self {
        self.created = created;
        self
    }

    /// Sets branch labels.
    pub const fn branch_labels(mut self, labels: &'static [&'static str]) -> Self {
        self.branch_labels = labels;
        self
    }

    /// Sets `depends_on`.
    pub const fn depends_on(mut self, deps: &'static [&'static str]) -> Self {
        self.depends_on = deps;
        self
    }

    /// Runs outside a transaction (needed for `CREATE INDEX CONCURRENTLY`).
    pub const fn non_transactional(mut self) -> Self {
        self.transactional = false;
        self
    }

    /// Marks the downgrade as losing data.
    pub const fn irreversible(mut self) -> Self {
        self.irreversible = true;
        self
    }

    /// Declares the revisions this baseline replaces (see [`split_replaced`]).
    pub const fn replaces(mut self, ids: &'static [&'static str]) -> Self {
        self.replaces = ids;
        self
    }
}

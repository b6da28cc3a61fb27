//! Ops that have no online form, and the error that refuses them.

use thiserror::Error;

/// An op that would block writers for as long as it works, in a revision that
/// does not acknowledge it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "revision {revision}: op {op_number} ({op}) has no online form: {why}. \
     Expand/contract instead: {}. Or, to run it as written in online mode, \
     acknowledge it in the revision with `op.allow_blocking_online(\"why\")`",
    proposal.join("; then ")
)]
pub struct Refusal {
    /// Revision id.
    pub revision: String,
    /// 1-based position of the op in the revision.
    pub op_number: usize,
    /// The op, described.
    pub op: String,
    /// Which lock it takes and for how long.
    pub why: String,
    /// The expand/contract steps that reach the same end without the long lock.
    pub proposal: Vec<String>,
}

/// The expand/contract steps for changing a column that cannot change in place.
pub(crate) fn expand_contract(table: &str, column: &str, what: &str) -> Vec<String> {
    vec![
        format!("add a new nullable column to \"{table}\" with {what}"),
        format!(
            "backfill it in batches from \"{column}\" (and keep it in step with a trigger or the application)"
        ),
        "switch the readers and writers to the new column".to_string(),
        format!("drop \"{column}\" in a later revision"),
    ]
}

//! Errors of the revision graph: loading, target resolution and planning.

use std::fmt;

/// Joins ids for messages: `a, b, c`.
struct List<'a>(&'a [String]);

impl fmt::Display for List<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(none)");
        }
        f.write_str(&self.0.join(", "))
    }
}

fn list(ids: &[String]) -> List<'_> {
    List(ids)
}

fn cycle(ids: &[String]) -> String {
    let mut text = ids.join(" -> ");
    if let Some(first) = ids.first() {
        text.push_str(" -> ");
        text.push_str(first);
    }
    text
}

/// What went wrong in the revision graph. Variants carry revision ids; callers
/// that know files (the versions directory) add the file names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// A revision id is empty, too long, reserved, or has characters other than ASCII letters and digits.
    #[error("revision id {id:?} is invalid: {reason}; use 1 to 32 ASCII letters or digits")]
    InvalidId {
        /// The offending id.
        id: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Two revisions share an id.
    #[error("revision id {id} is used by more than one revision; give one of them a new id")]
    DuplicateId {
        /// The shared id.
        id: String,
    },
    /// A revision revises a revision that does not exist.
    #[error("revision {id} revises {parent}, which does not exist; fix its `revises` list")]
    MissingParent {
        /// The revision.
        id: String,
        /// The missing parent.
        parent: String,
    },
    /// A revision depends on a revision that does not exist.
    #[error(
        "revision {id} depends on {dependency}, which does not exist; fix its `depends_on` list"
    )]
    MissingDependency {
        /// The revision.
        id: String,
        /// The missing dependency.
        dependency: String,
    },
    /// A revision lists the same revision twice among its parents and dependencies.
    #[error("revision {id} lists {reference} more than once in `revises`/`depends_on`; keep one")]
    DuplicateReference {
        /// The revision.
        id: String,
        /// The repeated reference.
        reference: String,
    },
    /// Parents and dependencies form a cycle.
    #[error("revisions form a cycle: {}; one of them must not revise or depend on the next", cycle(.ids))]
    Cycle {
        /// The revisions on the cycle, each revising or depending on the next.
        ids: Vec<String>,
    },
    /// A branch label is empty, reserved, or not usable in a `label@head` target.
    #[error("revision {id} has an invalid branch label {label:?}: {reason}")]
    InvalidBranchLabel {
        /// The revision carrying the label.
        id: String,
        /// The label.
        label: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Two revisions carry the same branch label.
    #[error(
        "branch label {label:?} is declared by both {first} and {second}; a label names one branch"
    )]
    DuplicateBranchLabel {
        /// The label.
        label: String,
        /// The first revision declaring it.
        first: String,
        /// The second revision declaring it.
        second: String,
    },
    /// `head` was asked for while the graph has several heads.
    #[error(
        "multiple heads are present ({}); name one (an id or `label@head`), run `upgrade heads` to move every branch, or create a merge revision with `merge`",
        list(.heads)
    )]
    MultipleHeads {
        /// The heads.
        heads: Vec<String>,
    },
    /// An id prefix matches several revisions.
    #[error("{prefix:?} matches several revisions ({}); give more characters", list(.candidates))]
    AmbiguousPrefix {
        /// The prefix given.
        prefix: String,
        /// The matching ids.
        candidates: Vec<String>,
    },
    /// No revision, prefix or branch label matches.
    #[error(
        "no revision or branch label matches {target:?}; see `history` for the known revisions"
    )]
    UnknownRevision {
        /// What was asked for.
        target: String,
    },
    /// A target string that does not parse, or does not fit the command.
    #[error("invalid target {target:?}: {reason}")]
    InvalidTarget {
        /// The target.
        target: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A relative target walks past the base or past a head.
    #[error(
        "{target:?} asks for {requested} step(s) but only {available} are possible from there; use a smaller number{}",
        if *.available == 0 { " (nothing to move)" } else { "" }
    )]
    RelativeOutOfRange {
        /// The target.
        target: String,
        /// Steps asked for.
        requested: u64,
        /// Steps that exist in that direction.
        available: u64,
    },
    /// A relative target crosses a branch point or a merge, where the next step is not unique.
    #[error(
        "{target:?} is ambiguous: from {} the next step could be any of {}; name the revision instead",
        .from.as_deref().unwrap_or("base"),
        list(.candidates)
    )]
    AmbiguousWalk {
        /// The target.
        target: String,
        /// Where the walk stood (`None`: the base).
        from: Option<String>,
        /// The possible next revisions.
        candidates: Vec<String>,
    },
    /// A target relative to the current revision, while the database has several heads.
    #[error(
        "{target:?} is relative to the current revision, but there are several ({}); name a branch (`label@+N`, `label@-N`) or a starting revision (`<revision>+N`, `<revision>-N`)",
        list(.current)
    )]
    AmbiguousCurrentHeads {
        /// The target.
        target: String,
        /// The database's current heads.
        current: Vec<String>,
    },
    /// The database names a revision the graph does not have.
    #[error(
        "the database is at unknown revision {id} (newer code deployed, or a revision file removed?); deploy the code that has it, or `stamp` the database"
    )]
    UnknownCurrentRevision {
        /// The unknown id.
        id: String,
    },
    /// The database's version rows list a revision together with one of its ancestors.
    #[error(
        "the version table lists both {descendant} and its ancestor {ancestor}, which cannot both be current; if the schema is at {descendant}, repair the table with `stamp --purge {descendant}`"
    )]
    InconsistentCurrentHeads {
        /// The ancestor row.
        ancestor: String,
        /// The descendant row.
        descendant: String,
    },
    /// A downgrade target that is not applied to the database.
    #[error(
        "cannot downgrade to {target:?}: revision {id} is not applied (current heads: {}); a downgrade goes back to an applied revision",
        list(.current)
    )]
    NotApplied {
        /// The target as given.
        target: String,
        /// The revision it resolved to.
        id: String,
        /// The database's current heads.
        current: Vec<String>,
    },
    /// `label@rev` where the revision is not on that branch.
    #[error("revision {id} is not on branch {branch:?}")]
    NotInBranch {
        /// The branch label or revision naming the branch.
        branch: String,
        /// The revision.
        id: String,
    },
}

impl GraphError {
    /// The revision whose header causes a load error, so that a caller can name its file.
    /// `None` for errors about targets and the database.
    pub fn revision_id(&self) -> Option<&str> {
        match self {
            GraphError::InvalidId { id, .. }
            | GraphError::DuplicateId { id }
            | GraphError::MissingParent { id, .. }
            | GraphError::MissingDependency { id, .. }
            | GraphError::DuplicateReference { id, .. }
            | GraphError::InvalidBranchLabel { id, .. } => Some(id),
            GraphError::DuplicateBranchLabel { second, .. } => Some(second),
            GraphError::Cycle { ids } => ids.first().map(String::as_str),
            _ => None,
        }
    }

    /// All revisions a load error involves (both files of a duplicate, every member of a cycle).
    pub fn revision_ids(&self) -> Vec<&str> {
        match self {
            GraphError::DuplicateBranchLabel { first, second, .. } => vec![first, second],
            GraphError::Cycle { ids } => ids.iter().map(String::as_str).collect(),
            other => other.revision_id().into_iter().collect(),
        }
    }
}

//! Errors of the versions directory.

use super::naming::{FileNameError, TemplateError};
use std::path::PathBuf;
use stratum_core::revision::{Direction, GraphError};

fn file_prefix(files: &[String]) -> String {
    if files.is_empty() {
        String::new()
    } else {
        format!("{}: ", files.join(", "))
    }
}

/// What went wrong loading revisions or writing a new one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScriptError {
    /// The revision graph is invalid, or a target does not resolve. `files` names
    /// the revision files involved, when there are any.
    #[error("{}{error}", file_prefix(.files))]
    Graph {
        /// Files of the revisions involved.
        files: Vec<String>,
        /// The graph's error.
        error: GraphError,
    },
    /// A file name says one revision id, its header another.
    #[error(
        "{file}: the file name says revision {name_rev} but the header declares {header_rev}; rename the file or fix `Revision::new`"
    )]
    FileNameMismatch {
        /// The file.
        file: String,
        /// Id in the file name.
        name_rev: String,
        /// Id in the `REVISION` header.
        header_rev: String,
    },
    /// A file name does not follow the naming template.
    #[error(transparent)]
    Misnamed(#[from] FileNameError),
    /// A header field that does not parse.
    #[error("{file}: invalid revision header: {reason}")]
    InvalidHeader {
        /// The file.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// No revision with that id is loaded.
    #[error("no revision {id} is loaded")]
    UnknownRevision {
        /// The id asked for.
        id: String,
    },
    /// A revision's upgrade or downgrade function panicked while recording ops.
    #[error("{file}: the {direction} function panicked: {message}")]
    Panicked {
        /// The file.
        file: String,
        /// Which function.
        direction: Direction,
        /// The panic message.
        message: String,
    },
    /// The file name template does not render.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A new revision without `--head` while there are several heads.
    #[error(
        "there are several heads ({}); choose the parent of the new revision with --head, or merge the heads first",
        .heads.join(", ")
    )]
    MultipleHeads {
        /// The heads.
        heads: Vec<String>,
    },
    /// A new revision on a parent that is not a head, without `--splice`.
    #[error(
        "revision {id} is not a head; pass --splice to start a new branch from it, or base the new revision on a head"
    )]
    NotAHead {
        /// The parent asked for.
        id: String,
    },
    /// The chosen revision id is already used.
    #[error("revision id {id} is already used{}; choose another --rev-id", .file.as_ref().map(|f| format!(" by {f}")).unwrap_or_default())]
    RevisionIdTaken {
        /// The id.
        id: String,
        /// The file using it, when known.
        file: Option<String>,
    },
    /// A new branch label is unusable or already taken.
    #[error("branch label {label:?} cannot be used: {reason}")]
    BranchLabel {
        /// The label.
        label: String,
        /// Why not.
        reason: String,
    },
    /// A dependency that is already a parent.
    #[error(
        "{id} is both a parent and a dependency of the new revision; a parent is applied first anyway, drop it from --depends-on"
    )]
    DependencyIsParent {
        /// The revision.
        id: String,
    },
    /// A merge of fewer than two distinct revisions.
    #[error("a merge needs at least two distinct revisions, and {} resolve(s) to {}", .targets.join(" "), .resolved.join(", "))]
    MergeNeedsTwo {
        /// The targets given.
        targets: Vec<String>,
        /// What they resolved to.
        resolved: Vec<String>,
    },
    /// A merge of a revision with its own ancestor.
    #[error(
        "cannot merge {descendant} with its ancestor {ancestor}; merge revisions on separate branches"
    )]
    MergeOfRelated {
        /// The ancestor.
        ancestor: String,
        /// The descendant.
        descendant: String,
    },
    /// The target file already exists.
    #[error("{} already exists; a revision file is never overwritten", .path.display())]
    FileExists {
        /// The path.
        path: PathBuf,
    },
    /// Reading or writing the versions directory failed.
    #[error("{}: {error}", .path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
}

impl ScriptError {
    /// A graph error not tied to files (bad target, bad id).
    pub fn graph(error: GraphError) -> Self {
        ScriptError::Graph {
            files: Vec::new(),
            error,
        }
    }
}

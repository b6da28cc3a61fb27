//! Baselines that replace the oldest part of a chain (what `squash` writes).
//!
//! A baseline declares the ids it replaces. The graph that plans for new
//! databases holds the baseline instead of the replaced revisions: a reference to a
//! replaced id (a later revision's parent, a dependency) is read as a reference
//! to the baseline, so the revisions after the range need no edit. The replaced
//! revisions whose files are still present form a separate graph of their own,
//! which brings a database inside the range to its end before it is recorded at
//! the baseline.

use super::RevisionNode;
use std::collections::BTreeMap;

/// Baselines that contradict each other or the graph (see [`split_replaced`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplacesError {
    /// A baseline lists its own id.
    #[error("baseline {baseline} declares that it replaces itself")]
    ReplacesItself {
        /// The baseline.
        baseline: String,
    },
    /// Two baselines replace the same revision.
    #[error("revision {id} is replaced by two baselines, {first} and {second}")]
    TwoBaselines {
        /// The revision replaced twice.
        id: String,
        /// The first baseline that replaces it.
        first: String,
        /// The second one.
        second: String,
    },
    /// A baseline is itself among the ids another baseline replaces.
    #[error(
        "baseline {baseline} is itself replaced by {by}; a later baseline lists every id it replaces"
    )]
    BaselineReplaced {
        /// The replaced baseline.
        baseline: String,
        /// The baseline that replaces it.
        by: String,
    },
    /// A baseline has parents.
    #[error(
        "baseline {baseline} revises {}; a baseline replaces the chain from base and has no parent",
        parents.join(", ")
    )]
    BaselineHasParents {
        /// The baseline.
        baseline: String,
        /// Its parents.
        parents: Vec<String>,
    },
}

/// The nodes split by a set of baselines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replaced {
    /// Every node not replaced, references to replaced ids rewritten to their
    /// baseline.
    pub current: Vec<RevisionNode>,
    /// The replaced nodes still present, as declared.
    pub legacy: Vec<RevisionNode>,
    /// Each replaced id (present or not) and the baseline that replaces it.
    pub replaced_by: BTreeMap<String, String>,
}

fn remap(ids: &[String], replaced_by: &BTreeMap<String, String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        let id = replaced_by.get(id).unwrap_or(id);
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

/// Splits `nodes` by `baselines` (baseline id, ids it replaces). Refuses an id
/// replaced by two baselines, a baseline that replaces itself or another
/// baseline's replacement, and a baseline with parents (a baseline starts the
/// chain). Returns the first problem.
pub fn split_replaced(
    nodes: Vec<RevisionNode>,
    baselines: &[(String, Vec<String>)],
) -> Result<Replaced, ReplacesError> {
    let mut replaced_by: BTreeMap<String, String> = BTreeMap::new();
    for (baseline, ids) in baselines {
        for id in ids {
            if id == baseline {
                return Err(ReplacesError::ReplacesItself {
                    baseline: baseline.clone(),
                });
            }
            if let Some(first) = replaced_by.insert(id.clone(), baseline.clone()) {
                return Err(ReplacesError::TwoBaselines {
                    id: id.clone(),
                    first,
                    second: baseline.clone(),
                });
            }
        }
    }
    for (baseline, _) in baselines {
        if let Some(other) = replaced_by.get(baseline) {
            return Err(ReplacesError::BaselineReplaced {
                baseline: baseline.clone(),
                by: other.clone(),
            });
        }
        if let Some(node) = nodes.iter().find(|n| &n.id == baseline)
            && !node.down_revisions.is_empty()
        {
            return Err(ReplacesError::BaselineHasParents {
                baseline: baseline.clone(),
                parents: node.down_revisions.clone(),
            });
        }
    }
    let mut current = Vec::new();
    let mut legacy = Vec::new();
    for mut node in nodes {
        if replaced_by.contains_key(&node.id) {
            legacy.push(node);
            continue;
        }
        node.down_revisions = remap(&node.down_revisions, &replaced_by);
        let deps = remap(&node.depends_on, &replaced_by);
        node.depends_on = deps
            .into_iter()
            .filter(|d| !node.down_revisions.contains(d) && d != &node.id)
            .collect();
        current.push(node);
    }
    Ok(Replaced {
        current,
        legacy,
        replaced_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, parents: &[&str]) -> RevisionNode {
        RevisionNode::new(id).revises(parents.iter().copied())
    }

    fn baseline(id: &str, ids: &[&str]) -> (String, Vec<String>) {
        (id.to_string(), ids.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn later_revisions_hang_from_the_baseline() {
        let nodes = vec![
            node("a", &[]),
            node("b", &["a"]),
            node("c", &["b"]),
            node("z", &[]),
            RevisionNode::new("d").revises(["c"]).depends_on(["a"]),
        ];
        let split = split_replaced(nodes, &[baseline("z", &["a", "b", "c"])]).unwrap();
        let ids: Vec<&str> = split.current.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["z", "d"]);
        assert_eq!(split.current[1].down_revisions, ["z"]);
        assert!(
            split.current[1].depends_on.is_empty(),
            "a dependency on the range folds into the parent"
        );
        assert_eq!(split.legacy.len(), 3);
        assert_eq!(split.replaced_by["b"], "z");
        let map = crate::revision::RevisionMap::new(split.current).unwrap();
        assert_eq!(map.heads(), ["d"]);
        assert_eq!(map.bases(), ["z"]);
    }

    #[test]
    fn removed_files_stay_known_as_replaced() {
        let nodes = vec![node("z", &[]), node("d", &["c"])];
        let split = split_replaced(nodes, &[baseline("z", &["a", "b", "c"])]).unwrap();
        assert!(split.legacy.is_empty());
        assert_eq!(split.replaced_by["a"], "z");
        assert_eq!(split.current[1].down_revisions, ["z"]);
    }

    #[test]
    fn inconsistent_baselines_are_refused() {
        let nodes = vec![node("a", &[]), node("y", &[]), node("z", &[])];
        let err = split_replaced(
            nodes.clone(),
            &[baseline("y", &["a"]), baseline("z", &["a"])],
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("two baselines"), "{err}");
        let err = split_replaced(nodes.clone(), &[baseline("z", &["z"])])
            .unwrap_err()
            .to_string();
        assert!(err.contains("itself"), "{err}");
        let with_parent = vec![node("a", &[]), node("z", &["a"])];
        let err = split_replaced(with_parent, &[baseline("z", &["q"])])
            .unwrap_err()
            .to_string();
        assert!(err.contains("no parent"), "{err}");
    }
}

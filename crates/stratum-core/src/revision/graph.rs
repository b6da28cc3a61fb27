//! The revision graph: validated nodes in a deterministic topological order.

use super::{GraphError, Revision};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Longest allowed revision id (the width of Alembic's `version_num` column).
pub const MAX_ID_LEN: usize = stratum_ids::MAX_REVISION_ID_LEN;

/// Words that are targets, so cannot be revision ids or branch labels.
pub const RESERVED: &[&str] = stratum_ids::RESERVED_IDS;

/// One revision as the graph sees it: identity and edges, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RevisionNode {
    /// Revision id.
    pub id: String,
    /// Parents: none for a root, two or more for a merge.
    pub down_revisions: Vec<String>,
    /// Branch labels declared on this revision.
    pub branch_labels: Vec<String>,
    /// Revisions applied before this one without being its parents.
    pub depends_on: Vec<String>,
}

fn owned<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl RevisionNode {
    /// A root with that id.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// Sets the parents.
    pub fn revises<I, S>(mut self, parents: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.down_revisions = owned(parents);
        self
    }

    /// Sets the branch labels.
    pub fn branch_labels<I, S>(mut self, labels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.branch_labels = owned(labels);
        self
    }

    /// Sets the dependencies.
    pub fn depends_on<I, S>(mut self, deps: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.depends_on = owned(deps);
        self
    }
}

impl From<&Revision> for RevisionNode {
    fn from(rev: &Revision) -> Self {
        Self {
            id: rev.id.to_owned(),
            down_revisions: owned(rev.down_revisions.iter().copied()),
            branch_labels: owned(rev.branch_labels.iter().copied()),
            depends_on: owned(rev.depends_on.iter().copied()),
        }
    }
}

/// Checks a revision id: 1 to [`MAX_ID_LEN`] ASCII letters or digits, not a reserved word.
pub fn validate_id(id: &str) -> Result<(), GraphError> {
    stratum_ids::check_revision_id(id).map_err(|problem| GraphError::InvalidId {
        id: id.to_owned(),
        reason: match problem {
            stratum_ids::IdProblem::Reserved => format!("{id:?} is a reserved target word"),
            other => other.to_string(),
        },
    })
}

/// Why a branch label is unusable, if it is.
pub fn branch_label_problem(label: &str) -> Option<String> {
    if label.is_empty() {
        Some("it is empty".to_owned())
    } else if RESERVED.contains(&label) {
        Some("it is a reserved target word".to_owned())
    } else if let Some(c) = label
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == '.'))
    {
        Some(format!(
            "it contains {c:?}; use ASCII letters, digits, '_', '-' or '.'"
        ))
    } else if label.starts_with(['+', '-']) {
        Some("it starts with a sign".to_owned())
    } else {
        None
    }
}

/// A validated revision graph.
///
/// Nodes are kept in a deterministic topological order (ancestors first): among
/// revisions that are ready, a child of the revision just placed comes first (so a
/// branch is followed to its end), then the smallest id. Every query that returns
/// several revisions uses this order unless it says otherwise.
#[derive(Debug, Clone)]
pub struct RevisionMap {
    pub(super) nodes: Vec<RevisionNode>,
    pub(super) index: HashMap<String, usize>,
    /// Parent indexes (from `down_revisions`).
    pub(super) parents: Vec<Vec<usize>>,
    /// Dependency indexes (from `depends_on`).
    pub(super) deps: Vec<Vec<usize>>,
    /// Child indexes (revisions naming this one as a parent).
    pub(super) children: Vec<Vec<usize>>,
    /// Revisions depending on this one.
    pub(super) dependents: Vec<Vec<usize>>,
    /// Branch label to the index of the revision declaring it.
    pub(super) labels: BTreeMap<String, usize>,
}

impl RevisionMap {
    /// Validates the nodes and builds the graph. Rejects invalid and duplicate ids,
    /// missing parents and dependencies, references listed twice, cycles, and
    /// invalid or duplicate branch labels.
    pub fn new(nodes: Vec<RevisionNode>) -> Result<RevisionMap, GraphError> {
        let mut index: HashMap<String, usize> = HashMap::with_capacity(nodes.len());
        for (i, node) in nodes.iter().enumerate() {
            validate_id(&node.id)?;
            if index.insert(node.id.clone(), i).is_some() {
                return Err(GraphError::DuplicateId {
                    id: node.id.clone(),
                });
            }
        }
        let mut labels: BTreeMap<String, usize> = BTreeMap::new();
        for (i, node) in nodes.iter().enumerate() {
            let mut seen = BTreeSet::new();
            for parent in &node.down_revisions {
                if !index.contains_key(parent) {
                    return Err(GraphError::MissingParent {
                        id: node.id.clone(),
                        parent: parent.clone(),
                    });
                }
                if !seen.insert(parent) {
                    return Err(GraphError::DuplicateReference {
                        id: node.id.clone(),
                        reference: parent.clone(),
                    });
                }
            }
            for dep in &node.depends_on {
                if !index.contains_key(dep) {
                    return Err(GraphError::MissingDependency {
                        id: node.id.clone(),
                        dependency: dep.clone(),
                    });
                }
                if !seen.insert(dep) {
                    return Err(GraphError::DuplicateReference {
                        id: node.id.clone(),
                        reference: dep.clone(),
                    });
                }
            }
            for label in &node.branch_labels {
                let problem = branch_label_problem(label).or_else(|| {
                    index
                        .contains_key(label)
                        .then(|| "it is also a revision id".to_owned())
                });
                if let Some(reason) = problem {
                    return Err(GraphError::InvalidBranchLabel {
                        id: node.id.clone(),
                        label: label.clone(),
                        reason,
                    });
                }
                if let Some(&first) = labels.get(label) {
                    return Err(GraphError::DuplicateBranchLabel {
                        label: label.clone(),
                        first: nodes[first].id.clone(),
                        second: node.id.clone(),
                    });
                }
                labels.insert(label.clone(), i);
            }
        }

        let order = topological_order(&nodes, &index)?;
        // Re-index everything in topological order.
        let mut position = vec![0; nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            position[old] = new;
        }
        let mut slots: Vec<Option<RevisionNode>> = nodes.into_iter().map(Some).collect();
        let nodes: Vec<RevisionNode> = order
            .iter()
            .map(|&old| slots[old].take().expect("each index appears once"))
            .collect();
        let index: HashMap<String, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        let lookup = |ids: &[String]| -> Vec<usize> {
            let mut v: Vec<usize> = ids.iter().map(|id| index[id]).collect();
            v.sort_unstable();
            v
        };
        let parents: Vec<Vec<usize>> = nodes.iter().map(|n| lookup(&n.down_revisions)).collect();
        let deps: Vec<Vec<usize>> = nodes.iter().map(|n| lookup(&n.depends_on)).collect();
        let mut children = vec![Vec::new(); nodes.len()];
        let mut dependents = vec![Vec::new(); nodes.len()];
        for i in 0..nodes.len() {
            for &p in &parents[i] {
                children[p].push(i);
            }
            for &d in &deps[i] {
                dependents[d].push(i);
            }
        }
        let labels = labels
            .into_iter()
            .map(|(label, old)| (label, position[old]))
            .collect();
        Ok(RevisionMap {
            nodes,
            index,
            parents,
            deps,
            children,
            dependents,
            labels,
        })
    }

    /// Builds the graph from revision headers.
    pub fn from_revisions<'a, I>(revisions: I) -> Result<RevisionMap, GraphError>
    where
        I: IntoIterator<Item = &'a Revision>,
    {
        Self::new(revisions.into_iter().map(RevisionNode::from).collect())
    }

    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no revisions.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The revision with exactly that id.
    pub fn get(&self, id: &str) -> Option<&RevisionNode> {
        self.index.get(id).map(|&i| &self.nodes[i])
    }

    /// Whether a revision with exactly that id exists.
    pub fn contains(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// The revision that declares a branch label.
    pub fn branch_label(&self, label: &str) -> Option<&RevisionNode> {
        self.labels.get(label).map(|&i| &self.nodes[i])
    }

    /// All branch labels with the id of the revision declaring each, sorted by label.
    pub fn branch_labels(&self) -> impl Iterator<Item = (&str, &str)> {
        self.labels
            .iter()
            .map(|(label, &i)| (label.as_str(), self.nodes[i].id.as_str()))
    }

    /// Revisions in topological order, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &RevisionNode> + ExactSizeIterator {
        self.nodes.iter()
    }

    /// Revisions newest first (the reverse topological order), as `history` shows them.
    pub fn history(&self) -> Vec<&RevisionNode> {
        self.nodes.iter().rev().collect()
    }

    /// Revisions that are nobody's parent: the tips of branches. A revision that
    /// others only depend on is still a head.
    pub fn heads(&self) -> Vec<&str> {
        self.ids_where(|i| self.children[i].is_empty())
    }

    /// Revisions without parents.
    pub fn bases(&self) -> Vec<&str> {
        self.ids_where(|i| self.parents[i].is_empty())
    }

    /// Revisions with two or more children.
    pub fn branch_points(&self) -> Vec<&str> {
        self.ids_where(|i| self.children[i].len() >= 2)
    }

    /// Revisions with two or more parents.
    pub fn merge_points(&self) -> Vec<&str> {
        self.ids_where(|i| self.parents[i].len() >= 2)
    }

    /// Children (revisions naming it as a parent) of an exact id.
    pub fn children(&self, id: &str) -> Result<Vec<&str>, GraphError> {
        let i = self.exact(id)?;
        Ok(self.ids(&self.children[i]))
    }

    /// Every revision that must be applied before `id` (parents and dependencies,
    /// transitively), oldest first, without `id` itself.
    pub fn ancestors(&self, id: &str) -> Result<Vec<&str>, GraphError> {
        let i = self.exact(id)?;
        let mut set = self.ancestor_set(&[i]);
        set[i] = false;
        Ok(self.ids_in(&set))
    }

    /// Every revision that needs `id` (children and dependents, transitively),
    /// oldest first, without `id` itself.
    pub fn descendants(&self, id: &str) -> Result<Vec<&str>, GraphError> {
        let i = self.exact(id)?;
        let mut set = self.descendant_set(&[i]);
        set[i] = false;
        Ok(self.ids_in(&set))
    }

    /// Whether `ancestor` must be applied before `id` (and is not `id`).
    pub fn is_ancestor(&self, ancestor: &str, id: &str) -> Result<bool, GraphError> {
        let a = self.exact(ancestor)?;
        let i = self.exact(id)?;
        Ok(a != i && self.ancestor_set(&[i])[a])
    }

    pub(super) fn exact(&self, id: &str) -> Result<usize, GraphError> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| GraphError::UnknownRevision {
                target: id.to_owned(),
            })
    }

    pub(super) fn id(&self, i: usize) -> &str {
        &self.nodes[i].id
    }

    pub(super) fn ids(&self, indexes: &[usize]) -> Vec<&str> {
        indexes.iter().map(|&i| self.id(i)).collect()
    }

    pub(super) fn owned_ids(&self, indexes: &[usize]) -> Vec<String> {
        indexes.iter().map(|&i| self.id(i).to_owned()).collect()
    }

    fn ids_where(&self, keep: impl Fn(usize) -> bool) -> Vec<&str> {
        (0..self.nodes.len())
            .filter(|&i| keep(i))
            .map(|i| self.id(i))
            .collect()
    }

    pub(super) fn ids_in(&self, set: &[bool]) -> Vec<&str> {
        self.ids_where(|i| set[i])
    }

    /// The given revisions and everything they need (parents and dependencies).
    pub(super) fn ancestor_set(&self, from: &[usize]) -> Vec<bool> {
        let mut set = vec![false; self.nodes.len()];
        for &i in from {
            set[i] = true;
        }
        // Ancestors have smaller indexes: one sweep from the top is enough.
        for i in (0..self.nodes.len()).rev() {
            if set[i] {
                for &p in self.parents[i].iter().chain(&self.deps[i]) {
                    set[p] = true;
                }
            }
        }
        set
    }

    /// The given revisions and everything that needs them (children and dependents).
    pub(super) fn descendant_set(&self, from: &[usize]) -> Vec<bool> {
        let mut set = vec![false; self.nodes.len()];
        for &i in from {
            set[i] = true;
        }
        for i in 0..self.nodes.len() {
            if set[i] {
                for &c in self.children[i].iter().chain(&self.dependents[i]) {
                    set[c] = true;
                }
            }
        }
        set
    }

    /// The members of a set that nothing else in the set needs: what the version
    /// table holds for that set of applied revisions.
    pub(super) fn maximal(&self, set: &[bool]) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| {
                set[i]
                    && !self.children[i]
                        .iter()
                        .chain(&self.dependents[i])
                        .any(|&c| set[c])
            })
            .collect()
    }
}

/// Kahn's algorithm over parents and dependencies, preferring to continue the
/// branch just placed, then the smallest id. Returns original indexes in order, or
/// the cycle that blocks it.
fn topological_order(
    nodes: &[RevisionNode],
    index: &HashMap<String, usize>,
) -> Result<Vec<usize>, GraphError> {
    let n = nodes.len();
    let mut pending = vec![0usize; n];
    let mut needed_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, node) in nodes.iter().enumerate() {
        for p in &node.down_revisions {
            let p = index[p];
            pending[i] += 1;
            needed_by[p].push(i);
            children[p].push(i);
        }
        for d in &node.depends_on {
            let d = index[d];
            pending[i] += 1;
            needed_by[d].push(i);
        }
    }
    let by_id = |a: &usize, b: &usize| nodes[*a].id.cmp(&nodes[*b].id);
    let mut ready: BTreeSet<(&str, usize)> = (0..n)
        .filter(|&i| pending[i] == 0)
        .map(|i| (nodes[i].id.as_str(), i))
        .collect();
    let mut order = Vec::with_capacity(n);
    let mut last: Option<usize> = None;
    while !ready.is_empty() {
        let next = last
            .and_then(|l| {
                children[l]
                    .iter()
                    .copied()
                    .filter(|c| ready.contains(&(nodes[*c].id.as_str(), *c)))
                    .min_by(by_id)
            })
            .unwrap_or_else(|| ready.first().expect("not empty").1);
        ready.remove(&(nodes[next].id.as_str(), next));
        order.push(next);
        for &c in &needed_by[next] {
            pending[c] -= 1;
            if pending[c] == 0 {
                ready.insert((nodes[c].id.as_str(), c));
            }
        }
        last = Some(next);
    }
    if order.len() == n {
        return Ok(order);
    }
    // Every node left has an unplaced parent or dependency: follow them until one repeats.
    let placed: BTreeSet<usize> = order.into_iter().collect();
    let start = (0..n)
        .filter(|i| !placed.contains(i))
        .min_by(by_id)
        .expect("some node is unplaced");
    let mut path: Vec<usize> = Vec::new();
    let mut at = start;
    loop {
        if let Some(pos) = path.iter().position(|&p| p == at) {
            let ids = path[pos..].iter().map(|&i| nodes[i].id.clone()).collect();
            return Err(GraphError::Cycle { ids });
        }
        path.push(at);
        at = nodes[at]
            .down_revisions
            .iter()
            .chain(&nodes[at].depends_on)
            .map(|id| index[id])
            .filter(|i| !placed.contains(i))
            .min_by(by_id)
            .expect("an unplaced node has an unplaced predecessor");
    }
}

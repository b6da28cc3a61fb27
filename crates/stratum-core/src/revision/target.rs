//! Targets of `upgrade`, `downgrade` and `stamp`, and their resolution against
//! the graph and the database's current heads.

use super::{GraphError, RevisionMap};
use std::fmt;
use std::str::FromStr;

/// A parsed target. Parsing is syntactic; [`RevisionMap::resolve`] gives it meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `head`: the single head (an error if there are several).
    Head,
    /// `heads`: every head.
    Heads,
    /// `base`: before the first revision.
    Base,
    /// A full id, a unique id prefix, or a branch label (its declaring revision).
    Revision(String),
    /// `+N` / `-N`: relative to the database's current revision.
    Relative(i64),
    /// `rev+N` / `rev-N`: relative to a revision (`head-N`: to the single head;
    /// `base+N`: to the base).
    RevisionRelative {
        /// Id, prefix or branch label.
        from: String,
        /// Steps: positive up, negative down.
        delta: i64,
    },
    /// `label@head` / `rev@head`: the head of a branch.
    BranchHead(String),
    /// `label@+N` / `label@-N`: relative to the database's current revision on
    /// the branch labelled `label` (Alembic's meaning). Only a branch label may
    /// stand before `@` here: with a revision id, `rev@-1` reads as "the
    /// revision before rev" but would count from the current revision, so it is
    /// refused in favour of `rev-1`.
    BranchRelative {
        /// Branch label or revision naming the branch.
        branch: String,
        /// Steps: positive up, negative down.
        delta: i64,
    },
    /// `label@rev`: a revision, checked to be on the branch.
    BranchRevision {
        /// Branch label or revision naming the branch.
        branch: String,
        /// Id, prefix or label of the revision.
        revision: String,
    },
}

/// The error for a target that cannot be used, and why.
pub(super) fn invalid(target: &str, reason: impl Into<String>) -> GraphError {
    GraphError::InvalidTarget {
        target: target.to_owned(),
        reason: reason.into(),
    }
}

/// Parses `+N`/`-N` (N ≥ 1).
fn parse_delta(text: &str, whole: &str) -> Result<Option<i64>, GraphError> {
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Ok(None),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(whole, "a relative step is `+N` or `-N` with N ≥ 1"));
    }
    let n: i64 = digits
        .parse()
        .map_err(|_| invalid(whole, "the step count is too large"))?;
    if n == 0 {
        return Err(invalid(whole, "a relative step of 0 moves nowhere"));
    }
    Ok(Some(sign * n))
}

impl Target {
    /// Parses a target as typed on the command line.
    pub fn parse(text: &str) -> Result<Target, GraphError> {
        if text.is_empty() {
            return Err(invalid(text, "it is empty"));
        }
        if text.chars().any(char::is_whitespace) {
            return Err(invalid(text, "it contains whitespace"));
        }
        if text.contains(':') {
            return Err(invalid(
                text,
                "a range `FROM:TO` works only with `--sql`; against a database give the target alone, the run starts from the database's current revision",
            ));
        }
        match text {
            "head" => return Ok(Target::Head),
            "heads" => return Ok(Target::Heads),
            "base" => return Ok(Target::Base),
            _ => {}
        }
        if let Some(delta) = parse_delta(text, text)? {
            return Ok(Target::Relative(delta));
        }
        if let Some((branch, rest)) = text.split_once('@') {
            if branch.is_empty() || rest.is_empty() {
                return Err(invalid(
                    text,
                    "expected `label@head`, `label@+N` or `label@rev`",
                ));
            }
            if rest.contains('@') {
                return Err(invalid(text, "it has more than one '@'"));
            }
            let branch = branch.to_owned();
            return Ok(match rest {
                "head" => Target::BranchHead(branch),
                "heads" | "base" => {
                    return Err(invalid(
                        text,
                        format!(
                            "`label@{rest}` is not supported; use `label@head`, `label@-N` or a revision id"
                        ),
                    ));
                }
                _ => match parse_delta(rest, text)? {
                    Some(delta) => Target::BranchRelative { branch, delta },
                    None => Target::BranchRevision {
                        branch,
                        revision: rest.to_owned(),
                    },
                },
            });
        }
        if let Some(pos) = text.rfind(['+', '-']) {
            let from = &text[..pos];
            if let Some(delta) = parse_delta(&text[pos..], text)? {
                return Ok(Target::RevisionRelative {
                    from: from.to_owned(),
                    delta,
                });
            }
        }
        Ok(Target::Revision(text.to_owned()))
    }
}

impl FromStr for Target {
    type Err = GraphError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Target::parse(text)
    }
}

fn signed(delta: i64) -> String {
    if delta > 0 {
        format!("+{delta}")
    } else {
        delta.to_string()
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Head => f.write_str("head"),
            Target::Heads => f.write_str("heads"),
            Target::Base => f.write_str("base"),
            Target::Revision(rev) => f.write_str(rev),
            Target::Relative(delta) => f.write_str(&signed(*delta)),
            Target::RevisionRelative { from, delta } => write!(f, "{from}{}", signed(*delta)),
            Target::BranchHead(branch) => write!(f, "{branch}@head"),
            Target::BranchRelative { branch, delta } => write!(f, "{branch}@{}", signed(*delta)),
            Target::BranchRevision { branch, revision } => write!(f, "{branch}@{revision}"),
        }
    }
}

impl RevisionMap {
    /// Finds a revision by exact id, branch label (its declaring revision) or unique
    /// id prefix.
    pub fn lookup(&self, text: &str) -> Result<&str, GraphError> {
        self.lookup_index(text).map(|i| self.id(i))
    }

    pub(super) fn lookup_index(&self, text: &str) -> Result<usize, GraphError> {
        if let Some(&i) = self.index.get(text) {
            return Ok(i);
        }
        if let Some(&i) = self.labels.get(text) {
            return Ok(i);
        }
        let mut candidates: Vec<&str> = self
            .nodes
            .iter()
            .map(|n| n.id.as_str())
            .filter(|id| id.starts_with(text))
            .collect();
        match candidates.len() {
            0 => Err(GraphError::UnknownRevision {
                target: text.to_owned(),
            }),
            1 => Ok(self.index[candidates[0]]),
            _ => {
                candidates.sort_unstable();
                Err(GraphError::AmbiguousPrefix {
                    prefix: text.to_owned(),
                    candidates: candidates.into_iter().map(str::to_owned).collect(),
                })
            }
        }
    }

    /// Checks the database's current heads and returns their indexes (sorted, deduplicated).
    pub(super) fn current_indexes(&self, current: &[String]) -> Result<Vec<usize>, GraphError> {
        let mut out = Vec::with_capacity(current.len());
        for id in current {
            let i = self
                .index
                .get(id.as_str())
                .copied()
                .ok_or_else(|| GraphError::UnknownCurrentRevision { id: id.clone() })?;
            out.push(i);
        }
        out.sort_unstable();
        out.dedup();
        for &a in &out {
            for &d in &out {
                if a != d && self.ancestor_set(&[d])[a] {
                    return Err(GraphError::InconsistentCurrentHeads {
                        ancestor: self.id(a).to_owned(),
                        descendant: self.id(d).to_owned(),
                    });
                }
            }
        }
        Ok(out)
    }

    /// Resolves a target against the database's current heads. The result lists
    /// the revisions the target designates, oldest first; empty means `base`.
    pub fn resolve(
        &self,
        target: &Target,
        current_heads: &[String],
    ) -> Result<Vec<&str>, GraphError> {
        let indexes = self.resolve_indexes(target, current_heads)?;
        Ok(self.ids(&indexes))
    }

    /// Parses and resolves a target string; see [`RevisionMap::resolve`].
    pub fn resolve_str(
        &self,
        target: &str,
        current_heads: &[String],
    ) -> Result<Vec<&str>, GraphError> {
        self.resolve(&Target::parse(target)?, current_heads)
    }

    pub(super) fn resolve_indexes(
        &self,
        target: &Target,
        current: &[String],
    ) -> Result<Vec<usize>, GraphError> {
        let text = target.to_string();
        let heads: Vec<usize> = (0..self.len())
            .filter(|&i| self.children[i].is_empty())
            .collect();
        match target {
            Target::Base => Ok(Vec::new()),
            Target::Heads => Ok(heads),
            Target::Head => match heads.len() {
                0 | 1 => Ok(heads),
                _ => Err(GraphError::MultipleHeads {
                    heads: self.owned_ids(&heads),
                }),
            },
            Target::Revision(rev) => Ok(vec![self.lookup_index(rev)?]),
            Target::Relative(delta) => {
                let current = self.current_indexes(current)?;
                let start = match current.as_slice() {
                    [] => None,
                    [one] => Some(*one),
                    _ => {
                        return Err(GraphError::AmbiguousCurrentHeads {
                            target: text,
                            current: self.owned_ids(&current),
                        });
                    }
                };
                Ok(self.walk(&text, start, *delta, None)?.into_iter().collect())
            }
            // A branch label may itself look like `name-2`.
            Target::RevisionRelative { .. } if self.labels.contains_key(&text) => {
                Ok(vec![self.labels[&text]])
            }
            Target::RevisionRelative { from, delta } if from == "base" => {
                Ok(self.walk(&text, None, *delta, None)?.into_iter().collect())
            }
            Target::RevisionRelative { from, delta } if from == "head" || from == "heads" => {
                let start = match heads.as_slice() {
                    [one] => Some(*one),
                    [] => None,
                    _ => {
                        return Err(GraphError::MultipleHeads {
                            heads: self.owned_ids(&heads),
                        });
                    }
                };
                Ok(self.walk(&text, start, *delta, None)?.into_iter().collect())
            }
            Target::RevisionRelative { from, delta } => {
                let start = self.lookup_index(from)?;
                Ok(self
                    .walk(&text, Some(start), *delta, None)?
                    .into_iter()
                    .collect())
            }
            Target::BranchHead(branch) => {
                let root = self.lookup_index(branch)?;
                let below = self.descendant_set_by_parents(root);
                let tips: Vec<usize> = heads.into_iter().filter(|&h| below[h]).collect();
                match tips.len() {
                    1 => Ok(tips),
                    _ => Err(GraphError::MultipleHeads {
                        heads: self.owned_ids(&tips),
                    }),
                }
            }
            Target::BranchRelative { branch, delta } if !self.labels.contains_key(branch) => {
                // Resolve first, so that an unknown name says so.
                let id = self.id(self.lookup_index(branch)?).to_owned();
                Err(invalid(
                    &text,
                    format!(
                        "`{branch}` is not a branch label, and `REV@{d}` would count from the database's current revision on REV's branch, not from REV; write `{id}{d}` for the revision {n} {dir} {id}, or `{d}` to move from the current revision",
                        d = signed(*delta),
                        n = delta.unsigned_abs(),
                        dir = if *delta < 0 {
                            "step(s) before"
                        } else {
                            "step(s) after"
                        },
                    ),
                ))
            }
            Target::BranchRelative { branch, delta } => {
                let lineage = self.lineage(branch)?;
                let current = self.current_indexes(current)?;
                let applied = self.ancestor_set(&current);
                // The branch's current revision: its newest applied member.
                let mut on_branch = applied.clone();
                for (i, keep) in on_branch.iter_mut().enumerate() {
                    *keep &= lineage[i];
                }
                let start = match self.maximal_by_parents(&on_branch).as_slice() {
                    [] => None,
                    [one] => Some(*one),
                    several => {
                        return Err(GraphError::AmbiguousCurrentHeads {
                            target: text,
                            current: self.owned_ids(several),
                        });
                    }
                };
                Ok(self
                    .walk(&text, start, *delta, Some(&lineage))?
                    .into_iter()
                    .collect())
            }
            Target::BranchRevision { branch, revision } => {
                let lineage = self.lineage(branch)?;
                let i = self.lookup_index(revision)?;
                if !lineage[i] {
                    return Err(GraphError::NotInBranch {
                        branch: branch.clone(),
                        id: self.id(i).to_owned(),
                    });
                }
                Ok(vec![i])
            }
        }
    }

    /// Members of a set without a child in the set.
    fn maximal_by_parents(&self, set: &[bool]) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| set[i] && !self.children[i].iter().any(|&c| set[c]))
            .collect()
    }

    /// Descendants through parent edges only, including the start.
    fn descendant_set_by_parents(&self, from: usize) -> Vec<bool> {
        let mut set = vec![false; self.len()];
        set[from] = true;
        for i in from..self.len() {
            if set[i] {
                for &c in &self.children[i] {
                    set[c] = true;
                }
            }
        }
        set
    }

    /// The revisions of a branch: for a label, the labelled revision, its
    /// descendants, and its ancestors down to the nearest branch point or merge;
    /// for a revision, all its ancestors and descendants.
    pub(super) fn lineage(&self, branch: &str) -> Result<Vec<bool>, GraphError> {
        let root = self.lookup_index(branch)?;
        let mut set = self.descendant_set_by_parents(root);
        if self.labels.contains_key(branch) {
            let mut at = root;
            while let [parent] = self.parents[at].as_slice() {
                let parent = *parent;
                if self.children[parent].len() > 1 || self.parents[parent].len() > 1 {
                    break;
                }
                set[parent] = true;
                at = parent;
            }
        } else {
            for (i, a) in self.ancestor_set(&[root]).into_iter().enumerate() {
                set[i] |= a;
            }
        }
        Ok(set)
    }

    /// Walks `delta` steps from `start` (`None`: the base) through parent edges. Up
    /// steps stay inside `lineage` when one is given.
    fn walk(
        &self,
        text: &str,
        start: Option<usize>,
        delta: i64,
        lineage: Option<&[bool]>,
    ) -> Result<Option<usize>, GraphError> {
        let requested = delta.unsigned_abs();
        let mut at = start;
        for step in 0..requested {
            let candidates: Vec<usize> = if delta > 0 {
                let inside = |i: &usize| lineage.is_none_or(|l| l[*i]);
                match at {
                    Some(i) => self.children[i].iter().copied().filter(inside).collect(),
                    None => (0..self.len())
                        .filter(inside)
                        .filter(|&i| match lineage {
                            // The lowest members of the branch.
                            Some(l) => self.parents[i].iter().all(|&p| !l[p]),
                            None => self.parents[i].is_empty(),
                        })
                        .collect(),
                }
            } else {
                match at {
                    None => Vec::new(),
                    Some(i) if self.parents[i].is_empty() => {
                        at = None;
                        continue;
                    }
                    Some(i) => self.parents[i].clone(),
                }
            };
            match candidates.as_slice() {
                [] => {
                    return Err(GraphError::RelativeOutOfRange {
                        target: text.to_owned(),
                        requested,
                        available: step,
                    });
                }
                [one] => at = Some(*one),
                _ => {
                    return Err(GraphError::AmbiguousWalk {
                        target: text.to_owned(),
                        from: at.map(|i| self.id(i).to_owned()),
                        candidates: self.owned_ids(&candidates),
                    });
                }
            }
        }
        Ok(at)
    }
}

//! Planning: the ordered revisions an upgrade or downgrade runs, with the version
//! table's rows before and after each one, and the rows a `stamp` writes.
//!
//! The database's state is the set of applied revisions, which always holds
//! everything its members need. The version table holds one row per member that
//! no other member needs (through a parent or a dependency). Hence, as in Alembic:
//! upgrading a revision replaces those of its parents that are rows; a merge
//! replaces all its parents; a revision whose parent another branch has already
//! moved past adds a row; downgrading a merge restores its parents; downgrading one
//! side of a branch point removes a row when the other side still holds the shared
//! ancestor.

use super::target::invalid;
use super::{GraphError, RevisionMap, Target};
use std::fmt;

/// Which way a step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Apply the revision's upgrade.
    Up,
    /// Apply the revision's downgrade.
    Down,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Up => "upgrade",
            Direction::Down => "downgrade",
        })
    }
}

/// One revision to run, with the version table's rows (sorted ids) before and after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStep {
    /// The revision.
    pub id: String,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// Version rows before the step.
    pub heads_before: Vec<String>,
    /// Version rows after the step.
    pub heads_after: Vec<String>,
}

impl RevisionMap {
    /// Every revision the database has applied, given its version rows, oldest first.
    pub fn applied(&self, current_heads: &[String]) -> Result<Vec<&str>, GraphError> {
        let current = self.current_indexes(current_heads)?;
        Ok(self.ids_in(&self.ancestor_set(&current)))
    }

    /// Plans an upgrade from the database's current heads to a target: every
    /// revision the target needs that is not applied, ancestors first (dependencies
    /// before their dependents), each once. A target already applied gives an
    /// empty plan. `heads` upgrades every branch.
    pub fn plan_upgrade(
        &self,
        current_heads: &[String],
        target: &str,
    ) -> Result<Vec<PlanStep>, GraphError> {
        let parsed = Target::parse(target)?;
        if let Target::Relative(d) | Target::BranchRelative { delta: d, .. } = parsed
            && d < 0
        {
            return Err(invalid(
                target,
                "a negative step goes back; use `downgrade`",
            ));
        }
        let current = self.current_indexes(current_heads)?;
        let targets = self.resolve_indexes(&parsed, current_heads)?;
        let applied = self.ancestor_set(&current);
        let wanted = self.ancestor_set(&targets);
        let mut rows = Rows::new(self, applied);
        let mut steps = Vec::new();
        for (i, &want) in wanted.iter().enumerate() {
            if want && !rows.applied[i] {
                let heads_before = rows.ids();
                rows.add(self, i);
                steps.push(PlanStep {
                    id: self.id(i).to_owned(),
                    direction: Direction::Up,
                    heads_before,
                    heads_after: rows.ids(),
                });
            }
        }
        Ok(steps)
    }

    /// Plans a downgrade from the database's current heads to a target: every
    /// applied revision that needs the target (through parents or dependencies,
    /// on any branch), newest first. The target itself stays applied; `base`
    /// removes everything. The target must be applied. A branch-qualified target
    /// (`label@-1`, `label@rev`) removes revisions of that branch only, plus
    /// whatever needs them.
    pub fn plan_downgrade(
        &self,
        current_heads: &[String],
        target: &str,
    ) -> Result<Vec<PlanStep>, GraphError> {
        let parsed = Target::parse(target)?;
        if let Target::Relative(d) | Target::BranchRelative { delta: d, .. } = parsed
            && d > 0
        {
            return Err(invalid(
                target,
                "a positive step goes forward; use `upgrade`",
            ));
        }
        let current = self.current_indexes(current_heads)?;
        let targets = self.resolve_indexes(&parsed, current_heads)?;
        let applied = self.ancestor_set(&current);
        let mut removed: Vec<bool> = match targets.as_slice() {
            [] => applied.clone(),
            [keep] => {
                if !applied[*keep] {
                    return Err(GraphError::NotApplied {
                        target: target.to_owned(),
                        id: self.id(*keep).to_owned(),
                        current: self.owned_ids(&current),
                    });
                }
                let mut below = self.descendant_set(&[*keep]);
                below[*keep] = false;
                below.iter().zip(&applied).map(|(b, a)| *b && *a).collect()
            }
            several => {
                return Err(invalid(
                    target,
                    format!(
                        "a downgrade goes to one revision, and this names {}",
                        self.ids(several).join(", ")
                    ),
                ));
            }
        };
        // `label@-N` and `label@rev` move that branch only (and whatever needs it).
        if let Target::BranchRelative { branch, .. } | Target::BranchRevision { branch, .. } =
            &parsed
        {
            let lineage = self.lineage(branch)?;
            let on_branch: Vec<usize> = (0..self.len())
                .filter(|&i| removed[i] && lineage[i])
                .collect();
            let needing = self.descendant_set(&on_branch);
            removed = needing
                .iter()
                .zip(&applied)
                .map(|(n, a)| *n && *a)
                .collect();
        }
        let mut rows = Rows::new(self, applied);
        let mut steps = Vec::new();
        for i in (0..self.len()).rev() {
            if removed[i] {
                let heads_before = rows.ids();
                rows.remove(self, i);
                steps.push(PlanStep {
                    id: self.id(i).to_owned(),
                    direction: Direction::Down,
                    heads_before,
                    heads_after: rows.ids(),
                });
            }
        }
        Ok(steps)
    }

    /// The version rows (sorted ids) after `stamp target`, without running anything:
    /// rows on branches unrelated to the target stay, rows related to it (its
    /// ancestors or descendants) are replaced by it; `base` clears the table.
    /// Unknown current rows are an error: pass no current heads to start over.
    pub fn heads_for_stamp(
        &self,
        current_heads: &[String],
        target: &str,
    ) -> Result<Vec<String>, GraphError> {
        let parsed = Target::parse(target)?;
        let current = self.current_indexes(current_heads)?;
        let targets = self.resolve_indexes(&parsed, current_heads)?;
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        let above = self.ancestor_set(&targets);
        let below = self.descendant_set(&targets);
        let keep: Vec<usize> = current
            .into_iter()
            .filter(|&c| !above[c] && !below[c])
            .chain(targets)
            .collect();
        // Only rows that no other row needs: in an acyclic graph, the members of
        // the kept rows' ancestor set that nothing in that set needs are exactly
        // the kept rows that are no other kept row's ancestor.
        let mut rows = self.owned_ids(&self.maximal(&self.ancestor_set(&keep)));
        rows.sort();
        Ok(rows)
    }
}

/// The version rows of an applied set, kept up to date as revisions are added
/// (ancestors first) or removed (descendants first), so that planning N steps
/// costs O(N + edges) rather than recomputing the rows from the whole set at each
/// step.
struct Rows {
    /// The applied set.
    applied: Vec<bool>,
    /// For each revision, how many applied revisions name it as a parent or
    /// dependency; an applied revision is a row when this is zero.
    needed_by: Vec<usize>,
    /// The rows, as indexes ordered by id.
    rows: std::collections::BTreeSet<(String, usize)>,
}

impl Rows {
    fn new(map: &RevisionMap, applied: Vec<bool>) -> Rows {
        let mut needed_by = vec![0; map.len()];
        for i in (0..map.len()).filter(|&i| applied[i]) {
            for &p in map.parents[i].iter().chain(&map.deps[i]) {
                needed_by[p] += 1;
            }
        }
        let rows = map
            .maximal(&applied)
            .into_iter()
            .map(|i| (map.id(i).to_owned(), i))
            .collect();
        Rows {
            applied,
            needed_by,
            rows,
        }
    }

    /// Marks `i` applied; its parents and dependencies are applied already.
    fn add(&mut self, map: &RevisionMap, i: usize) {
        self.applied[i] = true;
        for &p in map.parents[i].iter().chain(&map.deps[i]) {
            self.needed_by[p] += 1;
            if self.needed_by[p] == 1 && self.applied[p] {
                self.rows.remove(&(map.id(p).to_owned(), p));
            }
        }
        if self.needed_by[i] == 0 {
            self.rows.insert((map.id(i).to_owned(), i));
        }
    }

    /// Marks `i` not applied; nothing applied needs it any more.
    fn remove(&mut self, map: &RevisionMap, i: usize) {
        self.applied[i] = false;
        self.rows.remove(&(map.id(i).to_owned(), i));
        for &p in map.parents[i].iter().chain(&map.deps[i]) {
            self.needed_by[p] -= 1;
            if self.needed_by[p] == 0 && self.applied[p] {
                self.rows.insert((map.id(p).to_owned(), p));
            }
        }
    }

    /// The rows' ids, sorted.
    fn ids(&self) -> Vec<String> {
        self.rows.iter().map(|(id, _)| id.clone()).collect()
    }
}

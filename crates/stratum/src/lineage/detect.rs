//! Which revision a live database is at, judged by its schema alone: every
//! revision's simulated schema (the revision and everything it needs, folded with
//! the simulator) is compared with the introspected one. Used when the version
//! table cannot be trusted: rows another tool left, a revision id this chain does
//! not have, a revision whose file was removed, no version table at all.

use super::LineageError;
use crate::runner::schema_at;
use crate::script::Script;
use stratum_core::dialect::{Dialect, normalize_for};
use stratum_core::diff::{Difference, diff, differences};
use stratum_core::ops::Op;
use stratum_core::schema::Schema;

/// One revision compared with the live database.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The revision id; `None` for base (no revision applied: an empty schema).
    pub id: Option<String>,
    /// What differs between the database and the revision's schema.
    pub differences: Vec<Difference>,
    /// The ops that would turn the database's schema into the revision's.
    pub ops: Vec<Op>,
    /// Position in the graph's topological order (base is 0, the first revision 1).
    pub position: usize,
}

impl Candidate {
    /// The id, or `base`.
    pub fn label(&self) -> &str {
        self.id.as_deref().unwrap_or("base")
    }

    /// Whether the database's schema equals this revision's.
    pub fn matches(&self) -> bool {
        self.differences.is_empty() && self.ops.is_empty()
    }

    /// How far the database is from this revision (0 for a match).
    pub fn distance(&self) -> usize {
        self.differences.len().max(self.ops.len())
    }
}

/// Every revision (and base) compared with a live schema.
#[derive(Debug, Clone)]
pub struct Detection {
    /// Every candidate, in the graph's order (base first).
    pub candidates: Vec<Candidate>,
}

impl Detection {
    /// The candidates whose schema equals the database's, oldest first.
    pub fn matches(&self) -> Vec<&Candidate> {
        self.candidates.iter().filter(|c| c.matches()).collect()
    }

    /// Up to `n` candidates nearest to the database, nearest first (ties: the
    /// newer revision first).
    pub fn closest(&self, n: usize) -> Vec<&Candidate> {
        let mut sorted: Vec<&Candidate> = self.candidates.iter().collect();
        sorted.sort_by_key(|c| (c.distance(), std::cmp::Reverse(c.position)));
        sorted.into_iter().take(n).collect()
    }
}

/// Compares `live` (introspected from a database of `dialect`) with base and with
/// the simulated schema at every revision of the script, replaced revisions whose
/// files are still compiled in included.
pub fn detect(script: &Script, live: &Schema, dialect: Dialect) -> Result<Detection, LineageError> {
    let compare = |id: Option<String>, position: usize, expected: &Schema| {
        let expected = normalize_for(dialect, expected);
        Candidate {
            id,
            differences: differences(live, &expected),
            ops: diff(live, &expected),
            position,
        }
    };
    let mut candidates = vec![compare(None, 0, &Schema::default())];
    // Replaced revisions still compiled in come first: they are older than any
    // revision of the graph.
    let legacy = script.legacy().into_iter().flat_map(|l| l.iter());
    for (i, node) in legacy.chain(script.map().iter()).enumerate() {
        let expected = schema_at(script, std::slice::from_ref(&node.id)).map_err(|e| {
            LineageError::Simulate {
                revision: node.id.clone(),
                reason: e.to_string(),
            }
        })?;
        candidates.push(compare(Some(node.id.clone()), i + 1, &expected));
    }
    Ok(Detection { candidates })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::EmbeddedRevision;
    use stratum_core::prelude::*;
    use stratum_core::revision::Revision;

    fn up_1(op: &mut Ops) {
        op.create_table("item")
            .column(col("id", integer()).primary_key())
            .column(col("name", text()).not_null());
    }
    fn up_2(op: &mut Ops) {
        op.add_column("item", col("price", integer()));
    }
    fn up_3(op: &mut Ops) {
        op.bulk_insert("item", serde_json::json!([{"id": 1, "name": "pen"}]));
    }
    fn nothing(_op: &mut Ops) {}

    static CHAIN: &[EmbeddedRevision] = &[
        EmbeddedRevision {
            revision: Revision::new("r1"),
            upgrade: up_1,
            downgrade: nothing,
            file_name: "r1.rs",
            source: "1",
        },
        EmbeddedRevision {
            revision: Revision::new("r2").revises(&["r1"]),
            upgrade: up_2,
            downgrade: nothing,
            file_name: "r2.rs",
            source: "2",
        },
        EmbeddedRevision {
            revision: Revision::new("r3").revises(&["r2"]),
            upgrade: up_3,
            downgrade: nothing,
            file_name: "r3.rs",
            source: "3",
        },
    ];

    fn schema_of(ids: &[&str]) -> Schema {
        let script = Script::load(CHAIN).unwrap();
        let heads: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        schema_at(&script, &heads).unwrap()
    }

    #[test]
    fn one_schema_one_revision() {
        let script = Script::load(CHAIN).unwrap();
        let found = detect(&script, &schema_of(&["r1"]), Dialect::Postgres).unwrap();
        let ids: Vec<&str> = found.matches().iter().map(|c| c.label()).collect();
        assert_eq!(ids, ["r1"]);
        let empty = detect(&script, &Schema::default(), Dialect::Sqlite).unwrap();
        let ids: Vec<&str> = empty.matches().iter().map(|c| c.label()).collect();
        assert_eq!(ids, ["base"]);
    }

    #[test]
    fn a_data_only_revision_matches_with_its_parent() {
        let script = Script::load(CHAIN).unwrap();
        let found = detect(&script, &schema_of(&["r2"]), Dialect::Postgres).unwrap();
        let ids: Vec<&str> = found.matches().iter().map(|c| c.label()).collect();
        assert_eq!(ids, ["r2", "r3"]);
    }

    #[test]
    fn no_match_names_the_closest_with_its_differences() {
        let script = Script::load(CHAIN).unwrap();
        let mut live = schema_of(&["r2"]);
        let mut extra = Ops::new();
        extra
            .create_table("stray")
            .column(col("id", integer()).primary_key());
        for op in extra.into_vec() {
            stratum_core::simulate::apply(&mut live, &op).unwrap();
        }
        let found = detect(&script, &live, Dialect::Postgres).unwrap();
        assert!(found.matches().is_empty());
        let closest = found.closest(2);
        // r2 and r3 are one table away; r3 is the newer.
        assert_eq!(closest[0].label(), "r3");
        assert_eq!(closest[1].label(), "r2");
        assert_eq!(closest[0].differences.len(), 1);
        assert!(closest[0].differences[0].object.contains("stray"));
        assert!(
            closest[0].ops[0].to_string().contains("stray"),
            "{}",
            closest[0].ops[0]
        );
    }
}

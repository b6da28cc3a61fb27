//! Helpers shared by the chain tests: the chain in plan order, recording ops, and
//! a readable difference between two schemas.

#![allow(dead_code)]

use smartem::migrations::REVISIONS;
use stratum::ops::{Op, Ops};
use stratum::revision::{Direction, RevisionMap};
use stratum::schema::Schema;
use stratum::script::EmbeddedRevision;
use stratum::simulate::apply_all;
pub use stratum_testkit::{schema_differences, schema_report};

/// The embedded revision with that id.
pub fn revision(id: &str) -> &'static EmbeddedRevision {
    REVISIONS
        .iter()
        .find(|r| r.revision.id == id)
        .unwrap_or_else(|| panic!("no embedded revision {id}"))
}

/// The embedded chain as a revision graph.
pub fn graph() -> RevisionMap {
    RevisionMap::from_revisions(REVISIONS.iter().map(|r| &r.revision))
        .unwrap_or_else(|e| panic!("the chain does not load as a revision graph: {e}"))
}

/// The revisions `upgrade head` runs on an empty database, in order.
pub fn upgrade_plan() -> Vec<&'static EmbeddedRevision> {
    let steps = graph().plan_upgrade(&[], "head").unwrap();
    assert!(steps.iter().all(|s| s.direction == Direction::Up));
    steps.iter().map(|s| revision(&s.id)).collect()
}

/// The revisions `downgrade base` runs from head, in order.
pub fn downgrade_plan() -> Vec<&'static EmbeddedRevision> {
    let map = graph();
    let heads: Vec<String> = map.heads().iter().map(|h| h.to_string()).collect();
    let steps = map.plan_downgrade(&heads, "base").unwrap();
    assert!(steps.iter().all(|s| s.direction == Direction::Down));
    steps.iter().map(|s| revision(&s.id)).collect()
}

/// The ops a revision function records.
pub fn record(f: fn(&mut Ops)) -> Vec<Op> {
    let mut ops = Ops::new();
    f(&mut ops);
    ops.into_vec()
}

/// Applies a revision's upgrade; panics naming the file when it does not apply.
pub fn upgrade(schema: &mut Schema, r: &EmbeddedRevision) {
    if let Err(e) = apply_all(schema, &record(r.upgrade)) {
        panic!("upgrade of {} does not apply: {e}", r.file_name);
    }
}

/// Applies a revision's downgrade; panics naming the file when it does not apply.
pub fn downgrade(schema: &mut Schema, r: &EmbeddedRevision) {
    if let Err(e) = apply_all(schema, &record(r.downgrade)) {
        panic!("downgrade of {} does not apply: {e}", r.file_name);
    }
}

/// The schema at head, folded from empty.
pub fn head() -> Schema {
    let mut schema = Schema::new();
    for r in upgrade_plan() {
        upgrade(&mut schema, r);
    }
    schema
}

/// Panics with a readable list of differences when the schemas differ.
#[track_caller]
pub fn assert_same_schema(a: &Schema, b: &Schema, names: (&str, &str), context: &str) {
    assert!(
        schema_differences(a, b, names).is_empty(),
        "{context}: {}",
        schema_report(a, b, names)
    );
}

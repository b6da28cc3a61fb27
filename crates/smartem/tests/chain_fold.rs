//! Folding the SmartEM chain through the simulator: every upgrade applies cleanly
//! from an empty schema, every downgrade undoes exactly its own upgrade, and the
//! full downgrade leaves nothing behind.

use std::collections::BTreeMap;

use smartem::migrations::REVISIONS;
use stratum::ops::{Op, Ops};
use stratum::schema::Schema;
use stratum::script::EmbeddedRevision;
use stratum::simulate::apply_all;

/// The revisions in chain order, root first (the chain's shape itself is checked
/// in `chain_graph.rs`).
fn chain() -> Vec<&'static EmbeddedRevision> {
    let by_parent: BTreeMap<Option<&str>, &EmbeddedRevision> = REVISIONS
        .iter()
        .map(|r| (r.revision.down_revisions.first().copied(), r))
        .collect();
    let mut order = Vec::new();
    let mut parent = None;
    while let Some(r) = by_parent.get(&parent) {
        order.push(*r);
        parent = Some(r.revision.id);
    }
    assert_eq!(order.len(), REVISIONS.len(), "the chain is not linear");
    order
}

fn record(f: fn(&mut Ops)) -> Vec<Op> {
    let mut ops = Ops::new();
    f(&mut ops);
    ops.into_vec()
}

fn upgrade(schema: &mut Schema, r: &EmbeddedRevision) {
    if let Err(e) = apply_all(schema, &record(r.upgrade)) {
        panic!("upgrade of {} does not apply: {e}", r.file_name);
    }
}

fn downgrade(schema: &mut Schema, r: &EmbeddedRevision) {
    if let Err(e) = apply_all(schema, &record(r.downgrade)) {
        panic!("downgrade of {} does not apply: {e}", r.file_name);
    }
}

/// The schema at head, folded from empty.
fn head() -> Schema {
    let mut schema = Schema::new();
    for r in chain() {
        upgrade(&mut schema, r);
    }
    schema
}

#[test]
fn upgrade_to_head_then_downgrade_to_base_leaves_an_empty_schema() {
    let mut schema = head();
    assert!(!schema.tables.is_empty());
    for r in chain().into_iter().rev() {
        downgrade(&mut schema, r);
    }
    assert!(
        schema.tables.is_empty() && schema.enums.is_empty() && schema.sequences.is_empty(),
        "left behind after downgrade to base: tables {:?}, enum types {:?}, sequences {:?}",
        schema.tables.keys().collect::<Vec<_>>(),
        schema.enums.keys().collect::<Vec<_>>(),
        schema.sequences.keys().collect::<Vec<_>>(),
    );
}

#[test]
fn each_downgrade_restores_the_schema_its_upgrade_started_from() {
    let mut schema = Schema::new();
    for r in chain() {
        let before = schema.normalized();
        upgrade(&mut schema, r);
        let mut undone = schema.clone();
        downgrade(&mut undone, r);
        assert_eq!(
            undone.normalized(),
            before,
            "downgrade of {} does not undo its upgrade exactly",
            r.file_name
        );
    }
}

#[test]
fn head_has_the_reference_tables_and_enum_types() {
    let schema = head();
    let mut tables: Vec<&str> = schema.tables.keys().map(String::as_str).collect();
    tables.retain(|t| *t != "user_preferences");
    assert_eq!(tables.len(), 26, "tables at head: {tables:?}");
    assert_eq!(
        schema.enums.keys().collect::<Vec<_>>(),
        [
            "acquisitionstatus",
            "foilholestatus",
            "gridsquarestatus",
            "gridstatus",
            "micrographstatus"
        ]
    );
    let named_indexes: usize = schema
        .tables
        .values()
        .filter(|t| t.name != "user_preferences")
        .map(|t| t.indexes.len())
        .sum();
    // The reference's 35 named indexes plus the two of revision 002.
    assert_eq!(named_indexes, 35 + 2);
}

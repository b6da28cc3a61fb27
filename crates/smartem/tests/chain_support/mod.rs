//! Helpers shared by the chain tests: the chain in plan order, recording ops, and
//! a readable difference between two schemas.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use smartem::migrations::REVISIONS;
use stratum::ops::{Op, Ops};
use stratum::revision::{Direction, RevisionMap};
use stratum::schema::{Schema, Table};
use stratum::script::EmbeddedRevision;
use stratum::simulate::apply_all;

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

fn keyed_diff<K: Ord + Debug, V: PartialEq + Debug>(
    out: &mut Vec<String>,
    what: &str,
    left: &BTreeMap<K, V>,
    right: &BTreeMap<K, V>,
    names: (&str, &str),
) {
    let keys: BTreeSet<&K> = left.keys().chain(right.keys()).collect();
    for k in keys {
        match (left.get(k), right.get(k)) {
            (Some(_), None) => out.push(format!("{what} {k:?}: only in {}", names.0)),
            (None, Some(_)) => out.push(format!("{what} {k:?}: only in {}", names.1)),
            (Some(a), Some(b)) if a != b => out.push(format!(
                "{what} {k:?} differs:\n      {}: {a:?}\n      {}: {b:?}",
                names.0, names.1
            )),
            _ => {}
        }
    }
}

fn table_diff(out: &mut Vec<String>, a: &Table, b: &Table, names: (&str, &str)) {
    let mut lines = Vec::new();
    let cols = |t: &Table| -> BTreeMap<String, _> {
        t.columns
            .iter()
            .map(|c| (c.name.clone(), c.clone()))
            .collect()
    };
    keyed_diff(&mut lines, "column", &cols(a), &cols(b), names);
    let order = |t: &Table| t.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    if lines.is_empty() && order(a) != order(b) {
        lines.push(format!(
            "column order differs:\n      {}: {:?}\n      {}: {:?}",
            names.0,
            order(a),
            names.1,
            order(b)
        ));
    }
    if a.primary_key != b.primary_key {
        lines.push(format!(
            "primary key differs:\n      {}: {:?}\n      {}: {:?}",
            names.0, a.primary_key, names.1, b.primary_key
        ));
    }
    keyed_diff(
        &mut lines,
        "foreign key",
        &a.foreign_keys,
        &b.foreign_keys,
        names,
    );
    keyed_diff(&mut lines, "index", &a.indexes, &b.indexes, names);
    keyed_diff(
        &mut lines,
        "unique constraint",
        &a.uniques,
        &b.uniques,
        names,
    );
    keyed_diff(&mut lines, "check constraint", &a.checks, &b.checks, names);
    for line in lines {
        out.push(format!("table {:?}: {line}", a.name));
    }
}

/// Every difference between two schemas (compared in normal form), one line per
/// difference; empty when they are equal.
pub fn schema_differences(a: &Schema, b: &Schema, names: (&str, &str)) -> Vec<String> {
    let (a, b) = (a.normalized(), b.normalized());
    let mut out = Vec::new();
    keyed_diff(&mut out, "enum type", &a.enums, &b.enums, names);
    keyed_diff(&mut out, "sequence", &a.sequences, &b.sequences, names);
    let tables: BTreeSet<&String> = a.tables.keys().chain(b.tables.keys()).collect();
    for t in tables {
        match (a.tables.get(t), b.tables.get(t)) {
            (Some(_), None) => out.push(format!("table {t:?}: only in {}", names.0)),
            (None, Some(_)) => out.push(format!("table {t:?}: only in {}", names.1)),
            (Some(x), Some(y)) => table_diff(&mut out, x, y, names),
            (None, None) => unreachable!(),
        }
    }
    if out.is_empty() && a != b {
        out.push("the schemas differ in a way this report does not itemize".into());
    }
    out
}

/// Panics with a readable list of differences when the schemas differ.
#[track_caller]
pub fn assert_same_schema(a: &Schema, b: &Schema, names: (&str, &str), context: &str) {
    let diffs = schema_differences(a, b, names);
    assert!(
        diffs.is_empty(),
        "{context}: {} difference(s):\n  - {}",
        diffs.len(),
        diffs.join("\n  - ")
    );
}

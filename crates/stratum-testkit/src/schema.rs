//! Schema helpers for tests: a readable report of how two schemas differ, for
//! assertion messages ([`schema_report`]), and the ops that build a schema from
//! empty ([`create_ops`]).
//!
//! The product's own report (`stratum_core::diff::differences`) is not used here:
//! it ignores column order and compares defaults by meaning, so it can be empty for
//! two schemas that `==` tells apart. This one compares every part with `==`/`Debug`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use stratum_core::dialect::Dialect;
use stratum_core::diff::create_all;
use stratum_core::ops::Op;
use stratum_core::schema::{Schema, Table};

/// Ops that build `schema` in an empty database of `dialect` (sequences only
/// where the dialect has them: not on SQLite).
pub fn create_ops(schema: &Schema, dialect: Dialect) -> Vec<Op> {
    let sequences = dialect.capabilities().sequences;
    create_all(schema)
        .into_iter()
        .filter(|op| sequences || !matches!(op, Op::CreateSequence(_)))
        .collect()
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

/// [`schema_differences`] as an assertion message: the count, then one difference a
/// line. When the schemas are equal in normal form but not as given, says so and
/// shows the tables that differ as given.
pub fn schema_report(a: &Schema, b: &Schema, names: (&str, &str)) -> String {
    let mut diffs = schema_differences(a, b, names);
    if diffs.is_empty() && a != b {
        diffs.push("the schemas are equal in normal form, not as given".into());
        if a.enums != b.enums {
            diffs.push(format!(
                "enum types:\n      {}: {:?}\n      {}: {:?}",
                names.0, a.enums, names.1, b.enums
            ));
        }
        if a.sequences != b.sequences {
            diffs.push(format!(
                "sequences:\n      {}: {:?}\n      {}: {:?}",
                names.0, a.sequences, names.1, b.sequences
            ));
        }
        let tables: BTreeSet<&String> = a.tables.keys().chain(b.tables.keys()).collect();
        for t in tables {
            let (x, y) = (a.tables.get(t), b.tables.get(t));
            if x != y {
                diffs.push(format!(
                    "table {t:?}:\n      {}: {x:#?}\n      {}: {y:#?}",
                    names.0, names.1
                ));
            }
        }
    }
    format!(
        "{} difference(s):\n  - {}",
        diffs.len(),
        diffs.join("\n  - ")
    )
}

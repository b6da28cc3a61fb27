//! The schema model's JSON form (serde), as written by `schema --format json`
//! and `diff --format json` and read back by tools and tests.
//!
//! Properties: nothing panics; a schema that reads prints as JSON that reads
//! back to the same schema; normal form is idempotent; and for a schema that
//! keeps the model's invariants (every map keyed by its value's name, distinct
//! column names, keys and indexes over at least one existing column,
//! `stratum::model::validate` passes), it has no differences from itself and
//! the differ plans nothing between it and itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::{BTreeMap, BTreeSet};
use stratum_core::diff::{diff, differences};
use stratum_core::schema::Schema;

fn keyed<T>(map: &BTreeMap<String, T>, name: impl Fn(&T) -> &str) -> bool {
    map.iter().all(|(k, v)| k == name(v))
}

/// Whether the schema keeps the invariants of every schema the engine builds.
fn consistent(schema: &Schema) -> bool {
    let tables = schema.tables.values().all(|t| {
        let mut names = BTreeSet::new();
        let distinct = t.columns.iter().all(|c| names.insert(c.name.as_str()));
        let lists = t
            .primary_key
            .iter()
            .map(|k| &k.columns)
            .chain(t.foreign_keys.values().map(|k| &k.columns))
            .chain(t.indexes.values().map(|k| &k.columns))
            .chain(t.uniques.values().map(|k| &k.columns));
        let mut lists = lists;
        distinct
            && lists.all(|cols| !cols.is_empty())
            && keyed(&t.foreign_keys, |k| &k.name)
            && keyed(&t.indexes, |k| &k.name)
            && keyed(&t.uniques, |k| &k.name)
            && keyed(&t.checks, |k| &k.name)
    });
    tables
        && keyed(&schema.tables, |t| &t.name)
        && keyed(&schema.enums, |e| &e.name)
        && keyed(&schema.sequences, |s| &s.name)
        && stratum::model::validate(schema).is_ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(schema) = serde_json::from_slice::<Schema>(data) else {
        return;
    };
    let text = serde_json::to_string(&schema).expect("a schema serializes");
    let back: Schema = serde_json::from_str(&text).expect("printed JSON reads back");
    assert_eq!(back, schema);

    let normal = schema.normalized();
    assert_eq!(normal.normalized(), normal, "normal form is not idempotent");
    if consistent(&schema) {
        let found = differences(&schema, &schema);
        assert!(found.is_empty(), "a schema differs from itself: {found:?}");
        let ops = diff(&normal, &normal);
        assert!(ops.is_empty(), "a schema differs from itself by {ops:?}");
    }
});

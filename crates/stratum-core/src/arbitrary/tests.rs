use super::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use std::collections::BTreeSet;

/// Every op kind is generated for some generated schema.
#[test]
fn arb_op_covers_every_op_kind() {
    let mut runner = TestRunner::deterministic();
    let mut seen = BTreeSet::new();
    for _ in 0..400 {
        let schema = arb_schema().new_tree(&mut runner).unwrap().current();
        for _ in 0..20 {
            let op = arb_op(&schema).new_tree(&mut runner).unwrap().current();
            seen.insert(op.kind_name());
        }
    }
    let all = Op::KIND_NAMES;
    let missing: Vec<_> = all.iter().filter(|k| !seen.contains(*k)).collect();
    assert!(missing.is_empty(), "never generated: {missing:?}");
    let unlisted: Vec<_> = seen.iter().filter(|k| !all.contains(k)).collect();
    assert!(
        unlisted.is_empty(),
        "missing from Op::KIND_NAMES: {unlisted:?}"
    );
}

/// The primary key of an autoincrement column is never dropped: SQLite cannot
/// autoincrement a column without its single-column `INTEGER PRIMARY KEY`.
#[test]
fn arb_op_keeps_the_key_of_an_autoincrement_column() {
    use crate::schema::{AutoIncrement, Column, PrimaryKey, Table, UniqueConstraint};
    let mut t = Table::new("t");
    let mut id = Column::new("id", ColumnType::Integer);
    id.nullable = false;
    id.auto_increment = Some(AutoIncrement::Serial);
    t.columns = vec![id, Column::new("v", ColumnType::Integer)];
    t.primary_key = Some(PrimaryKey {
        name: "t_pkey".into(),
        columns: vec!["id".into()],
    });
    t.uniques.insert(
        "t_v_key".into(),
        UniqueConstraint {
            name: "t_v_key".into(),
            columns: vec!["v".into()],
        },
    );
    let mut schema = Schema::new();
    schema.insert_table(t);
    let mut runner = TestRunner::deterministic();
    let mut drops = 0;
    for _ in 0..2000 {
        let op = arb_op(&schema).new_tree(&mut runner).unwrap().current();
        if let Op::DropConstraint { name, .. } = &op {
            assert_ne!(name, "t_pkey", "dropped the key of a serial column");
            drops += 1;
        }
    }
    assert!(drops > 0, "no constraint was dropped at all");
}

/// Generated schemas use every portable column type, foreign keys, indexes and
/// constraints.
#[test]
fn arb_schema_covers_the_model() {
    let mut runner = TestRunner::deterministic();
    let mut types = BTreeSet::new();
    let (mut fks, mut idx, mut uq, mut ck, mut serial, mut enums) = (0, 0, 0, 0, 0, 0);
    for _ in 0..300 {
        let s = arb_schema().new_tree(&mut runner).unwrap().current();
        assert_eq!(s, s.normalized());
        enums += s.enums.len();
        for t in s.tables.values() {
            for c in &t.columns {
                types.insert(match &c.ty {
                    ColumnType::Enum(_) => "enum".to_string(),
                    ty => ty.to_string(),
                });
                serial += usize::from(c.auto_increment.is_some());
            }
            fks += t.foreign_keys.len();
            idx += t.indexes.len();
            uq += t.uniques.len();
            ck += t.checks.len();
        }
    }
    assert_eq!(types.len(), base_types().len() + 1, "types seen: {types:?}");
    for (what, n) in [
        ("fk", fks),
        ("index", idx),
        ("unique", uq),
        ("check", ck),
        ("serial", serial),
        ("enum", enums),
    ] {
        assert!(n > 10, "too few {what}: {n}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Names of generated objects are plain identifiers (no quoting needed).
    #[test]
    fn generated_names_are_plain(s in arb_schema()) {
        use crate::expr::is_plain_identifier;
        for t in s.tables.values() {
            prop_assert!(is_plain_identifier(&t.name), "{}", t.name);
            for c in &t.columns {
                prop_assert!(is_plain_identifier(&c.name), "{}", c.name);
            }
        }
        for e in s.enums.keys() {
            prop_assert!(is_plain_identifier(e), "{e}");
        }
    }

    /// No table of a generated history has two keys over the same columns (which
    /// PostgreSQL would fold into one in CREATE TABLE, and which would make the key
    /// behind a foreign key ambiguous).
    #[test]
    fn generated_keys_are_never_redundant((_, end) in arb_schema().prop_flat_map(|s| arb_history(&s, 6))) {
        for t in end.tables.values() {
            let mut sets: Vec<BTreeSet<&String>> = Vec::new();
            let keys = t.primary_key.iter().map(|pk| &pk.columns)
                .chain(t.uniques.values().map(|u| &u.columns))
                .chain(t.indexes.values().filter(|i| i.unique && i.predicate.is_none()).map(|i| &i.columns));
            for cols in keys {
                let set: BTreeSet<&String> = cols.iter().collect();
                prop_assert!(!sets.contains(&set), "table {} has two keys on {:?}", t.name, set);
                sets.push(set);
            }
        }
    }

    /// A generated history applies op by op and keeps the schema in normal form.
    #[test]
    fn generated_histories_apply((start, ops, end) in arb_schema().prop_flat_map(|s| {
        let start = s.clone();
        arb_history(&s, 5).prop_map(move |(ops, end)| (start.clone(), ops, end))
    })) {
        prop_assert_eq!(ops.len(), 5);
        let mut s = start;
        crate::simulate::apply_all(&mut s, &ops).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&s, &end);
        prop_assert_eq!(&s, &s.normalized());
    }
}

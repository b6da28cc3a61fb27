//! Folding the SmartEM chain through the simulator: every upgrade applies cleanly
//! from an empty schema, every downgrade undoes exactly its own upgrade, and the
//! full downgrade leaves nothing behind.

mod chain_support;

use chain_support::{assert_same_schema, downgrade, downgrade_plan, head, upgrade, upgrade_plan};
use smartem::migrations::REVISIONS;
use stratum::schema::Schema;

#[test]
fn upgrade_to_head_then_downgrade_to_base_leaves_an_empty_schema() {
    let mut schema = head();
    assert!(!schema.tables.is_empty());
    let plan = downgrade_plan();
    assert_eq!(plan.len(), REVISIONS.len());
    for r in plan {
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
    for r in upgrade_plan() {
        let before = schema.normalized();
        upgrade(&mut schema, r);
        let mut undone = schema.clone();
        downgrade(&mut undone, r);
        assert_same_schema(
            &before,
            &undone,
            ("before the upgrade", "after upgrade and downgrade"),
            &format!(
                "downgrade of {} does not undo its upgrade exactly",
                r.file_name
            ),
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

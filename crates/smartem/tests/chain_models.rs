//! The chain and the models agree: folding every revision from an empty schema
//! gives exactly the schema the SmartEM models declare, so a drift check at head
//! has nothing to report.

mod chain_support;

use chain_support::{assert_same_schema, head, schema_differences};

#[test]
fn folded_head_equals_the_models_target_schema() {
    assert_same_schema(
        &smartem::model::target_schema(),
        &head(),
        ("the models", "the chain at head"),
        "the revision chain and the SmartEM models disagree",
    );
}

#[test]
fn the_difference_report_names_what_differs() {
    // Guard for the report itself: a head missing one column is reported as such.
    let mut head = head();
    head.table_mut("micrograph")
        .unwrap()
        .columns
        .retain(|c| c.name != "updated_at");
    let diffs = schema_differences(
        &smartem::model::target_schema(),
        &head,
        ("the models", "the chain"),
    );
    assert!(
        diffs.iter().any(|d| d.contains("\"micrograph\"")
            && d.contains("\"updated_at\"")
            && d.contains("only in the models")),
        "{diffs:#?}"
    );
}

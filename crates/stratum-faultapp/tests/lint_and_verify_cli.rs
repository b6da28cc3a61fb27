//! `lint` and `verify` through the binary: text and JSON output, acknowledged
//! findings, exit codes.

mod common;

use common::{Bin, Run, command};
use serde_json::Value;

fn run(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("x.db").display());
    Run::from_output(
        command(Bin::Good, dir.path(), &url)
            .args(args)
            .output()
            .unwrap(),
    )
}

#[test]
fn lint_shows_acknowledged_findings_and_passes() {
    let r = run(&["lint"]);
    r.assert_code(0)
        .assert_mentions("fa0000000006")
        .assert_mentions("warning (acknowledged) [drop-data] column audit.reason is dropped")
        .assert_mentions("op 1: drop column audit.reason")
        .assert_mentions("why: ")
        .assert_mentions("safer: ")
        .assert_mentions("0 error(s), 0 warning(s), 1 acknowledged");

    let r = run(&["lint", "--format", "json"]);
    r.assert_code(0);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["errors"], 0);
    assert_eq!(doc["acknowledged"], 1);
    assert_eq!(doc["revisions"].as_array().unwrap().len(), 6);
    let f = &doc["revisions"][5]["findings"][0];
    assert_eq!(f["rule"], "drop-data");
    assert_eq!(f["acknowledged"], true);
    assert_eq!(f["op"], "drop column audit.reason");

    let r = run(&["lint", "fa0000000002:fa0000000003", "--format", "json"]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["revisions"].as_array().unwrap().len(), 2);
    run(&["lint", "nope"])
        .assert_code(2)
        .assert_mentions("nope");
}

#[test]
fn verify_on_sqlite_passes_and_names_the_irreversible_revision() {
    let r = run(&["verify"]);
    r.assert_code(0)
        .assert_mentions("ok   fa0000000005")
        .assert_mentions("fa0000000006 (irreversible: upgrade checked, not downgraded)");
    let r = run(&["verify", "fa0000000004:", "--format", "json"]);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["ok"], true);
    assert_eq!(
        doc["passed"],
        serde_json::json!(["fa0000000004", "fa0000000005"])
    );
}

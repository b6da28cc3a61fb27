//! `lint` through the CLI entry point: an unacknowledged error-level finding
//! makes it exit 1, an acknowledged one does not.

use std::process::ExitCode;
use stratum::prelude::*;
use stratum::script::EmbeddedRevision;
use stratum_cli::config::AppNames;
use stratum_cli::{App, run_from};

fn base_up(op: &mut Ops) {
    op.create_table("item")
        .column(col("id", integer()).primary_key());
}
fn base_down(op: &mut Ops) {
    op.drop_table("item");
}
fn not_null_up(op: &mut Ops) {
    op.add_column("item", col("qty", integer()).not_null());
}
fn not_null_down(op: &mut Ops) {
    op.drop_column("item", "qty");
}

static UNACKNOWLEDGED: [EmbeddedRevision; 2] = [
    EmbeddedRevision {
        revision: Revision::new("a1"),
        upgrade: base_up,
        downgrade: base_down,
        file_name: "a1.rs",
        source: "",
    },
    EmbeddedRevision {
        revision: Revision::new("b2").revises(&["a1"]),
        upgrade: not_null_up,
        downgrade: not_null_down,
        file_name: "b2.rs",
        source: "",
    },
];

static ACKNOWLEDGED: [EmbeddedRevision; 2] = [
    UNACKNOWLEDGED[0],
    EmbeddedRevision {
        source: "// lint: allow(add-not-null-column-without-default)\n// empty table\n",
        ..UNACKNOWLEDGED[1]
    },
];

fn lint(revisions: &'static [EmbeddedRevision]) -> String {
    let app = App {
        name: "lint-test",
        revisions,
        versions_dir: ".",
        target_schema: None,
        names: AppNames::STRATUM,
    };
    format!("{:?}", run_from(app, ["lint-test", "lint", "--quiet"]))
}

#[test]
fn unacknowledged_errors_fail_and_acknowledged_ones_pass() {
    assert_eq!(lint(&UNACKNOWLEDGED), format!("{:?}", ExitCode::from(1)));
    assert_eq!(lint(&ACKNOWLEDGED), format!("{:?}", ExitCode::SUCCESS));
}

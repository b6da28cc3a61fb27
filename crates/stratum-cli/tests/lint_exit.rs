//! `lint` through the CLI entry point: an unacknowledged error-level finding
//! makes it exit 1, an acknowledged one does not; the dialect comes from
//! `--dialect`, else from the database URL (not connected to), and picks the rules.

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
    lint_with(revisions, &[])
}

fn lint_with(revisions: &'static [EmbeddedRevision], extra: &[&str]) -> String {
    let app = App {
        name: "lint-test",
        revisions,
        versions_dir: ".",
        target_schema: None,
        names: AppNames::STRATUM,
    };
    let mut args = vec!["lint-test"];
    args.extend_from_slice(extra);
    args.extend(["lint", "--quiet"]);
    format!("{:?}", run_from(app, args))
}

/// The MariaDB/MySQL form of the NOT NULL rule is acknowledged; the PostgreSQL
/// one is not.
static ACKNOWLEDGED_FOR_MYSQL: [EmbeddedRevision; 2] = [
    UNACKNOWLEDGED[0],
    EmbeddedRevision {
        source: "// lint: allow(not-null-column-implicit-default)\n// zero is right here\n",
        ..UNACKNOWLEDGED[1]
    },
];

#[test]
fn the_dialect_from_the_flag_or_the_url_picks_the_rules() {
    let fail = format!("{:?}", ExitCode::from(1));
    let ok = format!("{:?}", ExitCode::SUCCESS);
    let mysql_url = ["--url", "mysql://app@127.0.0.1:1/nowhere"];
    // Nothing listens on port 1: lint does not connect.
    assert_eq!(lint_with(&ACKNOWLEDGED_FOR_MYSQL, &mysql_url), ok);
    assert_eq!(lint_with(&UNACKNOWLEDGED, &mysql_url), fail);
    assert_eq!(lint_with(&ACKNOWLEDGED, &mysql_url), fail);
    let mariadb_url = ["--url", "mariadb://app@127.0.0.1:1/nowhere"];
    assert_eq!(lint_with(&ACKNOWLEDGED_FOR_MYSQL, &mariadb_url), ok);
    let pg_url = ["--url", "postgresql://app@127.0.0.1:1/nowhere"];
    assert_eq!(lint_with(&ACKNOWLEDGED_FOR_MYSQL, &pg_url), fail);
    assert_eq!(lint_with(&ACKNOWLEDGED, &pg_url), ok);
    // `--dialect` wins over the URL.
    let app = App {
        name: "lint-test",
        revisions: &ACKNOWLEDGED_FOR_MYSQL,
        versions_dir: ".",
        target_schema: None,
        names: AppNames::STRATUM,
    };
    let code = run_from(
        app,
        [
            "lint-test",
            "--url",
            pg_url[1],
            "lint",
            "--quiet",
            "--dialect",
            "mysql",
        ],
    );
    assert_eq!(format!("{code:?}"), ok);
    // An unknown dialect is a usage error.
    assert_eq!(
        lint_with(&ACKNOWLEDGED, &["lint", "--dialect", "oracle"]),
        format!("{:?}", ExitCode::from(2))
    );
}

#[test]
fn unacknowledged_errors_fail_and_acknowledged_ones_pass() {
    assert_eq!(lint(&UNACKNOWLEDGED), format!("{:?}", ExitCode::from(1)));
    assert_eq!(lint(&ACKNOWLEDGED), format!("{:?}", ExitCode::SUCCESS));
}

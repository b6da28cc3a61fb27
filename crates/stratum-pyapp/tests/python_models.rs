//! SQLAlchemy/SQLModel metadata as the models, through the binary: the exporter's
//! JSON for the fixture, `check --models python:...` against the chain that builds
//! the same schema, one difference for each single change to the Python models,
//! the revision `revision --autogenerate --models python:...` writes for it, and
//! the errors that name what to fix. The fixture is `tests/python/pyfixture`; its
//! packages are installed into a venv under the target directory (see `common`).

mod common;

use common::{SOURCE, fixture_dir, pyapp, ran, venv_python};
use serde_json::Value;
use std::path::Path;
use stratum::python::EXPORTER;

/// Each single change the fixture can make (`PYFIXTURE_CHANGE`), with the one
/// difference `check` must report for it.
const CHANGES: &[(&str, &str)] = &[
    ("add_column", "column project.budget: only in the models"),
    (
        "drop_column",
        "column sample.comment: only in the revisions",
    ),
    (
        "change_type",
        "column sample.ratio: type differs: revisions double precision, models real",
    ),
    (
        "make_nullable",
        "column sample.label: nullability differs: revisions NOT NULL, models NULL",
    ),
    (
        "server_default",
        "column sample.price: default differs: revisions none, models '1.50'",
    ),
    ("add_table", "table comment: only in the models"),
    (
        "add_index",
        "index ix_sample_weight on sample: only in the models",
    ),
    ("enum_value", "enum type phase: labels differs"),
    (
        "fk_action",
        "foreign key sample_project_id_fkey on sample: definition differs",
    ),
    (
        "add_check",
        "check constraint ck_sample_weight on sample: only in the models",
    ),
    (
        "add_unique",
        "unique constraint uq_sample_uid on sample: only in the models",
    ),
];

/// The exporter's document for `pyfixture.models:attr`, run as the engine runs
/// it, without the SQLAlchemy version (which moves with the installed package).
fn exported(python: &Path, attr: &str) -> Value {
    let out = std::process::Command::new(python)
        .arg("-c")
        .arg(EXPORTER)
        .args(["pyfixture.models", attr])
        .env("PYTHONPATH", fixture_dir())
        .env_remove("PYFIXTURE_CHANGE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["schema"]
        .as_object_mut()
        .unwrap()
        .remove("sqlalchemy")
        .expect("the exporter names the SQLAlchemy version");
    doc
}

#[test]
fn exporter_json_is_the_expected_schema() {
    let Some(python) = venv_python() else { return };
    insta::assert_json_snapshot!("sqlmodel_metadata", exported(&python, "SQLModel.metadata"));
    insta::assert_json_snapshot!("naming_conventions", exported(&python, "conventions"));
}

fn check(dir: &Path, python: &Path, change: Option<&str>) -> common::Ran {
    let mut cmd = pyapp(dir);
    cmd.args(["check", "--no-database", "--models", SOURCE, "--python"])
        .arg(python);
    if let Some(c) = change {
        cmd.env("PYFIXTURE_CHANGE", c);
    }
    ran(&mut cmd)
}

#[test]
fn check_finds_the_python_models_in_sync_with_the_revisions() {
    let Some(python) = venv_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let r = check(dir.path(), &python, None);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(
        r.stdout.trim(),
        format!("revisions at head vs {SOURCE}: in sync")
    );
}

#[test]
fn each_single_change_is_one_difference() {
    let Some(python) = venv_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (change, expected) in CHANGES {
        let r = check(dir.path(), &python, Some(change));
        assert_eq!(r.code, 1, "{change}: {}{}", r.stdout, r.stderr);
        let found: Vec<&str> = r
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix("  - "))
            .collect();
        assert_eq!(found.len(), 1, "{change}: {}", r.stdout);
        assert!(found[0].starts_with(expected), "{change}: {}", found[0]);
    }
}

fn copy_versions(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/versions");
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// The ops `diff` prints between two sources, as JSON.
fn diff_ops(dir: &Path, python: &Path, change: &str, from: &str, to: &str) -> Vec<Value> {
    let r = ran(pyapp(dir)
        .args([
            "diff", "--format", "json", "--from", from, "--to", to, "--python",
        ])
        .arg(python)
        .env("PYFIXTURE_CHANGE", change));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    doc["ops"].as_array().unwrap().clone()
}

#[test]
fn autogenerate_writes_the_revision_that_closes_each_difference() {
    let Some(python) = venv_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (change, _) in CHANGES {
        let versions = dir.path().join(change);
        copy_versions(&versions);
        let r = ran(pyapp(dir.path())
            .args(["--format", "json", "--versions-dir"])
            .arg(&versions)
            .args([
                "revision",
                "--autogenerate",
                "-m",
                change,
                "--models",
                SOURCE,
            ])
            .arg("--python")
            .arg(&python)
            .env("PYFIXTURE_CHANGE", change));
        assert_eq!(r.code, 0, "{change}: {}{}", r.stdout, r.stderr);
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(doc["down_revisions"], serde_json::json!(["5a1e00000002"]));
        let ops = doc["ops"].as_array().unwrap().clone();
        assert!(!ops.is_empty(), "{change}");
        // The revision holds exactly the changes from head to the Python models.
        assert_eq!(ops, diff_ops(dir.path(), &python, change, "head", SOURCE));
        let file = std::fs::read_to_string(doc["file"].as_str().unwrap()).unwrap();
        assert!(file.contains(".revises(&[\"5a1e00000002\"])"), "{file}");
        assert!(file.contains("pub fn upgrade(op: &mut Ops)"), "{file}");
    }
    // Without a change, nothing is generated.
    let versions = dir.path().join("unchanged");
    copy_versions(&versions);
    let again = ran(pyapp(dir.path())
        .arg("--versions-dir")
        .arg(&versions)
        .args([
            "revision",
            "--autogenerate",
            "-m",
            "none",
            "--models",
            SOURCE,
        ])
        .arg("--python")
        .arg(&python));
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.starts_with("No changes"), "{}", again.stdout);
}

#[test]
fn diff_takes_python_sources_on_either_side() {
    let Some(python) = venv_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    assert!(diff_ops(dir.path(), &python, "", "head", SOURCE).is_empty());
    let there = diff_ops(dir.path(), &python, "add_table", "head", SOURCE);
    let back = diff_ops(dir.path(), &python, "add_table", SOURCE, "head");
    assert_eq!((there.len(), back.len()), (1, 1), "{there:?} {back:?}");
    assert!(there[0].as_str().unwrap().contains("comment"), "{there:?}");
}

/// The errors name what to fix, with the usage exit code (2).
#[test]
fn errors_name_what_to_fix() {
    let Some(python) = venv_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let models = |spec: &str, py: &str| {
        ran(pyapp(dir.path()).args(["check", "--no-database", "--models", spec, "--python", py]))
    };
    let py = python.to_str().unwrap();
    let cases: &[(&str, &str, &str)] = &[
        (
            "python:pyfixture.models:SQLModel.metadata",
            "/nonexistent/python3",
            "no Python interpreter `/nonexistent/python3` could be run",
        ),
        (
            "python:pyfixture.missing:metadata",
            py,
            "cannot import the module `pyfixture.missing`: ModuleNotFoundError: No module named 'pyfixture.missing'",
        ),
        (
            "python:pyfixture.broken:metadata",
            py,
            "cannot import the module `pyfixture.broken`: ZeroDivisionError: division by zero",
        ),
        (
            "python:pyfixture.models:Nothing.metadata",
            py,
            "module pyfixture.models has no attribute Nothing",
        ),
        (
            "python:pyfixture.models:CHANGES",
            py,
            "pyfixture.models:CHANGES is a list, not a MetaData",
        ),
        (
            "python:pyfixture.unmapped:metadata",
            py,
            "column place.shape has the type pyfixture.unmapped.Shape",
        ),
        (
            "pyfixture.models:metadata",
            py,
            "is not a Python model source",
        ),
    ];
    for (spec, interpreter, expected) in cases {
        let r = models(spec, interpreter);
        assert_eq!(r.code, 2, "{spec}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(expected), "{spec}: {}", r.stderr);
    }
    // --models belongs to autogenerate; a plain revision refuses it, writing nothing.
    let versions = dir.path().join("plain");
    copy_versions(&versions);
    let r = ran(pyapp(dir.path())
        .arg("--versions-dir")
        .arg(&versions)
        .args(["revision", "-m", "plain", "--models", SOURCE]));
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("--models applies to `revision --autogenerate` only")
    );
    assert_eq!(std::fs::read_dir(&versions).unwrap().count(), 2);
    // Without SQLAlchemy: the system interpreter of a fresh venv has none.
    let bare = dir.path().join("bare");
    let made = std::process::Command::new(py)
        .args(["-m", "venv", "--without-pip"])
        .arg(&bare)
        .status()
        .unwrap();
    assert!(made.success());
    let r = models(SOURCE, bare.join("bin/python").to_str().unwrap());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot import SQLAlchemy"),
        "{}",
        r.stderr
    );
    // Python-side defaults are nothing to the schema: the fixture's `note` column
    // has one, and the models are in sync without it (see the in-sync test); the
    // exported column has no server default.
    let doc = exported(&python, "SQLModel.metadata");
    let note = doc["schema"]["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "sample")
        .unwrap()["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "note")
        .unwrap()
        .clone();
    assert_eq!(note["server_default"], Value::Null);
}

/// The Python models against a real PostgreSQL database built by the chain: `check`
/// with a database finds all three in sync, `diff` finds nothing; and for each
/// single change, the SQL `diff --sql` prints for it brings the database to the
/// changed Python models.
#[tokio::test]
async fn python_models_match_a_postgres_database_and_each_change_closes_on_it() {
    let Some(python) = venv_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db_diff = |url: &str, change: &str, sql: bool| {
        let mut cmd = pyapp(dir.path());
        cmd.args(["diff", "--format", "json", "--from", url, "--to", SOURCE])
            .arg("--python")
            .arg(&python)
            .env("PYFIXTURE_CHANGE", change);
        if sql {
            cmd.arg("--sql");
        }
        let r = ran(&mut cmd);
        assert_eq!(r.code, 0, "{change}: {}{}", r.stdout, r.stderr);
        serde_json::from_str::<Value>(&r.stdout).unwrap()
    };
    for (n, (change, _)) in CHANGES.iter().enumerate() {
        let Some(db) = stratum_testkit::TestDb::postgres().await else {
            return;
        };
        let up = ran(pyapp(dir.path()).args(["--url", db.url(), "upgrade", "head"]));
        assert_eq!(up.code, 0, "{}", up.stderr);
        if n == 0 {
            let same = db_diff(db.url(), "", false);
            assert_eq!(same["ops"], serde_json::json!([]), "{same}");
            let r = ran(pyapp(dir.path())
                .args(["--url", db.url(), "check", "--models", SOURCE, "--python"])
                .arg(&python));
            assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
            assert_eq!(r.stdout.matches("in sync").count(), 2, "{}", r.stdout);
        }
        let changed = db_diff(db.url(), change, true);
        let statements = changed["sql"].as_array().unwrap();
        assert!(!statements.is_empty(), "{change}: {changed}");
        let mut conn = stratum::db::Connection::connect(db.url()).await.unwrap();
        for st in statements {
            conn.execute(st.as_str().unwrap())
                .await
                .unwrap_or_else(|e| panic!("{change}: {st}: {e}"));
        }
        conn.close().await.unwrap();
        let after = db_diff(db.url(), change, false);
        assert_eq!(after["ops"], serde_json::json!([]), "{change}: {after}");
    }
}

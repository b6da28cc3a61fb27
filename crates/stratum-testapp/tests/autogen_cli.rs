//! `check`, `diff` and `revision --autogenerate` through the binary, on every
//! backend: a database changed by hand is reported difference by difference, and
//! the revision generated from it brings the models' schema back.

mod common;

use common::{Fixture, bin_in};
use std::path::{Path, PathBuf};
use stratum::codegen::generate;
use stratum::db::Connection;
use stratum::dialect::render_all;
use stratum::prelude::*;
use stratum_testkit::each_database;

fn copy_versions(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/versions");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn versions_copy(f: &Fixture, name: &str) -> PathBuf {
    let dir = f.dir.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    copy_versions(&dir);
    dir
}

fn files(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// Changes made outside the revisions: an extra column, a dropped index, another
/// default. Rendered for the database's dialect, as a person would type them.
/// Returns whether the database keeps the unique index as a unique key.
async fn change_by_hand(f: &Fixture) -> bool {
    let mut conn = Connection::connect(f.db.url()).await.unwrap();
    let before = f.schema().await;
    let mut op = Ops::new();
    op.add_column("note", col("extra", text()));
    // A unique index is kept as a unique key where the database has no unique
    // index of its own (MariaDB): dropped the way it reads back.
    let unique_key = before.tables["account"]
        .uniques
        .contains_key("ix_account_email");
    if unique_key {
        op.drop_constraint("ix_account_email", "account");
    } else {
        op.drop_index("ix_account_email").table("account");
    }
    op.alter_column("account", "kind")
        .set_default(DefaultValue::Text("SERVICE".into()));
    let statements = render_all(conn.dialect(), op.as_slice(), &before).unwrap();
    conn.execute_statements(&statements).await.unwrap();
    conn.close().await.unwrap();
    unique_key
}

#[tokio::test]
async fn check_names_each_hand_made_change_and_autogenerate_undoes_them() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", "head"]).success();
        let ok = f.run(&["check"]).success();
        assert!(!stdout(&ok).contains("differs"), "{}", stdout(&ok));
        let clean = f.schema().await;

        let unique_key = change_by_hand(&f).await;
        let drift = f.run(&["check"]).code(1);
        let text = stdout(&drift);
        let missing_key = if unique_key {
            "unique constraint ix_account_email on account: only in the revisions"
        } else {
            "index ix_account_email on account: only in the revisions"
        };
        for expected in [
            "revisions at head vs models: in sync",
            "column note.extra: only in the database",
            missing_key,
            "column account.kind: default differs: database 'SERVICE', revisions 'PERSON'",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        let json = f.run(&["check", "--format", "json"]).code(1);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
        assert_eq!(doc["in_sync"], false);
        assert_eq!(doc["comparisons"][0]["in_sync"], true);
        assert_eq!(
            doc["comparisons"][1]["differences"]
                .as_array()
                .unwrap()
                .len(),
            3,
            "{doc:#}"
        );
        // Without the database, only models and revisions are compared.
        f.run(&["check", "--no-database"]).success();

        // `diff` shows the SQL that would bring the database back to head.
        let sql = f
            .run(&["diff", "--from", f.db.url(), "--to", "head", "--sql"])
            .success();
        let sql = stdout(&sql);
        assert!(
            sql.contains("ix_account_email") && sql.contains("extra"),
            "{sql}"
        );

        // Generated from the live database: the ops that bring the models back.
        let versions = versions_copy(&f, "versions");
        let before = files(&versions);
        let out = f.json(&[
            "--versions-dir",
            versions.to_str().unwrap(),
            "revision",
            "--autogenerate",
            "--from-db",
            "-m",
            "Undo hand-made changes",
            "--rev-id",
            "aa00bb11cc22",
        ]);
        assert_eq!(files(&versions), before + 1);
        let source = std::fs::read_to_string(out["file"].as_str().unwrap()).unwrap();
        // The key comes back in the form the database keeps it.
        let key_back = if unique_key {
            "op.create_unique_constraint(\"ix_account_email\", \"account\", [\"email\"]);"
        } else {
            "op.create_index(\"ix_account_email\", \"account\", [\"email\"])\n        .unique();"
        };
        for call in [
            "op.drop_column(\"note\", \"extra\");",
            key_back,
            "op.alter_column(\"account\", \"kind\")",
            ".set_default(DefaultValue::Text(\"PERSON\".into()));",
            "// review: drops column note.extra and its data.",
            ".revises(&[\"c3f5a1b20005\"])",
        ] {
            assert!(source.contains(call), "missing {call:?} in:\n{source}");
        }
        assert!(!out["reviews"].as_array().unwrap().is_empty(), "{out:#}");
        // The file's ops, run on the database, give the schema at head (which is
        // the models' schema) back.
        let live = f.schema().await;
        let g = generate(&live, &clean);
        let listed: Vec<String> = g.upgrade_ops.iter().map(ToString::to_string).collect();
        assert_eq!(out["ops"], serde_json::json!(listed));
        assert_eq!(g.upgrade, {
            let start = source.find("pub fn upgrade(op: &mut Ops) {\n").unwrap() + 31;
            let end = source[start..].find("\n}\n").unwrap() + start;
            source[start..end]
                .lines()
                .map(|l| l.strip_prefix("    ").unwrap_or(l))
                .collect::<Vec<_>>()
                .join("\n")
                + "\n"
        });
        let mut conn = Connection::connect(f.db.url()).await.unwrap();
        let statements = render_all(conn.dialect(), &g.upgrade_ops, &live).unwrap();
        conn.execute_statements(&statements).await.unwrap();
        conn.close().await.unwrap();
        f.run(&["check"]).success();

        // A database that is not at head is refused.
        f.run(&["downgrade", "-1"]).success();
        let refused = f
            .run(&[
                "--versions-dir",
                versions_copy(&f, "fresh").to_str().unwrap(),
                "revision",
                "--autogenerate",
                "--from-db",
                "-m",
                "x",
            ])
            .code(5);
        assert!(
            stderr(&refused).contains("upgrade it first"),
            "{}",
            stderr(&refused)
        );
    })
    .await;
}

#[test]
fn autogenerate_without_changes_writes_nothing_unless_asked() {
    let work = tempfile::tempdir().unwrap();
    let versions = work.path().join("versions");
    std::fs::create_dir(&versions).unwrap();
    copy_versions(&versions);
    let before = files(&versions);
    let out = bin_in(work.path(), None)
        .args(["--versions-dir", versions.to_str().unwrap()])
        .args(["revision", "--autogenerate", "-m", "Nothing"])
        .assert()
        .success();
    assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
    assert_eq!(files(&versions), before);
    bin_in(work.path(), None)
        .args(["--versions-dir", versions.to_str().unwrap()])
        .args([
            "revision",
            "--autogenerate",
            "--allow-empty",
            "-m",
            "Nothing",
        ])
        .assert()
        .success();
    assert_eq!(files(&versions), before + 1);
}

#[test]
fn autogenerate_refuses_files_the_binary_was_not_built_with() {
    let work = tempfile::tempdir().unwrap();
    let versions = work.path().join("versions");
    std::fs::create_dir(&versions).unwrap();
    copy_versions(&versions);
    bin_in(work.path(), None)
        .args(["--versions-dir", versions.to_str().unwrap()])
        .args([
            "revision",
            "-m",
            "Written but not built",
            "--rev-id",
            "dd00ee11ff22",
        ])
        .assert()
        .success();
    let before = files(&versions);
    let out = bin_in(work.path(), None)
        .args(["--versions-dir", versions.to_str().unwrap()])
        .args(["revision", "--autogenerate", "-m", "Next"])
        .assert()
        .code(5);
    let err = stderr(&out);
    assert!(
        err.contains("rebuild first") && err.contains("dd00ee11ff22"),
        "{err}"
    );
    assert_eq!(files(&versions), before);
}

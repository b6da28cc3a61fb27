//! `rebase REV --onto TARGET` through the real binary: the header of REV's file is
//! rewritten only when the rebased chain simulates and no configured database
//! knows a moved revision.

mod common;

use common::{Fixture, bin_in};
use std::path::{Path, PathBuf};
use stratum_testkit::each_database;

const VERSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions");
const NOTE_FILE: &str = "2026_01_06_1100-c3b0a7c40003_create_note.rs";

/// A copy of the versions directory as it was before the merge: two heads, the
/// email branch and the notes branch.
fn two_heads(dir: &Path) -> PathBuf {
    let versions = dir.join("versions");
    std::fs::create_dir_all(&versions).unwrap();
    for entry in std::fs::read_dir(VERSIONS).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.contains("0004_") || name.contains("0005_") {
            continue;
        }
        std::fs::copy(&path, versions.join(&name)).unwrap();
    }
    versions
}

fn configure(f: &Fixture) {
    std::fs::write(
        f.dir.path().join("testapp-migrate.toml"),
        format!("[environments.dev]\nurl = \"{}\"\n", f.db.url()),
    )
    .unwrap();
}

fn rebase(f: &Fixture, extra: &[&str]) -> assert_cmd::assert::Assert {
    bin_in(f.dir.path(), None)
        .args([
            "--versions-dir",
            "versions",
            "--env",
            "dev",
            "rebase",
            "c3b0",
            "--onto",
            "b2e1a5e50002",
        ])
        .args(extra)
        .assert()
}

#[tokio::test]
async fn an_unapplied_branch_is_moved_onto_the_other_head() {
    each_database(async |db| {
        let f = Fixture::new(db);
        let versions = two_heads(f.dir.path());
        configure(&f);
        f.run(&["upgrade", "a1f0c0de0001"]).success();
        let before = std::fs::read_to_string(versions.join(NOTE_FILE)).unwrap();

        let out = rebase(&f, &["--dry-run"]).success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(
            text.contains("Would rebase c3b0a7c40003 from a1f0c0de0001 onto b2e1a5e50002"),
            "{text}"
        );
        assert!(text.contains("environment dev"), "{text}");
        assert_eq!(
            std::fs::read_to_string(versions.join(NOTE_FILE)).unwrap(),
            before
        );

        let out = rebase(&f, &["--format", "json"]).success();
        let doc: serde_json::Value =
            serde_json::from_slice(&out.get_output().stdout).expect("json");
        assert_eq!(doc["moved"], serde_json::json!(["c3b0a7c40003"]));
        assert_eq!(doc["heads_after"], serde_json::json!(["c3b0a7c40003"]));
        assert_eq!(doc["reaches_models"], true);
        assert_ne!(doc["checksum_before"], doc["checksum_after"]);
        let after = std::fs::read_to_string(versions.join(NOTE_FILE)).unwrap();
        assert_eq!(
            after,
            before.replace(
                r#".revises(&["a1f0c0de0001"])"#,
                r#".revises(&["b2e1a5e50002"])"#
            )
        );
        assert_eq!(
            doc["checksum_after"].as_str().unwrap(),
            stratum::script::checksum(&after)
        );
        // The files now form one line: `heads` reads them.
        let heads = bin_in(f.dir.path(), None)
            .args([
                "--versions-dir",
                "versions",
                "rebase",
                "c3b0",
                "--onto",
                "b2e1",
            ])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&heads.get_output().stderr).to_string();
        assert!(err.contains("nothing to rebase"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn a_revision_a_database_applied_or_remembers_is_not_moved() {
    each_database(async |db| {
        let f = Fixture::new(db);
        let versions = two_heads(f.dir.path());
        configure(&f);
        let before = std::fs::read_to_string(versions.join(NOTE_FILE)).unwrap();

        f.run(&["upgrade", "c3b0a7c40003"]).success();
        let out = rebase(&f, &[]).code(5);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            err.contains("environment dev") && err.contains("has applied c3b0a7c40003"),
            "{err}"
        );

        // Downgraded since: the history table still remembers it.
        f.run(&["downgrade", "a1f0c0de0001"]).success();
        assert_eq!(f.version_rows().await, ["a1f0c0de0001"]);
        let out = rebase(&f, &[]).code(5);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains("has applied c3b0a7c40003"), "{err}");
        assert_eq!(
            std::fs::read_to_string(versions.join(NOTE_FILE)).unwrap(),
            before
        );
    })
    .await;
}

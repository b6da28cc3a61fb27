//! `squash --to` and `squash --finalize` through the real binary, on a copy of
//! the versions directory.

mod common;

use common::{Fixture, bin_in};
use std::path::{Path, PathBuf};
use stratum::script::disk::{disk_map, scan_dir};
use stratum_testkit::each_database;

const VERSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions");
const RANGE: [&str; 4] = [
    "a1f0c0de0001",
    "b2e1a5e50002",
    "c3b0a7c40003",
    "d4d0e6e10004",
];

fn copy_versions(dir: &Path) -> PathBuf {
    let versions = dir.join("versions");
    std::fs::create_dir_all(&versions).unwrap();
    for entry in std::fs::read_dir(VERSIONS).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, versions.join(path.file_name().unwrap())).unwrap();
    }
    versions
}

fn bin(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    bin_in(dir, None)
        .args(["--versions-dir", "versions"])
        .args(args)
        .assert()
}

fn json(out: &assert_cmd::assert::Assert) -> serde_json::Value {
    serde_json::from_slice(&out.get_output().stdout).expect("json")
}

fn squash_to_merge(dir: &Path) -> serde_json::Value {
    let out = bin(
        dir,
        &[
            "squash",
            "--to",
            "d4d0",
            "--rev-id",
            "5a5a5a5a5a5a",
            "--format",
            "json",
        ],
    )
    .success();
    json(&out)
}

#[test]
fn the_baseline_file_replaces_the_range_and_later_files_chain_on() {
    let dir = tempfile::tempdir().unwrap();
    let versions = copy_versions(dir.path());

    // A range that a branch leaves from its middle cannot be squashed.
    let out = bin(dir.path(), &["squash", "--to", "b2e1a5e50002"]).code(5);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("c3b0a7c40003 branches off a1f0c0de0001"),
        "{err}"
    );

    let doc = squash_to_merge(dir.path());
    assert_eq!(doc["replaces"], serde_json::json!(RANGE));
    let file = PathBuf::from(doc["file"].as_str().unwrap());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains(
            ".replaces(&[\"a1f0c0de0001\", \"b2e1a5e50002\", \"c3b0a7c40003\", \"d4d0e6e10004\"])"
        ),
        "{text}"
    );
    assert!(
        text.contains("create_table(\"account\")") && text.contains("create_table(\"note\")"),
        "{text}"
    );
    assert!(text.contains("create_enum(\"accountkind\""), "{text}");

    // The files' graph: the baseline stands in for the range, one head.
    let files = scan_dir(&versions).unwrap();
    let map = disk_map(&files).unwrap();
    assert_eq!(map.bases(), ["5a5a5a5a5a5a"]);
    assert_eq!(map.heads(), ["c3f5a1b20005"]);
    // A new revision goes on top of it, as before.
    let out = bin(
        dir.path(),
        &[
            "revision",
            "-m",
            "next",
            "--rev-id",
            "e0e0e0e0e0e0",
            "--format",
            "json",
        ],
    )
    .success();
    assert_eq!(
        json(&out)["down_revisions"],
        serde_json::json!(["c3f5a1b20005"])
    );
    // A binary not rebuilt with the baseline refuses a second squash.
    let out = bin(dir.path(), &["squash", "--to", "c3f5a1b20005"]).code(5);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("not built with") && err.contains("5a5a5a5a5a5a"),
        "{err}"
    );
}

#[test]
fn seed_rows_of_the_range_are_carried() {
    let dir = tempfile::tempdir().unwrap();
    copy_versions(dir.path());
    let out = bin(
        dir.path(),
        &["squash", "--to", "c3f5", "--rev-id", "5b5b5b5b5b5b"],
    )
    .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("carried: insert 1 row(s) into account (from c3f5a1b20005)"),
        "{text}"
    );
}

#[tokio::test]
async fn finalize_waits_for_every_configured_database_to_leave_the_range() {
    each_database(async |db| {
        let f = Fixture::new(db);
        let versions = copy_versions(f.dir.path());
        std::fs::write(
            f.dir.path().join("testapp-migrate.toml"),
            format!("[environments.dev]\nurl = \"{}\"\n", f.db.url()),
        )
        .unwrap();
        squash_to_merge(f.dir.path());
        f.run(&["upgrade", "b2e1a5e50002"]).success();

        let out = bin(f.dir.path(), &["--env", "dev", "squash", "--finalize"]).code(5);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            err.contains("environment dev") && err.contains("is at b2e1a5e50002"),
            "{err}"
        );
        assert_eq!(scan_dir(&versions).unwrap().len(), 6, "nothing removed");

        f.run(&["upgrade", "head"]).success();
        let out = bin(
            f.dir.path(),
            &["--env", "dev", "squash", "--finalize", "--format", "json"],
        )
        .success();
        let doc = json(&out);
        assert_eq!(doc["removed"].as_array().unwrap().len(), 4, "{doc}");
        assert_eq!(
            doc["checked_databases"],
            serde_json::json!(["environment dev"])
        );
        let left: Vec<String> = scan_dir(&versions)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        // Sorted by file name: the baseline was created today.
        assert_eq!(left, ["c3f5a1b20005", "5a5a5a5a5a5a"]);
        let map = disk_map(&scan_dir(&versions).unwrap()).unwrap();
        assert_eq!(map.heads(), ["c3f5a1b20005"]);
    })
    .await;
}

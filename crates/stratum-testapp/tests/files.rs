//! `revision` and `merge` write new revision files into a copy of the versions
//! directory; the files carry the right header and name.

mod common;

use common::bin_in;
use std::path::Path;

fn copy_versions(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/versions");
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn new_files(dir: &Path, before: &[String]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| !before.contains(n))
        .collect();
    names.sort();
    names
}

fn listing(dir: &Path) -> Vec<String> {
    new_files(dir, &[])
}

#[test]
fn revision_writes_an_empty_revision_on_the_head() {
    let work = tempfile::tempdir().unwrap();
    let versions = work.path().join("versions");
    std::fs::create_dir(&versions).unwrap();
    copy_versions(&versions);
    let before = listing(&versions);
    let out = bin_in(work.path(), None)
        .args(["--versions-dir", versions.to_str().unwrap()])
        .args([
            "revision",
            "-m",
            "Add a tag table",
            "--rev-id",
            "0123456789ab",
        ])
        .assert()
        .success();
    let added = new_files(&versions, &before);
    assert_eq!(added.len(), 1, "{added:?}");
    let name = &added[0];
    assert!(name.ends_with("-0123456789ab_add_a_tag_table.rs"), "{name}");
    let text = std::fs::read_to_string(versions.join(name)).unwrap();
    assert!(text.contains("Revision::new(\"0123456789ab\")"), "{text}");
    assert!(text.contains(".revises(&[\"c3f5a1b20005\"])"), "{text}");
    assert!(text.contains("pub fn upgrade(_op: &mut Ops) {}"), "{text}");
    assert!(
        text.contains("pub fn downgrade(_op: &mut Ops) {}"),
        "{text}"
    );
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains(name.as_str()), "{stdout}");

    // The same id twice is refused, and nothing is written.
    bin_in(work.path(), None)
        .args(["--versions-dir", versions.to_str().unwrap()])
        .args(["revision", "-m", "Again", "--rev-id", "0123456789ab"])
        .assert()
        .failure();
    assert_eq!(new_files(&versions, &before).len(), 1);
}

#[test]
fn merge_joins_two_heads() {
    let work = tempfile::tempdir().unwrap();
    let versions = work.path().join("versions");
    std::fs::create_dir(&versions).unwrap();
    copy_versions(&versions);
    let dir = versions.to_str().unwrap();
    // A second branch off the first revision: needs --splice, since it is not a head.
    bin_in(work.path(), None)
        .args(["--versions-dir", dir])
        .args([
            "revision",
            "-m",
            "Side branch",
            "--head",
            "a1f0c0de0001",
            "--rev-id",
            "5ide00000001",
        ])
        .assert()
        .failure();
    bin_in(work.path(), None)
        .args(["--versions-dir", dir])
        .args([
            "revision",
            "-m",
            "Side branch",
            "--head",
            "a1f0c0de0001",
            "--splice",
            "--rev-id",
            "5ide00000001",
        ])
        .assert()
        .success();
    let before = listing(&versions);
    bin_in(work.path(), None)
        .args(["--versions-dir", dir])
        .args([
            "merge",
            "c3f5a1b20005",
            "5ide00000001",
            "-m",
            "Merge side branch",
            "--rev-id",
            "3e6e00000001",
        ])
        .assert()
        .success();
    let added = new_files(&versions, &before);
    assert_eq!(added.len(), 1, "{added:?}");
    let text = std::fs::read_to_string(versions.join(&added[0])).unwrap();
    assert!(
        text.contains(".revises(&[\"c3f5a1b20005\", \"5ide00000001\"])"),
        "{text}"
    );
}

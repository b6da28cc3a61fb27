//! The daily-comfort commands on the branched test chain: `history --graph` in the
//! terminal and as diagrams, `completions`, `edit`, and `schema` of a live database.

mod common;

use common::{Fixture, bin_in};
use stratum_testkit::each_database;

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).to_string()
}

#[test]
fn history_graph_draws_the_branch_and_the_merge() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin_in(dir.path(), None)
        .args(["history", "--graph"])
        .assert()
        .success();
    let text = stdout(&out);
    let graph: String = text
        .lines()
        .map(|l| {
            let cut = l
                .find(|c: char| c.is_ascii_alphanumeric())
                .unwrap_or(l.len());
            l[..cut].trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(graph, "*\n*\n|\\\n| *\n* |\n|/\n*", "{text}");
    assert!(
        text.contains("c3f5a1b20005 (head)  Seed the service account"),
        "{text}"
    );
    assert!(
        text.contains("c3b0a7c40003 (notes)  Create the note table"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colors when piped: {text:?}");

    let mermaid = stdout(
        &bin_in(dir.path(), None)
            .args(["history", "--graph", "--format", "mermaid"])
            .assert()
            .success(),
    );
    assert!(mermaid.starts_with("flowchart BT\n"), "{mermaid}");
    for edge in [
        "r_b2e1a5e50002 --> r_d4d0e6e10004",
        "r_c3b0a7c40003 --> r_d4d0e6e10004",
        "r_a1f0c0de0001 --> r_c3b0a7c40003",
    ] {
        assert!(mermaid.contains(edge), "{edge} missing:\n{mermaid}");
    }
    let dot = stdout(
        &bin_in(dir.path(), None)
            .args(["history", "--graph", "--format", "dot"])
            .assert()
            .success(),
    );
    assert!(
        dot.contains("\"b2e1a5e50002\" -> \"d4d0e6e10004\";"),
        "{dot}"
    );

    // A range makes no sense for the whole graph: refused with the way out.
    let refused = bin_in(dir.path(), None)
        .args(["history", "--graph", "-r", "base:head"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(err.contains("hint:"), "{err}");
}

#[tokio::test]
async fn history_graph_marks_the_current_revisions() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", "b2e1a5e50002"]).success();
        let text = stdout(
            &f.run(&["history", "--graph", "--indicate-current"])
                .success(),
        );
        let line = text
            .lines()
            .find(|l| l.contains("b2e1a5e50002"))
            .expect("drawn");
        assert!(line.contains("(current)"), "{text}");
        assert_eq!(text.matches("(current)").count(), 1, "{text}");
        // The live database drawn as a diagram.
        let er = stdout(
            &f.run(&["schema", "--source", "db", "--all-columns"])
                .success(),
        );
        assert!(er.starts_with("erDiagram\n"), "{er}");
        assert!(er.contains("    account {"), "{er}");
        assert!(er.contains(" email"), "{er}");
        assert!(!er.contains("alembic_version"), "{er}");
    })
    .await;
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef testapp-migrate"),
        ("fish", "complete -c testapp-migrate"),
    ] {
        let text = stdout(
            &bin_in(dir.path(), None)
                .args(["completions", shell])
                .assert()
                .success(),
        );
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(
            text.contains("upgrade") && text.contains("downgrade"),
            "{shell}"
        );
    }
    // Drawing a live database that is not there does not create one.
    let err = bin_in(dir.path(), None)
        .args(["schema", "--source", "db"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&err.get_output().stderr).to_string();
    assert!(err.contains("upgrade head"), "{err}");
    assert!(!dir.path().join("testapp.db").exists());
    bin_in(dir.path(), None)
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn edit_opens_the_file_in_visual_then_editor() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = |name: &str| {
        let path = dir.path().join(name);
        let log = dir.path().join(format!("{name}.log"));
        std::fs::write(
            &path,
            format!("#!/bin/sh\necho \"$@\" > '{}'\n", log.display()),
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        (path, log)
    };
    let (visual, visual_log) = script("visual");
    let (editor, editor_log) = script("editor");

    bin_in(dir.path(), None)
        .env("VISUAL", &visual)
        .env("EDITOR", &editor)
        .args(["edit", "c3b0"])
        .assert()
        .success();
    let opened = std::fs::read_to_string(&visual_log).unwrap();
    assert!(
        opened
            .trim()
            .ends_with("2026_01_06_1100-c3b0a7c40003_create_note.rs"),
        "{opened}"
    );
    assert!(!editor_log.exists(), "VISUAL comes first");

    bin_in(dir.path(), None)
        .env_remove("VISUAL")
        .env("EDITOR", format!("{} --wait", editor.display()))
        .args(["edit"])
        .assert()
        .success();
    let opened = std::fs::read_to_string(&editor_log).unwrap();
    assert!(opened.starts_with("--wait "), "{opened}");
    assert!(
        opened
            .trim()
            .ends_with("c3f5a1b20005_seed_service_account.rs"),
        "{opened}"
    );

    // An editor that fails, and a revision that does not exist.
    bin_in(dir.path(), None)
        .env("VISUAL", "false")
        .args(["edit", "a1f0"])
        .assert()
        .code(2);
    let missing = bin_in(dir.path(), None)
        .env("VISUAL", &visual)
        .args(["edit", "ffff"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&missing.get_output().stderr).to_string();
    assert!(err.contains("ffff"), "{err}");
}

//! `init` scaffolds a crate that builds against this repository's engine and whose
//! binary migrates its database.
//!
//! Building the scaffold compiles the engine and its dependencies once more (in
//! `target/tmp/init-scaffold`, kept between runs), which takes several minutes the
//! first time, so the test is ignored by default. Run it with:
//!
//! ```sh
//! cargo test -p stratum-testapp --test docs_init -- --ignored
//! ```

use assert_cmd::Command;
use std::path::Path;

fn app(dir: &Path) -> Command {
    Command::from_std(stratum_testkit::migrate_command(
        assert_cmd::cargo::cargo_bin!("testapp-migrate"),
        dir,
    ))
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .expect("crates/stratum-testapp is two levels below the root")
}

#[test]
fn init_refuses_a_directory_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "x").unwrap();
    let out = app(tmp.path()).args(["init", "."]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("is not empty") && err.contains("hint:"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn init_writes_a_crate_whose_revisions_the_engine_reads() {
    let tmp = tempfile::tempdir().unwrap();
    app(tmp.path())
        .args(["init", "inventory", "--stratum-path"])
        .arg(repo_root())
        .assert()
        .success();
    let dir = tmp.path().join("inventory");
    for f in [
        "Cargo.toml",
        "build.rs",
        "src/main.rs",
        "src/models.rs",
        "inventory.toml",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let cargo = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(cargo.contains("crates/stratum\" }"), "{cargo}");
    let config = std::fs::read_to_string(dir.join("inventory.toml")).unwrap();
    for env in ["development", "staging", "production"] {
        assert!(
            config.contains(&format!("[environments.{env}]")),
            "{config}"
        );
    }
    // The revision file is one the engine's own tools accept: history reads it
    // from disk through --versions-dir without building anything.
    let out = app(&dir)
        .args(["heads", "--versions-dir", "migrations/versions"])
        .assert()
        .success();
    let _ = out;
    let versions: Vec<_> = std::fs::read_dir(dir.join("migrations/versions"))
        .unwrap()
        .collect();
    assert_eq!(versions.len(), 1);
}

#[test]
#[ignore = "builds the scaffold with cargo (minutes); see the module documentation"]
fn init_scaffold_builds_and_upgrades_to_head() {
    let tmp = tempfile::tempdir().unwrap();
    app(tmp.path())
        .args(["init", "inventory", "--stratum-path"])
        .arg(repo_root())
        .assert()
        .success();
    let dir = tmp.path().join("inventory");
    // The repository's lock file pins the same dependency versions it is tested with.
    std::fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("init-scaffold");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let build = std::process::Command::new(&cargo)
        .args(["build", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(build.success(), "the scaffold does not build");
    let bin = target.join("debug/inventory");
    let run = |args: &[&str]| {
        let mut cmd = Command::new(&bin);
        cmd.current_dir(&dir)
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL");
        cmd.args(args).assert()
    };
    run(&["upgrade", "head"]).success();
    assert!(dir.join("inventory.db").is_file());
    let current = run(&["current"]).success();
    let out = String::from_utf8_lossy(&current.get_output().stdout).to_string();
    assert!(out.contains("(head)"), "{out}");
    // The example model and the first revision agree, and the database matches.
    run(&["check"]).success();
    run(&["downgrade", "base"]).success();
    // The scaffold's own tests: the test kit's checks of its history, on SQLite.
    let tests = std::process::Command::new(&cargo)
        .args(["test", "--quiet", "--test", "migrations"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("TEST_DATABASE_URL")
        .status()
        .expect("cargo runs");
    assert!(tests.success(), "the scaffold's migration tests fail");
}

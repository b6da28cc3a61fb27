//! The whole autogenerate workflow on a real build: a copy of the test application
//! in a temporary crate gets a new model field with an index; `revision
//! --autogenerate` writes the revision; the crate is rebuilt; `upgrade head` applies
//! it; `check` reports nothing; `downgrade -1` gives the previous schema back,
//! exactly. On SQLite and PostgreSQL.
//!
//! It compiles a crate (twice), which takes minutes the first time, so it is
//! ignored by default. Run it with
//! `cargo test -p stratum-testapp --test autogen_end_to_end -- --ignored`
//! (with `TEST_DATABASE_URL` set for the PostgreSQL half).

mod common;

use std::path::{Path, PathBuf};
use stratum::db::Connection;
use stratum::introspect::introspect;
use stratum::schema::Schema;
use stratum_testkit::{AppCrate, build_crate, each_backend, migrate_command};

/// A crate with the test application's sources, depending on this workspace's
/// engine crates by path.
fn make_crate(root: &Path) {
    AppCrate {
        app: Path::new(env!("CARGO_MANIFEST_DIR")),
        package: "autogen-e2e",
        bin: "testapp-migrate",
        debug: "false",
    }
    .write(root);
}

/// Adds a nullable, indexed `nickname` field to the `Account` model.
fn change_model(root: &Path) {
    let path = root.join("src/models.rs");
    let source = std::fs::read_to_string(&path).unwrap();
    let anchor = "    pub email: Option<String>,\n";
    assert!(source.contains(anchor), "the Account model changed shape");
    let changed = source.replace(
        anchor,
        "    pub email: Option<String>,\n    /// Short name.\n    #[column(index)]\n    pub nickname: Option<String>,\n",
    );
    std::fs::write(path, changed).unwrap();
}

fn target_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("autogen-e2e-target")
}

fn build(root: &Path) {
    build_crate(root, &target_dir());
}

fn app(root: &Path, url: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = migrate_command(target_dir().join("debug/testapp-migrate"), root);
    cmd.args(["--url", url]);
    let out = cmd.args(args).output().expect("the binary runs");
    eprintln!(
        "$ testapp-migrate {}\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

async fn schema(url: &str) -> Schema {
    let mut conn = Connection::connect(url).await.unwrap();
    let s = introspect(&mut conn, &[]).await.unwrap();
    conn.close().await.unwrap();
    s
}

#[tokio::test]
#[ignore = "compiles a temporary crate; run with --ignored"]
async fn model_change_to_applied_revision_and_back() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("app");
    make_crate(&root);
    change_model(&root);
    build(&root);
    let versions = root.join("migrations/versions");
    let count = std::fs::read_dir(&versions).unwrap().count();
    let out = app(
        &root,
        "sqlite:unused.db",
        &["revision", "--autogenerate", "-m", "Add account nickname"],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_dir(&versions).unwrap().count(), count + 1);
    let written = std::fs::read_dir(&versions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("_add_account_nickname.rs"))
        .expect("the new revision file");
    let source = std::fs::read_to_string(&written).unwrap();
    assert!(
        source.contains("op.add_column(\"account\", col(\"nickname\", varchar()));"),
        "{source}"
    );
    assert!(
        source.contains("op.create_index(\"ix_account_nickname\", \"account\", [\"nickname\"]);"),
        "{source}"
    );
    // Not built yet: autogenerate refuses to run on a stale binary.
    let stale = app(
        &root,
        "sqlite:unused.db",
        &["revision", "--autogenerate", "-m", "Again"],
    );
    assert_eq!(stale.status.code(), Some(5));
    build(&root);

    each_backend(async |db| {
        let url = db.url();
        let heads = app(&root, url, &["upgrade", "c3f5a1b20005"]);
        assert!(heads.status.success());
        let before = schema(url).await;
        assert!(app(&root, url, &["upgrade", "head"]).status.success());
        let after = schema(url).await;
        assert!(after.tables["account"].column("nickname").is_some());
        assert!(
            after.tables["account"]
                .indexes
                .contains_key("ix_account_nickname")
        );
        let check = app(&root, url, &["check"]);
        assert_eq!(check.status.code(), Some(0), "check after upgrade");
        assert!(app(&root, url, &["downgrade", "-1"]).status.success());
        assert_eq!(
            schema(url).await,
            before,
            "downgrade -1 restores the schema"
        );
    })
    .await;
}

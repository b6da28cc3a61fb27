//! With `version_table = "my_versions"`, every command that reads a database's
//! schema leaves that table and the history table out, on SQLite, on
//! PostgreSQL and on MariaDB: `check` at head exits 0, `diff` prints no change (and no
//! `DROP TABLE "my_versions"`), `schema --source db` does not draw it,
//! `revision --autogenerate --from-db` finds nothing to write, `verify` passes,
//! and the embedding API's live schema does not hold it.

mod cli_support;

use cli_support::bin;
use stratum::runner::{RunOptions, VersionTable};
use stratum_testkit::{TestDb, each_database};

const CONFIG: &str =
    "default_environment = \"t\"\n[environments.t]\nversion_table = \"my_versions\"\n";

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

/// A directory with the configuration, and the database upgraded to head.
async fn at_head(db: &TestDb) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("smartem-migrate.toml"), CONFIG).unwrap();
    bin(dir.path(), db.url())
        .args(["upgrade", "head"])
        .assert()
        .success();
    dir
}

/// The tables in the database, read directly.
async fn tables(db: &TestDb) -> Vec<String> {
    let mut conn = stratum::db::Connection::connect(db.url()).await.unwrap();
    let schema = stratum::introspect::introspect_excluding(
        &mut conn,
        &stratum::introspect::Exclusions::tables(&[]),
    )
    .await
    .unwrap();
    conn.close().await.ok();
    schema.tables.keys().cloned().collect()
}

#[tokio::test]
async fn check_at_head_is_in_sync_with_a_custom_version_table() {
    each_database(async |db| {
        let dir = at_head(&db).await;
        // The custom table is really there, and the default one is not.
        let names = tables(&db).await;
        assert!(names.contains(&"my_versions".to_string()), "{names:?}");
        assert!(!names.contains(&"alembic_version".to_string()), "{names:?}");
        let out = bin(dir.path(), db.url()).arg("check").assert();
        let text = stdout(&out);
        out.code(0);
        assert!(!text.contains("my_versions"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn diff_from_the_database_to_head_prints_no_change() {
    each_database(async |db| {
        let dir = at_head(&db).await;
        let out = bin(dir.path(), db.url())
            .args(["diff", "--from", db.url(), "--to", "head", "--sql"])
            .assert()
            .success();
        let text = stdout(&out);
        assert!(!text.contains("my_versions"), "{text}");
        assert!(!text.contains("DROP"), "{text}");
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(err.contains("no differences"), "{err}");
    })
    .await;
}

#[tokio::test]
async fn schema_from_the_database_leaves_the_bookkeeping_tables_out() {
    each_database(async |db| {
        let dir = at_head(&db).await;
        let out = bin(dir.path(), db.url())
            .args(["schema", "--source", "db", "--format", "json"])
            .assert()
            .success();
        let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let tables = doc["tables"].as_object().expect("tables");
        assert!(tables.contains_key("acquisition"), "{doc}");
        for bookkeeping in ["my_versions", "stratum_history"] {
            assert!(!tables.contains_key(bookkeeping), "{bookkeeping}: {doc}");
        }
    })
    .await;
}

#[tokio::test]
async fn autogenerate_from_the_database_finds_nothing_to_write() {
    each_database(async |db| {
        let dir = at_head(&db).await;
        let versions = dir.path().join("versions");
        std::fs::create_dir(&versions).unwrap();
        let out = bin(dir.path(), db.url())
            .args(["--versions-dir", "versions"])
            .args(["revision", "--autogenerate", "--from-db", "-m", "nothing"])
            .assert()
            .success();
        assert!(stdout(&out).contains("No changes"), "{}", stdout(&out));
        assert_eq!(std::fs::read_dir(&versions).unwrap().count(), 0);
    })
    .await;
}

#[tokio::test]
async fn verify_passes_with_a_custom_version_table() {
    each_database(async |db| {
        let dir = at_head(&db).await;
        // The last two revisions keep the run short; the scratch database uses
        // the configured version table too.
        let out = bin(dir.path(), db.url())
            .args(["verify", "1024768377a7:head"])
            .assert()
            .success();
        assert!(
            stdout(&out).contains("ok   8667c96f0385"),
            "{}",
            stdout(&out)
        );
    })
    .await;
}

#[tokio::test]
async fn the_embedding_api_reads_the_schema_without_the_configured_tables() {
    each_database(async |db| {
        let options = RunOptions {
            version_table: VersionTable::new("my_versions").unwrap(),
            history_table: "my_history".to_string(),
            ..Default::default()
        };
        let migrations =
            stratum::embed::Migrations::new(smartem::migrations::REVISIONS).options(options);
        migrations.run(db.url()).await.expect("upgrade");
        let names = tables(&db).await;
        assert!(names.contains(&"my_versions".to_string()), "{names:?}");
        assert!(names.contains(&"my_history".to_string()), "{names:?}");
        let live = migrations.live_schema(db.url()).await.expect("live schema");
        assert!(live.tables.contains_key("acquisition"));
        for bookkeeping in ["my_versions", "my_history"] {
            assert!(!live.tables.contains_key(bookkeeping), "{bookkeeping}");
        }
    })
    .await;
}

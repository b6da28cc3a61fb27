//! `--sql`: the printed script, applied by psql in one transaction, builds the same
//! schema as the online run; no connection is needed to print it.

mod common;

use common::{Fixture, bin_in};
use stratum_testkit::TestDb;

#[tokio::test]
async fn offline_script_matches_online_run_on_postgres() {
    let Some(online) = TestDb::postgres().await else {
        return;
    };
    let Some(offline) = TestDb::postgres().await else {
        return;
    };
    let online = Fixture::new(online);
    online.run(&["upgrade", "head"]).success();

    // No URL at all: the script is rendered without connecting.
    let dir = tempfile::tempdir().unwrap();
    let out = bin_in(dir.path(), Some("postgresql://nobody@127.0.0.1:1/none"))
        .args(["upgrade", "head", "--sql"])
        .assert()
        .success();
    let sql = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(sql.contains("CREATE TABLE"), "{sql}");
    assert!(sql.contains("alembic_version"), "{sql}");

    let file = dir.path().join("up.sql");
    std::fs::write(&file, &sql).unwrap();
    let status = std::process::Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f"])
        .arg(&file)
        .arg(offline.url())
        .status()
        .expect("psql runs");
    assert!(status.success(), "psql failed on:\n{sql}");
    let offline = Fixture::new(offline);
    assert_eq!(offline.schema().await, online.schema().await);
    assert_eq!(offline.version_rows().await, online.version_rows().await);
}

#[test]
fn offline_ranges_and_downgrades_render() {
    let dir = tempfile::tempdir().unwrap();
    let url = Some("postgresql://nobody@127.0.0.1:1/none");
    let out = bin_in(dir.path(), url)
        .args(["upgrade", "a1f0c0de0001:c3f5a1b20005", "--sql"])
        .assert()
        .success();
    let sql = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        !sql.contains("CREATE TYPE"),
        "the range starts after a1: {sql}"
    );
    assert!(
        sql.contains("ALTER TABLE \"account\" ADD COLUMN \"email\""),
        "{sql}"
    );

    let out = bin_in(dir.path(), url)
        .args(["downgrade", "c3f5a1b20005:base", "--sql"])
        .assert()
        .success();
    let sql = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(sql.contains("DROP TABLE \"account\""), "{sql}");
    assert!(sql.contains("DROP TYPE \"accountkind\""), "{sql}");
}

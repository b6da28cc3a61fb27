//! `upgrade --online` from the command line on PostgreSQL: SmartEM's revision
//! `002` adds indexes to tables that already exist, so the online run builds them
//! concurrently under the tuning flags, and the database ends exactly where a
//! plain upgrade leaves it.

mod cli_support;

use cli_support::bin;
use stratum::db::Connection;
use stratum::schema::Schema;
use stratum_testkit::TestDb;

async fn introspect(url: &str) -> Schema {
    let mut conn = Connection::connect(url).await.expect("connect");
    let schema = stratum::introspect::introspect(&mut conn, &[])
        .await
        .expect("introspect");
    conn.close().await.ok();
    schema
}

#[tokio::test]
async fn an_online_upgrade_with_tuning_flags_reaches_the_plain_schema() {
    let (Some(online), Some(plain)) = (TestDb::postgres().await, TestDb::postgres().await) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    bin(dir.path(), online.url())
        .args(["upgrade", "6e6302f1ccb6"])
        .assert()
        .success();
    let out = bin(dir.path(), online.url())
        .args([
            "upgrade",
            "head",
            "--online",
            "--online-lock-timeout",
            "150ms",
            "--online-attempts",
            "5",
            "--batch-size",
            "10",
            "--batch-pause",
            "0s",
        ])
        .assert()
        .success();
    let printed = String::from_utf8_lossy(&out.get_output().stderr).into_owned()
        + &String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        printed.contains("step"),
        "no online steps reported:\n{printed}"
    );
    bin(dir.path(), plain.url())
        .args(["upgrade", "head"])
        .assert()
        .success();
    assert_eq!(
        introspect(online.url()).await,
        introspect(plain.url()).await
    );
    bin(dir.path(), online.url())
        .args(["check"])
        .assert()
        .code(0);
}

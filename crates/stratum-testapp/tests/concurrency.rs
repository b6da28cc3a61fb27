//! Ten processes run `upgrade head` at once on one empty PostgreSQL database: all
//! succeed, and every revision is applied exactly once.

mod common;

use common::{Fixture, std_bin_in};
use stratum::db::Connection;
use stratum_testkit::TestDb;

#[tokio::test]
async fn ten_replicas_apply_each_revision_once() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let f = Fixture::new(db);
    let children: Vec<_> = (0..10)
        .map(|_| {
            std_bin_in(f.dir.path(), f.db.url())
                .args(["upgrade", "head", "--lock-timeout", "60s"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "a replica failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut conn = Connection::connect(f.db.url()).await.unwrap();
    let Some(pg) = stratum::testing::driver::postgres(&mut conn) else {
        unreachable!()
    };
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT revision, count(*) FROM stratum_history WHERE direction = 'upgrade' GROUP BY revision ORDER BY revision",
    )
    .fetch_all(&mut *pg)
    .await
    .unwrap();
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(rows.iter().all(|(_, n)| *n == 1), "{rows:?}");
    let locks: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
            .fetch_one(&mut *pg)
            .await
            .unwrap();
    assert_eq!(locks, 0, "no advisory lock may outlive the runs");
}

//! Integrity: an applied revision whose file changed, a database at a revision the
//! code does not know, and a database taken over from Alembic.

mod common;

use common::{Fixture, ids};
use stratum::db::Connection;
use stratum_testkit::each_database;

#[tokio::test]
async fn edited_applied_revision_is_refused() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", "b2e1a5e50002"]).success();
        let mut conn = Connection::connect(f.db.url()).await.unwrap();
        conn.execute(
            "UPDATE stratum_history SET checksum = 'deadbeef' WHERE revision = 'a1f0c0de0001'",
        )
        .await
        .unwrap();
        conn.close().await.unwrap();
        let out = f.run(&["upgrade", "head"]).code(5);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            err.contains("a1f0c0de0001") && err.contains("deadbeef"),
            "{err}"
        );
        assert_eq!(f.version_rows().await, ["b2e1a5e50002"]);
    })
    .await;
}

#[tokio::test]
async fn unknown_revision_in_database_is_refused() {
    each_database(async |db| {
        let f = Fixture::new(db);
        let mut conn = Connection::connect(f.db.url()).await.unwrap();
        conn.execute(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY); \
             INSERT INTO alembic_version VALUES ('99aa99aa99aa')",
        )
        .await
        .unwrap();
        conn.close().await.unwrap();
        let out = f.run(&["upgrade", "head"]).code(5);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains("99aa99aa99aa"), "{err}");
        assert!(err.contains("newer code"), "{err}");
        assert!(f.schema().await.tables.is_empty());
    })
    .await;
}

#[tokio::test]
async fn database_stamped_by_alembic_continues() {
    each_database(async |db| {
        let f = Fixture::new(db);
        // Build the schema at b2 as another tool would have, and stamp it the way
        // Alembic does: only `alembic_version`, no history of ours.
        f.run(&["upgrade", "b2e1a5e50002"]).success();
        let mut conn = Connection::connect(f.db.url()).await.unwrap();
        conn.execute("DROP TABLE stratum_history").await.unwrap();
        conn.close().await.unwrap();
        assert_eq!(ids(&f.json(&["current"]), "current"), ["b2e1a5e50002"]);
        f.run(&["upgrade", "head"]).success();
        assert_eq!(f.version_rows().await, ["c3f5a1b20005"]);
    })
    .await;
}

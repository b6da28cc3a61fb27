//! `stamp --detect`: the version table is set from the schema the database really
//! has, on every database, through the real binary.

mod common;

use common::Fixture;
use stratum::db::Connection;
use stratum_testkit::each_database;

async fn sql(f: &Fixture, statements: &str) {
    let mut conn = Connection::connect(f.db.url()).await.expect("connect");
    conn.execute(statements).await.expect("statements");
    conn.close().await.ok();
}

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).to_string()
}

#[tokio::test]
async fn a_revision_id_this_chain_lacks_is_replaced_by_the_detected_one() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", "b2e1a5e50002"]).success();
        // What Alembic leaves: its own revision id, unknown to this chain.
        sql(
            &f,
            "UPDATE alembic_version SET version_num = 'c4d5e6f7a8b9'",
        )
        .await;
        f.run(&["upgrade", "head"]).code(5);

        let out = f.run(&["stamp", "--detect", "--dry-run"]).success();
        let text = stdout(&out);
        assert!(text.contains("c4d5e6f7a8b9 is not a revision"), "{text}");
        assert!(text.contains("matches revision b2e1a5e50002"), "{text}");
        assert_eq!(
            f.version_rows().await,
            ["c4d5e6f7a8b9"],
            "dry run changed nothing"
        );

        let doc = f.json(&["stamp", "--detect"]);
        assert_eq!(doc["matches"], serde_json::json!(["b2e1a5e50002"]));
        assert_eq!(doc["stamped"], "b2e1a5e50002");
        assert_eq!(doc["unknown_rows"], serde_json::json!(["c4d5e6f7a8b9"]));
        assert_eq!(f.version_rows().await, ["b2e1a5e50002"]);
        // The chain continues from there.
        f.run(&["upgrade", "head"]).success();
        assert_eq!(f.version_rows().await, ["c3f5a1b20005"]);
    })
    .await;
}

#[tokio::test]
async fn a_database_without_version_table_is_stamped_and_an_empty_one_is_base() {
    each_database(async |db| {
        let f = Fixture::new(db);
        // An empty database that exists: a dry run only reads, and a read never
        // creates a SQLite file.
        sql(&f, "SELECT 1").await;
        let doc = f.json(&["stamp", "--detect", "--dry-run"]);
        assert_eq!(doc["matches"], serde_json::json!(["base"]));
        assert!(doc["stamped"].is_null());
        f.run(&["upgrade", "a1f0c0de0001"]).success();
        sql(&f, "DROP TABLE alembic_version").await;
        f.run(&["stamp", "--detect"]).success();
        assert_eq!(f.version_rows().await, ["a1f0c0de0001"]);
    })
    .await;
}

#[tokio::test]
async fn several_matches_are_listed_and_none_is_stamped() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", "head"]).success();
        sql(&f, "DELETE FROM alembic_version").await;
        // The seed revision changes rows only: its schema is the merge's.
        let out = f.run(&["stamp", "--detect"]).code(5);
        let text = stdout(&out);
        assert!(
            text.contains("matches 2 revisions: d4d0e6e10004, c3f5a1b20005"),
            "{text}"
        );
        assert!(f.version_rows().await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn no_match_names_the_closest_and_the_changes_to_reach_it() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", "a1f0c0de0001"]).success();
        sql(&f, "CREATE TABLE stray (id INTEGER PRIMARY KEY)").await;
        let out = f.run(&["stamp", "--detect"]).code(1);
        let text = stdout(&out);
        assert!(text.contains("No revision matches"), "{text}");
        assert!(text.contains("a1f0c0de0001"), "{text}");
        assert!(text.contains("table stray: only in the database"), "{text}");
        assert_eq!(f.version_rows().await, ["a1f0c0de0001"], "nothing stamped");

        let out = f
            .run(&["stamp", "--detect", "--sql", "--format", "json"])
            .code(1);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
        let first = &doc["closest"][0];
        assert_eq!(first["id"], "a1f0c0de0001");
        let sql = first["sql"].to_string();
        assert!(sql.contains("DROP TABLE") && sql.contains("stray"), "{sql}");
        assert!(doc["stamped"].is_null());
    })
    .await;
}

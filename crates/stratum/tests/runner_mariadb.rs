//! The runner on MariaDB: a small revision chain upgraded to head, downgraded to
//! base and upgraded again, with the bookkeeping tables and the `GET_LOCK`
//! migration lock of the server.

use sqlx::AssertSqlSafe;
use sqlx::Connection as _;
use std::time::Duration;
use stratum::db::Connection;
use stratum::prelude::*;
use stratum::runner::{
    Goal, Migrator, RunError, RunOptions, ScriptPlanner, known_revisions, lock_key,
};
use stratum::script::{EmbeddedRevision, Script};
use stratum_testkit::TestDb;

fn a1_up(op: &mut Ops) {
    op.create_table("item")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("name", varchar_n(50)).not_null())
        .column(col("created_at", timestamp()).not_null().default_now());
}
fn a1_down(op: &mut Ops) {
    op.drop_table("item");
}
fn b2_up(op: &mut Ops) {
    op.add_column("item", col("note", text()).nullable());
    op.create_index("ix_item_name", "item", ["name"]);
    op.bulk_insert("item", json!([{"id": 1, "name": "seeded"}]));
}
fn b2_down(op: &mut Ops) {
    op.bulk_delete("item", json!([{"id": 1}]));
    op.drop_index("ix_item_name").table("item");
    op.drop_column("item", "note");
}

static CHAIN: [EmbeddedRevision; 2] = [
    EmbeddedRevision {
        revision: Revision::new("a1").message("Create items"),
        upgrade: a1_up,
        downgrade: a1_down,
        file_name: "a1_create_items.rs",
        source: "a1 source",
    },
    EmbeddedRevision {
        revision: Revision::new("b2")
            .revises(&["a1"])
            .message("Add note, name index and a row"),
        upgrade: b2_up,
        downgrade: b2_down,
        file_name: "b2_note.rs",
        source: "b2 source",
    },
];

async fn scalar(db: &TestDb, sql: &str) -> Option<String> {
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let c = stratum::testing::driver::mysql(&mut conn).unwrap();
    let value: Option<String> = sqlx::query_scalar(AssertSqlSafe(sql.to_string()))
        .fetch_one(c)
        .await
        .unwrap();
    conn.close().await.ok();
    value
}

async fn count_tables(db: &TestDb, name: &str) -> Option<String> {
    scalar(
        db,
        &format!(
            "SELECT CAST(count(*) AS CHAR) FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = '{name}'"
        ),
    )
    .await
}

#[tokio::test]
async fn a_chain_upgrades_and_downgrades_on_mariadb() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let script = Script::load(&CHAIN).unwrap();
    let known = known_revisions(&script);
    let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());

    let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
    let report = m.run(&known, &up).await.unwrap();
    assert_eq!(report.heads_after, ["b2"]);
    assert_eq!(
        scalar(&db, "SELECT name FROM item WHERE id = 1")
            .await
            .as_deref(),
        Some("seeded")
    );
    assert_eq!(m.current_heads().await.unwrap().unwrap(), ["b2"]);

    let down = ScriptPlanner::new(&script, Goal::Downgrade("base".into()));
    let report = m.run(&known, &down).await.unwrap();
    assert_eq!(report.applied.len(), 2);
    assert!(report.heads_after.is_empty());
    assert_eq!(count_tables(&db, "item").await.as_deref(), Some("0"));

    let up = ScriptPlanner::new(&script, Goal::Upgrade("heads".into()));
    m.run(&known, &up).await.unwrap();
    assert_eq!(count_tables(&db, "item").await.as_deref(), Some("1"));
}

#[tokio::test]
async fn mariadb_and_mysql_urls_reach_the_server() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    for url in [
        db.url().to_string(),
        db.url().replacen("mysql:", "mariadb:", 1),
    ] {
        let mut conn = Connection::connect(&url).await.unwrap();
        assert_eq!(conn.dialect(), stratum::dialect::Dialect::Mysql);
        let c = stratum::testing::driver::mysql(&mut conn).unwrap();
        let version: String = sqlx::query_scalar("SELECT VERSION()")
            .fetch_one(c)
            .await
            .unwrap();
        assert!(version.contains("MariaDB"), "{version}");
        conn.close().await.unwrap();
    }
}

#[tokio::test]
async fn the_migration_lock_of_another_session_times_out_naming_it() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    // Another session holds the lock of this database and version table.
    let mut holder = sqlx::MySqlConnection::connect(db.url()).await.unwrap();
    let taken: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT GET_LOCK(CONCAT('stratum_', LEFT(SHA2(CONCAT(DATABASE(), '/', '{}'), 256), 16)), 0)",
        lock_key("alembic_version")
    )))
    .fetch_one(&mut holder)
    .await
    .unwrap();
    assert_eq!(taken, 1);
    let holder_id: u64 = sqlx::query_scalar("SELECT CONNECTION_ID()")
        .fetch_one(&mut holder)
        .await
        .unwrap();

    let script = Script::load(&CHAIN).unwrap();
    let known = known_revisions(&script);
    let mut m =
        Migrator::new(Connection::connect(db.url()).await.unwrap()).with_options(RunOptions {
            lock_timeout: Some(Duration::from_millis(500)),
            ..Default::default()
        });
    let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
    let err = m.run(&known, &up).await.unwrap_err();
    match &err {
        RunError::LockTimeout {
            holder: Some(h), ..
        } => assert_eq!(h.pid.as_deref(), Some(holder_id.to_string().as_str())),
        other => panic!("unexpected error: {other}"),
    }
    assert_eq!(count_tables(&db, "item").await.as_deref(), Some("0"));

    // Released by the holder, the lock is free for the next run.
    holder.close().await.unwrap();
    m.run(&known, &up).await.unwrap();
    assert_eq!(count_tables(&db, "item").await.as_deref(), Some("1"));
}

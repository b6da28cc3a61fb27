//! `verify` on real databases: a correct chain passes every revision up, down and
//! up again; a downgrade that forgets an index, and one that fails outright, are
//! caught and named; the scratch database is created and dropped by the tool, and
//! the orphans of a verify that died are dropped by the next. On SQLite,
//! PostgreSQL and MariaDB.

use stratum::config::DatabaseUrl;
use stratum::db::Connection;
use stratum::prelude::*;
use stratum::script::{EmbeddedRevision, Script};
use stratum::verify::{ScratchDatabase, VerifyStage, verify_script};
use stratum_testkit::{Backend, TestDb, each_database};

fn a_up(op: &mut Ops) {
    op.create_enum("kind", ["x", "y"]);
    op.create_table("thing")
        .column(col("id", integer()).primary_key())
        .column(col("name", varchar_n(40)).not_null())
        .column(col("kind", enum_type("kind")).nullable());
}
fn a_down(op: &mut Ops) {
    op.drop_table("thing");
    op.drop_enum("kind");
}
fn b_up(op: &mut Ops) {
    op.add_column("thing", col("note", text()).nullable());
    op.create_index("ix_thing_name", "thing", ["name"]);
}
fn b_down(op: &mut Ops) {
    op.drop_index("ix_thing_name").table("thing");
    op.drop_column("thing", "note");
}
/// Forgets the index its upgrade created.
fn b_down_forgetful(op: &mut Ops) {
    op.drop_column("thing", "note");
}
/// Refers to a table that does not exist.
fn b_down_broken(op: &mut Ops) {
    op.execute("DROP TABLE no_such_table");
}
fn c_up(op: &mut Ops) {
    op.create_table("other")
        .column(col("id", integer()).primary_key());
}
fn c_down(op: &mut Ops) {
    op.drop_table("other");
}

macro_rules! rev {
    ($revision:expr, $up:expr, $down:expr) => {
        EmbeddedRevision {
            revision: $revision,
            upgrade: $up,
            downgrade: $down,
            file_name: "",
            source: "",
        }
    };
}

static GOOD: [EmbeddedRevision; 3] = [
    rev!(Revision::new("a1").message("things"), a_up, a_down),
    rev!(Revision::new("b2").revises(&["a1"]), b_up, b_down),
    rev!(Revision::new("c3").revises(&["b2"]), c_up, c_down),
];

static FORGETFUL: [EmbeddedRevision; 3] = [
    rev!(Revision::new("a1").message("things"), a_up, a_down),
    rev!(Revision::new("b2").revises(&["a1"]), b_up, b_down_forgetful),
    rev!(Revision::new("c3").revises(&["b2"]), c_up, c_down),
];

static BROKEN: [EmbeddedRevision; 2] = [
    rev!(Revision::new("a1").message("things"), a_up, a_down),
    rev!(Revision::new("b2").revises(&["a1"]), b_up, b_down_broken),
];

fn url(db: &TestDb) -> DatabaseUrl {
    DatabaseUrl::parse(db.url()).unwrap()
}

#[tokio::test]
async fn a_correct_chain_passes_every_revision() {
    each_database(async |db| {
        let script = Script::load(&GOOD).unwrap();
        let report = verify_script(&url(&db), &script, None).await.unwrap();
        assert!(report.ok(), "{:?}", report.failure);
        assert_eq!(report.passed, ["a1", "b2", "c3"]);
        let only = verify_script(&url(&db), &script, Some("b2:"))
            .await
            .unwrap();
        assert_eq!(only.passed, ["b2", "c3"]);
    })
    .await;
}

#[tokio::test]
async fn a_downgrade_that_forgets_an_index_is_caught_and_named() {
    each_database(async |db| {
        let script = Script::load(&FORGETFUL).unwrap();
        let report = verify_script(&url(&db), &script, None).await.unwrap();
        assert_eq!(report.passed, ["a1"]);
        let failure = report.failure.expect("the forgotten index is caught");
        assert_eq!(failure.revision, "b2");
        assert_eq!(failure.stage, VerifyStage::SchemaAfterDowngrade);
        assert_eq!(
            failure.differences,
            ["drop index ix_thing_name on thing"],
            "{failure}"
        );
        let text = failure.to_string();
        assert!(text.contains("revision b2"), "{text}");
        assert!(text.contains("after the downgrade"), "{text}");
    })
    .await;
}

#[tokio::test]
async fn a_downgrade_that_fails_is_named_with_the_database_error() {
    each_database(async |db| {
        let script = Script::load(&BROKEN).unwrap();
        let report = verify_script(&url(&db), &script, None).await.unwrap();
        let failure = report.failure.expect("the failing downgrade is caught");
        assert_eq!(failure.revision, "b2");
        assert_eq!(failure.stage, VerifyStage::Downgrade);
        let error = failure.error.unwrap();
        assert!(error.contains("no_such_table"), "{error}");
    })
    .await;
}

#[tokio::test]
async fn the_scratch_database_is_created_and_dropped() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let scratch = ScratchDatabase::create(&url(&db)).await.unwrap();
    let name = scratch.name().to_string();
    assert!(name.starts_with("stratum_verify_"), "{name}");
    let exists = async |name: &str| {
        let mut conn = Connection::connect(db.url()).await.unwrap();
        let Some(c) = stratum::testing::driver::postgres(&mut conn) else {
            unreachable!()
        };
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
            .bind(name)
            .fetch_one(c)
            .await
            .unwrap();
        n
    };
    assert_eq!(exists(&name).await, 1);
    let mut conn = Connection::connect(scratch.url().expose()).await.unwrap();
    conn.execute("CREATE TABLE t (id integer)").await.unwrap();
    // A session still open does not keep the database alive.
    scratch.drop_database().await.unwrap();
    assert_eq!(exists(&name).await, 0);
    drop(conn);
}

/// On MariaDB the guard is a `GET_LOCK` named lock: while it is held the scratch
/// database is in use and the next verify leaves it alone; a scratch database
/// without guard or sessions is an orphan and dropped.
#[tokio::test]
async fn mariadb_scratch_databases_are_guarded_and_orphans_dropped() {
    let Some(db) = TestDb::new(Backend::Mysql).await else {
        return;
    };
    let count = async |name: &str| -> i64 {
        let mut conn = Connection::connect(db.url()).await.unwrap();
        let c = stratum::testing::driver::mysql(&mut conn).unwrap();
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?",
        )
        .bind(name)
        .fetch_one(&mut *c)
        .await
        .unwrap();
        conn.close().await.unwrap();
        n
    };
    let scratch = ScratchDatabase::create(&url(&db)).await.unwrap();
    let name = scratch.name().to_string();
    assert!(name.starts_with("stratum_verify_"), "{name}");
    assert_eq!(count(&name).await, 1);
    let found = stratum::scratch::drop_orphans(&url(&db)).await.unwrap();
    assert!(found.in_use.contains(&name), "{found:?}");
    assert!(!found.dropped.contains(&name), "{found:?}");

    // A scratch database whose verify is gone: no guard, no session.
    let orphan = format!("stratum_verify_{}_00000000dead", std::process::id());
    let mut conn = Connection::connect(db.url()).await.unwrap();
    conn.execute(&format!("CREATE DATABASE `{orphan}`"))
        .await
        .unwrap();
    conn.close().await.unwrap();
    let found = stratum::scratch::drop_orphans(&url(&db)).await.unwrap();
    assert!(found.dropped.contains(&orphan), "{found:?}");
    assert!(found.in_use.contains(&name), "{found:?}");
    assert_eq!(count(&orphan).await, 0);

    let mut conn = Connection::connect(scratch.url().expose()).await.unwrap();
    conn.execute("CREATE TABLE t (id integer)").await.unwrap();
    scratch.drop_database().await.unwrap();
    assert_eq!(count(&name).await, 0);
    drop(conn);
}

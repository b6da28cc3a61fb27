//! The runner driven by a real versions directory: ops recorded by revision
//! functions, planned through the revision graph, rendered against the simulated
//! schema, on every database; and offline scripts of the same chain.

use std::sync::{Arc, Mutex};

use stratum::db::Connection;
use stratum::prelude::*;
use stratum::runner::{
    Event, Goal, Migrator, OfflineOptions, Planner, RunError, ScriptPlanner, known_revisions,
    offline_script, offline_start, schema_at,
};
use stratum::script::{EmbeddedRevision, Script};
use stratum_core::dialect::Dialect;
use stratum_testkit::{Backend, TestDb, each_database};

fn a1_up(op: &mut Ops) {
    op.create_enum("item_status", ["new", "done"]);
    op.create_table("item")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("name", varchar_n(50)).not_null())
        .column(col("status", enum_type("item_status")).nullable())
        .column(col("created_at", timestamp()).not_null().default_now());
}
fn a1_down(op: &mut Ops) {
    op.drop_table("item");
    op.drop_enum("item_status");
}
fn b2_up(op: &mut Ops) {
    op.add_column("item", col("note", text()).nullable());
    op.create_index("ix_item_name", "item", ["name"]);
}
fn b2_down(op: &mut Ops) {
    op.drop_index("ix_item_name").table("item");
    op.drop_column("item", "note");
}
fn c3_up(op: &mut Ops) {
    op.create_index("ix_item_status", "item", ["status"])
        .concurrently();
}
fn c3_down(op: &mut Ops) {
    op.drop_index("ix_item_status").table("item").concurrently();
}
fn d4_up(op: &mut Ops) {
    op.bulk_insert(
        "item",
        json!([{"id": 1, "name": "seeded", "status": "new"}]),
    );
}
fn d4_down(op: &mut Ops) {
    op.bulk_delete("item", json!([{"id": 1}]));
}

static CHAIN: [EmbeddedRevision; 4] = [
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
            .message("Add note and name index"),
        upgrade: b2_up,
        downgrade: b2_down,
        file_name: "b2_note.rs",
        source: "b2 source",
    },
    EmbeddedRevision {
        revision: Revision::new("c3")
            .revises(&["b2"])
            .message("Status index without blocking writes")
            .non_transactional(),
        upgrade: c3_up,
        downgrade: c3_down,
        file_name: "c3_status_index.rs",
        source: "c3 source",
    },
    EmbeddedRevision {
        revision: Revision::new("d4")
            .revises(&["c3"])
            .message("Seed an item")
            .irreversible(),
        upgrade: d4_up,
        downgrade: d4_down,
        file_name: "d4_seed.rs",
        source: "d4 source",
    },
];

fn script() -> Script {
    Script::load(&CHAIN).unwrap()
}

async fn scalar(db: &TestDb, sql: &str) -> String {
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let rows = conn.query_text(sql).await.unwrap();
    conn.close().await.unwrap();
    rows[0][0].clone().expect("a value")
}

async fn count_tables(db: &TestDb, name: &str) -> String {
    let sql = match db.backend() {
        Backend::Postgres => {
            format!("SELECT count(*) FROM information_schema.tables WHERE table_name = '{name}'")
        }
        Backend::Mysql => format!(
            "SELECT count(*) FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = '{name}'"
        ),
        Backend::Sqlite => format!("SELECT count(*) FROM sqlite_master WHERE name = '{name}'"),
    };
    scalar(db, &sql).await
}

#[tokio::test]
async fn chain_of_real_ops_upgrades_and_downgrades() {
    each_database(async |db: TestDb| {
        let script = script();
        let known = known_revisions(&script);
        let events: Arc<Mutex<Vec<Event>>> = Arc::default();
        let sink = events.clone();
        let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap())
            .with_events(move |e: &Event| sink.lock().unwrap().push(e.clone()));

        // In two runs, so the second renders against the schema folded up to b2.
        let up = ScriptPlanner::new(&script, Goal::Upgrade("b2".into()));
        m.run(&known, &up).await.unwrap();
        let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
        let report = m.run(&known, &up).await.unwrap();
        assert_eq!(report.heads_before, ["b2"]);
        assert_eq!(report.heads_after, ["d4"]);
        assert!(
            events
                .lock()
                .unwrap()
                .iter()
                .any(|e| matches!(e, Event::NonTransactional { id } if id == "c3"))
        );
        assert_eq!(
            scalar(&db, "SELECT name FROM item WHERE id = 1").await,
            "seeded"
        );

        // d4 is irreversible: refused without --force, nothing run.
        let down = ScriptPlanner::new(&script, Goal::Downgrade("base".into()));
        let err = m.run(&known, &down).await.unwrap_err();
        assert!(matches!(err, RunError::Plan(_)), "{err}");
        assert!(
            err.to_string().contains("d4") && err.to_string().contains("--force"),
            "{err}"
        );
        assert_eq!(m.current_heads().await.unwrap().unwrap(), ["d4"]);

        let down = down.allow_irreversible(true);
        let report = m.run(&known, &down).await.unwrap();
        assert_eq!(report.applied.len(), 4);
        assert!(report.heads_after.is_empty());
        assert_eq!(count_tables(&db, "item").await, "0");
        if db.backend() == Backend::Postgres {
            assert_eq!(
                scalar(
                    &db,
                    "SELECT count(*) FROM pg_type WHERE typname = 'item_status'"
                )
                .await,
                "0"
            );
        }
        // And up again from base.
        let up = ScriptPlanner::new(&script, Goal::Upgrade("heads".into()));
        m.run(&known, &up).await.unwrap();
        assert_eq!(count_tables(&db, "item").await, "1");
    })
    .await;
}

fn mixed_up(op: &mut Ops) {
    op.create_table("t")
        .column(col("id", integer()).primary_key());
    op.create_index("ix_t", "t", ["id"]).concurrently();
}
fn nothing(_: &mut Ops) {}

static MIXED: [EmbeddedRevision; 1] = [EmbeddedRevision {
    revision: Revision::new("m1").message("Mixed"),
    upgrade: mixed_up,
    downgrade: nothing,
    file_name: "m1_mixed.rs",
    source: "m1",
}];

#[tokio::test]
async fn transactional_revision_with_a_concurrent_index_is_refused_before_any_ddl() {
    each_database(async |db: TestDb| {
        // Only where an index can be built without blocking writes is it built
        // outside any transaction, so that a transactional revision cannot hold it.
        let conn = Connection::connect(db.url()).await.unwrap();
        if conn.sql_dialect().capabilities().concurrent_indexes {
            concurrent_index_refused(&db, conn).await;
        }
    })
    .await;
}

async fn concurrent_index_refused(db: &TestDb, conn: Connection) {
    let script = Script::load(&MIXED).unwrap();
    let mut m = Migrator::new(conn);
    let err = m
        .run(
            &known_revisions(&script),
            &ScriptPlanner::new(&script, Goal::Upgrade("head".into())),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RunError::MixedTransactional { revision, .. } if revision == "m1"),
        "{err}"
    );
    assert!(err.to_string().contains("non_transactional"), "{err}");
    assert_eq!(count_tables(db, "t").await, "0");
    assert_eq!(count_tables(db, "alembic_version").await, "0");
}

#[test]
fn offline_scripts_for_both_dialects() {
    let script = script();
    let planner = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
    let plan = planner.plan(&[]).unwrap();
    for (dialect, name) in [
        (Dialect::Postgres, "offline_postgres"),
        (Dialect::Sqlite, "offline_sqlite"),
    ] {
        let sql = offline_script(dialect, &plan, &OfflineOptions::default()).unwrap();
        insta::assert_snapshot!(name, sql);
    }
    // A range b2:head starts from b2's schema and does not create the version table.
    let from = offline_start(&script, Some("b2")).unwrap();
    assert_eq!(from, ["b2"]);
    let plan = planner.plan(&from).unwrap();
    assert_eq!(plan.start_schema, schema_at(&script, &from).unwrap());
    assert!(
        plan.start_schema.tables["item"]
            .columns
            .iter()
            .any(|c| c.name == "note")
    );
    let sql = offline_script(Dialect::Postgres, &plan, &OfflineOptions::default()).unwrap();
    assert!(
        !sql.contains("CREATE TABLE IF NOT EXISTS \"alembic_version\""),
        "{sql}"
    );
    assert!(
        sql.contains("UPDATE \"alembic_version\" SET version_num = 'c3' WHERE version_num = 'b2'"),
        "{sql}"
    );
    // Downgrade to base, offline.
    let down = ScriptPlanner::new(&script, Goal::Downgrade("base".into())).allow_irreversible(true);
    let sql = offline_script(
        Dialect::Postgres,
        &down.plan(&["d4".to_string()]).unwrap(),
        &OfflineOptions::default(),
    )
    .unwrap();
    insta::assert_snapshot!("offline_postgres_downgrade", sql);
}

#[tokio::test]
async fn stamp_through_the_graph() {
    each_database(async |db: TestDb| {
        let script = script();
        let known = known_revisions(&script);
        let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());
        let stamp = |target: &str| stratum::runner::ScriptStamp {
            script: &script,
            targets: vec![target.to_string()],
        };
        let r = m.stamp(&known, &stamp("c3"), false).await.unwrap();
        assert_eq!(r.heads_after, ["c3"]);
        let r = m.stamp(&known, &stamp("head"), false).await.unwrap();
        assert_eq!(
            (r.heads_before.as_slice(), r.heads_after.as_slice()),
            (&["c3".to_string()][..], &["d4".to_string()][..])
        );
        let r = m.stamp(&known, &stamp("base"), false).await.unwrap();
        assert!(r.heads_after.is_empty());
        assert!(m.stamp(&known, &stamp("zz"), false).await.is_err());
        assert_eq!(count_tables(&db, "item").await, "0");
    })
    .await;
}

fn half_up(op: &mut Ops) {
    op.create_table("first")
        .column(col("id", integer()).primary_key());
    op.execute("INSERT INTO no_such_table VALUES (1)");
}

static HALF: [EmbeddedRevision; 2] = [
    EmbeddedRevision {
        revision: Revision::new("h1").message("Base"),
        upgrade: nothing,
        downgrade: nothing,
        file_name: "h1_base.rs",
        source: "h1",
    },
    EmbeddedRevision {
        revision: Revision::new("h2")
            .revises(&["h1"])
            .message("Stops half-way")
            .non_transactional(),
        upgrade: half_up,
        downgrade: nothing,
        file_name: "h2_half.rs",
        source: "h2",
    },
];

#[tokio::test]
async fn stamp_is_refused_while_a_revision_is_partly_applied() {
    each_database(async |db: TestDb| {
        let script = Script::load(&HALF).unwrap();
        let known = known_revisions(&script);
        let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());
        let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
        let err = m.run(&known, &up).await.unwrap_err();
        assert!(matches!(err, RunError::PartiallyApplied { .. }), "{err}");
        let partial = m.partial_revisions().await.unwrap();
        assert_eq!(partial.len(), 1);
        assert_eq!(
            (partial[0].revision.as_str(), partial[0].applied),
            ("h2", 1)
        );
        for (target, purge) in [("h2", false), ("base", false), ("h1", true)] {
            let stamp = stratum::runner::ScriptStamp {
                script: &script,
                targets: vec![target.to_string()],
            };
            let err = m.stamp(&known, &stamp, purge).await.unwrap_err();
            let RunError::PartlyApplied { what, partial } = &err else {
                panic!("stamp {target}: {err}");
            };
            assert_eq!((what.as_str(), partial.revision.as_str()), ("stamp", "h2"));
            assert!(
                err.to_string()
                    .contains("`resolve h2 --applied` or `resolve h2 --rolled-back`"),
                "{err}"
            );
            assert_eq!(m.current_heads().await.unwrap().unwrap(), ["h1"]);
        }
        assert_eq!(m.partial_revisions().await.unwrap().len(), 1);
        // Resolved, the stamp goes through.
        m.resolve(&known, "h2", stratum::runner::Resolution::Applied)
            .await
            .unwrap();
        let stamp = stratum::runner::ScriptStamp {
            script: &script,
            targets: vec!["h1".to_string()],
        };
        let r = m.stamp(&known, &stamp, false).await.unwrap();
        assert_eq!(r.heads_after, ["h1"]);
    })
    .await;
}

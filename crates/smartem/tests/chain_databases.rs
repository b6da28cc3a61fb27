//! The SmartEM chain on real databases, PostgreSQL, SQLite and MariaDB: after
//! every revision, up and down, the live schema equals the simulated one; at head
//! it equals the models; `downgrade base` leaves no table, enum type or sequence
//! behind; and the seed revision's downgrade removes only its own rows.
//!
//! Each test runs on SQLite, PostgreSQL and MariaDB; a server database is skipped
//! when no server is available (see `stratum-testkit`).

mod chain_support;

use chain_support::{assert_same_schema, downgrade_plan, record, revision, upgrade_plan};
use stratum::db::Connection;
use stratum::dialect::{normalize_for, render_all};
use stratum::introspect::introspect;
use stratum::schema::Schema;
use stratum::script::EmbeddedRevision;
use stratum::simulate::apply_all;
use stratum_testkit::{TestDb, each_database};

/// Renders one direction of a revision for the connection's dialect, runs it,
/// and applies it to the simulated `schema`.
async fn run(conn: &mut Connection, schema: &mut Schema, r: &EmbeddedRevision, up: bool) {
    let (ops, direction) = if up {
        (record(r.upgrade), "upgrade")
    } else {
        (record(r.downgrade), "downgrade")
    };
    let statements = render_all(conn.dialect(), &ops, schema)
        .unwrap_or_else(|e| panic!("{direction} of {} does not render: {e}", r.file_name));
    for statement in statements {
        if let Err(e) = conn.execute(&statement.sql).await {
            panic!(
                "{direction} of {} failed on {:?}: {e}\nstatement: {}",
                r.file_name,
                conn.dialect(),
                statement.sql
            );
        }
    }
    apply_all(schema, &ops).unwrap();
}

async fn live(conn: &mut Connection) -> Schema {
    introspect(conn, &[]).await.expect("introspection")
}

async fn assert_live_matches(conn: &mut Connection, simulated: &Schema, context: &str) {
    let expected = normalize_for(conn.dialect(), simulated);
    let actual = live(conn).await;
    assert_same_schema(
        &expected,
        &actual,
        ("the simulator", "the database"),
        context,
    );
}

/// Up to head and back to base, comparing after every revision.
async fn round_trip(db: TestDb) {
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let dialect = conn.dialect();
    let mut schema = Schema::new();
    for r in upgrade_plan() {
        run(&mut conn, &mut schema, r, true).await;
        let context = format!("{dialect:?}, after upgrading {}", r.file_name);
        assert_live_matches(&mut conn, &schema, &context).await;
    }
    assert_same_schema(
        &normalize_for(dialect, &smartem::model::target_schema()),
        &live(&mut conn).await,
        ("the models", "the database at head"),
        &format!("{dialect:?}: drift at head"),
    );
    for r in downgrade_plan() {
        run(&mut conn, &mut schema, r, false).await;
        let context = format!("{dialect:?}, after downgrading {}", r.file_name);
        assert_live_matches(&mut conn, &schema, &context).await;
    }
    let left = live(&mut conn).await;
    assert!(
        left.tables.is_empty() && left.enums.is_empty() && left.sequences.is_empty(),
        "{dialect:?}: left after downgrade to base: {left:?}"
    );
    if let Some(c) = stratum::testing::driver::postgres(&mut conn) {
        // Straight from the catalogs: no relation (table, index, sequence) and no
        // type of any kind is left in the schema.
        let (relations, types): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace), \
                    (SELECT count(*) FROM pg_type WHERE typnamespace = 'public'::regnamespace)",
        )
        .fetch_one(c)
        .await
        .unwrap();
        assert_eq!((relations, types), (0, 0), "objects left in schema public");
    }
    if let Some(c) = stratum::testing::driver::mysql(&mut conn) {
        // Straight from information_schema: no table, view or sequence is left.
        let tables: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE()",
        )
        .fetch_one(c)
        .await
        .unwrap();
        assert_eq!(tables, 0, "objects left in the database");
    }
    conn.close().await.unwrap();
}

#[tokio::test]
async fn chain_round_trips() {
    each_database(round_trip).await;
}

/// `(user_id, preference_key, preference_value)` of every user_preferences row.
async fn preference_rows(conn: &mut Connection) -> Vec<(String, String, serde_json::Value)> {
    let rows: Vec<(String, String, Option<String>)> =
        if let Some(c) = stratum::testing::driver::postgres(conn) {
            sqlx::query_as(
                "SELECT user_id, preference_key, preference_value::text FROM user_preferences \
             ORDER BY user_id, preference_key",
            )
            .fetch_all(c)
            .await
            .unwrap()
        } else if let Some(c) = stratum::testing::driver::mysql(conn) {
            sqlx::query_as(
                "SELECT user_id, preference_key, preference_value FROM user_preferences \
             ORDER BY user_id, preference_key",
            )
            .fetch_all(c)
            .await
            .unwrap()
        } else {
            let c = stratum::testing::driver::sqlite(conn).unwrap();
            sqlx::query_as(
                "SELECT user_id, preference_key, preference_value FROM user_preferences \
             ORDER BY user_id, preference_key",
            )
            .fetch_all(c)
            .await
            .unwrap()
        };
    rows.into_iter()
        .map(|(u, k, v)| {
            let v = v.map_or(serde_json::Value::Null, |t| {
                serde_json::from_str(&t).expect("stored preference is JSON")
            });
            (u, k, v)
        })
        .collect()
}

async fn seed_undo_is_exact(db: TestDb) {
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let mut schema = Schema::new();
    let plan = upgrade_plan();
    let seed_at = plan.iter().position(|r| r.revision.id == "003").unwrap();
    for r in &plan[..=seed_at] {
        run(&mut conn, &mut schema, r, true).await;
    }

    // The rows stored are the rows the revision inserts, values intact.
    let stratum::ops::Op::BulkInsert { rows: seeded, .. } = &record(revision("003").upgrade)[0]
    else {
        panic!("003 should start with a bulk insert");
    };
    let mut expected: Vec<(String, String, serde_json::Value)> = seeded
        .iter()
        .map(|r| {
            (
                r.get("user_id").unwrap().as_str().unwrap().to_string(),
                r.get("preference_key")
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
                r.get("preference_value").unwrap().clone(),
            )
        })
        .collect();
    expected.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(preference_rows(&mut conn).await, expected);

    // Rows that are not the seed's survive its downgrade, even those sharing its
    // user id or one of its keys.
    conn.execute(
        "INSERT INTO user_preferences (user_id, preference_key, preference_value) VALUES \
         ('alice', 'ui_defaults', '{\"default_page_size\": 20}'), \
         ('system', 'maintenance_window', '\"sunday\"')",
    )
    .await
    .unwrap();
    run(&mut conn, &mut schema, revision("003"), false).await;
    let left: Vec<(String, String)> = preference_rows(&mut conn)
        .await
        .into_iter()
        .map(|(u, k, _)| (u, k))
        .collect();
    assert_eq!(
        left,
        [
            ("alice".to_string(), "ui_defaults".to_string()),
            ("system".to_string(), "maintenance_window".to_string())
        ]
    );
    conn.close().await.unwrap();
}

#[tokio::test]
async fn seed_downgrade_removes_only_the_seeded_rows() {
    each_database(seed_undo_is_exact).await;
}

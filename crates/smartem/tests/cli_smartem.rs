//! `smartem-migrate` end to end, on real databases (SQLite, PostgreSQL and
//! MariaDB): the chain reaches the reference schema, round-trips to an empty
//! database, seeds exactly CHAIN.md's rows, reports no drift, and continues a
//! database Alembic stamped.

mod chain_support;
mod cli_support;

use chain_support::assert_same_schema;
use cli_support::bin;
use serde_json::json;
use stratum::db::Connection;
use stratum::schema::Schema;
use stratum_testkit::{TestDb, each_database};

async fn introspect(url: &str) -> Schema {
    let mut conn = Connection::connect(url).await.expect("connect");
    let s = stratum::introspect::introspect(&mut conn, &[])
        .await
        .expect("introspect");
    conn.close().await.ok();
    s
}

fn shared_file(name: &str) -> std::path::PathBuf {
    if let Ok(dir) = std::env::var("STRATUM_SHARED_DIR") {
        return std::path::Path::new(&dir).join("smartem").join(name);
    }
    let mut dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let candidate = dir.join("shared/smartem").join(name);
        if candidate.exists() {
            return candidate;
        }
        if !dir.pop() {
            panic!("shared/smartem/{name} not found above the crate; set STRATUM_SHARED_DIR");
        }
    }
}

/// What CHAIN.md adds to the reference: `user_preferences` (revision 001) and the two
/// indexes of revision 002, written out as SQL from the specification.
const CHAIN_EXTRAS: &str = r#"
CREATE TABLE user_preferences (
    id SERIAL NOT NULL,
    user_id character varying NOT NULL,
    preference_key character varying(255) NOT NULL,
    preference_value jsonb,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    updated_at timestamp without time zone DEFAULT now() NOT NULL,
    CONSTRAINT user_preferences_pkey PRIMARY KEY (id),
    CONSTRAINT uq_user_preference_key UNIQUE (user_id, preference_key)
);
CREATE INDEX idx_user_preferences_user_id ON user_preferences USING btree (user_id);
CREATE INDEX idx_user_preferences_key ON user_preferences USING btree (preference_key);
CREATE INDEX idx_gridsquare_acquisition_datetime_status ON gridsquare USING btree (acquisition_datetime, status);
CREATE INDEX idx_micrograph_acquisition_datetime ON micrograph USING btree (acquisition_datetime);
"#;

#[tokio::test]
async fn head_equals_the_reference_schema_on_postgres() {
    let (Some(db), Some(reference)) = (TestDb::postgres().await, TestDb::postgres().await) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    bin(dir.path(), db.url())
        .args(["upgrade", "head"])
        .assert()
        .success();

    let sql = std::fs::read_to_string(shared_file("reference-schema.sql")).unwrap();
    let mut conn = Connection::connect(reference.url()).await.unwrap();
    conn.execute(&sql).await.expect("reference schema loads");
    conn.execute(CHAIN_EXTRAS).await.expect("chain extras load");
    conn.close().await.unwrap();

    let migrated = introspect(db.url()).await;
    let expected = introspect(reference.url()).await;
    assert_same_schema(
        &migrated,
        &expected,
        (
            "upgraded by smartem-migrate",
            "reference-schema.sql + 001/002",
        ),
        "head",
    );
    // The engine's own differ agrees: nothing to do between them.
    assert!(stratum::diff::diff(&migrated, &expected).is_empty());
}

/// Tables, enum types, sequences and indexes left in `public`.
async fn leftovers(url: &str) -> i64 {
    let mut conn = Connection::connect(url).await.unwrap();
    let Some(pg) = stratum::testing::driver::postgres(&mut conn) else {
        unreachable!()
    };
    let n: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S', 'i') \
         AND c.relname NOT IN ('alembic_version', 'alembic_version_pkc') \
         AND c.relname NOT LIKE 'stratum\\_history%'",
    )
    .fetch_one(&mut *pg)
    .await
    .unwrap();
    let types: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = 'public' AND t.typtype = 'e'",
    )
    .fetch_one(&mut *pg)
    .await
    .unwrap();
    conn.close().await.ok();
    n + types
}

/// Every table of a MariaDB database, by name.
async fn mysql_tables(url: &str) -> Vec<String> {
    let mut conn = Connection::connect(url).await.unwrap();
    let my = stratum::testing::driver::mysql(&mut conn).unwrap();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
         WHERE table_schema = DATABASE() ORDER BY table_name",
    )
    .fetch_all(&mut *my)
    .await
    .unwrap();
    conn.close().await.ok();
    names
}

#[tokio::test]
async fn downgrade_base_leaves_nothing_and_upgrade_rebuilds_the_same() {
    each_database(async |db| {
        let dir = tempfile::tempdir().unwrap();
        bin(dir.path(), db.url())
            .args(["upgrade", "head"])
            .assert()
            .success();
        let first = introspect(db.url()).await;
        bin(dir.path(), db.url())
            .args(["downgrade", "base"])
            .assert()
            .success();
        let empty = introspect(db.url()).await;
        assert!(empty.tables.is_empty(), "{:?}", empty.tables.keys());
        assert!(empty.enums.is_empty(), "{:?}", empty.enums.keys());
        assert!(empty.sequences.is_empty(), "{:?}", empty.sequences.keys());
        if db.url().starts_with("postgres") {
            assert_eq!(
                leftovers(db.url()).await,
                0,
                "catalog objects left after downgrade base"
            );
        }
        if db.url().starts_with("mysql") {
            assert_eq!(
                mysql_tables(db.url()).await,
                ["alembic_version", "stratum_history"],
                "tables left after downgrade base"
            );
        }
        bin(dir.path(), db.url())
            .args(["upgrade", "head"])
            .assert()
            .success();
        assert_eq!(introspect(db.url()).await, first);
        // Zero false positives: a database built by the chain shows no drift.
        bin(dir.path(), db.url()).args(["check"]).assert().success();
    })
    .await;
}

async fn system_rows(url: &str) -> Vec<(String, serde_json::Value)> {
    let mut conn = Connection::connect(url).await.unwrap();
    let rows: Vec<(String, String)> =
        if let Some(pg) = stratum::testing::driver::postgres(&mut conn) {
            sqlx::query_as(
                "SELECT preference_key, preference_value::text FROM user_preferences \
             WHERE user_id = 'system' ORDER BY preference_key",
            )
            .fetch_all(&mut *pg)
            .await
            .unwrap()
        } else if let Some(my) = stratum::testing::driver::mysql(&mut conn) {
            sqlx::query_as(
                "SELECT preference_key, preference_value FROM user_preferences \
             WHERE user_id = 'system' ORDER BY preference_key",
            )
            .fetch_all(&mut *my)
            .await
            .unwrap()
        } else {
            let lite = stratum::testing::driver::sqlite(&mut conn).unwrap();
            sqlx::query_as(
                "SELECT preference_key, preference_value FROM user_preferences \
             WHERE user_id = 'system' ORDER BY preference_key",
            )
            .fetch_all(&mut *lite)
            .await
            .unwrap()
        };
    conn.close().await.ok();
    rows.into_iter()
        .map(|(k, v)| (k, serde_json::from_str(&v).expect("JSON value")))
        .collect()
}

#[tokio::test]
async fn seed_rows_are_exact_at_head_and_gone_after_downgrade_to_002() {
    each_database(async |db| {
        let dir = tempfile::tempdir().unwrap();
        bin(dir.path(), db.url()).args(["upgrade", "head"]).assert().success();
        let expected = vec![
            (
                "default_acquisition_settings".to_string(),
                json!({"clustering_mode": "auto", "clustering_radius": "2.0", "default_magnification": 165000, "default_pixel_size": 0.8}),
            ),
            (
                "quality_thresholds".to_string(),
                json!({"min_foilhole_quality": 0.3, "min_ctf_resolution": 4.0, "max_total_motion": 50.0}),
            ),
            (
                "ui_defaults".to_string(),
                json!({"grid_view_columns": ["name", "status", "scan_start_time"], "default_page_size": 50, "auto_refresh_interval": 30}),
            ),
        ];
        assert_eq!(system_rows(db.url()).await, expected);
        bin(dir.path(), db.url()).args(["downgrade", "002"]).assert().success();
        assert!(system_rows(db.url()).await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn database_stamped_by_alembic_at_004_continues() {
    each_database(async |db| {
        let dir = tempfile::tempdir().unwrap();
        // The schema as at 004, with only Alembic's version table, as Alembic leaves it.
        bin(dir.path(), db.url())
            .args(["upgrade", "004"])
            .assert()
            .success();
        let mut conn = Connection::connect(db.url()).await.unwrap();
        conn.execute("DROP TABLE stratum_history").await.unwrap();
        conn.close().await.unwrap();

        let out = bin(dir.path(), db.url())
            .args(["current"])
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert_eq!(stdout.trim(), "004");
        bin(dir.path(), db.url())
            .args(["upgrade", "head"])
            .assert()
            .success();
        bin(dir.path(), db.url()).args(["check"]).assert().success();
    })
    .await;
}

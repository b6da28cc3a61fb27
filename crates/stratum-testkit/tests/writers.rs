//! The concurrent-writer harness against a real PostgreSQL: a plain `CREATE INDEX`
//! in a transaction that keeps its lock shows up as a stall, and the writers carry
//! on without an error once the lock is released.

use sqlx::{Connection as _, PgConnection};
use std::time::{Duration, Instant};
use stratum_testkit::{TestDb, WriterLoad};

const ROWS: i64 = 300_000;

async fn table_of_rows(url: &str) -> PgConnection {
    let mut conn = PgConnection::connect(url).await.unwrap();
    sqlx::raw_sql(
        "CREATE TABLE reading (id bigint PRIMARY KEY, device integer NOT NULL, value double precision, note text);
         INSERT INTO reading SELECT g, g % 97, g / 7.0, 'r' || g FROM generate_series(1, 300000) g;
         ANALYZE reading;",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn
}

fn load(url: &str) -> WriterLoad {
    WriterLoad::new(url, "reading")
        .insert("INSERT INTO reading (id, device, value, note) VALUES ($1, $1 % 97, $1 / 7.0, 'w')")
        .update("UPDATE reading SET value = value + 1 WHERE id = $1")
        .first_key(ROWS + 1)
        .update_keys(1..ROWS + 1)
        .tasks(3)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_index_holding_its_lock_stalls_the_writers() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut conn = table_of_rows(db.url()).await;
    let writers = load(db.url()).start().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // The index build takes a SHARE lock, which blocks inserts and updates; the
    // transaction keeps it for at least `held` after the build.
    let held = Duration::from_millis(600);
    let began = writers.elapsed();
    let t0 = Instant::now();
    let mut tx = conn.begin().await.unwrap();
    sqlx::raw_sql("CREATE INDEX reading_device ON reading (device, value)")
        .execute(&mut *tx)
        .await
        .unwrap();
    tokio::time::sleep(held).await;
    tx.commit().await.unwrap();
    let locked = t0.elapsed();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let report = writers.stop().await;
    eprintln!(
        "{report}\nlock held {:.0} ms",
        locked.as_secs_f64() * 1000.0
    );

    assert!(report.is_clean(), "{report}");
    assert!(report.statements > 0, "{report}");
    assert!(
        report.stall >= held - Duration::from_millis(100),
        "the lock was held for {locked:?} but the longest writer statement took {:?}: {report}",
        report.stall
    );
    assert!(
        report.stall_at >= began.saturating_sub(Duration::from_millis(50))
            && report.stall_at <= began + locked,
        "the stall must start while the lock is held ({began:?} + {locked:?}): {report}"
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM reading WHERE id > $1")
        .bind(ROWS)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows as u64 * 2, report.statements, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_statements_are_reported_with_their_sqlstate() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let _conn = table_of_rows(db.url()).await;
    // Keys from 1 collide with the existing rows: every insert fails.
    let writers = load(db.url()).first_key(1).tasks(1).start().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let report = writers.stop().await;
    assert!(!report.is_clean(), "{report}");
    let first = &report.errors[0];
    assert_eq!(first.code.as_deref(), Some("23505"), "{report}");
    assert_eq!(first.kind, stratum_testkit::writers::StatementKind::Insert);
    assert!(report.p99 <= report.stall, "{report}");
}

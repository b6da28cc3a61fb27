//! An online migration that arrives while a long transaction holds the table:
//! the old transaction is reported before the run starts, each step gives up
//! its lock wait after the short timeout and retries, naming the session in the
//! way, and the run completes once that session ends, with no writer failing.

mod online_support;

use online_support::*;
use sqlx::{Connection as _, PgConnection};
use std::time::Duration;
use stratum::ops::Ops;
use stratum::runner::{Event, OnlineEvent, OnlineOptions};
use stratum_testkit::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_long_transaction_is_reported_and_waited_out_with_retries() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut ops = Ops::new();
    ops.alter_column("micrograph", "grid_id").set_not_null();
    let chain = Chain::new(ops.into_vec());
    let expected = plain_schema(&chain).await;
    base(&db, &chain).await;
    let w = writers(&db).await;
    let mut holder = PgConnection::connect(db.url()).await.expect("connect");
    sqlx::raw_sql(
        "SET application_name = 'long-report'; BEGIN; SELECT count(*) FROM micrograph WHERE id = 1",
    )
    .execute(&mut holder)
    .await
    .expect("long transaction");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let release = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        sqlx::raw_sql("COMMIT")
            .execute(&mut holder)
            .await
            .expect("commit");
    });
    let options = OnlineOptions {
        old_transaction: Duration::from_millis(300),
        backoff_base: Duration::from_millis(50),
        backoff_cap: Duration::from_millis(300),
        attempts: 100,
        ..quick()
    };
    let evs = events();
    let result = run(&db, &chain, "002", Some(options), evs.clone(), None).await;
    release.await.expect("release");
    let report = w.stop().await;
    result.expect("online run");
    assert_clean(&report);
    assert_eq!(schema(&db).await, expected);
    let evs = evs.lock().unwrap();
    let named =
        |s: &stratum::runner::BlockingSession| s.application.as_deref() == Some("long-report");
    assert!(
        evs.iter().any(|e| matches!(e, Event::Online(OnlineEvent::OldTransaction { session }) if named(session))),
        "the old transaction was not reported"
    );
    let retries: Vec<_> = evs
        .iter()
        .filter_map(|e| match e {
            Event::Online(OnlineEvent::Retry { blocking, .. }) => Some(blocking),
            _ => None,
        })
        .collect();
    assert!(!retries.is_empty(), "no step retried");
    assert!(
        retries.iter().any(|b| b.iter().any(named)),
        "no retry named the blocking session: {retries:?}"
    );
    assert!(
        report.stall < Duration::from_millis(1000),
        "writers stalled for {:?}",
        report.stall
    );
}

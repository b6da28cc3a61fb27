//! Online runs killed at each kind of step (inside a concurrent index build,
//! between NOT VALID and VALIDATE, in the middle of a backfill): the next run
//! resumes and ends with the plain run's schema, with writers running
//! throughout and never failing.

mod online_support;

use online_support::*;
use sqlx::{AssertSqlSafe, Connection as _, PgConnection};
use std::sync::Arc;
use std::time::Duration;
use stratum::ops::Ops;
use stratum::prelude::*;
use stratum::runner::{APPLICATION_NAME, Event, OnlineEvent, OnlineOptions};
use stratum_core::online::StepKind;
use stratum_testkit::TestDb;
use tokio::sync::mpsc;

async fn pg(url: &str) -> PgConnection {
    PgConnection::connect(url).await.expect("connect")
}

async fn scalar(conn: &mut PgConnection, sql: &str) -> Option<String> {
    sqlx::query_scalar::<_, Option<String>>(AssertSqlSafe(sql.to_string()))
        .fetch_one(conn)
        .await
        .expect("query")
}

/// Ends the migrator's session.
async fn kill_migrator(conn: &mut PgConnection) -> bool {
    let sql = format!(
        "SELECT CAST(count(pg_terminate_backend(pid)) AS TEXT) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = '{APPLICATION_NAME}'"
    );
    scalar(conn, &sql).await.as_deref() != Some("0")
}

/// A hook that, on the first event `pick` accepts, signals and holds the
/// migrator for a moment (so that it is killed right there).
fn pause_at(
    pick: impl Fn(&Event) -> bool + Send + Sync + 'static,
    hold: Duration,
) -> (Hook, mpsc::UnboundedReceiver<()>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let fired = std::sync::atomic::AtomicBool::new(false);
    let hook = move |e: &Event| {
        if pick(e) && !fired.swap(true, std::sync::atomic::Ordering::SeqCst) {
            let _ = tx.send(());
            std::thread::sleep(hold);
        }
    };
    (Arc::new(hook), rx)
}

fn step_started(kind: StepKind) -> impl Fn(&Event) -> bool + Send + Sync + 'static {
    move |e| matches!(e, Event::Online(OnlineEvent::StepStarted { kind: k, .. }) if *k == kind)
}

/// Runs `002` online, killed when `hook` fires (by `killer`), then again; checks
/// the writers and the final schema, and returns the events of the second run.
async fn killed_then_resumed<K: std::future::Future<Output = ()> + Send + 'static>(
    ops: Vec<stratum::ops::Op>,
    options: OnlineOptions,
    hook: Hook,
    killer: impl FnOnce(String) -> K,
    between: impl AsyncFnOnce(&str),
) -> Events {
    let chain = Chain::new(ops);
    let expected = plain_schema(&chain).await;
    let db = TestDb::postgres().await.expect("server");
    base(&db, &chain).await;
    let w = writers(&db).await;
    let killing = tokio::spawn(killer(db.url().to_string()));
    let first_events = events();
    let result = run(
        &db,
        &chain,
        "002",
        Some(options.clone()),
        first_events.clone(),
        Some(hook),
    )
    .await;
    if let Err(e) = killing.await {
        panic!(
            "{e}; the first run: {result:?}; its events: {:#?}",
            first_events.lock().unwrap()
        );
    }
    assert!(result.is_err(), "the first run was not interrupted");
    between(db.url()).await;
    let evs = events();
    run(&db, &chain, "002", Some(options), evs.clone(), None)
        .await
        .expect("resumed run");
    let report = w.stop().await;
    assert_clean(&report);
    assert_eq!(
        schema(&db).await,
        expected,
        "resumed schema differs from the plain run's"
    );
    let total = scalar(
        &mut pg(db.url()).await,
        "SELECT CAST(count(*) AS TEXT) FROM micrograph",
    )
    .await;
    evs.lock()
        .unwrap()
        .push(Event::Online(OnlineEvent::Planned {
            id: "rows in micrograph".into(),
            steps: total.and_then(|t| t.parse().ok()).unwrap_or(0),
        }));
    evs
}

fn skipped(evs: &Events) -> usize {
    evs.lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, Event::Online(OnlineEvent::StepSkipped { .. })))
        .count()
}

macro_rules! need_server {
    () => {
        if TestDb::postgres().await.is_none() {
            return;
        }
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_inside_a_concurrent_index_build() {
    need_server!();
    let mut ops = Ops::new();
    ops.create_index("idx_micrograph_code", "micrograph", ["code"]);
    // The build waits for an open writing transaction; it is killed while it waits.
    let options = OnlineOptions {
        lock_timeout: Duration::from_secs(10),
        ..quick()
    };
    let (hook, mut fired) = pause_at(
        step_started(StepKind::BuildIndex),
        Duration::from_millis(300),
    );
    let killer = |url: String| async move {
        let mut blocker = pg(&url).await;
        sqlx::raw_sql("BEGIN; UPDATE micrograph SET n = n WHERE id = 1")
            .execute(&mut blocker)
            .await
            .expect("blocker");
        fired.recv().await;
        let mut admin = pg(&url).await;
        let mut killed = false;
        for _ in 0..400 {
            let building = scalar(
                &mut admin,
                &format!(
                    "SELECT CAST(count(*) AS TEXT) FROM pg_stat_activity WHERE datname = current_database() \
                     AND application_name = '{APPLICATION_NAME}' AND state = 'active' \
                     AND query LIKE 'CREATE INDEX CONCURRENTLY%'"
                ),
            )
            .await;
            if building.as_deref() != Some("0") {
                tokio::time::sleep(Duration::from_millis(100)).await;
                killed = kill_migrator(&mut admin).await;
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(killed, "the concurrent build was never seen running");
        sqlx::raw_sql("COMMIT")
            .execute(&mut blocker)
            .await
            .expect("commit");
    };
    let between = async |url: &str| {
        let mut c = pg(url).await;
        let valid = scalar(
            &mut c,
            "SELECT CAST(indisvalid AS TEXT) FROM pg_index WHERE indexrelid = to_regclass('idx_micrograph_code')",
        )
        .await;
        assert_eq!(
            valid.as_deref(),
            Some("false"),
            "the killed build left no INVALID index"
        );
    };
    let evs = killed_then_resumed(ops.into_vec(), options, hook, killer, between).await;
    assert!(
        evs.lock().unwrap().iter().any(|e| matches!(
            e,
            Event::Online(OnlineEvent::InvalidIndexDropped { index, .. }) if index == "idx_micrograph_code"
        )),
        "the INVALID index was not dropped and rebuilt"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_between_not_valid_and_validate() {
    need_server!();
    let mut ops = Ops::new();
    ops.create_foreign_key(
        "fk_micrograph_grid",
        "micrograph",
        "grid",
        ["grid_id"],
        ["id"],
    );
    let (hook, mut fired) = pause_at(step_started(StepKind::Validate), Duration::from_millis(600));
    let killer = |url: String| async move {
        fired.recv().await;
        let mut admin = pg(&url).await;
        assert!(kill_migrator(&mut admin).await);
    };
    let between = async |url: &str| {
        let mut c = pg(url).await;
        let validated = scalar(
            &mut c,
            "SELECT CAST(convalidated AS TEXT) FROM pg_constraint WHERE conname = 'fk_micrograph_grid'",
        )
        .await;
        assert_eq!(validated.as_deref(), Some("false"));
    };
    let evs = killed_then_resumed(ops.into_vec(), quick(), hook, killer, between).await;
    assert_eq!(skipped(&evs), 1, "the NOT VALID step was not skipped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_in_the_middle_of_a_backfill() {
    need_server!();
    let mut ops = Ops::new();
    ops.add_column(
        "micrograph",
        col("uid", uuid()).default_random_uuid().not_null(),
    );
    let (hook, mut fired) = pause_at(
        |e| matches!(e, Event::Online(OnlineEvent::Backfill { .. })),
        Duration::from_millis(600),
    );
    let killer = |url: String| async move {
        fired.recv().await;
        let mut admin = pg(&url).await;
        assert!(kill_migrator(&mut admin).await);
    };
    let between = async |url: &str| {
        let mut c = pg(url).await;
        let position = scalar(
            &mut c,
            "SELECT position FROM alembic_version_online WHERE NOT done",
        )
        .await;
        assert!(position.is_some(), "no backfill position was recorded");
    };
    let evs = killed_then_resumed(ops.into_vec(), quick(), hook, killer, between).await;
    assert_eq!(
        skipped(&evs),
        2,
        "the column and its default were not skipped"
    );
    let total = evs.lock().unwrap().iter().find_map(|e| match e {
        Event::Online(OnlineEvent::Planned { id, steps }) if id == "rows in micrograph" => {
            Some(*steps as u64)
        }
        _ => None,
    });
    let resumed_rows = evs
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            Event::Online(OnlineEvent::Backfill { rows, .. }) => Some(*rows),
            _ => None,
        })
        .max()
        .expect("the resumed run backfilled");
    // The resumed backfill starts after the batch the first run committed.
    let total = total.expect("row count");
    assert!(
        resumed_rows + quick().batch_size <= total,
        "resumed run covered {resumed_rows} of {total} rows"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_in_the_middle_of_a_row_update() {
    need_server!();
    let mut ops = Ops::new();
    ops.update_rows("micrograph")
        .set("label", "upper(label)")
        .filter("label LIKE 'm%'");
    let (hook, mut fired) = pause_at(
        |e| matches!(e, Event::Online(OnlineEvent::RowBatch { .. })),
        Duration::from_millis(600),
    );
    let killer = |url: String| async move {
        fired.recv().await;
        let mut admin = pg(&url).await;
        assert!(kill_migrator(&mut admin).await);
    };
    let left_after_kill = Arc::new(std::sync::atomic::AtomicI64::new(-1));
    let left_seen = left_after_kill.clone();
    let between = async move |url: &str| {
        let mut c = pg(url).await;
        let position = scalar(
            &mut c,
            "SELECT position FROM alembic_version_online WHERE NOT done",
        )
        .await;
        assert!(position.is_some(), "no batch position was recorded");
        let left = scalar(
            &mut c,
            "SELECT CAST(count(*) AS TEXT) FROM micrograph WHERE label LIKE 'm%'",
        )
        .await
        .and_then(|n| n.parse::<i64>().ok())
        .expect("count");
        assert!(
            left > 0 && left < SEEDED,
            "the killed run changed {} of {SEEDED} rows",
            SEEDED - left
        );
        left_seen.store(left, std::sync::atomic::Ordering::SeqCst);
    };
    let evs = killed_then_resumed(ops.into_vec(), quick(), hook, killer, between).await;
    let total = evs.lock().unwrap().iter().find_map(|e| match e {
        Event::Online(OnlineEvent::Planned { id, steps }) if id == "rows in micrograph" => {
            Some(*steps as u64)
        }
        _ => None,
    });
    let (walked, changed) = evs
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            Event::Online(OnlineEvent::RowBatch { rows, changed, .. }) => Some((*rows, *changed)),
            _ => None,
        })
        .max()
        .expect("the resumed run changed rows");
    // The resumed run starts after the batch the first run committed, and
    // changes only the rows that run left.
    let total = total.expect("row count");
    assert!(
        walked + quick().batch_size <= total,
        "resumed run walked {walked} of {total} rows"
    );
    let left = left_after_kill.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        changed, left as u64,
        "the resumed run changed other rows than the first run left"
    );
}

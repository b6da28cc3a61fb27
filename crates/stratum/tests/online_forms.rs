//! Every online form against a real PostgreSQL under concurrent writers: no
//! writer gets an error and the schema ends equal to the plain run's.

mod online_support;

use online_support::*;
use stratum::ops::Ops;
use stratum::prelude::*;
use stratum::runner::{Event, OnlineEvent, RunError};
use stratum_core::online::StepKind;
use stratum_testkit::TestDb;

fn started(evs: &Events) -> Vec<StepKind> {
    evs.lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            Event::Online(OnlineEvent::StepStarted { kind, .. }) => Some(*kind),
            _ => None,
        })
        .collect()
}

macro_rules! need_server {
    () => {
        if TestDb::postgres().await.is_none() {
            return;
        }
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn indexes_are_built_and_dropped_concurrently() {
    need_server!();
    let mut ops = Ops::new();
    ops.create_index("idx_micrograph_code", "micrograph", ["code"]);
    ops.drop_index("idx_micrograph_label").table("micrograph");
    let evs = online_equals_plain(ops.into_vec()).await;
    assert_eq!(started(&evs), [StepKind::BuildIndex, StepKind::DropIndex]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn foreign_keys_and_checks_are_validated_later() {
    need_server!();
    let mut ops = Ops::new();
    ops.create_foreign_key(
        "fk_micrograph_grid",
        "micrograph",
        "grid",
        ["grid_id"],
        ["id"],
    );
    ops.create_check_constraint("ck_micrograph_code", "micrograph", "code > 0");
    let evs = online_equals_plain(ops.into_vec()).await;
    assert_eq!(
        started(&evs),
        [
            StepKind::AddNotValid,
            StepKind::Validate,
            StepKind::AddNotValid,
            StepKind::Validate
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn set_not_null_goes_through_a_validated_check() {
    need_server!();
    let mut ops = Ops::new();
    ops.alter_column("micrograph", "grid_id").set_not_null();
    let evs = online_equals_plain(ops.into_vec()).await;
    assert_eq!(
        started(&evs),
        [
            StepKind::AddNotValid,
            StepKind::Validate,
            StepKind::SetNotNull
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unique_and_primary_key_use_a_concurrent_index() {
    need_server!();
    let mut ops = Ops::new();
    ops.create_unique_constraint("uq_micrograph_code", "micrograph", ["code"]);
    ops.create_primary_key("reading_pkey", "reading", ["id"]);
    let evs = online_equals_plain(ops.into_vec()).await;
    let kinds = started(&evs);
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == StepKind::AttachIndex)
            .count(),
        2
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == StepKind::BuildIndex).count(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn volatile_defaults_are_probed_and_backfilled() {
    need_server!();
    let mut ops = Ops::new();
    ops.add_column(
        "micrograph",
        col("uid", uuid()).default_random_uuid().not_null(),
    );
    ops.add_column("micrograph", col("seen", timestamptz()).default_now());
    let evs = online_equals_plain(ops.into_vec()).await;
    let probed: Vec<(String, bool)> = evs
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            Event::Online(OnlineEvent::DefaultProbed {
                column, volatile, ..
            }) => Some((column.clone(), *volatile)),
            _ => None,
        })
        .collect();
    assert_eq!(
        probed,
        [("uid".to_string(), true), ("seen".to_string(), false)]
    );
    let kinds = started(&evs);
    assert!(kinds.contains(&StepKind::Backfill), "{kinds:?}");
    assert!(kinds.contains(&StepKind::SetNotNull), "{kinds:?}");
    let backfilled = evs.lock().unwrap().iter().any(|e| {
        matches!(e, Event::Online(OnlineEvent::Backfill { rows, .. }) if *rows >= online_support::SEEDED as u64)
    });
    assert!(backfilled, "no backfill progress covering the seeded rows");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rewriting_type_change_is_refused_unless_acknowledged() {
    need_server!();
    let mut ops = Ops::new();
    ops.alter_column("micrograph", "n").set_type(big_integer());
    let chain = Chain::new(ops.clone().into_vec());
    let db = TestDb::postgres().await.expect("server");
    base(&db, &chain).await;
    let err = run(&db, &chain, "002", Some(quick()), events(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, RunError::Online(_)), "{err}");
    assert!(
        err.to_string().contains("expand/contract") || err.to_string().contains("Expand/contract"),
        "{err}"
    );
    let mut acked = Ops::new();
    acked.allow_blocking_online("micrograph is small in this test");
    acked
        .alter_column("micrograph", "n")
        .set_type(big_integer());
    online_equals_plain(acked.into_vec()).await;
}

#[test]
fn online_in_the_environment_turns_online_runs_on() {
    use stratum::config::EnvironmentSettings;
    use stratum::runner::RunOptions;
    let on = EnvironmentSettings {
        online: true,
        ..Default::default()
    };
    assert!(RunOptions::default().with_settings(&on).online.is_some());
    let off = EnvironmentSettings::default();
    assert!(RunOptions::default().with_settings(&off).online.is_none());
}

/// The (action, rows walked, rows changed) of the last batch of each row change.
fn row_batches(evs: &Events) -> Vec<(&'static str, u64, u64)> {
    let mut out: Vec<(&'static str, u64, u64)> = Vec::new();
    for e in evs.lock().unwrap().iter() {
        if let Event::Online(OnlineEvent::RowBatch {
            action,
            rows,
            changed,
            ..
        }) = e
        {
            match out.last_mut() {
                Some(last) if last.0 == *action && last.1 < *rows => {
                    *last = (action, *rows, *changed)
                }
                _ => out.push((action, *rows, *changed)),
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn row_updates_and_deletes_run_in_batches() {
    need_server!();
    let mut ops = Ops::new();
    ops.update_rows("micrograph")
        .set("label", "upper(label)")
        .filter("label LIKE 'm%'");
    ops.delete_rows("micrograph")
        .filter(format!("id <= {} AND code % 2 = 0", online_support::SEEDED));
    let evs = online_equals_plain(ops.into_vec()).await;
    assert_eq!(started(&evs), [StepKind::RowBatches, StepKind::RowBatches]);
    let batches = evs
        .lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, Event::Online(OnlineEvent::RowBatch { .. })))
        .count();
    let seeded = online_support::SEEDED as u64;
    assert!(
        batches as u64 >= 2 * seeded / quick().batch_size,
        "{batches} batches"
    );
    let last = row_batches(&evs);
    assert_eq!(last.len(), 2, "{last:?}");
    // Writers insert rows labelled 'w' and only update `n`: every seeded
    // row is updated once, and every other seeded row deleted.
    assert_eq!((last[0].0, last[0].2), ("update", seeded));
    assert_eq!((last[1].0, last[1].2), ("delete", seeded / 2));
    assert!(last.iter().all(|(_, walked, _)| *walked >= seeded / 2));
}

//! `stratum::fleet` through the library on PostgreSQL: each database under its
//! own migration lock (a lock held on one times out there alone), events named
//! by database, and skipping what is already at the target.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use stratum::config::DatabaseUrl;
use stratum::db::Connection;
use stratum::fleet::{
    FleetCommand, FleetEvent, FleetOptions, FleetTarget, Outcome, TargetError, run_fleet,
};
use stratum::prelude::*;
use stratum::runner::{DEFAULT_VERSION_TABLE, Event, RunError, lock_key};
use stratum::script::{EmbeddedRevision, Script};
use stratum_testkit::TestDb;

fn create_note(op: &mut Ops) {
    op.create_table("note")
        .column(col("id", integer()).primary_key());
}
fn drop_note(op: &mut Ops) {
    op.drop_table("note");
}

static REVISIONS: &[EmbeddedRevision] = &[EmbeddedRevision {
    revision: Revision::new("n1"),
    upgrade: create_note,
    downgrade: drop_note,
    file_name: "inline.rs",
    source: "inline",
}];

fn target(name: &str, db: &TestDb) -> FleetTarget {
    FleetTarget {
        name: name.to_string(),
        url: DatabaseUrl::parse(db.url()).unwrap(),
        group: None,
        settings: Default::default(),
    }
}

#[tokio::test]
async fn a_lock_held_on_one_database_stops_that_database_only() {
    let (Some(a), Some(held), Some(c)) = (
        TestDb::postgres().await,
        TestDb::postgres().await,
        TestDb::postgres().await,
    ) else {
        return;
    };
    let script = Script::load(REVISIONS).unwrap();
    let targets = [target("a", &a), target("held", &held), target("c", &c)];
    let mut holder = Connection::connect(held.url()).await.unwrap();
    holder
        .execute(&format!(
            "SELECT pg_advisory_lock({})",
            lock_key(DEFAULT_VERSION_TABLE)
        ))
        .await
        .unwrap();

    let events: Arc<Mutex<Vec<FleetEvent>>> = Arc::default();
    let seen = Arc::clone(&events);
    let sink = Arc::new(move |e: &FleetEvent| seen.lock().unwrap().push(e.clone()));
    let options = FleetOptions {
        jobs: 3,
        continue_on_error: true,
        lock_timeout: Some(Duration::from_millis(800)),
        ..Default::default()
    };
    let upgrade = FleetCommand::Upgrade("head".into());
    let report = run_fleet(&script, &targets, &upgrade, &options, sink.clone()).await;
    assert!(!report.ok());
    let outcomes: Vec<Outcome> = report.targets.iter().map(|t| t.outcome).collect();
    assert_eq!(
        outcomes,
        [Outcome::Applied, Outcome::Failed, Outcome::Applied]
    );
    assert!(matches!(
        report.targets[1].error,
        Some(TargetError::Run(RunError::LockTimeout { .. }))
    ));
    {
        let events = events.lock().unwrap();
        for name in ["a", "held", "c"] {
            assert!(
                events
                    .iter()
                    .any(|e| matches!(e, FleetEvent::Started { name: n } if n == name))
            );
            assert!(
                events
                    .iter()
                    .any(|e| matches!(e, FleetEvent::Finished { name: n, .. } if n == name))
            );
        }
        assert!(events.iter().any(|e| matches!(
            e,
            FleetEvent::Runner { name, event: Event::LockWaiting { .. } } if name == "held"
        )));
        assert!(events.iter().any(|e| matches!(
            e,
            FleetEvent::Runner { name, event: Event::RevisionFinished { id, .. } } if name == "c" && id == "n1"
        )));
    }

    holder.close().await.unwrap();
    let report = run_fleet(&script, &targets, &upgrade, &options, sink).await;
    assert!(report.ok());
    let outcomes: Vec<Outcome> = report.targets.iter().map(|t| t.outcome).collect();
    assert_eq!(
        outcomes,
        [Outcome::Skipped, Outcome::Applied, Outcome::Skipped]
    );
    assert_eq!(report.targets[1].to, ["n1"]);
}

#[tokio::test]
async fn the_lock_holder_named_is_the_one_in_that_database() {
    let (Some(busy), Some(other)) = (TestDb::postgres().await, TestDb::postgres().await) else {
        return;
    };
    let key = lock_key(DEFAULT_VERSION_TABLE);
    // Both databases' locks are held, each by its own session.
    let mut holders = Vec::new();
    let mut pids = Vec::new();
    for db in [&other, &busy] {
        let mut conn = Connection::connect(db.url()).await.unwrap();
        conn.execute(&format!("SELECT pg_advisory_lock({key})"))
            .await
            .unwrap();
        let pid = conn.query_text("SELECT pg_backend_pid()").await.unwrap()[0][0]
            .clone()
            .unwrap();
        pids.push(pid);
        holders.push(conn);
    }
    let script = Script::load(REVISIONS).unwrap();
    let options = FleetOptions {
        lock_timeout: Some(Duration::from_millis(500)),
        ..Default::default()
    };
    let report = run_fleet(
        &script,
        &[target("busy", &busy)],
        &FleetCommand::Upgrade("head".into()),
        &options,
        Arc::new(|_: &FleetEvent| {}),
    )
    .await;
    let error = report.targets[0].error.as_ref().unwrap().to_string();
    assert!(error.contains(&format!("pid {}", pids[1])), "{error}");
    assert!(!error.contains(&format!("pid {} ", pids[0])), "{error}");
    for conn in holders {
        conn.close().await.unwrap();
    }
}

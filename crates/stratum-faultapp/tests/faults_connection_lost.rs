//! Case 25 of the reliability catalogue, apart from the network cut: the
//! migrator's connection ends in the middle of a revision because the server
//! restarts (fast shutdown) or an administrator terminates its backend. Each run
//! exits with the connection exit code saying the revision was rolled back; the
//! database is at the revision before it, and the next run completes.

mod common;

use common::*;
use stratum_testkit::{Backend, RestartableCluster, TestDb, is_ci};

/// Exit code for a lost connection (see `stratum_cli::Exit`).
const CONNECTION: i32 = 3;

/// Starts `upgrade head` from F1 and waits until the migrator is inside F2's
/// transaction, blocked on a table lock; returns the lock, the child and the
/// migrator's backend pid.
async fn migrator_inside_f2(f: &Fixture) -> (TableLock, std::process::Child, i32) {
    f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
    let lock = TableLock::take(f, "ledger", "ACCESS SHARE", "reliability-reader").await;
    let child = f.spawn(Bin::Good, &["upgrade", "head"]);
    let pid = f.wait_for_blocked_migrator().await;
    (lock, child, pid)
}

/// The lost run's report, the database at F1 unchanged, and a rerun that
/// completes.
async fn assert_rolled_back_and_rerun(f: &Fixture, run: Run, before: &stratum::schema::Schema) {
    run.assert_code(CONNECTION)
        .assert_mentions("the connection to the database was lost")
        .assert_mentions(&format!("upgrade of revision {F2}"))
        .assert_mentions("the revision was rolled back")
        .assert_mentions("run again");
    assert_eq!(f.version_rows().await, [F1]);
    assert_eq!(&f.schema().await, before, "a half-applied revision");
    f.assert_no_advisory_lock_eventually().await;

    f.run(Bin::Good, &["upgrade", "head"]).assert_code(0);
    assert_eq!(f.version_rows().await, [F6]);
    let history = f.history().await;
    for id in [F1, F2, F3, F4, F5, F6] {
        let n = history.iter().filter(|(r, _)| r == id).count();
        assert_eq!(n, 1, "{id} recorded {n} times: {history:?}");
    }
}

#[tokio::test]
async fn case_25_terminated_backend_rolls_the_revision_back_and_exits_3() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let f = Fixture::new(db);
    let (lock, child, pid) = migrator_inside_f2(&f).await;
    let before = f.schema().await;
    let mut admin = f.pg().await.unwrap();
    let terminated: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(&mut admin)
        .await
        .unwrap();
    assert!(terminated, "pg_terminate_backend({pid})");
    let run = finish(child);
    lock.release().await;
    run.assert_mentions("57P01");
    assert_rolled_back_and_rerun(&f, run, &before).await;
}

#[tokio::test]
async fn case_25_server_restart_rolls_the_revision_back_and_exits_3() {
    let cluster = match RestartableCluster::start() {
        Ok(c) => c,
        Err(e) if is_ci() => panic!("CI=true needs a cluster this test can restart: {e}"),
        Err(e) => {
            eprintln!("skipped: no PostgreSQL cluster of the test's own: {e}");
            return;
        }
    };
    let f = Fixture::new(TestDb::postgres_at(cluster.admin_url()).await);
    let mut admin = f.pg().await.unwrap();
    let version: String = sqlx::query_scalar("SELECT current_setting('server_version')")
        .fetch_one(&mut admin)
        .await
        .unwrap();
    drop(admin);
    eprintln!("restarting a PostgreSQL {version} cluster mid-revision");
    let (lock, child, _) = migrator_inside_f2(&f).await;
    let before = f.schema().await;
    cluster.restart_fast().expect("pg_ctl restart -m fast");
    let run = finish(child);
    // The restart ended the lock holder's session too.
    drop(lock);
    assert_rolled_back_and_rerun(&f, run, &before).await;
}

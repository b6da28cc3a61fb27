//! PostgreSQL: every revision of a run commits on its own, and all but the run's
//! last commit with `synchronous_commit = off` (the last one, durable, flushes
//! them all). Each revision records the setting it ran under, which shows both
//! halves; a run that fails midway keeps the revisions before the failure.

use sqlx::Row as _;
use stratum::db::Connection;
use stratum::ops::{Op, RawSql};
use stratum::runner::{Direction, KnownRevision, Migrator, Plan, RunError, Step};
use stratum_testkit::TestDb;

fn raw(sql: String) -> Op {
    Op::Execute(RawSql {
        any: Some(sql),
        ..Default::default()
    })
}

/// Revisions r1..=rn, each recording `synchronous_commit` into table `seen`; the
/// revision named in `failing` fails after recording.
fn planner(
    n: usize,
    failing: Option<usize>,
) -> impl Fn(&[String]) -> Result<Plan, Box<dyn std::error::Error + Send + Sync>> {
    move |heads: &[String]| {
        let from = heads
            .first()
            .map(|h| h[1..].parse::<usize>().unwrap())
            .unwrap_or(0);
        let id = |i: usize| format!("r{i}");
        let steps = (from + 1..=n)
            .map(|i| {
                let mut ops = Vec::new();
                if i == 1 {
                    ops.push(raw("CREATE TABLE seen (rev INTEGER, setting TEXT)".into()));
                }
                ops.push(raw(format!(
                    "INSERT INTO seen VALUES ({i}, current_setting('synchronous_commit'))"
                )));
                if failing == Some(i) {
                    ops.push(raw("SELECT 1 / 0".into()));
                }
                Step {
                    id: id(i),
                    direction: Direction::Up,
                    message: format!("revision {i}"),
                    file: format!("r{i}.rs"),
                    ops,
                    checksum: format!("sum{i}"),
                    transactional: true,
                    heads_before: if i == 1 { vec![] } else { vec![id(i - 1)] },
                    heads_after: vec![id(i)],
                }
            })
            .collect();
        Ok(Plan {
            start_schema: Default::default(),
            steps,
        })
    }
}

fn known(n: usize) -> Vec<KnownRevision> {
    (1..=n)
        .map(|i| KnownRevision {
            id: format!("r{i}"),
            checksum: format!("sum{i}"),
            file: format!("r{i}.rs"),
        })
        .collect()
}

async fn seen(db: &TestDb) -> Vec<(i32, String)> {
    let Some(mut c) =
        stratum::testing::driver::into_postgres(Connection::connect(db.url()).await.unwrap())
    else {
        unreachable!()
    };
    sqlx::query("SELECT rev, setting FROM seen ORDER BY rev")
        .fetch_all(&mut c)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

#[tokio::test]
async fn only_the_last_commit_of_a_run_waits_for_the_disk() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());
    let report = m.run(&known(4), &planner(4, None)).await.unwrap();
    assert_eq!(report.applied.len(), 4);
    let s = |v: &str| v.to_string();
    assert_eq!(
        seen(&db).await,
        vec![(1, s("off")), (2, s("off")), (3, s("off")), (4, s("on"))]
    );
    // The setting was local to each revision's transaction.
    let conn = m.connection().unwrap();
    let Some(c) = stratum::testing::driver::postgres(conn) else {
        unreachable!()
    };
    let after: String = sqlx::query_scalar("SELECT current_setting('synchronous_commit')")
        .fetch_one(c)
        .await
        .unwrap();
    assert_eq!(after, "on");
}

#[tokio::test]
async fn a_failed_run_keeps_the_revisions_committed_before_it() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());
    let err = m.run(&known(4), &planner(4, Some(3))).await.unwrap_err();
    assert!(
        matches!(err, RunError::StatementFailed { ref revision, .. } if revision == "r3"),
        "{err}"
    );
    assert_eq!(
        m.current_heads().await.unwrap(),
        Some(vec!["r2".to_string()])
    );
    let s = |v: &str| v.to_string();
    assert_eq!(seen(&db).await, vec![(1, s("off")), (2, s("off"))]);
    // A rerun without the fault continues from r2; its last commit is durable.
    let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());
    m.run(&known(4), &planner(4, None)).await.unwrap();
    assert_eq!(
        seen(&db).await,
        vec![(1, s("off")), (2, s("off")), (3, s("off")), (4, s("on"))]
    );
}

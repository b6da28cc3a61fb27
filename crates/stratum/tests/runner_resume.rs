//! Statement progress and resume through the library: on MariaDB, where every
//! revision runs statement by statement (DDL commits implicitly), and on
//! PostgreSQL and SQLite for a revision marked non-transactional; transactional
//! revisions on PostgreSQL keep no progress.

use std::error::Error;
use std::sync::{Arc, Mutex};
use stratum::db::Connection;
use stratum::ops::{Op, RawSql};
use stratum::runner::{
    DEFAULT_PROGRESS_TABLE, Direction, Event, KnownRevision, Migrator, Plan, RunError, RunOptions,
    Step,
};
use stratum_testkit::TestDb;

fn raw(sql: &str) -> Op {
    Op::Execute(RawSql {
        any: Some(sql.to_string()),
        ..Default::default()
    })
}

/// A planner for one revision `001` from base made of `up`.
fn one_revision(
    up: &'static [&'static str],
    transactional: bool,
) -> impl Fn(&[String]) -> Result<Plan, Box<dyn Error + Send + Sync>> + use<> {
    move |heads: &[String]| {
        let steps = if heads.is_empty() {
            vec![Step {
                id: "001".into(),
                direction: Direction::Up,
                message: "one".into(),
                file: "001_one.rs".into(),
                ops: up.iter().map(|s| raw(s)).collect(),
                checksum: "sum-001".into(),
                transactional,
                heads_before: vec![],
                heads_after: vec!["001".into()],
            }]
        } else {
            vec![]
        };
        Ok(Plan {
            start_schema: Default::default(),
            steps,
        })
    }
}

fn known() -> Vec<KnownRevision> {
    vec![KnownRevision {
        id: "001".into(),
        checksum: "sum-001".into(),
        file: "001_one.rs".into(),
    }]
}

type Events = Arc<Mutex<Vec<Event>>>;

async fn migrator(db: &TestDb) -> (Migrator, Events) {
    let events: Events = Arc::default();
    let sink = events.clone();
    let conn = Connection::connect(db.url()).await.expect("connect");
    let m = Migrator::new(conn)
        .with_options(RunOptions::default())
        .with_events(move |e: &Event| sink.lock().unwrap().push(e.clone()));
    (m, events)
}

fn statements_run(events: &Events) -> Vec<String> {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            Event::Statement { sql, .. } => Some(sql.clone()),
            _ => None,
        })
        .collect()
}

fn resumed_at(events: &Events) -> Option<(usize, usize)> {
    events.lock().unwrap().iter().find_map(|e| match e {
        Event::Resuming {
            statement, total, ..
        } => Some((*statement, *total)),
        _ => None,
    })
}

async fn tables(m: &mut Migrator) -> Vec<String> {
    let conn = m.connection().unwrap();
    let schema = stratum::introspect::introspect_excluding(
        conn,
        &stratum::introspect::Exclusions::tables(&[]),
    )
    .await
    .unwrap();
    schema.tables.keys().cloned().collect()
}

const BROKEN: &[&str] = &[
    "CREATE TABLE first_t (id INTEGER PRIMARY KEY)",
    "CREATE TABLE second_t (id INTEGER PRIMARY KEY,,)",
    "CREATE TABLE third_t (id INTEGER PRIMARY KEY)",
];
const EDITED_FIRST: &[&str] = &[
    "CREATE TABLE first_t (id BIGINT PRIMARY KEY)",
    "CREATE TABLE second_t (id INTEGER PRIMARY KEY)",
    "CREATE TABLE third_t (id INTEGER PRIMARY KEY)",
];
const FIXED: &[&str] = &[
    "CREATE TABLE first_t (id INTEGER PRIMARY KEY)",
    "CREATE TABLE second_t (id INTEGER PRIMARY KEY)",
    "CREATE TABLE third_t (id INTEGER PRIMARY KEY)",
];

#[tokio::test]
async fn mariadb_resumes_at_the_failed_statement_and_refuses_an_edited_one() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let (mut m, _) = migrator(&db).await;
    let err = m
        .run(&known(), &one_revision(BROKEN, true))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            RunError::PartiallyApplied {
                executed: 1,
                total: 3,
                ..
            }
        ),
        "{err}"
    );
    let partial = m.partial_revisions().await.unwrap();
    assert_eq!(partial.len(), 1);
    assert_eq!((partial[0].applied, partial[0].total), (1, 3));
    assert_eq!(
        partial[0].failed_statement.as_deref(),
        Some("CREATE TABLE second_t (id INTEGER PRIMARY KEY,,)")
    );
    assert_eq!(m.current_heads().await.unwrap(), Some(vec![]));

    // The first statement ran as it was; the edited revision is refused and
    // nothing runs.
    let (mut m, events) = migrator(&db).await;
    let err = m
        .run(&known(), &one_revision(EDITED_FIRST, true))
        .await
        .unwrap_err();
    match &err {
        RunError::ResumeChanged {
            revision, mismatch, ..
        } => {
            assert_eq!(revision, "001");
            assert_eq!(
                mismatch,
                &stratum::runner::ResumeMismatch::Changed {
                    seq: 1,
                    recorded: BROKEN[0].to_string(),
                    now: EDITED_FIRST[0].to_string(),
                }
            );
        }
        other => panic!("unexpected: {other}"),
    }
    assert!(statements_run(&events).is_empty());

    // Fixed where it failed: resumes at statement 2 of 3.
    let (mut m, events) = migrator(&db).await;
    let report = m.run(&known(), &one_revision(FIXED, true)).await.unwrap();
    assert_eq!(report.heads_after, vec!["001".to_string()]);
    assert_eq!(resumed_at(&events), Some((2, 3)));
    assert_eq!(statements_run(&events), FIXED[1..].to_vec());
    assert!(m.partial_revisions().await.unwrap().is_empty());
    let names = tables(&mut m).await;
    for t in ["first_t", "second_t", "third_t", DEFAULT_PROGRESS_TABLE] {
        assert!(names.contains(&t.to_string()), "{t}: {names:?}");
    }
    // The default introspection leaves the progress table out.
    let conn = m.connection().unwrap();
    let schema = stratum::introspect::introspect(conn, &[]).await.unwrap();
    assert!(!schema.tables.contains_key(DEFAULT_PROGRESS_TABLE));
    m.close().await;
}

/// The last statement takes the history table away, so that the commit that
/// completes the revision fails after every statement ran.
const LAST_BREAKS_COMPLETION: &[&str] = &[
    "CREATE TABLE done_a (id INTEGER PRIMARY KEY)",
    "CREATE TABLE done_b (id INTEGER PRIMARY KEY)",
    "DROP TABLE stratum_history",
];

/// The answer for a revision's last statement travels with the commit that
/// completes the revision; when that commit fails, the statement is still on
/// record as applied (not as running), and the version table has not moved.
#[tokio::test]
async fn mariadb_last_statement_stays_applied_when_completion_fails() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let (mut m, events) = migrator(&db).await;
    let err = m
        .run(&known(), &one_revision(LAST_BREAKS_COMPLETION, true))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("stratum_history"),
        "the history row could not be written: {err}"
    );
    assert_eq!(statements_run(&events), LAST_BREAKS_COMPLETION.to_vec());
    let partial = m.partial_revisions().await.unwrap();
    assert_eq!(partial.len(), 1, "{partial:?}");
    assert_eq!((partial[0].applied, partial[0].total), (3, 3));
    assert_eq!(partial[0].running_statement, None);
    assert_eq!(partial[0].failed_statement, None);
    assert_eq!(m.current_heads().await.unwrap(), Some(vec![]));
    m.close().await;
}

const PG_BROKEN: &[&str] = &[
    "CREATE TABLE pg_t (id INTEGER PRIMARY KEY, label TEXT)",
    "CREATE INDEX CONCURRENTLY ix_pg_t_label ON pg_t (label)",
    "CREATE INDEX CONCURRENTLY ix_broken ON no_such_table (x)",
];
const PG_FIXED: &[&str] = &[
    "CREATE TABLE pg_t (id INTEGER PRIMARY KEY, label TEXT)",
    "CREATE INDEX CONCURRENTLY ix_pg_t_label ON pg_t (label)",
    "CREATE INDEX CONCURRENTLY ix_pg_t_id_label ON pg_t (id, label)",
];

#[tokio::test]
async fn postgres_non_transactional_revisions_resume_too() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let (mut m, _) = migrator(&db).await;
    let err = m
        .run(&known(), &one_revision(PG_BROKEN, false))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RunError::PartiallyApplied { executed: 2, .. }),
        "{err}"
    );
    let partial = m.partial_revisions().await.unwrap();
    assert_eq!((partial[0].applied, partial[0].total), (2, 3));
    assert!(
        partial[0]
            .error
            .as_deref()
            .unwrap()
            .contains("no_such_table"),
        "{partial:?}"
    );
    let (mut m, events) = migrator(&db).await;
    m.run(&known(), &one_revision(PG_FIXED, false))
        .await
        .unwrap();
    assert_eq!(resumed_at(&events), Some((3, 3)));
    assert_eq!(statements_run(&events), PG_FIXED[2..].to_vec());
    assert_eq!(m.current_heads().await.unwrap(), Some(vec!["001".into()]));
    m.close().await;
}

#[tokio::test]
async fn postgres_transactional_revisions_keep_no_progress() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let (mut m, _) = migrator(&db).await;
    m.run(&known(), &one_revision(FIXED, true)).await.unwrap();
    let names = tables(&mut m).await;
    assert!(names.contains(&"third_t".to_string()), "{names:?}");
    assert!(
        !names.contains(&DEFAULT_PROGRESS_TABLE.to_string()),
        "{names:?}"
    );
    assert!(m.partial_revisions().await.unwrap().is_empty());
    m.close().await;
}

const LITE_BROKEN: &[&str] = &[
    "CREATE TABLE lite_t (id INTEGER PRIMARY KEY, label TEXT)",
    "CREATE INDEX ix_lite_t_label ON lite_t (label)",
    "CREATE INDEX ix_broken ON no_such_table (x)",
];
const LITE_FIXED: &[&str] = &[
    "CREATE TABLE lite_t (id INTEGER PRIMARY KEY, label TEXT)",
    "CREATE INDEX ix_lite_t_label ON lite_t (label)",
    "CREATE INDEX ix_lite_t_id_label ON lite_t (id, label)",
];

#[tokio::test]
async fn sqlite_non_transactional_revisions_resume_too() {
    let db = TestDb::sqlite();
    let (mut m, _) = migrator(&db).await;
    let err = m
        .run(&known(), &one_revision(LITE_BROKEN, false))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RunError::PartiallyApplied { executed: 2, .. }),
        "{err}"
    );
    assert_eq!(m.partial_revisions().await.unwrap()[0].applied, 2);
    let (mut m, events) = migrator(&db).await;
    m.run(&known(), &one_revision(LITE_FIXED, false))
        .await
        .unwrap();
    assert_eq!(resumed_at(&events), Some((3, 3)));
    assert_eq!(statements_run(&events), LITE_FIXED[2..].to_vec());
    assert!(m.partial_revisions().await.unwrap().is_empty());
    m.close().await;
}

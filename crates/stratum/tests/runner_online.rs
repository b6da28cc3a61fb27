//! The runner against real databases: every test body runs on SQLite and on
//! PostgreSQL (when a server is available), plus PostgreSQL-only tests for the
//! advisory lock and concurrency.

use std::error::Error;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, Connection as _, Row as _};
use stratum::db::Connection;
use stratum::ops::{Op, RawSql};
use stratum::runner::{
    CancelFlag, Direction, Event, KnownRevision, Migrator, Plan, RunError, RunOptions, RunReport,
    Step, VersionTableError, lock_key,
};
use stratum_testkit::{Backend, TestDb, each_backend};

// ---------------------------------------------------------------------------
// A hand-built linear chain of revisions with raw SQL that both dialects accept.

#[derive(Clone)]
struct Rev {
    id: &'static str,
    up: Vec<String>,
    down: Vec<String>,
    transactional: bool,
    checksum: String,
}

fn rev(id: &'static str, up: &[&str], down: &[&str]) -> Rev {
    Rev {
        id,
        up: up.iter().map(|s| s.to_string()).collect(),
        down: down.iter().map(|s| s.to_string()).collect(),
        transactional: true,
        checksum: format!("checksum-of-{id}"),
    }
}

#[derive(Clone)]
struct Chain(Vec<Rev>);

fn raw(sql: &str) -> Op {
    Op::Execute(RawSql {
        any: Some(sql.to_string()),
        ..Default::default()
    })
}

impl Chain {
    fn standard() -> Chain {
        Chain(vec![
            rev(
                "001",
                &["CREATE TABLE widget (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)"],
                &["DROP TABLE widget"],
            ),
            rev(
                "002",
                &[
                    "CREATE TABLE part (id INTEGER PRIMARY KEY, widget_id INTEGER REFERENCES widget (id))",
                    "INSERT INTO widget (id, name) VALUES (1, 'first')",
                ],
                &["DROP TABLE part", "DELETE FROM widget WHERE id = 1"],
            ),
            rev(
                "003",
                &["CREATE INDEX ix_widget_name ON widget (name)"],
                &["DROP INDEX ix_widget_name"],
            ),
        ])
    }

    fn with(mut self, index: usize, r: Rev) -> Chain {
        if index == self.0.len() {
            self.0.push(r);
        } else {
            self.0[index] = r;
        }
        self
    }

    fn known(&self) -> Vec<KnownRevision> {
        self.0
            .iter()
            .map(|r| KnownRevision {
                id: r.id.to_string(),
                checksum: r.checksum.clone(),
                file: format!("{}_file.rs", r.id),
            })
            .collect()
    }

    fn position(&self, id: Option<&str>) -> Result<usize, Box<dyn Error + Send + Sync>> {
        match id {
            None => Ok(0),
            Some(id) => self
                .0
                .iter()
                .position(|r| r.id == id)
                .map(|p| p + 1)
                .ok_or_else(|| format!("unknown revision {id}").into()),
        }
    }

    /// A planner to `target` (`None`: base).
    fn planner(
        &self,
        target: Option<&'static str>,
    ) -> impl Fn(&[String]) -> Result<Plan, Box<dyn Error + Send + Sync>> + use<> {
        let chain = self.clone();
        move |heads: &[String]| {
            if heads.len() > 1 {
                return Err("linear chain has one head".into());
            }
            let from = chain.position(heads.first().map(String::as_str))?;
            let to = chain.position(target)?;
            let head_at = |p: usize| -> Vec<String> {
                if p == 0 {
                    vec![]
                } else {
                    vec![chain.0[p - 1].id.to_string()]
                }
            };
            let step = |r: &Rev, direction: Direction, before: usize, after: usize| Step {
                id: r.id.to_string(),
                direction,
                message: format!("revision {}", r.id),
                file: format!("{}_file.rs", r.id),
                ops: match direction {
                    Direction::Up => r.up.iter().map(|s| raw(s)).collect(),
                    Direction::Down => r.down.iter().map(|s| raw(s)).collect(),
                },
                checksum: r.checksum.clone(),
                transactional: r.transactional,
                heads_before: head_at(before),
                heads_after: head_at(after),
            };
            let steps = if to >= from {
                (from..to)
                    .map(|p| step(&chain.0[p], Direction::Up, p, p + 1))
                    .collect()
            } else {
                (to..from)
                    .rev()
                    .map(|p| step(&chain.0[p], Direction::Down, p + 1, p))
                    .collect()
            };
            Ok(Plan {
                start_schema: Default::default(),
                steps,
            })
        }
    }

    /// Runs `m` from wherever it is to `target` (`None`: base) along this chain.
    async fn run_to(
        &self,
        m: &mut Migrator,
        target: Option<&'static str>,
    ) -> Result<RunReport, RunError> {
        m.run(&self.known(), &self.planner(target)).await
    }
}

// ---------------------------------------------------------------------------
// Helpers.

async fn connect(db: &TestDb) -> Connection {
    Connection::connect(db.url()).await.expect("connect")
}

type Events = Arc<Mutex<Vec<Event>>>;

async fn migrator(db: &TestDb, options: RunOptions) -> (Migrator, Events) {
    let events: Events = Arc::default();
    let sink = events.clone();
    let m = Migrator::new(connect(db).await)
        .with_options(options)
        .with_events(move |e: &Event| sink.lock().unwrap().push(e.clone()));
    (m, events)
}

/// Whether any event recorded so far satisfies `predicate`.
fn saw(events: &Events, predicate: impl FnMut(&Event) -> bool) -> bool {
    events.lock().unwrap().iter().any(predicate)
}

/// All rows of a query, every column as text.
async fn rows(db: &TestDb, sql: &str) -> Vec<Vec<Option<String>>> {
    let sql = AssertSqlSafe(sql.to_string());
    let mut conn = connect(db).await;
    if let Some(c) = stratum::testing::driver::postgres(&mut conn) {
        texts(&sqlx::query(sql).fetch_all(c).await.expect("query"))
    } else {
        let c = stratum::testing::driver::sqlite(&mut conn).unwrap();
        texts(&sqlx::query(sql).fetch_all(c).await.expect("query"))
    }
}

/// Every column of `rows` as text (each must decode as an optional string).
fn texts<R>(rows: &[R]) -> Vec<Vec<Option<String>>>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| r.try_get::<Option<String>, _>(i).unwrap())
                .collect()
        })
        .collect()
}

async fn exec(db: &TestDb, sql: &str) {
    let mut c = connect(db).await;
    c.execute(sql).await.expect(sql);
    c.close().await.unwrap();
}

async fn table_exists(db: &TestDb, name: &str) -> bool {
    let sql = match db.backend() {
        Backend::Postgres => format!(
            "SELECT CAST(count(*) AS TEXT) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '{name}'"
        ),
        Backend::Sqlite => format!(
            "SELECT CAST(count(*) AS TEXT) FROM sqlite_master WHERE type = 'table' AND name = '{name}'"
        ),
        Backend::Mysql => unreachable!("this test runs on SQLite and PostgreSQL"),
    };
    rows(db, &sql).await[0][0].as_deref() == Some("1")
}

async fn index_exists(db: &TestDb, name: &str) -> bool {
    let sql = match db.backend() {
        Backend::Postgres => {
            format!("SELECT CAST(count(*) AS TEXT) FROM pg_indexes WHERE indexname = '{name}'")
        }
        Backend::Sqlite => format!(
            "SELECT CAST(count(*) AS TEXT) FROM sqlite_master WHERE type = 'index' AND name = '{name}'"
        ),
        Backend::Mysql => unreachable!("this test runs on SQLite and PostgreSQL"),
    };
    rows(db, &sql).await[0][0].as_deref() == Some("1")
}

async fn version_rows(db: &TestDb) -> Vec<String> {
    let mut v: Vec<String> = rows(db, "SELECT version_num FROM alembic_version")
        .await
        .into_iter()
        .map(|r| r[0].clone().unwrap())
        .collect();
    v.sort();
    v
}

/// History rows as `(revision, direction)`, in order.
async fn history(db: &TestDb) -> Vec<(String, String)> {
    rows(
        db,
        "SELECT revision, direction FROM stratum_history ORDER BY id",
    )
    .await
    .into_iter()
    .map(|r| (r[0].clone().unwrap(), r[1].clone().unwrap()))
    .collect()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

// ---------------------------------------------------------------------------
// The suite, on each backend.

#[tokio::test]
async fn upgrade_and_downgrade_a_chain() {
    each_backend(async |db: TestDb| {
        let chain = Chain::standard();
        let (mut m, events) = migrator(&db, RunOptions::default()).await;
        let report = chain.run_to(&mut m, Some("003")).await.unwrap();
        assert_eq!(report.heads_before, Vec::<String>::new());
        assert_eq!(report.heads_after, s(&["003"]));
        assert_eq!(
            report
                .applied
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>(),
            ["001", "002", "003"]
        );
        assert_eq!(version_rows(&db).await, s(&["003"]));
        assert!(table_exists(&db, "part").await);
        assert!(index_exists(&db, "ix_widget_name").await);
        {
            let ev = events.lock().unwrap();
            let started: Vec<&str> = ev
                .iter()
                .filter_map(|e| match e {
                    Event::RevisionStarted { id, .. } => Some(id.as_str()),
                    _ => None,
                })
                .collect();
            assert_eq!(started, ["001", "002", "003"]);
        }
        assert!(saw(&events, |e| matches!(e, Event::LockAcquired { .. })));
        assert!(saw(&events, |e| matches!(e, Event::LockReleased)));
        assert!(saw(&events, |e| matches!(
            e,
            Event::VersionTableCreated { .. }
        )));

        // Already at head: nothing to do.
        let again = chain.run_to(&mut m, Some("003")).await.unwrap();
        assert!(again.applied.is_empty());

        let down = chain.run_to(&mut m, Some("001")).await.unwrap();
        assert_eq!(
            down.applied
                .iter()
                .map(|a| (a.id.as_str(), a.direction))
                .collect::<Vec<_>>(),
            [("003", Direction::Down), ("002", Direction::Down)]
        );
        assert_eq!(version_rows(&db).await, s(&["001"]));
        assert!(!table_exists(&db, "part").await);
        assert!(!index_exists(&db, "ix_widget_name").await);

        chain.run_to(&mut m, None).await.unwrap();
        assert_eq!(version_rows(&db).await, Vec::<String>::new());
        assert!(!table_exists(&db, "widget").await);
        let h = history(&db).await;
        assert_eq!(h.len(), 6);
        assert_eq!(h[0], ("001".to_string(), "upgrade".to_string()));
        assert_eq!(h[5], ("001".to_string(), "downgrade".to_string()));
        let rows = m.history().await.unwrap();
        assert_eq!(rows.len(), 6);
        assert!(rows.windows(2).all(|w| w[0].id < w[1].id));
        assert!(
            rows[0]
                .applied_by
                .contains(&format!("pid {}", std::process::id()))
        );
        assert_eq!(rows[0].checksum.as_deref(), Some("checksum-of-001"));
        assert_eq!(
            (rows[5].revision.as_str(), rows[5].direction.as_str()),
            ("001", "downgrade")
        );
        assert!(
            rows[0].applied_at.starts_with("20"),
            "{}",
            rows[0].applied_at
        );
        assert!(rows.iter().all(|r| r.duration_ms >= 0));
    })
    .await;
}

#[tokio::test]
async fn failing_second_statement_rolls_back_and_a_fixed_rerun_succeeds() {
    each_backend(async |db: TestDb| {
        let broken = Chain::standard().with(
            1,
            rev(
                "002",
                &[
                    "CREATE TABLE part (id INTEGER PRIMARY KEY, widget_id INTEGER REFERENCES widget (id))",
                    "INSERT INTO no_such_table (id) VALUES (1)",
                ],
                &["DROP TABLE part"],
            ),
        );
        let (mut m, _) = migrator(&db, RunOptions::default()).await;
        let err = broken.run_to(&mut m, Some("003")).await.unwrap_err();
        match &err {
            RunError::StatementFailed { revision, statement, code, .. } => {
                assert_eq!(revision, "002");
                assert!(statement.contains("no_such_table"));
                let expected = match db.backend() {
                    Backend::Postgres => "42P01",
                    Backend::Sqlite => "1",
                    Backend::Mysql => "1146",
                };
                assert_eq!(code.as_deref(), Some(expected), "{err}");
            }
            other => panic!("unexpected error: {other}"),
        }
        let text = err.to_string();
        assert!(text.contains("revision 002") && text.contains("no_such_table"), "{text}");
        // 001 committed, 002 left no trace.
        assert_eq!(version_rows(&db).await, s(&["001"]));
        assert!(table_exists(&db, "widget").await);
        assert!(!table_exists(&db, "part").await);
        assert_eq!(history(&db).await.len(), 1);

        // The same migrator (same connection) runs again after the fix.
        let fixed = Chain::standard();
        let report = fixed.run_to(&mut m, Some("003")).await.unwrap();
        assert_eq!(report.heads_before, s(&["001"]));
        assert_eq!(version_rows(&db).await, s(&["003"]));
        assert!(table_exists(&db, "part").await);
    })
    .await;
}

#[tokio::test]
async fn lock_is_released_after_an_error() {
    each_backend(async |db: TestDb| {
        let broken = Chain::standard().with(1, rev("002", &["NOT SQL AT ALL"], &[]));
        let options = RunOptions {
            lock_timeout: Some(Duration::from_secs(2)),
            ..Default::default()
        };
        let (mut first, _) = migrator(&db, options.clone()).await;
        assert!(broken.run_to(&mut first, Some("003")).await.is_err());
        // Another connection can take the lock while the first still exists.
        let (mut second, _) = migrator(&db, options).await;
        let fixed = Chain::standard();
        let run = tokio::time::timeout(
            Duration::from_secs(20),
            fixed.run_to(&mut second, Some("002")),
        )
        .await
        .expect("second run hung on the lock");
        run.unwrap();
        // And the first migrator, same connection, still works.
        fixed.run_to(&mut first, Some("003")).await.unwrap();
        assert_eq!(version_rows(&db).await, s(&["003"]));
    })
    .await;
}

#[tokio::test]
async fn checksum_mismatch_is_refused_before_any_ddl() {
    each_backend(async |db: TestDb| {
        let chain = Chain::standard();
        let (mut m, _) = migrator(&db, RunOptions::default()).await;
        chain.run_to(&mut m, Some("002")).await.unwrap();
        let mut edited_rev = chain.0[1].clone();
        edited_rev.checksum = "edited".to_string();
        let edited = chain.clone().with(1, edited_rev);
        let err = edited.run_to(&mut m, Some("003")).await.unwrap_err();
        match &err {
            RunError::ChecksumMismatch {
                revision,
                recorded,
                current,
                file,
            } => {
                assert_eq!(revision, "002");
                assert_eq!(recorded, "checksum-of-002");
                assert_eq!(current, "edited");
                assert_eq!(file, "002_file.rs");
            }
            other => panic!("unexpected error: {other}"),
        }
        assert!(!index_exists(&db, "ix_widget_name").await);
        assert_eq!(version_rows(&db).await, s(&["002"]));
        // A check that is turned off lets the run proceed.
        let mut m = m.with_options(RunOptions {
            verify_checksums: false,
            ..Default::default()
        });
        edited.run_to(&mut m, Some("003")).await.unwrap();
        assert!(index_exists(&db, "ix_widget_name").await);
    })
    .await;
}

#[tokio::test]
async fn unknown_revision_is_refused_before_any_ddl() {
    each_backend(async |db: TestDb| {
        let chain = Chain::standard();
        let (mut m, _) = migrator(&db, RunOptions::default()).await;
        chain.run_to(&mut m, Some("001")).await.unwrap();
        exec(&db, "UPDATE alembic_version SET version_num = 'f00dfeed'").await;
        let err = chain.run_to(&mut m, Some("003")).await.unwrap_err();
        assert!(
            matches!(&err, RunError::UnknownRevision { revision } if revision == "f00dfeed"),
            "{err}"
        );
        assert!(
            err.to_string()
                .contains("database is at unknown revision f00dfeed (newer code deployed?)")
        );
        assert!(!table_exists(&db, "part").await);
        assert_eq!(version_rows(&db).await, s(&["f00dfeed"]));
        assert!(m.check_integrity(&chain.known()).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn stamp_sets_heads_without_running_and_purge_clears_unknown_rows() {
    each_backend(async |db: TestDb| {
        let chain = Chain::standard();
        let (mut m, events) = migrator(&db, RunOptions::default()).await;
        let report = m.stamp(&chain.known(), &s(&["002"]), false).await.unwrap();
        assert_eq!(report.heads_after, s(&["002"]));
        assert_eq!(version_rows(&db).await, s(&["002"]));
        assert!(!table_exists(&db, "widget").await);
        assert!(saw(&events, |e| matches!(e, Event::Stamped { .. })));
        assert_eq!(
            history(&db).await,
            vec![("002".to_string(), "stamp".to_string())]
        );

        assert!(matches!(
            m.stamp(&chain.known(), &s(&["nope"]), false).await,
            Err(RunError::StampUnknown { .. })
        ));

        exec(&db, "UPDATE alembic_version SET version_num = 'f00dfeed'").await;
        assert!(matches!(
            m.stamp(&chain.known(), &s(&["001"]), false).await,
            Err(RunError::UnknownRevision { .. })
        ));
        let purged = m.stamp(&chain.known(), &s(&["001"]), true).await.unwrap();
        assert_eq!(purged.heads_before, s(&["f00dfeed"]));
        assert_eq!(version_rows(&db).await, s(&["001"]));
        // From the stamped revision, a run applies only what follows it.
        exec(
            &db,
            "CREATE TABLE widget (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)",
        )
        .await;
        let run = chain.run_to(&mut m, Some("003")).await.unwrap();
        assert_eq!(run.applied.len(), 2);
    })
    .await;
}

#[tokio::test]
async fn existing_alembic_version_table_is_taken_over() {
    each_backend(async |db: TestDb| {
        // What Alembic creates, with a database at revision 001.
        exec(
            &db,
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, \
             CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))",
        )
        .await;
        exec(
            &db,
            "CREATE TABLE widget (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)",
        )
        .await;
        exec(
            &db,
            "INSERT INTO alembic_version (version_num) VALUES ('001')",
        )
        .await;
        let chain = Chain::standard();
        let (mut m, events) = migrator(&db, RunOptions::default()).await;
        assert_eq!(m.current_heads().await.unwrap(), Some(s(&["001"])));
        let report = chain.run_to(&mut m, Some("003")).await.unwrap();
        assert_eq!(
            report
                .applied
                .iter()
                .map(|a| a.id.as_str())
                .collect::<Vec<_>>(),
            ["002", "003"]
        );
        assert!(!saw(&events, |e| matches!(
            e,
            Event::VersionTableCreated { .. }
        )));
        assert_eq!(version_rows(&db).await, s(&["003"]));
    })
    .await;
}

#[tokio::test]
async fn duplicate_and_malformed_version_rows_are_refused() {
    each_backend(async |db: TestDb| {
        exec(&db, "CREATE TABLE alembic_version (version_num VARCHAR(40))").await;
        exec(&db, "INSERT INTO alembic_version (version_num) VALUES ('001'), ('001')").await;
        let chain = Chain::standard();
        let (mut m, _) = migrator(&db, RunOptions::default()).await;
        let err = chain.run_to(&mut m, Some("003")).await.unwrap_err();
        assert!(
            matches!(&err, RunError::VersionTable(VersionTableError::Duplicate { revision, .. }) if revision == "001"),
            "{err}"
        );
        exec(&db, "DELETE FROM alembic_version").await;
        exec(&db, "INSERT INTO alembic_version (version_num) VALUES (NULL)").await;
        let err = chain.run_to(&mut m, Some("003")).await.unwrap_err();
        assert!(
            matches!(&err, RunError::VersionTable(VersionTableError::Malformed { .. })),
            "{err}"
        );
        assert!(!table_exists(&db, "widget").await);
    })
    .await;
}

#[tokio::test]
async fn cancellation_stops_at_a_revision_boundary() {
    each_backend(async |db: TestDb| {
        let chain = Chain::standard();
        let cancel = CancelFlag::new();
        let trigger = cancel.clone();
        let mut m = Migrator::new(connect(&db).await)
            .with_cancel(cancel)
            .with_events(move |e: &Event| {
                if matches!(e, Event::RevisionFinished { id, .. } if id == "001") {
                    trigger.cancel();
                }
            });
        let err = chain.run_to(&mut m, Some("003")).await.unwrap_err();
        match &err {
            RunError::Cancelled { applied, remaining } => {
                assert_eq!(applied, &s(&["001"]));
                assert_eq!(*remaining, 2);
            }
            other => panic!("unexpected error: {other}"),
        }
        assert_eq!(version_rows(&db).await, s(&["001"]));
    })
    .await;
}

#[tokio::test]
async fn sqlite_foreign_key_violations_fail_the_revision() {
    let db = TestDb::sqlite();
    let chain = Chain::standard().with(
        3,
        rev(
            "004",
            &["INSERT INTO part (id, widget_id) VALUES (1, 999)"],
            &[],
        ),
    );
    let (mut m, _) = migrator(&db, RunOptions::default()).await;
    let err = chain.run_to(&mut m, Some("004")).await.unwrap_err();
    assert!(
        matches!(&err, RunError::ForeignKeyViolation { revision, violations, .. } if revision == "004" && !violations.is_empty()),
        "{err}"
    );
    assert_eq!(version_rows(&db).await, s(&["003"]));
    assert!(
        rows(&db, "SELECT CAST(id AS TEXT) FROM part")
            .await
            .is_empty()
    );
    // The migrator's own connection left the transaction and enforces foreign
    // keys again (SQLite ignores that pragma inside a transaction).
    let conn = m.connection().unwrap();
    conn.execute("BEGIN IMMEDIATE")
        .await
        .expect("no transaction left open");
    conn.execute("ROLLBACK").await.unwrap();
    let Some(c) = stratum::testing::driver::sqlite(conn) else {
        unreachable!()
    };
    let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(c)
        .await
        .unwrap();
    assert_eq!(on, 1);
}

#[tokio::test]
async fn concurrent_runners_apply_each_revision_once() {
    each_backend(async |db: TestDb| {
        let chain = Chain::standard();
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let conn = connect(&db).await;
            let chain = chain.clone();
            tasks.push(tokio::spawn(async move {
                let mut m = Migrator::new(conn).with_options(RunOptions {
                    lock_timeout: Some(Duration::from_secs(60)),
                    lock_poll_interval: Duration::from_millis(20),
                    ..Default::default()
                });
                chain.run_to(&mut m, Some("003")).await
            }));
        }
        let mut applied = 0;
        for t in tasks {
            let report = t
                .await
                .unwrap()
                .unwrap_or_else(|e| panic!("runner failed: {e}"));
            assert_eq!(report.heads_after, s(&["003"]));
            applied += report.applied.len();
        }
        assert_eq!(applied, 3);
        let h = history(&db).await;
        assert_eq!(
            h,
            vec![
                ("001".to_string(), "upgrade".to_string()),
                ("002".to_string(), "upgrade".to_string()),
                ("003".to_string(), "upgrade".to_string()),
            ]
        );
        assert_eq!(version_rows(&db).await, s(&["003"]));
    })
    .await;
}

// ---------------------------------------------------------------------------
// PostgreSQL only.

/// Advisory locks belong to a database: a session holding the same key in
/// another database of the server is not the holder to name.
#[tokio::test]
async fn lock_timeout_names_the_holder_in_this_database() {
    let (Some(db), Some(other)) = (TestDb::postgres().await, TestDb::postgres().await) else {
        return;
    };
    let key = lock_key("alembic_version");
    let mut holders = Vec::new();
    for (target, name) in [(&other, "holder-elsewhere"), (&db, "holder-here")] {
        let mut c = sqlx::PgConnection::connect(target.url()).await.unwrap();
        sqlx::raw_sql(AssertSqlSafe(format!(
            "SET application_name = '{name}'; SELECT pg_advisory_lock({key})"
        )))
        .execute(&mut c)
        .await
        .unwrap();
        holders.push(c);
    }
    let (mut m, _) = migrator(
        &db,
        RunOptions {
            lock_timeout: Some(Duration::from_secs(1)),
            ..Default::default()
        },
    )
    .await;
    let err = Chain::standard()
        .run_to(&mut m, Some("003"))
        .await
        .unwrap_err();
    match &err {
        RunError::LockTimeout {
            holder: Some(h), ..
        } => assert_eq!(h.application_name.as_deref(), Some("holder-here")),
        other => panic!("unexpected error: {other}"),
    }
    for c in holders {
        c.close().await.unwrap();
    }
}

#[tokio::test]
async fn lock_timeout_names_the_holder_and_runs_nothing() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut holder = sqlx::PgConnection::connect(db.url()).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!(
        "SET application_name = 'holder-app'; SELECT pg_advisory_lock({})",
        lock_key("alembic_version")
    )))
    .execute(&mut holder)
    .await
    .unwrap();
    let chain = Chain::standard();
    let (mut m, events) = migrator(
        &db,
        RunOptions {
            lock_timeout: Some(Duration::from_secs(2)),
            ..Default::default()
        },
    )
    .await;
    let started = Instant::now();
    let err = chain.run_to(&mut m, Some("003")).await.unwrap_err();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(6),
        "{waited:?}"
    );
    match &err {
        RunError::LockTimeout {
            holder: Some(h), ..
        } => {
            assert_eq!(h.application_name.as_deref(), Some("holder-app"));
            assert!(h.pid.is_some());
        }
        other => panic!("unexpected error: {other}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("holder-app") && text.contains("pid "),
        "{text}"
    );
    assert!(saw(&events, |e| matches!(
        e,
        Event::LockWaiting { holder: Some(_) }
    )));
    assert!(!table_exists(&db, "alembic_version").await);
    assert!(!table_exists(&db, "widget").await);
    holder.close().await.unwrap();
    // With the holder gone, the same migrator proceeds.
    chain.run_to(&mut m, Some("003")).await.unwrap();
}

#[tokio::test]
async fn non_transactional_revision_runs_outside_a_transaction() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut concurrent = rev(
        "004",
        &["CREATE INDEX CONCURRENTLY ix_part_widget ON part (widget_id)"],
        &["DROP INDEX CONCURRENTLY ix_part_widget"],
    );
    concurrent.transactional = false;
    let chain = Chain::standard().with(3, concurrent);
    let (mut m, events) = migrator(
        &db,
        RunOptions {
            db_lock_timeout: Some(Duration::from_secs(5)),
            statement_timeout: Some(Duration::from_secs(30)),
            ..Default::default()
        },
    )
    .await;
    chain.run_to(&mut m, Some("004")).await.unwrap();
    assert!(index_exists(&db, "ix_part_widget").await);
    assert!(saw(
        &events,
        |e| matches!(e, Event::NonTransactional { id } if id == "004")
    ));
    assert_eq!(version_rows(&db).await, s(&["004"]));
    chain.run_to(&mut m, Some("003")).await.unwrap();
    assert!(!index_exists(&db, "ix_part_widget").await);
    // The session keeps the run's lock timeout after the revision: the runner's
    // own statements that follow are bounded as well.
    let conn = m.connection().unwrap();
    let Some(c) = stratum::testing::driver::postgres(conn) else {
        unreachable!()
    };
    let row = sqlx::query("SELECT current_setting('lock_timeout')")
        .fetch_one(c)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>(0), "5s");
}

#[tokio::test]
async fn statement_timeout_applies_inside_the_revision() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let chain = Chain(vec![rev("001", &["SELECT pg_sleep(3)"], &[])]);
    let (mut m, _) = migrator(
        &db,
        RunOptions {
            statement_timeout: Some(Duration::from_millis(300)),
            ..Default::default()
        },
    )
    .await;
    let err = chain.run_to(&mut m, Some("001")).await.unwrap_err();
    assert!(
        matches!(&err, RunError::StatementFailed { code: Some(c), .. } if c == "57014"),
        "{err}"
    );
}

#[tokio::test]
async fn dropped_run_closes_the_connection_and_frees_the_lock() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let chain = Chain(vec![rev("001", &["SELECT pg_sleep(60)"], &[])]);
    let options = RunOptions {
        statement_timeout: orphan_statement_bound(db.url()).await,
        ..Default::default()
    };
    let (mut m, _) = migrator(&db, options).await;
    // Give up on the run mid-revision: the future is dropped while the lock is held.
    let r = tokio::time::timeout(
        Duration::from_millis(700),
        chain.run_to(&mut m, Some("001")),
    )
    .await;
    assert!(r.is_err(), "the revision should still be running");
    assert!(matches!(
        m.current_heads().await,
        Err(RunError::ConnectionClosed)
    ));
    // The server ends the closed session; another migrator gets the lock.
    let quick = Chain(vec![rev("001", &["CREATE TABLE t (id INTEGER)"], &[])]);
    let (mut other, _) = migrator(
        &db,
        RunOptions {
            lock_timeout: Some(Duration::from_secs(10)),
            ..Default::default()
        },
    )
    .await;
    quick.run_to(&mut other, Some("001")).await.unwrap();
    assert_eq!(version_rows(&db).await, s(&["001"]));
}

#[tokio::test]
async fn busy_table_fails_fast_on_the_lock_timeout() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    // ALTER TABLE needs an ACCESS EXCLUSIVE lock, which a reader blocks.
    let chain = Chain::standard().with(
        1,
        rev("002", &["ALTER TABLE widget ADD COLUMN extra INTEGER"], &[]),
    );
    let (mut m, _) = migrator(&db, RunOptions::default()).await;
    chain.run_to(&mut m, Some("001")).await.unwrap();
    // Another session reads the table inside an open transaction.
    let mut reader = sqlx::PgConnection::connect(db.url()).await.unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE widget IN ACCESS SHARE MODE")
        .execute(&mut reader)
        .await
        .unwrap();
    let mut m = m.with_options(RunOptions {
        db_lock_timeout: Some(Duration::from_millis(500)),
        ..Default::default()
    });
    let started = Instant::now();
    let err = chain.run_to(&mut m, Some("002")).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(&err, RunError::TableLockTimeout { revision, blocking, .. } if revision == "002" && !blocking.is_empty()),
        "{err}"
    );
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut reader)
        .await
        .unwrap();
    assert_eq!(version_rows(&db).await, s(&["001"]));
    chain.run_to(&mut m, Some("002")).await.unwrap();
}

#[tokio::test]
async fn concurrent_index_build_does_not_deadlock_with_a_waiting_migrator() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut concurrent = rev(
        "004",
        &[
            "SELECT pg_sleep(1)",
            "CREATE INDEX CONCURRENTLY ix_part_widget ON part (widget_id)",
        ],
        &["DROP INDEX CONCURRENTLY ix_part_widget"],
    );
    concurrent.transactional = false;
    let chain = Chain::standard().with(3, concurrent);
    let (mut first, _) = migrator(&db, RunOptions::default()).await;
    chain.run_to(&mut first, Some("003")).await.unwrap();
    let (mut second, second_events) = migrator(
        &db,
        RunOptions {
            lock_timeout: Some(Duration::from_secs(30)),
            lock_poll_interval: Duration::from_millis(50),
            ..Default::default()
        },
    )
    .await;
    let one = chain.run_to(&mut first, Some("004"));
    let two = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        chain.run_to(&mut second, Some("004")).await
    };
    let (a, b) = tokio::time::timeout(Duration::from_secs(40), async { tokio::join!(one, two) })
        .await
        .expect("deadlock: neither migrator finished");
    assert_eq!(a.unwrap().applied.len(), 1);
    assert!(b.unwrap().applied.is_empty());
    assert!(saw(&second_events, |e| matches!(
        e,
        Event::LockWaiting { .. }
    )));
    assert!(index_exists(&db, "ix_part_widget").await);
}

/// The child side of `killed_process_leaves_nothing_half_applied`: does nothing
/// unless started by it.
#[tokio::test]
#[ignore = "started as a child process by killed_process_leaves_nothing_half_applied"]
async fn child_runs_a_sleeping_revision() {
    let Ok(url) = std::env::var("STRATUM_RUNNER_CHILD_URL") else {
        return;
    };
    let chain = Chain(vec![
        rev("001", &["CREATE TABLE first_done (id INTEGER)"], &[]),
        rev(
            "002",
            &["CREATE TABLE half (id INTEGER)", "SELECT pg_sleep(120)"],
            &[],
        ),
    ]);
    let mut m = Migrator::new(Connection::connect(&url).await.unwrap()).with_options(RunOptions {
        statement_timeout: orphan_statement_bound(&url).await,
        ..Default::default()
    });
    let _ = chain.run_to(&mut m, Some("002")).await;
}

/// Before PostgreSQL 14 (which added `client_connection_check_interval`) the
/// server notices a vanished client only when the running statement ends, so a
/// run whose client goes away mid-statement is bounded by a statement timeout,
/// as the guide advises for those versions; `None` on later versions.
async fn orphan_statement_bound(url: &str) -> Option<Duration> {
    let mut c = sqlx::PgConnection::connect(url).await.unwrap();
    let version: i32 = sqlx::query_scalar("SELECT current_setting('server_version_num')::int")
        .fetch_one(&mut c)
        .await
        .unwrap();
    c.close().await.ok();
    (version < 140_000).then_some(Duration::from_secs(3))
}

#[tokio::test]
async fn killed_process_leaves_nothing_half_applied() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "child_runs_a_sleeping_revision",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("STRATUM_RUNNER_CHILD_URL", db.url())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the child sleeps inside revision 002 (001 committed before it).
    let deadline = Instant::now() + Duration::from_secs(60);
    let database = db.name().to_string();
    loop {
        let r = rows(
            &db,
            &format!(
                "SELECT CAST(count(*) AS TEXT) FROM pg_stat_activity WHERE datname = '{database}' AND query LIKE '%SELECT pg_sleep(120)%' AND pid <> pg_backend_pid()"
            ),
        )
        .await;
        if r[0][0].as_deref() == Some("1") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the child never reached revision 002"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child exited early"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let chain = Chain(vec![
        rev("001", &["CREATE TABLE first_done (id INTEGER)"], &[]),
        rev("002", &["CREATE TABLE whole (id INTEGER)"], &[]),
    ]);
    let (mut m, _) = migrator(
        &db,
        RunOptions {
            lock_timeout: Some(Duration::from_secs(20)),
            ..Default::default()
        },
    )
    .await;
    let report = chain.run_to(&mut m, Some("002")).await.unwrap();
    assert_eq!(report.heads_before, s(&["001"]));
    assert_eq!(report.applied.len(), 1);
    assert!(table_exists(&db, "first_done").await);
    assert!(table_exists(&db, "whole").await);
    assert!(!table_exists(&db, "half").await);
    assert_eq!(
        history(&db).await,
        vec![
            ("001".to_string(), "upgrade".to_string()),
            ("002".to_string(), "upgrade".to_string())
        ]
    );
}

#[tokio::test]
async fn non_transactional_failure_reports_what_stays_applied() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut partial = rev(
        "004",
        &[
            "CREATE INDEX CONCURRENTLY ix_part_widget ON part (widget_id)",
            "CREATE INDEX CONCURRENTLY ix_broken ON no_such_table (x)",
        ],
        &[],
    );
    partial.transactional = false;
    let chain = Chain::standard().with(3, partial);
    let (mut m, _) = migrator(&db, RunOptions::default()).await;
    let err = chain.run_to(&mut m, Some("004")).await.unwrap_err();
    match &err {
        RunError::PartiallyApplied {
            revision,
            executed,
            total,
            code,
            ..
        } => {
            assert_eq!((revision.as_str(), *executed, *total), ("004", 1, 2));
            assert_eq!(code.as_deref(), Some("42P01"));
        }
        other => panic!("unexpected error: {other}"),
    }
    assert!(err.to_string().contains("statement 2 of 2"), "{err}");
    assert!(index_exists(&db, "ix_part_widget").await);
    assert_eq!(version_rows(&db).await, s(&["003"]));
}

/// The child side of `ten_processes_upgrade_at_once`: does nothing unless
/// started by it; fails (non-zero exit) if its run fails.
#[tokio::test]
#[ignore = "started as a child process by ten_processes_upgrade_at_once"]
async fn child_upgrades_to_head() {
    let Ok(url) = std::env::var("STRATUM_RUNNER_CHILD_URL") else {
        return;
    };
    let chain = Chain::standard();
    let mut m = Migrator::new(Connection::connect(&url).await.unwrap()).with_options(RunOptions {
        lock_timeout: Some(Duration::from_secs(60)),
        lock_poll_interval: Duration::from_millis(20),
        ..Default::default()
    });
    chain
        .run_to(&mut m, Some("003"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn ten_processes_upgrade_at_once() {
    each_backend(async |db: TestDb| {
        let children: Vec<_> = (0..10)
            .map(|_| {
                std::process::Command::new(std::env::current_exe().unwrap())
                    .args(["child_upgrades_to_head", "--exact", "--ignored"])
                    .env("STRATUM_RUNNER_CHILD_URL", db.url())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "a migrator process failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let upgrades: Vec<String> = history(&db).await.into_iter().map(|(r, _)| r).collect();
        assert_eq!(upgrades, s(&["001", "002", "003"]));
        assert_eq!(version_rows(&db).await, s(&["003"]));
    })
    .await;
}

#[tokio::test]
async fn sqlite_writer_elsewhere_is_a_lock_timeout() {
    let db = TestDb::sqlite();
    let chain = Chain::standard();
    let (mut m, _) = migrator(
        &db,
        RunOptions {
            lock_timeout: Some(Duration::from_millis(500)),
            ..Default::default()
        },
    )
    .await;
    chain.run_to(&mut m, Some("001")).await.unwrap();
    let mut writer = connect(&db).await;
    writer.execute("BEGIN IMMEDIATE").await.unwrap();
    let started = Instant::now();
    let err = chain.run_to(&mut m, Some("003")).await.unwrap_err();
    assert!(matches!(err, RunError::DatabaseBusy { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    writer.execute("ROLLBACK").await.unwrap();
    assert_eq!(version_rows(&db).await, s(&["001"]));
    chain.run_to(&mut m, Some("003")).await.unwrap();
}

#[tokio::test]
async fn user_without_ddl_rights_gets_a_clear_refusal() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let role = format!("stratum_t_nodll_{:08x}", rand::random::<u32>());
    exec(&db, &format!("CREATE ROLE {role} LOGIN")).await;
    // PostgreSQL 15 and later give PUBLIC no CREATE on schema public; make it so
    // on older servers too.
    exec(&db, "REVOKE CREATE ON SCHEMA public FROM PUBLIC").await;
    let mut url = url::Url::parse(db.url()).unwrap();
    url.set_username(&role).unwrap();
    let chain = Chain::standard();
    let mut m = Migrator::new(Connection::connect(url.as_str()).await.unwrap());
    let err = chain.run_to(&mut m, Some("003")).await.unwrap_err();
    match &err {
        RunError::Database { context, code, .. } => {
            assert_eq!(*context, "creating the version table");
            assert_eq!(code.as_deref(), Some("42501"));
        }
        other => panic!("unexpected error: {other}"),
    }
    assert!(err.to_string().contains("[42501]"), "{err}");
    if let Some(c) = m.into_connection() {
        c.close().await.unwrap();
    }
    exec(&db, &format!("DROP ROLE {role}")).await;
    assert!(!table_exists(&db, "alembic_version").await);
}

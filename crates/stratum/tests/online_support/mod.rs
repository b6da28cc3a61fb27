//! Shared by the online tests: a two-revision chain (a seeded base, then the
//! revision under test), plain and online runs, concurrent writers, and the
//! introspected schema to compare.
#![allow(dead_code)]

use std::error::Error;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use stratum::db::Connection;
use stratum::ops::Op;
use stratum::runner::{
    DEFAULT_HISTORY_TABLE, DEFAULT_VERSION_TABLE, Direction, Event, KnownRevision, Migrator,
    OnlineOptions, Plan, RunError, RunOptions, RunReport, Step,
};
use stratum::schema::Schema;
use stratum_testkit::{TestDb, WriterLoad, WriterReport, Writers};

/// Rows the base revision seeds into `micrograph`.
pub const SEEDED: i64 = 20_000;

/// The base revision: `grid`, `micrograph` (seeded), `reading` (no primary key).
pub fn base_ops() -> Vec<Op> {
    let sql = |s: &str| {
        Op::Execute(RawSql {
            any: Some(s.to_string()),
            ..Default::default()
        })
    };
    let mut ops = Ops::new();
    use stratum::prelude::*;
    ops.create_table("grid")
        .column(col("id", big_integer()).primary_key());
    ops.create_table("micrograph")
        .column(col("id", big_integer()).primary_key())
        .column(col("grid_id", big_integer()))
        .column(col("code", big_integer()))
        .column(col("label", varchar_n(40)))
        .column(col("n", integer()));
    ops.create_index("idx_micrograph_label", "micrograph", ["label"]);
    ops.create_table("reading")
        .column(col("id", big_integer()))
        .column(col("v", integer()));
    let mut out = ops.into_vec();
    out.push(sql("INSERT INTO grid (id) VALUES (1)"));
    out.push(sql(&format!(
        "INSERT INTO micrograph (id, grid_id, code, label, n) \
         SELECT g, 1, g, 'm' || g, 0 FROM generate_series(1, {SEEDED}) g"
    )));
    out.push(sql(
        "INSERT INTO reading (id, v) SELECT g, g FROM generate_series(1, 1000) g",
    ));
    out
}

/// The chain: `001` (base) then `002` with `ops`.
#[derive(Clone)]
pub struct Chain {
    revisions: Vec<(&'static str, Vec<Op>)>,
}

impl Chain {
    pub fn new(ops: Vec<Op>) -> Chain {
        Chain {
            revisions: vec![("001", base_ops()), ("002", ops)],
        }
    }

    pub fn known(&self) -> Vec<KnownRevision> {
        self.revisions
            .iter()
            .map(|(id, _)| KnownRevision {
                id: id.to_string(),
                checksum: format!("sum-{id}"),
                file: format!("{id}.rs"),
            })
            .collect()
    }

    /// The plan from the current heads up to `target` (upgrades only).
    pub fn plan(
        &self,
        heads: &[String],
        target: &str,
    ) -> Result<Plan, Box<dyn Error + Send + Sync>> {
        let from = match heads.first() {
            None => 0,
            Some(h) => {
                self.revisions
                    .iter()
                    .position(|(id, _)| id == h)
                    .ok_or("unknown head")?
                    + 1
            }
        };
        let to = self
            .revisions
            .iter()
            .position(|(id, _)| *id == target)
            .ok_or("unknown target")?
            + 1;
        let mut start_schema = Schema::default();
        for (_, ops) in &self.revisions[..from] {
            stratum::simulate::apply_all(&mut start_schema, ops)?;
        }
        let steps = (from..to)
            .map(|i| {
                let (id, ops) = &self.revisions[i];
                Step {
                    id: id.to_string(),
                    direction: Direction::Up,
                    message: format!("revision {id}"),
                    file: format!("{id}.rs"),
                    ops: ops.clone(),
                    checksum: format!("sum-{id}"),
                    transactional: !ops.iter().any(Op::requires_no_transaction),
                    heads_before: if i == 0 {
                        vec![]
                    } else {
                        vec![self.revisions[i - 1].0.to_string()]
                    },
                    heads_after: vec![id.to_string()],
                }
            })
            .collect();
        Ok(Plan {
            start_schema,
            steps,
        })
    }
}

pub type Events = Arc<Mutex<Vec<Event>>>;

/// A callback on each event of a run (for tests that interrupt it).
pub type Hook = Arc<dyn Fn(&Event) + Send + Sync>;

/// Runs the chain up to `target`, online when `online` is given.
pub async fn run(
    db: &TestDb,
    chain: &Chain,
    target: &'static str,
    online: Option<OnlineOptions>,
    events: Events,
    hook: Option<Hook>,
) -> Result<RunReport, RunError> {
    let conn = Connection::connect(db.url()).await.expect("connect");
    let mut m = Migrator::new(conn)
        .with_options(RunOptions {
            online,
            ..Default::default()
        })
        .with_events(move |e: &Event| {
            events.lock().unwrap().push(e.clone());
            if let Some(h) = &hook {
                h(e);
            }
        });
    let chain2 = chain.clone();
    let planner = move |heads: &[String]| chain2.plan(heads, target);
    let result = m.run(&chain.known(), &planner).await;
    m.close().await;
    result
}

pub fn events() -> Events {
    Arc::new(Mutex::new(Vec::new()))
}

/// The schema of the database, without the runner's own tables.
pub async fn schema(db: &TestDb) -> Schema {
    let mut conn = Connection::connect(db.url()).await.expect("connect");
    let s =
        stratum::introspect::introspect(&mut conn, &[DEFAULT_VERSION_TABLE, DEFAULT_HISTORY_TABLE])
            .await
            .expect("introspect");
    let _ = conn.close().await;
    s
}

/// The schema a plain run of the chain ends with.
pub async fn plain_schema(chain: &Chain) -> Schema {
    let db = TestDb::postgres().await.expect("server");
    run(&db, chain, "002", None, events(), None)
        .await
        .expect("plain run");
    schema(&db).await
}

/// Writers inserting into and updating `micrograph` for the whole migration.
pub async fn writers(db: &TestDb) -> Writers {
    WriterLoad::new(db.url(), "micrograph")
        .insert("INSERT INTO micrograph (id, grid_id, code, label, n) VALUES ($1, 1, $1, 'w', 0)")
        .update("UPDATE micrograph SET n = n + 1 WHERE id = $1")
        .update_keys(1..SEEDED)
        .first_key(10_000_000)
        .tasks(3)
        .pause(Duration::from_millis(2))
        .start()
        .await
        .expect("writers start")
}

/// Asserts that no writer failed.
pub fn assert_clean(report: &WriterReport) {
    assert!(
        report.errors.is_empty(),
        "writers failed: {}",
        report
            .errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(report.statements > 0, "the writers wrote nothing");
}

/// Online options for tests: short pauses.
pub fn quick() -> OnlineOptions {
    OnlineOptions {
        batch_size: 2_000,
        batch_pause: Duration::from_millis(1),
        ..OnlineOptions::default()
    }
}

/// Applies the base revision only.
pub async fn base(db: &TestDb, chain: &Chain) {
    run(db, chain, "001", None, events(), None)
        .await
        .expect("base");
}

/// Runs `002` online under writers, and checks that no writer failed and
/// that the schema equals the plain run's.
pub async fn online_equals_plain(ops: Vec<Op>) -> Events {
    let chain = Chain::new(ops);
    let expected = plain_schema(&chain).await;
    let db = TestDb::postgres().await.expect("server");
    base(&db, &chain).await;
    let w = writers(&db).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let evs = events();
    let result = run(&db, &chain, "002", Some(quick()), evs.clone(), None).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let report = w.stop().await;
    result.expect("online run");
    assert_clean(&report);
    assert_eq!(
        schema(&db).await,
        expected,
        "online schema differs from the plain run's"
    );
    evs
}

//! The MariaDB migration lock: `GET_LOCK` taken on a session of its own (not the
//! migration connection), the holder named to a migrator that gives up waiting,
//! freed when its holder goes away, and a run stopped when its lock session is
//! lost.
//!
//! A run is held in the middle of a revision by a "gate": a revision's first
//! statement waits for a user lock the test holds, so the test decides when the
//! revision goes on.

use sqlx::AssertSqlSafe;
use sqlx::Connection as _;
use sqlx::MySqlConnection;
use std::time::Duration;
use stratum::db::Connection;
use stratum::prelude::*;
use stratum::runner::{
    Goal, Migrator, Resolution, RunError, RunOptions, RunReport, ScriptPlanner, known_revisions,
    lock_key,
};
use stratum::script::{EmbeddedRevision, Script};
use stratum_testkit::TestDb;

/// The gate's lock name, one per database.
const GATE: &str = "CONCAT('gate_', LEFT(SHA2(DATABASE(), 256), 16))";

/// The migration lock's name for the default version table, as the server
/// computes it for the current database.
fn lock_name() -> String {
    format!(
        "CONCAT('stratum_', LEFT(SHA2(CONCAT(DATABASE(), '/', '{}'), 256), 16))",
        lock_key("alembic_version")
    )
}

fn gated_up(op: &mut Ops) {
    op.execute(format!("DO GET_LOCK({GATE}, 30)"));
    op.execute(format!("DO RELEASE_LOCK({GATE})"));
    op.create_table("first")
        .column(col("id", integer()).primary_key());
}
fn gated_down(op: &mut Ops) {
    op.drop_table("first");
}
fn second_up(op: &mut Ops) {
    op.create_table("second")
        .column(col("id", integer()).primary_key());
}
fn second_down(op: &mut Ops) {
    op.drop_table("second");
}
fn record_up(op: &mut Ops) {
    // Run by the migration connection, while the run holds the lock.
    op.execute(format!(
        "CREATE TABLE seen AS SELECT IS_USED_LOCK({}) AS holder, CONNECTION_ID() AS runner",
        lock_name()
    ));
}
fn record_down(op: &mut Ops) {
    op.drop_table("seen");
}

static GATED: [EmbeddedRevision; 2] = [
    EmbeddedRevision {
        revision: Revision::new("g1").message("Wait at the gate"),
        upgrade: gated_up,
        downgrade: gated_down,
        file_name: "g1_gate.rs",
        source: "g1 source",
    },
    EmbeddedRevision {
        revision: Revision::new("s2").revises(&["g1"]).message("Second"),
        upgrade: second_up,
        downgrade: second_down,
        file_name: "s2_second.rs",
        source: "s2 source",
    },
];

static RECORD: [EmbeddedRevision; 1] = [EmbeddedRevision {
    revision: Revision::new("r1").message("Record the lock holder"),
    upgrade: record_up,
    downgrade: record_down,
    file_name: "r1_record.rs",
    source: "r1 source",
}];

async fn admin(db: &TestDb) -> MySqlConnection {
    MySqlConnection::connect(db.url()).await.unwrap()
}

async fn text(conn: &mut MySqlConnection, sql: &str) -> Option<String> {
    sqlx::query_scalar(AssertSqlSafe(sql.to_string()))
        .fetch_one(conn)
        .await
        .unwrap()
}

/// The session holding the migration lock, if any.
async fn lock_owner(conn: &mut MySqlConnection) -> Option<String> {
    text(
        conn,
        &format!("SELECT CAST(IS_USED_LOCK({}) AS CHAR)", lock_name()),
    )
    .await
}

/// Waits until some session holds the migration lock and returns its id (gives
/// up after a minute, which only a broken run takes).
async fn wait_for_owner(conn: &mut MySqlConnection) -> String {
    for _ in 0..600 {
        if let Some(id) = lock_owner(conn).await {
            return id;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no session took the migration lock");
}

/// Waits until the migration connection `runner` waits at the gate (gives up
/// after a minute).
async fn wait_at_gate(conn: &mut MySqlConnection, runner: &str) {
    let sql = format!(
        "SELECT CAST(count(*) AS CHAR) FROM information_schema.processlist \
         WHERE id = {runner} AND info LIKE 'DO GET_LOCK%'"
    );
    for _ in 0..600 {
        if text(conn, &sql).await.as_deref() == Some("1") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the run did not reach the gate");
}

/// Closes the gate: revision g1 waits until `open_gate`.
async fn close_gate(conn: &mut MySqlConnection) {
    let taken = text(conn, &format!("SELECT CAST(GET_LOCK({GATE}, 0) AS CHAR)")).await;
    assert_eq!(taken.as_deref(), Some("1"));
}

async fn open_gate(conn: &mut MySqlConnection) {
    let released = text(conn, &format!("SELECT CAST(RELEASE_LOCK({GATE}) AS CHAR)")).await;
    assert_eq!(released.as_deref(), Some("1"));
}

async fn connection_id(m: &mut Migrator) -> String {
    let conn = m.connection().unwrap();
    let rows = conn
        .query_text("SELECT CAST(CONNECTION_ID() AS CHAR)")
        .await
        .unwrap();
    rows[0][0].clone().unwrap()
}

async fn count_tables(conn: &mut MySqlConnection, name: &str) -> Option<String> {
    text(
        conn,
        &format!(
            "SELECT CAST(count(*) AS CHAR) FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = '{name}'"
        ),
    )
    .await
}

/// Starts a run of the gated chain to head in a task; returns it with the id of
/// its migration connection.
async fn spawn_gated(
    db: &TestDb,
) -> (
    tokio::task::JoinHandle<(Migrator, Result<RunReport, RunError>)>,
    String,
) {
    let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());
    let runner = connection_id(&mut m).await;
    let task = tokio::spawn(async move {
        let script = Script::load(&GATED).unwrap();
        let known = known_revisions(&script);
        let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
        let result = m.run(&known, &up).await;
        (m, result)
    });
    (task, runner)
}

#[tokio::test]
async fn the_lock_is_held_by_a_session_other_than_the_migration_connection() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let script = Script::load(&RECORD).unwrap();
    let known = known_revisions(&script);
    let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());
    let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
    m.run(&known, &up).await.unwrap();

    let mut admin = admin(&db).await;
    let holder = text(&mut admin, "SELECT CAST(holder AS CHAR) FROM seen").await;
    let runner = text(&mut admin, "SELECT CAST(runner AS CHAR) FROM seen").await;
    let runner = runner.expect("the revision saw its connection id");
    let holder = holder.expect("the lock was held while the revision ran");
    assert_ne!(holder, runner);
    assert_eq!(runner, connection_id(&mut m).await);
    // Released with the run, and its session closed.
    assert_eq!(lock_owner(&mut admin).await, None);
    let open = text(
        &mut admin,
        &format!(
            "SELECT CAST(count(*) AS CHAR) FROM information_schema.processlist WHERE id = {holder}"
        ),
    )
    .await;
    assert_eq!(open.as_deref(), Some("0"));
}

#[tokio::test]
async fn a_second_migrator_times_out_naming_the_lock_session_of_the_first() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut admin = admin(&db).await;
    close_gate(&mut admin).await;
    let (first, first_runner) = spawn_gated(&db).await;
    let owner = wait_for_owner(&mut admin).await;
    assert_ne!(owner, first_runner);

    let script = Script::load(&GATED).unwrap();
    let known = known_revisions(&script);
    let mut second =
        Migrator::new(Connection::connect(db.url()).await.unwrap()).with_options(RunOptions {
            lock_timeout: Some(Duration::from_millis(300)),
            ..Default::default()
        });
    let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
    let err = second.run(&known, &up).await.unwrap_err();
    match &err {
        RunError::LockTimeout {
            holder: Some(h), ..
        } => {
            assert_eq!(h.pid.as_deref(), Some(owner.as_str()));
            assert_eq!(h.user.as_deref(), Some("root"));
            assert!(
                err.to_string().contains(&format!("held by pid {owner}")),
                "{err}"
            );
        }
        other => panic!("unexpected error: {other}"),
    }

    open_gate(&mut admin).await;
    let (_, result) = first.await.unwrap();
    assert_eq!(result.unwrap().heads_after, ["s2"]);
    // Free again: the second migrator now finds nothing to do.
    let report = second.run(&known, &up).await.unwrap();
    assert!(report.applied.is_empty());
}

#[tokio::test]
async fn a_run_dropped_while_holding_the_lock_frees_it() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut admin = admin(&db).await;
    close_gate(&mut admin).await;
    let (first, _) = spawn_gated(&db).await;
    let owner = wait_for_owner(&mut admin).await;
    // As when the process dies: the run's future and its connections go away.
    first.abort();
    assert!(first.await.unwrap_err().is_cancelled());

    // The lock session's end frees the lock; a second migrator gets it without
    // waiting out a long timeout, while the gate is still closed.
    let script = Script::load(&RECORD).unwrap();
    let known = known_revisions(&script);
    let mut second =
        Migrator::new(Connection::connect(db.url()).await.unwrap()).with_options(RunOptions {
            lock_timeout: Some(Duration::from_secs(30)),
            ..Default::default()
        });
    // The killed run may have recorded its gate statement as running: a
    // partly applied revision, which the next run would refuse to pass. It did
    // nothing, so it is resolved as rolled back (under the lock, too).
    for partial in second.partial_revisions().await.unwrap() {
        second
            .resolve(&known, &partial.revision, Resolution::RolledBack)
            .await
            .unwrap();
    }
    let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
    second.run(&known, &up).await.unwrap();
    let holder = text(&mut admin, "SELECT CAST(holder AS CHAR) FROM seen").await;
    assert!(holder.is_some_and(|h| h != owner));
    open_gate(&mut admin).await;
}

#[tokio::test]
async fn a_lost_lock_session_stops_the_run_before_the_next_revision() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut admin = admin(&db).await;
    close_gate(&mut admin).await;
    let (first, runner) = spawn_gated(&db).await;
    wait_at_gate(&mut admin, &runner).await;
    let owner = wait_for_owner(&mut admin).await;
    assert_ne!(owner, runner);
    sqlx::raw_sql(AssertSqlSafe(format!("KILL {owner}")))
        .execute(&mut admin)
        .await
        .unwrap();
    open_gate(&mut admin).await;

    let (mut m, result) = first.await.unwrap();
    let err = result.unwrap_err();
    assert!(matches!(err, RunError::LockLost { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("the migration lock was lost during the run"),
        "{err}"
    );
    // The revision under way finished and was recorded; the next one never ran.
    assert_eq!(
        count_tables(&mut admin, "first").await.as_deref(),
        Some("1")
    );
    assert_eq!(
        count_tables(&mut admin, "second").await.as_deref(),
        Some("0")
    );
    assert_eq!(m.current_heads().await.unwrap().unwrap(), ["g1"]);
    assert_eq!(lock_owner(&mut admin).await, None);

    // The migration connection is still usable: the next run finishes the chain.
    let script = Script::load(&GATED).unwrap();
    let known = known_revisions(&script);
    let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
    let report = m.run(&known, &up).await.unwrap();
    assert_eq!(report.heads_after, ["s2"]);
}

#[tokio::test]
async fn a_run_dropped_while_waiting_for_the_lock_keeps_its_connection() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut holder = admin(&db).await;
    let taken = text(
        &mut holder,
        &format!("SELECT CAST(GET_LOCK({}, 0) AS CHAR)", lock_name()),
    )
    .await;
    assert_eq!(taken.as_deref(), Some("1"));

    let script = Script::load(&RECORD).unwrap();
    let known = known_revisions(&script);
    let up = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
    let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());
    let runner = connection_id(&mut m).await;
    // Waits without a limit; the future is dropped while it waits.
    let waited = tokio::time::timeout(Duration::from_millis(300), m.run(&known, &up)).await;
    assert!(waited.is_err(), "the run should still be waiting");

    // Only the lock's own session went; the migration connection is the same.
    assert_eq!(connection_id(&mut m).await, runner);
    holder.close().await.unwrap();
    m.run(&known, &up).await.unwrap();
    let mut admin = admin(&db).await;
    let seen = text(&mut admin, "SELECT CAST(runner AS CHAR) FROM seen").await;
    assert_eq!(seen, Some(runner));
}

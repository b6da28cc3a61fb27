//! A baseline written by `squash` at work on real databases (SQLite,
//! PostgreSQL and MariaDB): a new database runs the baseline alone, a database inside the
//! replaced range finishes it with the old files and is recorded at the baseline,
//! and the baseline's schema and seed rows are those of the chain it replaces.

use stratum::db::Connection;
use stratum::lineage::squash::{check_baseline, plan_squash, retired_heads};
use stratum::prelude::*;
use stratum::runner::{Goal, Migrator, RunReport, ScriptPlanner, known_revisions, schema_at};
use stratum::script::{EmbeddedRevision, Script};
use stratum_core::dialect::normalize_for;
use stratum_core::diff::differences;
use stratum_testkit::each_database;

fn r1_up(op: &mut Ops) {
    op.create_table("item")
        .column(col("id", integer()).primary_key())
        .column(col("name", varchar_n(50)).not_null());
}
fn r1_down(op: &mut Ops) {
    op.drop_table("item");
}
fn r2_up(op: &mut Ops) {
    op.add_column("item", col("price", integer()).nullable());
    op.create_index("ix_item_name", "item", ["name"]);
}
fn r2_down(op: &mut Ops) {
    op.drop_index("ix_item_name").table("item");
    op.drop_column("item", "price");
}
fn r3_up(op: &mut Ops) {
    op.bulk_insert("item", serde_json::json!([{"id": 1, "name": "seed"}]));
    op.bulk_insert("item", serde_json::json!([{"id": 2, "name": "one-off"}]));
    op.droppable_in_squash();
}
fn r3_down(op: &mut Ops) {
    op.bulk_delete("item", serde_json::json!([{"id": 1}, {"id": 2}]));
}
fn r4_up(op: &mut Ops) {
    op.create_table("tag")
        .column(col("id", integer()).primary_key())
        .column(col("item_id", integer()).references("item.id"));
}
fn r4_down(op: &mut Ops) {
    op.drop_table("tag");
}

const fn rev(
    revision: Revision,
    upgrade: fn(&mut Ops),
    downgrade: fn(&mut Ops),
    file_name: &'static str,
) -> EmbeddedRevision {
    EmbeddedRevision {
        revision,
        upgrade,
        downgrade,
        file_name,
        source: file_name,
    }
}

const R1: EmbeddedRevision = rev(Revision::new("r1"), r1_up, r1_down, "r1.rs");
const R2: EmbeddedRevision = rev(
    Revision::new("r2").revises(&["r1"]),
    r2_up,
    r2_down,
    "r2.rs",
);
const R3: EmbeddedRevision = rev(
    Revision::new("r3").revises(&["r2"]),
    r3_up,
    r3_down,
    "r3.rs",
);
const R4: EmbeddedRevision = rev(
    Revision::new("r4").revises(&["r3"]),
    r4_up,
    r4_down,
    "r4.rs",
);

/// The chain before the squash.
static OLD: &[EmbeddedRevision] = &[R1, R2, R3, R4];

/// The baseline's functions: what `squash --to r3` generates for OLD.
fn b0_up(op: &mut Ops) {
    let script = Script::load(OLD).expect("old chain");
    for o in plan_squash(&script, "r3")
        .expect("squash")
        .generated
        .upgrade_ops
    {
        op.push(o);
    }
}
fn b0_down(op: &mut Ops) {
    let script = Script::load(OLD).expect("old chain");
    for o in plan_squash(&script, "r3")
        .expect("squash")
        .generated
        .downgrade_ops
    {
        op.push(o);
    }
}

const B0: EmbeddedRevision = rev(
    Revision::new("b0").replaces(&["r1", "r2", "r3"]),
    b0_up,
    b0_down,
    "b0.rs",
);

/// After the squash, before finalizing: r4 still names r3 as its parent.
static SQUASHED: &[EmbeddedRevision] = &[B0, R1, R2, R3, R4];
/// After finalizing: the replaced files are gone.
static FINAL: &[EmbeddedRevision] = &[B0, R4];

async fn run(url: &str, revisions: &'static [EmbeddedRevision], goal: Goal) -> RunReport {
    let script = Script::load(revisions).expect("script");
    let conn = Connection::connect(url).await.expect("connect");
    let mut migrator = Migrator::new(conn);
    let report = migrator
        .run(
            &known_revisions(&script),
            &ScriptPlanner::new(&script, goal),
        )
        .await
        .expect("run");
    migrator.close().await;
    report
}

fn up(target: &str) -> Goal {
    Goal::Upgrade(target.to_string())
}

fn applied(report: &RunReport) -> Vec<&str> {
    report.applied.iter().map(|a| a.id.as_str()).collect()
}

/// Whether a row with that name exists (an UPDATE that changes nothing counts it).
async fn has_item(url: &str, name: &str) -> bool {
    let mut conn = Connection::connect(url).await.expect("connect");
    let n = conn
        .execute(&format!(
            "UPDATE item SET name = name WHERE name = '{name}'"
        ))
        .await
        .expect("count");
    conn.close().await.ok();
    n == 1
}

/// The live schema equals the old chain's simulated schema at head.
async fn assert_old_head_schema(url: &str) {
    let mut conn = Connection::connect(url).await.expect("connect");
    let live = stratum::introspect::introspect(&mut conn, &[])
        .await
        .expect("introspect");
    let dialect = conn.dialect();
    conn.close().await.ok();
    let old = Script::load(OLD).unwrap();
    let expected = normalize_for(dialect, &schema_at(&old, &["r4".to_string()]).unwrap());
    let found = differences(&live, &expected);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_baseline_builds_the_schema_at_the_end_of_the_range() {
    let old = Script::load(OLD).unwrap();
    let plan = plan_squash(&old, "r3").unwrap();
    assert_eq!(plan.range, ["r1", "r2", "r3"]);
    assert_eq!(plan.replaces, ["r1", "r2", "r3"]);
    let carried: Vec<bool> = plan.data.iter().map(|d| d.dropped.is_none()).collect();
    assert_eq!(
        carried,
        [true, false],
        "the seed row stays, the marked one goes"
    );
    let squashed = Script::load(SQUASHED).unwrap();
    assert_eq!(squashed.map().heads(), ["r4"]);
    assert_eq!(squashed.map().bases(), ["b0"]);
    let found = check_baseline(&squashed, "b0")
        .unwrap()
        .expect("replaced files present");
    assert!(found.is_empty(), "{found:?}");
    // Nothing is left to compare with once the files are gone.
    assert!(
        check_baseline(&Script::load(FINAL).unwrap(), "b0")
            .unwrap()
            .is_none()
    );
    // A second squash waits for the first to be finalized.
    let err = plan_squash(&squashed, "r4").unwrap_err().to_string();
    assert!(err.contains("--finalize"), "{err}");
}

#[test]
fn a_database_at_a_removed_revision_is_refused_by_name() {
    let fin = Script::load(FINAL).unwrap();
    let message = retired_heads(&fin, &["r2".to_string()]).expect("refused");
    assert!(
        message.contains("r2") && message.contains("baseline b0"),
        "{message}"
    );
    assert!(retired_heads(&fin, &["r4".to_string()]).is_none());
    assert!(retired_heads(&Script::load(SQUASHED).unwrap(), &["r2".to_string()]).is_none());
}

#[tokio::test]
async fn a_new_database_runs_the_baseline_alone() {
    each_database(async |db| {
        let report = run(db.url(), SQUASHED, up("head")).await;
        assert_eq!(applied(&report), ["b0", "r4"]);
        assert_eq!(report.heads_after, ["r4"]);
        assert_old_head_schema(db.url()).await;
        assert!(has_item(db.url(), "seed").await, "seed rows are carried");
        assert!(
            !has_item(db.url(), "one-off").await,
            "a droppable op is not"
        );
        // The baseline's downgrade empties the database.
        let down = run(db.url(), SQUASHED, Goal::Downgrade("base".into())).await;
        assert_eq!(applied(&down), ["r4", "b0"]);
        let mut conn = Connection::connect(db.url()).await.unwrap();
        let left = stratum::introspect::introspect(&mut conn, &[])
            .await
            .unwrap();
        conn.close().await.ok();
        assert!(left.tables.is_empty(), "{left:?}");
    })
    .await;
}

#[tokio::test]
async fn a_database_inside_the_range_finishes_it_then_is_recorded_at_the_baseline() {
    each_database(async |db| {
        run(db.url(), OLD, up("r1")).await;
        let report = run(db.url(), SQUASHED, up("head")).await;
        assert_eq!(applied(&report), ["r2", "r3", "b0", "r4"]);
        assert_eq!(report.heads_after, ["r4"]);
        assert_old_head_schema(db.url()).await;
        assert!(
            has_item(db.url(), "one-off").await,
            "the old files ran as written"
        );
        // From here the finalized chain carries on.
        let again = run(db.url(), FINAL, up("head")).await;
        assert!(again.applied.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_database_at_the_end_of_the_range_is_only_recorded() {
    each_database(async |db| {
        run(db.url(), OLD, up("r3")).await;
        let report = run(db.url(), SQUASHED, up("b0")).await;
        assert_eq!(applied(&report), ["b0"]);
        assert_eq!(report.heads_after, ["b0"]);
        let rest = run(db.url(), FINAL, up("head")).await;
        assert_eq!(applied(&rest), ["r4"]);
    })
    .await;
}

#[tokio::test]
async fn a_database_inside_the_range_can_go_back_within_it() {
    each_database(async |db| {
        run(db.url(), OLD, up("r2")).await;
        let down = run(db.url(), SQUASHED, Goal::Downgrade("r1".into())).await;
        assert_eq!(applied(&down), ["r2"]);
        assert_eq!(down.heads_after, ["r1"]);
        let base = run(db.url(), SQUASHED, Goal::Downgrade("base".into())).await;
        assert_eq!(applied(&base), ["r1"]);
        assert!(base.heads_after.is_empty());
    })
    .await;
}

#[test]
fn detection_knows_the_replaced_revisions_still_compiled_in() {
    let squashed = Script::load(SQUASHED).unwrap();
    let old = Script::load(OLD).unwrap();
    let at_r2 = schema_at(&old, &["r2".to_string()]).unwrap();
    let found =
        stratum::lineage::detect::detect(&squashed, &at_r2, stratum::dialect::Dialect::Sqlite)
            .unwrap();
    let ids: Vec<&str> = found.matches().iter().map(|c| c.label()).collect();
    // r3 only adds rows; the baseline builds r3's schema.
    assert_eq!(ids, ["r2", "r3", "b0"]);
}

#[tokio::test]
async fn a_database_at_a_removed_revision_is_refused_before_anything_runs() {
    each_database(async |db| {
        run(db.url(), OLD, up("r2")).await;
        let err = stratum::embed::upgrade_to_head(db.url(), FINAL)
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, stratum::embed::EmbedError::Replaced(_)),
            "{text}"
        );
        assert!(
            text.contains("at r2") && text.contains("baseline b0"),
            "{text}"
        );
        // Still at r2: nothing ran.
        let report = run(db.url(), OLD, up("r2")).await;
        assert!(report.applied.is_empty());
        assert_eq!(report.heads_after, ["r2"]);
    })
    .await;
}

#[tokio::test]
async fn a_fleet_refuses_a_database_at_a_removed_revision_by_name() {
    use stratum::fleet::{
        FleetCommand, FleetOptions, FleetTarget, Outcome, TargetError, run_fleet,
    };
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    run(&url, OLD, up("r2")).await;
    let target = FleetTarget {
        name: "old".to_string(),
        url: stratum::config::DatabaseUrl::parse(&url).unwrap(),
        group: None,
        settings: Default::default(),
    };
    let script = Script::load(FINAL).unwrap();
    for command in [
        FleetCommand::Upgrade("head".to_string()),
        FleetCommand::Downgrade {
            target: "base".to_string(),
            allow_irreversible: false,
        },
    ] {
        let report = run_fleet(
            &script,
            std::slice::from_ref(&target),
            &command,
            &FleetOptions::default(),
            std::sync::Arc::new(|_: &stratum::fleet::FleetEvent| {}),
        )
        .await;
        let one = &report.targets[0];
        assert_eq!(one.outcome, Outcome::Failed, "{command:?}");
        match &one.error {
            Some(TargetError::Retired(message)) => {
                assert!(
                    message.contains("r2") && message.contains("baseline b0"),
                    "{message}"
                )
            }
            other => panic!("{command:?}: {other:?}"),
        }
    }
    // Nothing moved.
    let mut conn = Connection::connect(&url).await.unwrap();
    let rows = conn
        .query_text("SELECT version_num FROM alembic_version")
        .await
        .unwrap();
    conn.close().await.ok();
    assert_eq!(rows, vec![vec![Some("r2".to_string())]]);
}

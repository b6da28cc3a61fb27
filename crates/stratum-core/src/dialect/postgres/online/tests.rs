use super::*;
use crate::lint::Rule;
use crate::ops::Ops;
use crate::ops::builder::col;
use crate::ops::builder::types::*;
use crate::schema::{DefaultValue, Schema};
use crate::simulate::apply_all;
use std::fmt::Write as _;

/// `grid` (id) and `micrograph` (id, grid_id, acquired, label), as a live
/// database would have them.
fn existing() -> Schema {
    let mut ops = Ops::new();
    ops.create_table("grid")
        .column(col("id", integer()).primary_key());
    ops.create_table("micrograph")
        .column(col("id", integer()).primary_key())
        .column(col("grid_id", integer()))
        .column(col("acquired", timestamptz()))
        .column(col("label", varchar_n(40)));
    ops.create_index("idx_old", "micrograph", ["label"]);
    ops.create_table("tag").column(col("name", text()));
    let mut schema = Schema::default();
    apply_all(&mut schema, ops.as_slice()).expect("valid schema");
    schema
}

fn volatile(pairs: &[(&str, &str)]) -> VolatileDefaults {
    pairs
        .iter()
        .map(|(t, c)| (t.to_string(), c.to_string()))
        .collect()
}

fn plan(ops: Ops, volatile: &VolatileDefaults) -> Result<Vec<OnlineStep>, OnlinePlanError> {
    plan_online("r1", ops.as_slice(), &existing(), volatile)
}

fn steps_text(steps: &[OnlineStep]) -> String {
    let mut out = String::new();
    for (i, s) in steps.iter().enumerate() {
        let _ = writeln!(out, "## step {} ({:?})", i + 1, s.kind);
        out.push_str(&s.script_text());
        if let Some(d) = &s.done_when {
            let _ = writeln!(out, "-- done when: {d}");
        }
        if let Some(i) = &s.invalid_index {
            let _ = writeln!(out, "-- invalid index to rebuild: {i}");
        }
    }
    out
}

fn snap(name: &str, ops: Ops, volatile: &VolatileDefaults) {
    let steps = plan(ops, volatile).expect("plans");
    insta::assert_snapshot!(name, steps_text(&steps));
}

#[test]
fn index_creation_and_removal_run_concurrently_outside_a_transaction() {
    let mut ops = Ops::new();
    ops.create_index("idx_micrograph_acquired", "micrograph", ["acquired"]);
    ops.drop_index("idx_old").table("micrograph");
    let steps = plan(ops.clone(), &VolatileDefaults::new()).unwrap();
    assert_eq!(steps.len(), 2);
    assert!(steps.iter().all(|s| !s.transactional));
    assert_eq!(
        steps[0].invalid_index.as_deref(),
        Some("idx_micrograph_acquired")
    );
    snap("online_indexes", ops, &VolatileDefaults::new());
}

#[test]
fn foreign_keys_and_checks_are_added_not_valid_then_validated() {
    let mut ops = Ops::new();
    ops.create_foreign_key(
        "fk_micrograph_grid",
        "micrograph",
        "grid",
        ["grid_id"],
        ["id"],
    );
    ops.create_check_constraint("ck_label", "micrograph", "length(label) > 0");
    let steps = plan(ops.clone(), &VolatileDefaults::new()).unwrap();
    let kinds: Vec<_> = steps.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            StepKind::AddNotValid,
            StepKind::Validate,
            StepKind::AddNotValid,
            StepKind::Validate
        ]
    );
    assert!(steps.iter().all(|s| s.transactional));
    snap("online_constraints", ops, &VolatileDefaults::new());
}

#[test]
fn set_not_null_goes_through_a_validated_check() {
    let mut ops = Ops::new();
    ops.alter_column("micrograph", "acquired")
        .set_not_null()
        .set_default(DefaultValue::Now)
        .rename_to("acquired_at");
    snap("online_set_not_null", ops, &VolatileDefaults::new());
}

#[test]
fn unique_and_primary_key_attach_a_concurrently_built_index() {
    let mut ops = Ops::new();
    ops.create_unique_constraint("uq_micrograph_label", "micrograph", ["label"]);
    ops.create_primary_key("tag_pkey", "tag", ["name"]);
    snap(
        "online_unique_and_primary_key",
        ops,
        &VolatileDefaults::new(),
    );
}

#[test]
fn a_volatile_default_is_added_nullable_then_backfilled() {
    let mut ops = Ops::new();
    ops.add_column(
        "micrograph",
        col("uid", uuid()).default_random_uuid().not_null(),
    );
    ops.add_column("micrograph", col("seen", timestamptz()).default_now());
    let v = volatile(&[("micrograph", "uid"), ("micrograph", "seen")]);
    let steps = plan(ops.clone(), &v).unwrap();
    assert_eq!(
        steps
            .iter()
            .filter(|s| s.kind == StepKind::Backfill)
            .count(),
        2
    );
    snap("online_volatile_default", ops, &v);
}

#[test]
fn a_stable_default_runs_as_written() {
    let mut ops = Ops::new();
    ops.add_column(
        "micrograph",
        col("status", text()).default_text("new").not_null(),
    );
    let steps = plan(ops, &VolatileDefaults::new()).unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].kind, StepKind::Plain);
    assert_eq!(
        steps[0].sql,
        ["ALTER TABLE \"micrograph\" ADD COLUMN \"status\" text NOT NULL DEFAULT 'new'"]
    );
}

#[test]
fn only_existing_tables_with_a_default_are_probed() {
    let mut ops = Ops::new();
    ops.create_table("fresh")
        .column(col("id", integer()).primary_key());
    ops.add_column("fresh", col("at", timestamptz()).default_now());
    ops.add_column("micrograph", col("at", timestamptz()).default_now());
    ops.add_column("micrograph", col("note", text()));
    let found = probe_candidates(ops.as_slice(), &existing());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "micrograph");
    let sql = probe_sql(&found[0].0, &found[0].1).unwrap();
    insta::assert_snapshot!(
        "online_probe",
        format!(
            "{}\n{}\n{}",
            sql.setup.join("\n"),
            sql.file_node,
            sql.add_column
        )
    );
}

#[test]
fn ops_on_tables_the_revision_creates_run_as_written() {
    let mut ops = Ops::new();
    ops.create_table("fresh")
        .column(col("id", integer()).primary_key())
        .column(col("n", integer()));
    ops.create_index("idx_fresh_n", "fresh", ["n"]);
    ops.alter_column("fresh", "n").set_type(big_integer());
    let steps = plan(ops, &VolatileDefaults::new()).unwrap();
    assert!(steps.iter().all(|s| s.kind == StepKind::Plain));
    assert!(steps.iter().all(|s| s.transactional));
}

#[test]
fn a_rewriting_type_change_is_refused_with_expand_contract_steps() {
    let mut ops = Ops::new();
    ops.alter_column("micrograph", "grid_id")
        .set_type(big_integer());
    let err = plan(ops, &VolatileDefaults::new()).unwrap_err();
    let OnlinePlanError::Refused(refusal) = &err else {
        panic!("{err}")
    };
    assert_eq!(refusal.op_number, 1);
    let msg = err.to_string();
    assert!(msg.contains("micrograph"), "{msg}");
    assert!(msg.contains("backfill"), "{msg}");
    assert!(msg.contains("allow_blocking_online"), "{msg}");
    insta::assert_snapshot!("online_refusal", msg);
}

#[test]
fn an_acknowledged_type_change_runs_as_written() {
    let mut ops = Ops::new();
    ops.allow_blocking_online("the table is small");
    ops.alter_column("micrograph", "grid_id")
        .set_type(big_integer());
    let steps = plan(ops, &VolatileDefaults::new()).unwrap();
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].kind, StepKind::Plain);
    assert!(
        steps[0].sql[0].contains("TYPE bigint"),
        "{:?}",
        steps[0].sql
    );
}

#[test]
fn widening_a_varchar_needs_no_acknowledgement() {
    let mut ops = Ops::new();
    ops.alter_column("micrograph", "label").set_type(text());
    assert!(plan(ops, &VolatileDefaults::new()).is_ok());
}

#[test]
fn the_acknowledgement_renders_as_a_comment_on_postgres_only() {
    let mut ops = Ops::new();
    ops.allow_blocking_online("small table");
    let op = &ops.as_slice()[0];
    assert!(is_blocking_ack(op));
    let pg =
        crate::dialect::render(crate::dialect::Dialect::Postgres, op, &Schema::default()).unwrap();
    assert_eq!(pg[0].sql, "-- online: blocking ok: small table");
    let lite =
        crate::dialect::render(crate::dialect::Dialect::Sqlite, op, &Schema::default()).unwrap();
    assert!(lite.is_empty());
}

#[test]
fn backfill_batches_walk_the_primary_key() {
    let b = Backfill {
        table: "micrograph".into(),
        column: "uid".into(),
        key: "id".into(),
        value: "gen_random_uuid()".into(),
    };
    insta::assert_snapshot!(
        "online_backfill_batches",
        format!(
            "{}\n{}\n{}",
            b.batch_sql(None, 500),
            b.batch_sql(Some("500"), 500),
            b.estimate_sql()
        )
    );
}

#[test]
fn helper_check_names_fit_an_identifier() {
    let long = "x".repeat(80);
    let name = helper_check_name(&long, "c");
    assert_eq!(name.len(), 63);
    assert!(name.ends_with("_not_null"));
}

#[test]
fn lint_rules_resolved_by_online_mode() {
    assert!(resolved_by_online(Rule::CreateIndexNotConcurrently));
    assert!(resolved_by_online(Rule::SetNotNull));
    assert!(!resolved_by_online(Rule::ChangeColumnType));
    assert!(!resolved_by_online(Rule::DropData));
}

#[test]
fn row_changes_run_in_batches_by_the_primary_key() {
    let mut ops = Ops::new();
    ops.update_rows("micrograph")
        .set("label", "upper(label)")
        .filter("grid_id = 3");
    ops.delete_rows("micrograph")
        .filter("acquired < '2020-01-01'");
    snap("online_row_changes", ops, &VolatileDefaults::new());
}

#[test]
fn row_changes_without_a_single_column_key_are_refused_unless_acknowledged() {
    let mut ops = Ops::new();
    ops.delete_rows("tag").filter("name = 'x'");
    let err = plan(ops, &VolatileDefaults::new()).unwrap_err();
    assert!(
        matches!(&err, OnlinePlanError::Refused(r) if r.why.contains("single-column primary key")),
        "{err}"
    );
    let mut ops = Ops::new();
    ops.allow_blocking_online("one statement is fine for this small table");
    ops.delete_rows("tag").filter("name = 'x'");
    let steps = plan(ops, &VolatileDefaults::new()).expect("plans");
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].kind, StepKind::Plain);
    assert_eq!(steps[0].sql, [r#"DELETE FROM "tag" WHERE name = 'x'"#]);
}

#[test]
fn row_changes_on_a_new_table_run_as_written() {
    let mut ops = Ops::new();
    ops.create_table("fresh")
        .column(col("id", integer()).primary_key());
    ops.update_rows("fresh").set("id", "id + 1");
    let steps = plan(ops, &VolatileDefaults::new()).expect("plans");
    assert_eq!(steps[1].kind, StepKind::Plain);
    assert_eq!(steps[1].sql, [r#"UPDATE "fresh" SET "id" = id + 1"#]);
}

#[test]
fn an_update_of_the_walked_key_is_refused_unless_acknowledged() {
    let mut ops = Ops::new();
    ops.update_rows("micrograph").set("id", "id + 1000");
    let err = plan(ops, &VolatileDefaults::new()).unwrap_err();
    assert!(
        matches!(&err, OnlinePlanError::Refused(r) if r.why.contains("the key its batches walk")),
        "{err}"
    );
}

use super::*;
use crate::arbitrary::{arb_history, arb_schema};
use crate::prelude::*;
use crate::simulate::apply_all;
use proptest::prelude::*;

fn build(f: impl FnOnce(&mut Ops)) -> Schema {
    let mut op = Ops::new();
    f(&mut op);
    let mut s = Schema::new();
    apply_all(&mut s, op.as_slice()).expect("test schema builds");
    s.normalized()
}

/// Statements in a body: lines that start a builder call.
fn calls(body: &str) -> usize {
    body.lines().filter(|l| l.starts_with("op.")).count()
}

/// The body wrapped into a function, as rustfmt sees it.
fn as_file(body: &str) -> String {
    if body.trim().is_empty() {
        return "pub fn upgrade(op: &mut Ops) {}\n".to_string();
    }
    let mut out = String::from("pub fn upgrade(op: &mut Ops) {\n");
    for line in body.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str("}\n");
    out
}

/// What rustfmt makes of `source`, when rustfmt is installed.
fn rustfmt(source: &str) -> Option<String> {
    use std::io::Write;
    let mut child = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(source.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    assert!(
        out.status.success(),
        "rustfmt rejected the generated code:\n{}\n{source}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn assert_rustfmt_stable(body: &str) {
    let file = as_file(body);
    if let Some(formatted) = rustfmt(&file) {
        assert_eq!(formatted, file, "rustfmt would change the generated code");
    }
}

fn schemas() -> (Schema, Schema) {
    let from = build(|op| {
        op.create_enum("mood", ["calm", "busy", "gone"]);
        op.create_table("account")
            .column(col("id", integer()).primary_key().autoincrement())
            .column(col("name", varchar_n(100)).not_null())
            .column(col("mood", enum_type("mood")).default_text("calm"))
            .column(col("nick", text()))
            .column(col("score", integer()));
        op.create_table("old_log").column(col("line", text()));
    });
    let to = build(|op| {
        op.create_enum("mood", ["calm", "busy"]);
        op.create_enum("colour", ["RED", "GREEN"]);
        op.create_table("account")
            .column(col("id", integer()).primary_key().autoincrement())
            .column(col("name", varchar_n(100)).not_null())
            .column(col("mood", enum_type("mood")).default_text("calm"))
            .column(col("nickname", text()))
            .column(col("score", big_integer()).not_null())
            .column(col("created_at", timestamptz()).not_null().default_now());
        op.create_table("note")
            .column(col("id", integer()).primary_key().autoincrement())
            .column(
                col("account_id", integer())
                    .not_null()
                    .index()
                    .references("account.id")
                    .on_delete(FkAction::Cascade),
            )
            .column(col("colour", enum_type("colour")))
            .column(col("body", text()).not_null().default_text(""))
            .index(index("ix_note_body_colour", ["body", "colour"]).where_("body <> ''"))
            .check("ck_note_body", "length(body) < 1000");
    });
    (from, to)
}

#[test]
fn mixed_changes_render_readably() {
    let (from, to) = schemas();
    let g = generate(&from, &to);
    assert_eq!(calls(&g.upgrade), g.upgrade_ops.len());
    assert!(!g.irreversible);
    insta::assert_snapshot!("mixed_upgrade", g.upgrade);
    insta::assert_snapshot!("mixed_downgrade", g.downgrade);
    assert_rustfmt_stable(&g.upgrade);
    assert_rustfmt_stable(&g.downgrade);
    // The downgrade undoes the upgrade.
    let mut s = from.clone();
    apply_all(&mut s, &g.upgrade_ops).unwrap();
    assert_eq!(s.column_order_insensitive(), to.column_order_insensitive());
    apply_all(&mut s, &g.downgrade_ops).unwrap();
    assert_eq!(
        s.column_order_insensitive(),
        from.column_order_insensitive()
    );
}

#[test]
fn raw_sql_makes_the_downgrade_irreversible() {
    let mut op = Ops::new();
    op.execute("UPDATE account SET name = lower(name)");
    let (from, _) = schemas();
    let g = generate_ops(&from, op.as_slice(), &[]);
    assert!(g.irreversible);
    assert!(g.downgrade_ops.is_empty());
    assert!(
        g.downgrade
            .starts_with("// review: the upgrade cannot be undone")
    );
    assert!(!g.downgrade.lines().any(|l| !l.starts_with("//")));
}

#[test]
fn every_op_kind_is_written_as_a_builder_call() {
    let (from, _) = schemas();
    let mut op = Ops::new();
    op.rename_table("old_log", "log");
    op.add_enum_value("mood", "bored").before("busy");
    op.rename_enum_value("mood", "gone", "away");
    op.create_sequence("ticket_seq", 100, 5);
    op.alter_column("account", "nick")
        .set_type(varchar_n(20))
        .using("left(nick, 20)")
        .set_default(DefaultValue::Expr("'x' || 'y'".into()))
        .rename_to("handle");
    op.create_unique_constraint("account_name_key", "account", ["name"]);
    op.create_check_constraint("ck_score", "account", "score >= 0")
        .not_valid();
    op.validate_constraint("account", "ck_score");
    op.create_index("ix_account_name", "account", ["name"])
        .using("hash")
        .concurrently();
    op.drop_index("ix_account_name").table("account");
    op.bulk_insert("account", json!([{"name": "root", "score": 1}]));
    op.bulk_delete("account", json!([{"name": "root"}]));
    op.execute_per_dialect()
        .postgres("ANALYZE account")
        .sqlite("ANALYZE");
    op.drop_constraint("ck_score", "account");
    op.drop_sequence("ticket_seq");
    let g = generate_ops(&from, op.as_slice(), &[]);
    assert_eq!(calls(&g.upgrade), op.len());
    insta::assert_snapshot!("every_kind_upgrade", g.upgrade);
    assert_rustfmt_stable(&g.upgrade);
}

#[test]
fn row_changes_are_written_as_builder_calls() {
    let (from, _) = schemas();
    let mut op = Ops::new();
    op.update_rows("account")
        .set("score", "score + 1")
        .filter("name <> 'root'")
        .undo_set("score", "score - 1")
        .undo_filter("name <> 'root'");
    op.delete_rows("account").filter("score < 0");
    let g = generate_ops(&from, op.as_slice(), &[]);
    assert_eq!(calls(&g.upgrade), op.len());
    insta::assert_snapshot!("row_changes_upgrade", g.upgrade);
    assert_rustfmt_stable(&g.upgrade);
}

#[test]
fn a_new_label_used_at_once_is_marked_for_review() {
    let (from, _) = schemas();
    let mut to = from.clone();
    to.enums
        .get_mut("mood")
        .unwrap()
        .values
        .push("sleepy".into());
    to.tables
        .get_mut("account")
        .unwrap()
        .column_mut("mood")
        .unwrap()
        .default = Some(DefaultValue::Text("sleepy".into()));
    let g = generate(&from, &to);
    assert!(
        g.upgrade
            .starts_with("// review: later ops use the new label 'sleepy' of mood"),
        "{}",
        g.upgrade
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// One builder call per op; the downgrade undoes the upgrade; rustfmt leaves
    /// both bodies as they are.
    #[test]
    fn generated_code_matches_the_diff((a, b) in arb_schema().prop_flat_map(|s| {
        (Just(s.clone()), arb_history(&s, 4).prop_map(|(_, b)| b))
    })) {
        let g = generate(&a, &b);
        prop_assert_eq!(calls(&g.upgrade), g.upgrade_ops.len());
        if !g.irreversible {
            prop_assert_eq!(calls(&g.downgrade), g.downgrade_ops.len());
            let mut s = a.clone();
            apply_all(&mut s, &g.upgrade_ops).unwrap();
            apply_all(&mut s, &g.downgrade_ops).map_err(|e| TestCaseError::fail(format!("{e}\n{}", g.downgrade)))?;
            prop_assert_eq!(s.column_order_insensitive(), a.column_order_insensitive());
        }
        assert_rustfmt_stable(&g.upgrade);
        assert_rustfmt_stable(&g.downgrade);
    }

    /// The same from an empty schema (every table created at once).
    #[test]
    fn create_all_is_rustfmt_stable(s in arb_schema()) {
        let g = generate(&Schema::new(), &s);
        prop_assert_eq!(calls(&g.upgrade), g.upgrade_ops.len());
        assert_rustfmt_stable(&g.upgrade);
    }
}

#[test]
fn mysql_alter_options_are_written_back() {
    let (from, _) = schemas();
    let mut op = Ops::new();
    op.alter_column("account", "nick")
        .set_type(varchar_n(40))
        .mysql_algorithm(crate::dialect::mysql::MysqlAlgorithm::Inplace)
        .mysql_lock(crate::dialect::mysql::MysqlLock::None);
    let g = generate_ops(&from, op.as_slice(), &[]);
    assert!(
        g.upgrade.contains(
            ".mysql_algorithm(MysqlAlgorithm::Inplace)\n    .mysql_lock(MysqlLock::None);"
        ),
        "{}",
        g.upgrade
    );
    assert_rustfmt_stable(&g.upgrade);
}

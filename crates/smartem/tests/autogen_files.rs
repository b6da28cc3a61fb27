//! Whole revision files as `revision --autogenerate` writes them, one per kind of
//! model change, as snapshots: header, upgrade with review comments, downgrade.

use chrono::NaiveDateTime;
use stratum::codegen::generate;
use stratum::prelude::*;
use stratum::schema::Schema;
use stratum::script::{NewRevision, new_revision_source};
use stratum::simulate::apply_all;

fn build(f: impl FnOnce(&mut Ops)) -> Schema {
    let mut op = Ops::new();
    f(&mut op);
    let mut s = Schema::new();
    apply_all(&mut s, op.as_slice()).expect("test schema builds");
    s
}

/// The schema every case starts from.
fn base() -> Schema {
    build(base_ops)
}

fn base_ops(op: &mut Ops) {
    op.create_enum("accountkind", ["PERSON", "SERVICE", "ROBOT"]);
    op.create_table("account")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("name", varchar_n(100)).not_null())
        .column(
            col("kind", enum_type("accountkind"))
                .not_null()
                .default_text("PERSON"),
        )
        .column(col("score", integer()))
        .column(col("created_at", timestamp()).not_null().default_now());
    op.create_table("note")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("account_id", integer()).not_null())
        .column(col("body", text()).not_null())
        .column(col("topic", varchar()))
        .index(index("ix_note_topic", ["topic"]));
}

/// The base schema changed by `f`.
fn changed(f: impl FnOnce(&mut Ops)) -> Schema {
    build(|op| {
        base_ops(op);
        f(op);
    })
}

fn file(message: &str, from: &Schema, to: &Schema) -> String {
    let g = generate(from, to);
    assert!(!g.is_empty(), "{message}: nothing generated");
    let rev = NewRevision {
        id: "1a2b3c4d5e6f".into(),
        parents: vec!["0f9e8d7c6b5a".into()],
        message: message.into(),
        created: NaiveDateTime::parse_from_str("2026-02-01 10:30:00", "%Y-%m-%d %H:%M:%S").unwrap(),
        branch_labels: vec![],
        depends_on: vec![],
        upgrade_body: Some(g.upgrade.clone()),
        downgrade_body: Some(g.downgrade.clone()),
        irreversible: g.irreversible,
        file_template: stratum::script::DEFAULT_FILE_TEMPLATE.into(),
    };
    let source = new_revision_source(&rev);
    // The downgrade undoes the upgrade.
    let mut s = from.clone();
    apply_all(&mut s, &g.upgrade_ops).unwrap();
    assert_eq!(s.column_order_insensitive(), to.column_order_insensitive());
    if !g.irreversible {
        apply_all(&mut s, &g.downgrade_ops).unwrap();
        assert_eq!(
            s.column_order_insensitive(),
            from.column_order_insensitive()
        );
    }
    assert_rustfmt_stable(&source);
    source
}

/// rustfmt leaves a generated file as it is (checked where rustfmt is installed).
fn assert_rustfmt_stable(source: &str) {
    use std::io::Write;
    let Ok(mut child) = std::process::Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(source.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "rustfmt rejects:\n{source}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), source);
}

#[test]
fn new_table_with_enum_column() {
    let to = changed(|op| {
        op.create_enum("tagcolour", ["RED", "GREEN", "BLUE"]);
        op.create_table("tag")
            .column(col("id", integer()).primary_key().autoincrement())
            .column(col("label", varchar_n(40)).not_null().unique())
            .column(
                col("colour", enum_type("tagcolour"))
                    .not_null()
                    .default_text("RED"),
            );
    });
    insta::assert_snapshot!(file("Add tags", &base(), &to));
}

#[test]
fn added_nullable_column() {
    let to = changed(|op| op.add_column("account", col("email", varchar())));
    insta::assert_snapshot!(file("Add account email", &base(), &to));
}

#[test]
fn not_null_column_with_server_default() {
    let to = changed(|op| {
        op.add_column(
            "note",
            col("pinned", boolean()).not_null().default_bool(false),
        )
    });
    insta::assert_snapshot!(file("Add pinned flag to notes", &base(), &to));
}

#[test]
fn type_change() {
    let to = changed(|op| {
        op.alter_column("account", "score")
            .set_type(big_integer())
            .set_not_null()
            .set_default(DefaultValue::Int(0));
    });
    insta::assert_snapshot!(file("Widen account score", &base(), &to));
}

#[test]
fn new_composite_index() {
    let to = changed(|op| {
        op.create_index("ix_note_account_topic", "note", ["account_id", "topic"]);
    });
    insta::assert_snapshot!(file("Index notes by account and topic", &base(), &to));
}

#[test]
fn dropped_index() {
    let to = changed(|op| {
        op.drop_index("ix_note_topic").table("note");
    });
    insta::assert_snapshot!(file("Drop note topic index", &base(), &to));
}

#[test]
fn new_foreign_key_with_on_delete_cascade() {
    let to = changed(|op| {
        op.create_foreign_key(
            "note_account_id_fkey",
            "note",
            "account",
            ["account_id"],
            ["id"],
        )
        .on_delete(FkAction::Cascade);
    });
    insta::assert_snapshot!(file("Tie notes to accounts", &base(), &to));
}

#[test]
fn enum_value_added() {
    let mut to = base();
    to.enums.get_mut("accountkind").unwrap().values = vec![
        "PERSON".into(),
        "TEAM".into(),
        "SERVICE".into(),
        "ROBOT".into(),
    ];
    insta::assert_snapshot!(file("Add team accounts", &base(), &to));
}

#[test]
fn enum_value_removed() {
    let mut to = base();
    to.enums.get_mut("accountkind").unwrap().values = vec!["PERSON".into(), "SERVICE".into()];
    insta::assert_snapshot!(file("Retire robot accounts", &base(), &to));
}

#[test]
fn table_dropped() {
    let to = changed(|op| op.drop_table("note"));
    insta::assert_snapshot!(file("Drop notes", &base(), &to));
}

#[test]
fn column_renamed_is_a_hint_only() {
    let to = changed(|op| {
        op.drop_column("note", "topic");
        op.add_column("note", col("subject", varchar()));
    });
    let source = file("Rename note topic to subject", &base(), &to);
    assert!(source.contains("op.drop_column(\"note\", \"topic\");"));
    assert!(!source.contains("    op.alter_column(\"note\", \"topic\").rename_to"));
    insta::assert_snapshot!(source);
}

//! Snapshot tests of the SQL of every op kind on MariaDB 10.11 and MySQL 8.0, and
//! the capabilities of each server version.
//!
//! Setting `STRATUM_MYSQL_SQL_DIR` writes, per case and server, a script that
//! builds the schema before the op, inserts a few rows and runs the case's
//! statements, to be run by hand with the `mariadb` client in a scratch database.

use super::*;
use crate::ops::builder::ColumnDef;
use crate::ops::{ColumnChange, RawSql, Row, Rows};
use crate::prelude::*;
use crate::schema::{
    CheckConstraint, Column, EnumType, ForeignKey, Index, PrimaryKey, Sequence, Table,
    UniqueConstraint,
};
use serde_json::json;
use std::fmt::Write as _;

const MARIADB: Mysql = Mysql::mariadb_at(10, 11);
const MYSQL: Mysql = Mysql::mysql_at(8, 0, 36);

fn status_enum() -> EnumType {
    EnumType {
        name: "status".into(),
        values: vec!["new".into(), "it's done".into()],
    }
}

fn fixture_ops() -> Vec<Op> {
    let mut op = Ops::new();
    op.push(Op::CreateEnum(status_enum()));
    op.create_table("user")
        .column(col("id", big_integer()).primary_key().autoincrement())
        .column(col("uid", uuid()).not_null().default_random_uuid())
        .column(col("active", boolean()).not_null().default_bool(true))
        .column(col("score", numeric(10, 2)).default(DefaultValue::Decimal("0.5".into())));
    op.create_table("group")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("name", varchar_n(255)).not_null())
        .column(col("timestamp", timestamptz()).not_null().default_now())
        .column(
            col("status", enum_type("status"))
                .not_null()
                .default_text("new"),
        )
        .column(col("owner_id", big_integer()))
        .column(col("data", jsonb()))
        .column(col("we`ird", text()))
        .foreign_key(foreign_key(["owner_id"], "user", ["id"]).on_delete(FkAction::Cascade))
        .check("ck_group_name", "char_length(name) > 0")
        .index(index("ix_group_name", ["name"]));
    op.into_vec()
}

fn fixture() -> Schema {
    let mut s = Schema::new();
    for op in fixture_ops() {
        match op {
            Op::CreateEnum(e) => s.insert_enum(e),
            Op::CreateTable(t) => s.insert_table(t),
            _ => unreachable!("fixture ops only create"),
        }
    }
    s
}

fn fixture_rows() -> Vec<Op> {
    let user: Row = [("active".to_string(), json!(true))].into_iter().collect();
    let group: Row = [
        ("name", json!("a")),
        ("owner_id", json!(1)),
        ("data", json!({"k": [1, 2]})),
        ("status", json!("it's done")),
        ("we`ird", json!("x\\y")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    vec![
        Op::BulkInsert {
            table: "user".into(),
            rows: [user].into_iter().collect(),
        },
        Op::BulkInsert {
            table: "group".into(),
            rows: [group].into_iter().collect(),
        },
    ]
}

fn write_statements(out: &mut String, result: Result<Vec<Statement>, RenderError>) {
    match result {
        Ok(stmts) if stmts.is_empty() => out.push_str("-- (no statements)\n"),
        Ok(stmts) => {
            for s in stmts {
                let _ = writeln!(out, "{};", s.sql);
            }
        }
        Err(e) => {
            let _ = writeln!(out, "-- error: {e}");
        }
    }
}

/// The SQL that builds `schema` (tables in name order, `user` before `group` is
/// not needed: foreign keys are checked only with rows) and, when asked, inserts
/// the fixture's rows.
fn schema_sql(m: &Mysql, schema: &Schema, with_rows: bool) -> String {
    let mut out = String::from("SET foreign_key_checks = 0;\n");
    let mut setup: Vec<Op> = Vec::new();
    if m.server.sequences() {
        setup.extend(schema.sequences.values().cloned().map(Op::CreateSequence));
    }
    setup.extend(schema.tables.values().cloned().map(Op::CreateTable));
    for op in &setup {
        for s in m.render(op, schema).expect("test schemas render") {
            let _ = writeln!(out, "{};", s.sql);
        }
    }
    out.push_str("SET foreign_key_checks = 1;\n");
    if with_rows && schema.table("group").is_some() && schema.table("user").is_some() {
        for op in fixture_rows() {
            if let Ok(stmts) = m.render(&op, schema) {
                for s in stmts {
                    let _ = writeln!(out, "{};", s.sql);
                }
            }
        }
    }
    out
}

fn render_cases(name: &str, before: &Schema, cases: &[(&str, Op)]) -> String {
    let mut out = String::new();
    for m in [MARIADB, MYSQL] {
        for (label, op) in cases {
            let _ = writeln!(out, "-- {label} [{} {}]", m.name(), m.server.version);
            let result = m.render(op, before);
            if let (Ok(stmts), Ok(dir)) = (&result, std::env::var("STRATUM_MYSQL_SQL_DIR")) {
                let mut script = schema_sql(&m, before, true);
                script.push_str("-- case\n");
                for s in stmts {
                    let _ = writeln!(script, "{}", s.script_text());
                }
                let file = format!(
                    "{dir}/{name}__{}__{}.sql",
                    label.replace([' ', '/'], "_"),
                    m.name()
                );
                std::fs::write(file, script).expect("write script");
            }
            write_statements(&mut out, result);
            out.push('\n');
        }
    }
    out
}

fn snapshot(name: &str, before: &Schema, cases: &[(&str, Op)]) {
    insta::assert_snapshot!(name, render_cases(name, before, cases));
}

fn alter(c: &str, change: ColumnChange) -> Op {
    Op::AlterColumn {
        table: "group".into(),
        column: c.into(),
        change,
    }
}

#[test]
fn enums() {
    let add = |before: Option<&str>, after: Option<&str>| Op::AddEnumValue {
        enum_name: "status".into(),
        value: "archived".into(),
        before: before.map(Into::into),
        after: after.map(Into::into),
    };
    snapshot(
        "enums",
        &fixture(),
        &[
            (
                "create",
                Op::CreateEnum(EnumType {
                    name: "mood".into(),
                    values: vec!["ok".into()],
                }),
            ),
            (
                "drop",
                Op::DropEnum {
                    name: "status".into(),
                },
            ),
            ("add at the end", add(None, None)),
            ("add before a label", add(Some("new"), None)),
            (
                "rename a used label",
                Op::RenameEnumValue {
                    enum_name: "status".into(),
                    from: "it's done".into(),
                    to: "done".into(),
                },
            ),
        ],
    );
}

#[test]
fn tables() {
    let mut op = Ops::new();
    op.create_table("timestamp")
        .column(col("a", integer()))
        .column(col("b", varchar_n(40)).not_null())
        .column(col("c", double()))
        .column(col("d", real()))
        .column(col("e", small_integer()).default_int(-3))
        .column(col("f", date()))
        .column(col("g", time()))
        .column(col("h", timestamp()).default_now())
        .column(col("i", json()))
        .column(col("j", bytes()))
        .column(col("k", text()).default_text("a\\b"))
        .column(col("l", custom("year")))
        .column(col("m", numeric_unconstrained()))
        .column(col("n", varchar()))
        .primary_key(["a", "b"])
        .unique("uq_timestamp_c_d", ["c", "d"]);
    let mut created = op.into_vec();
    let mut cases: Vec<(&str, Op)> = fixture_ops()
        .into_iter()
        .filter(|o| matches!(o, Op::CreateTable(_)))
        .zip(["create user", "create group"])
        .map(|(o, l)| (l, o))
        .collect();
    cases.push(("create every type", created.remove(0)));
    cases.push((
        "drop",
        Op::DropTable {
            name: "group".into(),
        },
    ));
    cases.push((
        "rename",
        Op::RenameTable {
            from: "group".into(),
            to: "team".into(),
        },
    ));
    let mut before = fixture();
    before.tables.remove("group");
    snapshot("create_table", &before, &cases[1..3]);
    snapshot("tables", &fixture(), &cases[3..]);
}

#[test]
fn columns() {
    let add = |c: ColumnDef| {
        let mut o = Ops::new();
        o.add_column("group", c);
        o.into_vec().remove(0)
    };
    snapshot(
        "columns",
        &fixture(),
        &[
            ("add nullable", add(col("note", text()))),
            (
                "add not null with default",
                add(col("rank", integer()).not_null().default_int(0)),
            ),
            (
                "add text with a literal default",
                add(col("label", text()).not_null().default_text("x")),
            ),
            ("add json", add(col("meta", json()))),
            (
                "drop",
                Op::DropColumn {
                    table: "group".into(),
                    column: "we`ird".into(),
                },
            ),
            (
                "drop missing",
                Op::DropColumn {
                    table: "group".into(),
                    column: "nope".into(),
                },
            ),
        ],
    );
}

#[test]
fn alter_column() {
    snapshot(
        "alter_column",
        &fixture(),
        &[
            (
                "type change keeps not null",
                alter(
                    "name",
                    ColumnChange {
                        ty: Some(ColumnType::Varchar(Some(100))),
                        using: Some("ignored".into()),
                        ..Default::default()
                    },
                ),
            ),
            (
                "nullable keeps the default",
                alter(
                    "status",
                    ColumnChange {
                        nullable: Some(true),
                        ..Default::default()
                    },
                ),
            ),
            (
                "set default",
                alter(
                    "owner_id",
                    ColumnChange {
                        default: Some(Some(DefaultValue::Int(7))),
                        ..Default::default()
                    },
                ),
            ),
            (
                "drop default",
                alter(
                    "timestamp",
                    ColumnChange {
                        default: Some(None),
                        ..Default::default()
                    },
                ),
            ),
            (
                "rename only",
                alter(
                    "name",
                    ColumnChange {
                        rename: Some("title".into()),
                        ..Default::default()
                    },
                ),
            ),
            (
                "rename and not null",
                alter(
                    "we`ird",
                    ColumnChange {
                        rename: Some("plain".into()),
                        nullable: Some(false),
                        ..Default::default()
                    },
                ),
            ),
            (
                "autoincrement column widened",
                alter(
                    "id",
                    ColumnChange {
                        ty: Some(ColumnType::BigInt),
                        ..Default::default()
                    },
                ),
            ),
        ],
    );
}

#[test]
fn indexes() {
    let ix = |name: &str, unique: bool, predicate: Option<&str>| Op::CreateIndex {
        table: "group".into(),
        index: Index {
            name: name.into(),
            columns: vec!["owner_id".into(), "name".into()],
            unique,
            method: Some("btree".into()),
            predicate: predicate.map(Into::into),
        },
        concurrently: true,
    };
    snapshot(
        "indexes",
        &fixture(),
        &[
            ("create", ix("ix_group_owner_name", false, None)),
            ("create unique", ix("ux_group_owner_name", true, None)),
            (
                "partial",
                ix("ix_group_owner_live", false, Some("owner_id > 0")),
            ),
            (
                "drop, table found",
                Op::DropIndex {
                    table: None,
                    name: "ix_group_name".into(),
                    concurrently: false,
                },
            ),
            (
                "drop missing",
                Op::DropIndex {
                    table: None,
                    name: "nope".into(),
                    concurrently: false,
                },
            ),
        ],
    );
}

fn fk(name: &str) -> ForeignKey {
    ForeignKey {
        name: name.into(),
        columns: vec!["owner_id".into()],
        ref_table: "user".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::SetNull,
        on_update: FkAction::Restrict,
    }
}

#[test]
fn constraints() {
    let mut before = fixture();
    let group = before.table_mut("group").unwrap();
    group.foreign_keys.clear();
    group.uniques.insert(
        "uq_group_name".into(),
        UniqueConstraint {
            name: "uq_group_name".into(),
            columns: vec!["name".into()],
        },
    );
    before.insert_table(Table {
        primary_key: None,
        ..Table::new("tag")
    });
    before.table_mut("tag").unwrap().columns = vec![Column {
        nullable: false,
        ..Column::new("code", ColumnType::Varchar(Some(8)))
    }];
    let drop = |name: &str| Op::DropConstraint {
        table: "group".into(),
        name: name.into(),
        kind: None,
    };
    snapshot(
        "constraints",
        &before,
        &[
            (
                "add foreign key",
                Op::AddForeignKey {
                    table: "group".into(),
                    foreign_key: fk("fk_group_owner"),
                    not_valid: true,
                },
            ),
            (
                "add unique",
                Op::AddUnique {
                    table: "group".into(),
                    unique: UniqueConstraint {
                        name: "uq_group_owner_name".into(),
                        columns: vec!["owner_id".into(), "name".into()],
                    },
                },
            ),
            (
                "add check",
                Op::AddCheck {
                    table: "group".into(),
                    check: CheckConstraint {
                        name: "ck_group_owner".into(),
                        expression: "owner_id > 0".into(),
                    },
                    not_valid: false,
                },
            ),
            (
                "add primary key",
                Op::AddPrimaryKey {
                    table: "tag".into(),
                    primary_key: PrimaryKey {
                        name: "tag_pkey".into(),
                        columns: vec!["code".into()],
                    },
                },
            ),
            (
                "validate",
                Op::ValidateConstraint {
                    table: "group".into(),
                    name: "ck_group_name".into(),
                },
            ),
            ("drop check", drop("ck_group_name")),
            ("drop unique", drop("uq_group_name")),
            ("drop primary key", drop("group_pkey")),
            ("drop missing", drop("nope")),
        ],
    );
}

#[test]
fn foreign_key_change_is_a_drop_then_an_add() {
    let before = fixture();
    let old = before.table("group").unwrap().foreign_keys.values().next();
    let old_name = old.expect("fixture has a foreign key").name.clone();
    let ops = [
        Op::DropConstraint {
            table: "group".into(),
            name: old_name,
            kind: Some(ConstraintKind::ForeignKey),
        },
        Op::AddForeignKey {
            table: "group".into(),
            foreign_key: fk("fk_group_owner"),
            not_valid: false,
        },
    ];
    let mut text = String::new();
    for m in [MARIADB, MYSQL] {
        let _ = writeln!(text, "-- [{} {}]", m.name(), m.server.version);
        let mut schema = before.clone();
        for op in &ops {
            write_statements(&mut text, m.render(op, &schema));
            crate::dialect::apply(&mut schema, op).unwrap();
        }
    }
    insta::assert_snapshot!("foreign_key_change", text);
}

#[test]
fn sequences() {
    snapshot(
        "sequences",
        &Schema::new(),
        &[
            (
                "create",
                Op::CreateSequence(Sequence {
                    name: "ticket_no".into(),
                    start: 100,
                    increment: -2,
                }),
            ),
            (
                "drop",
                Op::DropSequence {
                    name: "ticket_no".into(),
                },
            ),
        ],
    );
}

fn rows(value: serde_json::Value) -> Rows {
    value
        .as_array()
        .expect("array of rows")
        .iter()
        .map(|r| {
            r.as_object()
                .expect("row object")
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .collect()
}

#[test]
fn data() {
    let group_rows = rows(json!([
        {"name": "a", "status": "new", "data": {"k": [1, 2]}, "we`ird": "back\\slash"},
        {"name": "it's", "owner_id": null},
    ]));
    snapshot(
        "data",
        &fixture(),
        &[
            (
                "insert",
                Op::BulkInsert {
                    table: "group".into(),
                    rows: group_rows.clone(),
                },
            ),
            (
                "insert booleans",
                Op::BulkInsert {
                    table: "user".into(),
                    rows: rows(json!([{"active": false, "score": 1.25}])),
                },
            ),
            (
                "delete",
                Op::BulkDelete {
                    table: "group".into(),
                    rows: group_rows,
                },
            ),
        ],
    );
}

#[test]
fn change_rows() {
    let mut op = Ops::new();
    op.update_rows("user")
        .set("active", "FALSE")
        .filter("score > 10");
    op.delete_rows("group").filter("name LIKE 'tmp%'");
    let ops = op.as_slice();
    snapshot(
        "change_rows",
        &fixture(),
        &[
            ("update with filter", ops[0].clone()),
            ("delete with filter", ops[1].clone()),
        ],
    );
}

#[test]
fn execute() {
    let raw = |any: Option<&str>, postgres: Option<&str>| {
        Op::Execute(RawSql {
            any: any.map(Into::into),
            variants: postgres
                .map(|sql| (crate::dialect::Dialect::Postgres, sql.to_string()))
                .into_iter()
                .collect(),
        })
    };
    snapshot(
        "execute",
        &fixture(),
        &[
            ("any", raw(Some("UPDATE `user` SET active = TRUE"), None)),
            (
                "any and a postgres variant",
                raw(Some("SELECT 1"), Some("SELECT pg_sleep(0)")),
            ),
            ("postgres only", raw(None, Some("ANALYZE \"group\""))),
            ("no sql", raw(None, None)),
        ],
    );
}

mod capabilities;
mod server_rules;

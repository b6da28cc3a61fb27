//! Snapshot tests of the exact SQL of every op kind, on both dialects.
//!
//! Setting `STRATUM_SQL_DIR` to a directory makes every case also write two scripts
//! there per dialect, to be run by hand with `psql` or `sqlite3`: `<case>.sql` builds
//! the schema before the op, inserts a few rows and runs the case's statements;
//! `<case>.fresh.sql` builds the simulated schema after the op from nothing. The
//! schemas the two leave (`pg_dump --schema-only`, sqlite3 `.schema`) should agree,
//! up to what the model does not record (`NOT VALID`, owned sequence names).

use super::*;
use crate::ops::{ColumnChange, RawSql, Row, Rows};
use crate::prelude::*;
use crate::schema::{
    CheckConstraint, Column, EnumType, ForeignKey, Index, PrimaryKey, Sequence, Table,
    UniqueConstraint,
};
use std::fmt::Write as _;

const DIALECTS: [Dialect; 2] = [Dialect::Postgres, Dialect::Sqlite];

fn status_enum() -> EnumType {
    EnumType {
        name: "status".into(),
        values: vec!["new".into(), "it's done".into()],
    }
}

/// The tables of the fixture, as ops (also used to build the fixture's SQL).
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
        .column(col("we\"ird", text()))
        .foreign_key(foreign_key(["owner_id"], "user", ["id"]).on_delete(FkAction::Cascade))
        .check("ck_group_name", "length(name) > 0")
        .index(index("ix_group_name", ["name"]))
        .index(index("ix_group_owner", ["owner_id"]).where_("owner_id IS NOT NULL"));
    op.into_vec()
}

/// The schema the fixture ops build (assembled directly, without the simulator).
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

/// Rows inserted into the fixture before a case runs, in the hand-run scripts.
fn fixture_rows() -> Vec<Op> {
    let user: Row = [("active".to_string(), json!(true))].into_iter().collect();
    let group: Row = [
        ("name", json!("a")),
        ("owner_id", json!(1)),
        ("data", json!({"k": [1, 2]})),
        ("status", json!("it's done")),
        ("we\"ird", json!("x")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    vec![
        Op::BulkInsert {
            table: "user".into(),
            rows: vec![user].into(),
        },
        Op::BulkInsert {
            table: "group".into(),
            rows: vec![group].into(),
        },
    ]
}

fn write_statements(out: &mut String, result: Result<Vec<Statement>, RenderError>) {
    match result {
        Ok(stmts) if stmts.is_empty() => out.push_str("-- (no statements)\n"),
        Ok(stmts) => {
            for s in stmts {
                if !s.transactional {
                    out.push_str("-- (outside a transaction)\n");
                }
                let _ = writeln!(out, "{};", s.sql);
            }
        }
        Err(e) => {
            let _ = writeln!(out, "-- error: {e}");
        }
    }
}

/// Renders each case on both dialects into one text, and writes the hand-run scripts
/// when `STRATUM_SQL_DIR` is set.
fn render_cases(name: &str, before: &Schema, cases: &[(&str, Op)]) -> String {
    let mut out = String::new();
    for d in DIALECTS {
        for (label, op) in cases {
            let _ = writeln!(out, "-- {label} [{d}]");
            let result = render(d, op, before);
            if let (Ok(stmts), Ok(dir)) = (&result, std::env::var("STRATUM_SQL_DIR")) {
                write_script(&dir, name, label, d, before, op, stmts);
            }
            write_statements(&mut out, result);
            out.push('\n');
        }
    }
    out
}

/// The SQL that builds `schema` from nothing: its enums, its tables (referenced
/// tables first), then the fixture's rows when asked and possible.
fn schema_sql(d: Dialect, schema: &Schema, with_rows: bool) -> String {
    try_schema_sql(d, schema, with_rows).expect("no foreign key cycle in test schemas")
}

/// [`schema_sql`], or `None` when foreign keys form a cycle.
fn try_schema_sql(d: Dialect, schema: &Schema, with_rows: bool) -> Option<String> {
    let mut setup: Vec<Op> = schema.enums.values().cloned().map(Op::CreateEnum).collect();
    if d == Dialect::Postgres {
        setup.extend(schema.sequences.values().cloned().map(Op::CreateSequence));
    }
    let mut pending: Vec<&Table> = schema.tables.values().collect();
    while !pending.is_empty() {
        let created = |name: &str| {
            setup
                .iter()
                .any(|op| matches!(op, Op::CreateTable(t) if t.name == name))
        };
        let pos = pending.iter().position(|t| {
            t.foreign_keys
                .values()
                .all(|fk| fk.ref_table == t.name || created(&fk.ref_table))
        })?;
        setup.push(Op::CreateTable(pending.remove(pos).clone()));
    }
    if with_rows && schema.table("group").is_some() && schema.table("user").is_some() {
        setup.extend(fixture_rows());
    }
    let mut out = String::new();
    if d == Dialect::Sqlite {
        out.push_str("PRAGMA foreign_keys = OFF;\n");
    }
    let mut built = Schema::new();
    for op in &setup {
        for s in render(d, op, &built).expect("test schemas render") {
            let _ = writeln!(out, "{};", s.sql);
        }
        match op {
            Op::CreateEnum(e) => built.insert_enum(e.clone()),
            Op::CreateTable(t) => built.insert_table(t.clone()),
            _ => {}
        }
    }
    Some(out)
}

/// Writes `<name>__<label>__<dialect>.sql` (the schema before the case, a few rows,
/// the case's statements) and, when the simulator accepts the op,
/// `....fresh.sql` (the schema after the op, built from nothing), so that the
/// two results can be compared by hand (`pg_dump --schema-only`, `.schema`).
fn write_script(
    dir: &str,
    name: &str,
    label: &str,
    d: Dialect,
    before: &Schema,
    op: &Op,
    stmts: &[Statement],
) {
    let mut script = schema_sql(d, before, true);
    script.push_str("-- case\n");
    for s in stmts {
        let _ = writeln!(script, "{}", s.script_text());
    }
    if d == Dialect::Sqlite {
        script.push_str("PRAGMA foreign_key_check;\n");
    }
    let base = format!("{dir}/{name}__{}__{d}", label.replace([' ', '/'], "_"));
    std::fs::write(format!("{base}.sql"), script).expect("write script");
    let mut after = before.clone();
    if crate::simulate::apply(&mut after, op).is_ok() {
        std::fs::write(format!("{base}.fresh.sql"), schema_sql(d, &after, false))
            .expect("write script");
    }
}

fn snapshot(name: &str, before: &Schema, cases: &[(&str, Op)]) {
    insta::assert_snapshot!(name, render_cases(name, before, cases));
}

fn enum_only() -> Schema {
    let mut s = Schema::new();
    s.insert_enum(status_enum());
    s
}

fn table_of(ops: Vec<Op>, name: &str) -> Table {
    ops.into_iter()
        .find_map(|op| match op {
            Op::CreateTable(t) if t.name == name => Some(t),
            _ => None,
        })
        .expect("table in ops")
}

#[test]
fn create_enum() {
    snapshot(
        "create_enum",
        &Schema::new(),
        &[("two labels", Op::CreateEnum(status_enum()))],
    );
}

#[test]
fn drop_enum() {
    snapshot(
        "drop_enum",
        &enum_only(),
        &[(
            "drop",
            Op::DropEnum {
                name: "status".into(),
            },
        )],
    );
}

#[test]
fn add_enum_value() {
    let op = |before: Option<&str>, after: Option<&str>| Op::AddEnumValue {
        enum_name: "status".into(),
        value: "archived".into(),
        before: before.map(Into::into),
        after: after.map(Into::into),
    };
    snapshot(
        "add_enum_value",
        &fixture(),
        &[
            ("at the end", op(None, None)),
            ("before a label", op(Some("new"), None)),
            ("after a label with a quote", op(None, Some("it's done"))),
        ],
    );
}

#[test]
fn rename_enum_value() {
    snapshot(
        "rename_enum_value",
        &fixture(),
        &[(
            "rename a used label",
            Op::RenameEnumValue {
                enum_name: "status".into(),
                from: "it's done".into(),
                to: "done".into(),
            },
        )],
    );
}

#[test]
fn create_table() {
    let mut op = Ops::new();
    op.create_table("timestamp")
        .column(col("a", integer()))
        .column(col("b", varchar()).not_null())
        .column(col("c", double()))
        .column(col("d", real()))
        .column(col("e", small_integer()).default_int(-3))
        .column(col("f", date()))
        .column(col("g", time()))
        .column(col("h", timestamp()))
        .column(col("i", json()))
        .column(col("j", bytes()))
        .column(col("k", text()).default(DefaultValue::Expr("lower('X')".into())))
        .column(col("l", custom("inet")))
        .primary_key(["a", "b"])
        .unique("uq_timestamp_c_d", ["c", "d"]);
    op.create_table("tree")
        .column(col("id", integer()).primary_key())
        .column(col("code", text()).not_null())
        .column(col("parent_id", integer()))
        .column(col("parent_code", text()))
        .foreign_key(foreign_key(["parent_id"], "tree", ["id"]))
        .foreign_key(foreign_key(["parent_code"], "tree", ["code"]))
        .index(index("uix_tree_code", ["code"]).unique())
        .unique("uq_tree_id", ["id"])
        .unique("uq_tree_code", ["code"])
        .unique("uq_tree_code_again", ["code"]);
    op.create_table("identity")
        .column(col("id", integer()).primary_key().identity(true))
        .column(col("other", big_integer()).identity(false));
    let composite = table_of(op.clone().into_vec(), "timestamp");
    let tree = table_of(op.clone().into_vec(), "tree");
    let identity = table_of(op.into_vec(), "identity");
    let fixture_tables = fixture_ops();
    snapshot(
        "create_table",
        &enum_only(),
        &[
            (
                "user",
                Op::CreateTable(table_of(fixture_tables.clone(), "user")),
            ),
            (
                "group: enum, fk, check, indexes, quoted names",
                Op::CreateTable(table_of(fixture_tables, "group")),
            ),
            ("every type, composite key", Op::CreateTable(composite)),
            (
                "self references to the key and to a unique index, repeated keys",
                Op::CreateTable(tree),
            ),
            ("identity columns", Op::CreateTable(identity)),
        ],
    );
}

#[test]
fn drop_table() {
    snapshot(
        "drop_table",
        &fixture(),
        &[(
            "drop",
            Op::DropTable {
                name: "group".into(),
            },
        )],
    );
}

#[test]
fn rename_table() {
    snapshot(
        "rename_table",
        &fixture(),
        &[
            (
                "rename",
                Op::RenameTable {
                    from: "group".into(),
                    to: "team".into(),
                },
            ),
            (
                "rename a referenced table",
                Op::RenameTable {
                    from: "user".into(),
                    to: "person".into(),
                },
            ),
        ],
    );
}

#[test]
fn add_column() {
    let add = |c: ColumnDef| Op::AddColumn {
        table: "group".into(),
        column: c.column,
    };
    snapshot(
        "add_column",
        &fixture(),
        &[
            ("nullable", add(col("note", text()))),
            (
                "not null with a constant default",
                add(col("rank", integer()).not_null().default_int(0)),
            ),
            (
                "enum with a default",
                add(col("state", enum_type("status"))
                    .not_null()
                    .default_text("new")),
            ),
            (
                "not null with default now",
                add(col("seen_at", timestamp()).not_null().default_now()),
            ),
            (
                "random uuid default",
                add(col("uid", uuid()).not_null().default_random_uuid()),
            ),
        ],
    );
}

#[test]
fn drop_column() {
    let drop = |c: &str| Op::DropColumn {
        table: "group".into(),
        column: c.into(),
    };
    snapshot(
        "drop_column",
        &fixture(),
        &[
            ("plain column", drop("we\"ird")),
            ("indexed column", drop("name")),
            ("column with a foreign key", drop("owner_id")),
            ("enum column", drop("status")),
        ],
    );
}

#[test]
fn alter_column() {
    let alter = |c: &str, change: ColumnChange| Op::AlterColumn {
        table: "group".into(),
        column: c.into(),
        change,
    };
    snapshot(
        "alter_column",
        &fixture(),
        &[
            (
                "type change on a table with an index and a foreign key",
                alter(
                    "name",
                    ColumnChange {
                        ty: Some(ColumnType::Text),
                        ..Default::default()
                    },
                ),
            ),
            (
                "type change with using",
                alter(
                    "we\"ird",
                    ColumnChange {
                        ty: Some(ColumnType::Integer),
                        using: Some("length(\"we\"\"ird\")".into()),
                        ..Default::default()
                    },
                ),
            ),
            (
                "type change of a column with a default",
                alter(
                    "status",
                    ColumnChange {
                        ty: Some(ColumnType::Varchar(Some(20))),
                        ..Default::default()
                    },
                ),
            ),
            (
                "drop not null",
                alter(
                    "name",
                    ColumnChange {
                        nullable: Some(true),
                        ..Default::default()
                    },
                ),
            ),
            (
                "set not null and a default",
                alter(
                    "we\"ird",
                    ColumnChange {
                        nullable: Some(false),
                        default: Some(Some(DefaultValue::Text("x".into()))),
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
                    "timestamp",
                    ColumnChange {
                        rename: Some("created_at".into()),
                        ..Default::default()
                    },
                ),
            ),
            (
                "rename an enum column",
                alter(
                    "status",
                    ColumnChange {
                        rename: Some("state".into()),
                        ..Default::default()
                    },
                ),
            ),
            (
                "rename a referenced column",
                Op::AlterColumn {
                    table: "user".into(),
                    column: "id".into(),
                    change: ColumnChange {
                        rename: Some("user_id".into()),
                        ..Default::default()
                    },
                },
            ),
            (
                "widen an autoincrement key",
                Op::AlterColumn {
                    table: "group".into(),
                    column: "id".into(),
                    change: ColumnChange {
                        ty: Some(ColumnType::BigInt),
                        ..Default::default()
                    },
                },
            ),
            (
                "rename and set not null",
                alter(
                    "data",
                    ColumnChange {
                        rename: Some("payload".into()),
                        nullable: Some(false),
                        ..Default::default()
                    },
                ),
            ),
        ],
    );
}

#[test]
fn create_index() {
    let idx = |name: &str, cols: &[&str]| Index {
        name: name.into(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        unique: false,
        method: None,
        predicate: None,
    };
    snapshot(
        "create_index",
        &fixture(),
        &[
            (
                "plain",
                Op::CreateIndex {
                    table: "group".into(),
                    index: idx("ix_group_timestamp", &["timestamp", "we\"ird"]),
                    concurrently: false,
                },
            ),
            (
                "unique, method, predicate",
                Op::CreateIndex {
                    table: "group".into(),
                    index: Index {
                        unique: true,
                        method: Some("btree".into()),
                        predicate: Some("status = 'new'".into()),
                        ..idx("uix_group_name_new", &["name"])
                    },
                    concurrently: false,
                },
            ),
            (
                "gin, concurrently",
                Op::CreateIndex {
                    table: "group".into(),
                    index: Index {
                        method: Some("gin".into()),
                        ..idx("ix_group_data", &["data"])
                    },
                    concurrently: true,
                },
            ),
        ],
    );
}

#[test]
fn drop_index() {
    snapshot(
        "drop_index",
        &fixture(),
        &[
            (
                "plain",
                Op::DropIndex {
                    table: None,
                    name: "ix_group_name".into(),
                    concurrently: false,
                },
            ),
            (
                "concurrently",
                Op::DropIndex {
                    table: Some("group".into()),
                    name: "ix_group_owner".into(),
                    concurrently: true,
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
fn add_foreign_key() {
    let without_fk = {
        let mut s = fixture();
        s.table_mut("group").unwrap().foreign_keys.clear();
        s
    };
    snapshot(
        "add_foreign_key",
        &without_fk,
        &[
            (
                "with actions",
                Op::AddForeignKey {
                    table: "group".into(),
                    foreign_key: fk("fk_group_owner"),
                    not_valid: false,
                },
            ),
            (
                "not valid, default actions",
                Op::AddForeignKey {
                    table: "group".into(),
                    foreign_key: ForeignKey {
                        on_delete: FkAction::NoAction,
                        on_update: FkAction::NoAction,
                        ..fk("fk_group_owner")
                    },
                    not_valid: true,
                },
            ),
        ],
    );
}

#[test]
fn add_unique() {
    snapshot(
        "add_unique",
        &fixture(),
        &[(
            "two columns",
            Op::AddUnique {
                table: "group".into(),
                unique: UniqueConstraint {
                    name: "uq_group_owner_name".into(),
                    columns: vec!["owner_id".into(), "name".into()],
                },
            },
        )],
    );
}

#[test]
fn add_check() {
    let check = CheckConstraint {
        name: "ck_user_score".into(),
        expression: "score >= 0".into(),
    };
    snapshot(
        "add_check",
        &fixture(),
        &[
            (
                "valid",
                Op::AddCheck {
                    table: "user".into(),
                    check: check.clone(),
                    not_valid: false,
                },
            ),
            (
                "not valid",
                Op::AddCheck {
                    table: "user".into(),
                    check,
                    not_valid: true,
                },
            ),
        ],
    );
}

#[test]
fn add_primary_key() {
    let mut before = fixture();
    let mut t = Table::new("tag");
    t.columns.push(Column {
        nullable: false,
        ..Column::new("name", ColumnType::Text)
    });
    t.columns.push(Column::new("group_id", ColumnType::Integer));
    before.insert_table(t);
    snapshot(
        "add_primary_key",
        &before,
        &[(
            "named",
            Op::AddPrimaryKey {
                table: "tag".into(),
                primary_key: PrimaryKey {
                    name: "pk_tag".into(),
                    columns: vec!["name".into()],
                },
            },
        )],
    );
}

#[test]
fn validate_constraint() {
    snapshot(
        "validate_constraint",
        &fixture(),
        &[(
            "fk",
            Op::ValidateConstraint {
                table: "group".into(),
                name: "group_owner_id_fkey".into(),
            },
        )],
    );
}

#[test]
fn drop_constraint() {
    let drop = |name: &str| Op::DropConstraint {
        table: "group".into(),
        name: name.into(),
        kind: None,
    };
    snapshot(
        "drop_constraint",
        &fixture(),
        &[
            ("foreign key", drop("group_owner_id_fkey")),
            ("check", drop("ck_group_name")),
            ("missing", drop("nope")),
        ],
    );
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
fn bulk_insert() {
    snapshot(
        "bulk_insert",
        &fixture(),
        &[
            (
                "json values, quotes, nulls, missing keys",
                Op::BulkInsert {
                    table: "group".into(),
                    rows: rows(json!([
                        {"name": "O'Brien", "owner_id": 1, "data": {"a": "it's", "b": [1, 2.5, null], "c\"": true}, "we\"ird": "back\\slash"},
                        {"name": "plain", "owner_id": null, "data": "just a string", "status": "it's done"},
                        {"name": "n", "data": null},
                    ])),
                },
            ),
            (
                "booleans, decimals, empty row",
                Op::BulkInsert {
                    table: "user".into(),
                    rows: rows(json!([
                        {"id": 7, "active": false, "score": 12.5},
                        {"id": 8, "active": true, "score": -1},
                        {},
                    ])),
                },
            ),
            (
                "object into a text column",
                Op::BulkInsert {
                    table: "group".into(),
                    rows: rows(json!([{"name": {"x": 1}}])),
                },
            ),
            (
                "unknown column",
                Op::BulkInsert {
                    table: "group".into(),
                    rows: rows(json!([{"nope": 1}])),
                },
            ),
        ],
    );
}

#[test]
fn bulk_insert_chunks_large_inserts() {
    let many: Rows = (0..2500)
        .map(|i| [("id".to_string(), json!(i))].into_iter().collect())
        .collect();
    let stmts = render(
        Dialect::Sqlite,
        &Op::BulkInsert {
            table: "user".into(),
            rows: many.clone(),
        },
        &fixture(),
    )
    .unwrap();
    let counts: Vec<usize> = stmts.iter().map(|s| s.sql.lines().count() - 1).collect();
    assert_eq!(counts, vec![1000, 1000, 500]);
    assert!(stmts[2].sql.ends_with("(2499)"));

    // On PostgreSQL the same rows go through one COPY ...
    let pg = render(
        Dialect::Postgres,
        &Op::BulkInsert {
            table: "user".into(),
            rows: many.clone(),
        },
        &fixture(),
    )
    .unwrap();
    assert_eq!(pg.len(), 1);
    assert_eq!(pg[0].sql, "COPY \"user\" (\"id\") FROM STDIN");
    let data = pg[0].copy_data.as_deref().expect("copy data");
    assert_eq!(data.lines().count(), 2500);
    assert!(data.starts_with("0\n1\n") && data.ends_with("2498\n2499\n"));

    // ... unless a row leaves a column out (COPY has no DEFAULT): INSERT chunks.
    let mut ragged: Vec<Row> = many.iter().map(|r| r.to_map()).collect();
    ragged[10].insert("score".into(), json!(1.5));
    let pg = render(
        Dialect::Postgres,
        &Op::BulkInsert {
            table: "user".into(),
            rows: ragged.into(),
        },
        &fixture(),
    )
    .unwrap();
    let counts: Vec<usize> = pg.iter().map(|s| s.sql.lines().count() - 1).collect();
    assert_eq!(counts, vec![1000, 1000, 500]);
    assert!(pg.iter().all(|s| s.copy_data.is_none()));
}

/// `n` rows for table `group`, the first one given, the rest plain.
fn group_rows(first: serde_json::Value, n: usize) -> Rows {
    let mut all = vec![first];
    all.extend(
        (1..n)
            .map(|i| json!({"name": format!("g{i}"), "owner_id": i, "data": null, "we\"ird": "w"})),
    );
    rows(serde_json::Value::Array(all))
}

#[test]
fn large_bulk_insert_on_postgres_copies_with_escapes() {
    let op = Op::BulkInsert {
        table: "group".into(),
        rows: group_rows(
            json!({
                "name": "tab\there",
                "owner_id": null,
                "data": {"a": "x\ny", "b": true, "c": "back\\slash"},
                "we\"ird": "back\\slash\r\nend",
            }),
            COPY_MIN_ROWS + 1,
        ),
    };
    let stmts = render(Dialect::Postgres, &op, &fixture()).unwrap();
    assert_eq!(stmts.len(), 1);
    let s = &stmts[0];
    assert!(s.transactional);
    assert_eq!(
        s.sql,
        "COPY \"group\" (\"data\", \"name\", \"owner_id\", \"we\"\"ird\") FROM STDIN"
    );
    let data = s.copy_data.as_deref().unwrap();
    let mut lines = data.lines();
    assert_eq!(
        lines.next().unwrap(),
        "{\"a\":\"x\\\\ny\",\"b\":true,\"c\":\"back\\\\\\\\slash\"}\ttab\\there\t\\N\tback\\\\slash\\r\\nend"
    );
    assert_eq!(lines.next().unwrap(), "\\N\tg1\t1\tw");
    assert_eq!(data.lines().count(), COPY_MIN_ROWS + 1);
    // In a psql script the rows follow the statement, closed by `\.`.
    let text = s.script_text();
    assert!(text.starts_with("COPY \"group\" ("));
    assert!(text.contains("FROM STDIN;\n{\"a\""));
    assert!(text.ends_with("\tw\n\\."));
}

#[test]
fn large_bulk_insert_falls_back_to_insert_where_copy_would_read_differently() {
    // A JSON boolean into a text column: INSERT stores `true`, COPY would store `t`.
    let op = Op::BulkInsert {
        table: "group".into(),
        rows: group_rows(
            json!({"name": true, "owner_id": 1, "data": null, "we\"ird": "w"}),
            COPY_MIN_ROWS + 1,
        ),
    };
    let stmts = render(Dialect::Postgres, &op, &fixture()).unwrap();
    assert_eq!(stmts.len(), 2);
    assert!(stmts.iter().all(|s| s.copy_data.is_none()));
    assert!(stmts[0].sql.starts_with("INSERT INTO \"group\""));
    // A number into a boolean column: INSERT refuses it, COPY would take 1 as true.
    let users: Rows = (0..=COPY_MIN_ROWS)
        .map(|i| {
            [
                ("id".to_string(), json!(i)),
                (
                    "active".to_string(),
                    json!(if i == 5 { json!(1) } else { json!(true) }),
                ),
            ]
            .into_iter()
            .collect()
        })
        .collect();
    let stmts = render(
        Dialect::Postgres,
        &Op::BulkInsert {
            table: "user".into(),
            rows: users,
        },
        &fixture(),
    )
    .unwrap();
    assert!(stmts.iter().all(|s| s.copy_data.is_none()));
    // Booleans into a boolean column do go through COPY.
    let users: Rows = (0..=COPY_MIN_ROWS)
        .map(|i| {
            [
                ("id".to_string(), json!(i)),
                ("active".to_string(), json!(i % 2 == 0)),
            ]
            .into_iter()
            .collect()
        })
        .collect();
    let stmts = render(
        Dialect::Postgres,
        &Op::BulkInsert {
            table: "user".into(),
            rows: users,
        },
        &fixture(),
    )
    .unwrap();
    assert!(
        stmts[0]
            .copy_data
            .as_deref()
            .unwrap()
            .starts_with("t\t0\nf\t1\n")
    );
}

#[test]
fn large_bulk_insert_rejects_what_insert_rejects() {
    for bad in [json!({"x": 1}), json!("nul\u{0}char")] {
        let op = Op::BulkInsert {
            table: "group".into(),
            rows: group_rows(
                json!({"name": bad, "owner_id": 1, "data": null, "we\"ird": "w"}),
                COPY_MIN_ROWS + 1,
            ),
        };
        let err = render(Dialect::Postgres, &op, &fixture()).unwrap_err();
        assert!(
            matches!(&err, RenderError::InvalidValue { column, .. } if column == "name"),
            "{err:?}"
        );
    }
}

#[test]
fn bulk_delete() {
    snapshot(
        "bulk_delete",
        &fixture(),
        &[
            (
                "json, nulls, quotes",
                Op::BulkDelete {
                    table: "group".into(),
                    rows: rows(json!([
                        {"name": "O'Brien", "data": {"a": "it's"}},
                        {"name": "plain", "owner_id": null},
                    ])),
                },
            ),
            (
                "the rows a bulk insert wrote",
                match &fixture_rows()[1] {
                    Op::BulkInsert { table, rows } => Op::BulkDelete {
                        table: table.clone(),
                        rows: rows.clone(),
                    },
                    _ => unreachable!("the second fixture op inserts groups"),
                },
            ),
            (
                "empty row",
                Op::BulkDelete {
                    table: "group".into(),
                    rows: rows(json!([{}])),
                },
            ),
        ],
    );
}

#[test]
fn bulk_delete_chunks() {
    let many: Rows = (0..250)
        .map(|i| [("id".to_string(), json!(i))].into_iter().collect())
        .collect();
    let stmts = render(
        Dialect::Sqlite,
        &Op::BulkDelete {
            table: "user".into(),
            rows: many,
        },
        &fixture(),
    )
    .unwrap();
    let terms: Vec<usize> = stmts
        .iter()
        .map(|s| s.sql.matches("\"id\" =").count())
        .collect();
    assert_eq!(terms, vec![100, 100, 50]);
}

#[test]
fn change_rows() {
    let mut op = Ops::new();
    op.update_rows("user")
        .set("active", "FALSE")
        .set("score", "score / 2")
        .filter("score > 10");
    op.delete_rows("group").filter("name LIKE 'tmp%'");
    op.delete_rows("group");
    op.update_rows("user");
    let ops = op.as_slice();
    snapshot(
        "change_rows",
        &fixture(),
        &[
            ("update with filter", ops[0].clone()),
            ("delete with filter", ops[1].clone()),
            ("delete every row", ops[2].clone()),
            ("update setting nothing", ops[3].clone()),
        ],
    );
}

#[test]
fn execute() {
    let raw = |any: Option<&str>, postgres: Option<&str>, sqlite: Option<&str>| {
        let variants = [(Dialect::Postgres, postgres), (Dialect::Sqlite, sqlite)]
            .into_iter()
            .filter_map(|(d, sql)| Some((d, sql?.to_string())))
            .collect();
        Op::Execute(RawSql {
            any: any.map(Into::into),
            variants,
        })
    };
    snapshot(
        "execute",
        &fixture(),
        &[
            (
                "any",
                raw(Some("UPDATE \"user\" SET active = TRUE"), None, None),
            ),
            (
                "per dialect",
                raw(Some("SELECT 1"), Some("SELECT pg_sleep(0)"), None),
            ),
            ("postgres only", raw(None, Some("ANALYZE \"group\""), None)),
            ("no sql", raw(None, None, None)),
        ],
    );
}

#[test]
fn sqlite_autoincrement_needs_single_integer_primary_key() {
    let mut op = Ops::new();
    op.create_table("t")
        .column(col("a", integer()).primary_key().autoincrement())
        .column(col("b", integer()).primary_key());
    op.create_table("u")
        .column(col("a", integer()).autoincrement())
        .column(col("b", integer()).primary_key());
    for t in op.into_vec() {
        let err = render(Dialect::Sqlite, &t, &Schema::new()).unwrap_err();
        assert!(matches!(err, RenderError::AutoIncrement { .. }), "{err}");
        assert!(render(Dialect::Postgres, &t, &Schema::new()).is_ok());
    }
}

#[test]
fn serial_needs_an_integer_type() {
    let mut t = Table::new("t");
    t.columns.push(Column {
        auto_increment: Some(crate::schema::AutoIncrement::Serial),
        ..Column::new("id", ColumnType::Text)
    });
    let err = render(Dialect::Postgres, &Op::CreateTable(t), &Schema::new()).unwrap_err();
    assert!(matches!(err, RenderError::AutoIncrement { .. }), "{err}");
}

#[test]
fn decimal_defaults_must_be_numbers() {
    let op = Op::AddColumn {
        table: "user".into(),
        column: Column {
            default: Some(DefaultValue::Decimal("1; DROP TABLE x".into())),
            ..Column::new(
                "x",
                ColumnType::Numeric {
                    precision: None,
                    scale: None,
                },
            )
        },
    };
    for d in DIALECTS {
        let err = render(d, &op, &fixture()).unwrap_err();
        assert!(
            matches!(err, RenderError::InvalidDefault { .. }),
            "{d}: {err}"
        );
    }
}

#[test]
fn sqlite_enum_column_needs_its_type() {
    let err = render(
        Dialect::Sqlite,
        &Op::CreateTable(table_of(fixture_ops(), "group")),
        &Schema::new(),
    )
    .unwrap_err();
    assert!(
        matches!(&err, RenderError::MissingEnum { name } if name == "status"),
        "{err}"
    );
}

#[test]
fn sqlite_alters_of_missing_things_are_errors() {
    let cases = [
        Op::DropColumn {
            table: "group".into(),
            column: "nope".into(),
        },
        Op::AddUnique {
            table: "nope".into(),
            unique: UniqueConstraint {
                name: "u".into(),
                columns: vec!["a".into()],
            },
        },
        Op::RenameEnumValue {
            enum_name: "status".into(),
            from: "nope".into(),
            to: "x".into(),
        },
    ];
    for op in cases {
        assert!(render(Dialect::Sqlite, &op, &fixture()).is_err(), "{op:?}");
    }
}

#[test]
fn normalize_for_sqlite_drops_what_sqlite_cannot_keep() {
    let mut s = fixture();
    s.insert_enum(EnumType {
        name: "unused".into(),
        values: vec!["x".into()],
    });
    s.sequences.insert(
        "seq".into(),
        Sequence {
            name: "seq".into(),
            start: 1,
            increment: 1,
        },
    );
    s.table_mut("group")
        .unwrap()
        .indexes
        .get_mut("ix_group_name")
        .unwrap()
        .method = Some("hash".into());
    let pg = normalize_for(Dialect::Postgres, &s);
    assert_eq!(pg, s.normalized());
    let lite = normalize_for(Dialect::Sqlite, &s);
    assert_eq!(lite.enums.keys().collect::<Vec<_>>(), vec!["status"]);
    assert!(lite.sequences.is_empty());
    let user_id = lite.table("user").unwrap().column("id").unwrap();
    assert_eq!(user_id.ty, ColumnType::Integer);
    assert_eq!(
        user_id.auto_increment,
        Some(crate::schema::AutoIncrement::Serial)
    );
    assert_eq!(
        lite.table("group").unwrap().indexes["ix_group_name"].method,
        None
    );
}

#[test]
fn normalize_for_postgres_gives_numeric_a_scale() {
    let mut s = fixture();
    s.table_mut("user").unwrap().columns.push(Column::new(
        "n",
        ColumnType::Numeric {
            precision: Some(5),
            scale: None,
        },
    ));
    let pg = normalize_for(Dialect::Postgres, &s);
    assert_eq!(
        pg.table("user").unwrap().column("n").unwrap().ty,
        ColumnType::Numeric {
            precision: Some(5),
            scale: Some(0)
        }
    );
    let lite = normalize_for(Dialect::Sqlite, &s);
    assert_eq!(
        lite.table("user").unwrap().column("n").unwrap().ty,
        ColumnType::Numeric {
            precision: Some(5),
            scale: None
        }
    );
}

#[test]
fn render_all_renders_each_op_against_the_schema_left_by_the_previous_ones() {
    let mut ops = fixture_ops();
    ops.push(Op::AddEnumValue {
        enum_name: "status".into(),
        value: "archived".into(),
        before: None,
        after: None,
    });
    ops.push(Op::BulkInsert {
        table: "group".into(),
        rows: rows(json!([{"name": "g", "status": "archived", "data": [1]}])),
    });
    let mut text = String::new();
    for d in DIALECTS {
        let _ = writeln!(text, "-- [{d}]");
        write_statements(&mut text, render_all(d, &ops, &Schema::new()));
        text.push('\n');
    }
    insta::assert_snapshot!("render_all", text);
}

#[test]
fn render_all_reports_ops_the_simulator_refuses() {
    let ops = vec![Op::DropTable {
        name: "nope".into(),
    }];
    for d in DIALECTS {
        let err = render_all(d, &ops, &Schema::new()).unwrap_err();
        assert!(
            matches!(
                err,
                RenderError::Simulate {
                    op: "drop_table",
                    ..
                }
            ),
            "{d}: {err}"
        );
    }
}

mod generated {
    use super::*;
    use crate::arbitrary::{arb_history, arb_schema};
    use proptest::prelude::*;

    /// Whether a rendering error is a documented refusal: a bulk delete row that
    /// names no column (it would delete every row).
    fn expected(e: &RenderError) -> bool {
        matches!(
            e,
            RenderError::InvalidOp {
                op: "bulk_delete",
                ..
            }
        )
    }

    /// Whether a rendering error is one SQLite is documented to give for a valid
    /// schema: no sequences, autoincrement only on a single INTEGER PRIMARY KEY.
    fn expected_on_sqlite(e: &RenderError) -> bool {
        expected(e)
            || matches!(
                e,
                RenderError::Unsupported { .. } | RenderError::AutoIncrement { .. }
            )
    }

    /// Writes `gen_<n>__<dialect>.sql`: the generated schema, then the history.
    fn write_generated(dir: &str, schema: &Schema, ops: &[Op]) {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for d in DIALECTS {
            let (Some(mut script), Ok(stmts)) =
                (try_schema_sql(d, schema, false), render_all(d, ops, schema))
            else {
                continue;
            };
            script.push_str("-- history\n");
            for s in stmts {
                let _ = writeln!(script, "{};", s.sql);
            }
            if d == Dialect::Sqlite {
                script.push_str("PRAGMA foreign_key_check;\n");
            }
            std::fs::write(format!("{dir}/gen_{n}__{d}.sql"), script).expect("write script");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Every generated schema renders, table by table, and every generated
        /// history of ops renders against it on PostgreSQL; on SQLite only the
        /// documented refusals occur.
        #[test]
        fn generated_schemas_and_histories_render(
            (schema, (ops, _)) in arb_schema()
                .prop_flat_map(|s| (Just(s.clone()), arb_history(&s, 6)))
        ) {
            for table in schema.tables.values() {
                let op = Op::CreateTable(table.clone());
                for d in DIALECTS {
                    let r = render(d, &op, &schema);
                    prop_assert!(r.is_ok(), "{d}: {:?}", r.err());
                }
            }
            if let Ok(dir) = std::env::var("STRATUM_SQL_DIR") {
                write_generated(&dir, &schema, &ops);
            }
            if let Err(e) = render_all(Dialect::Postgres, &ops, &schema) {
                prop_assert!(expected(&e), "{e}");
            }
            if let Err(e) = render_all(Dialect::Sqlite, &ops, &schema) {
                prop_assert!(expected_on_sqlite(&e), "{e}");
            }
        }
    }
}

use super::*;
use crate::ops::ColumnChange;
use crate::ops::{RawSql, Row};
use crate::prelude::*;
use crate::schema::{
    CheckConstraint, Column, ColumnType, ConstraintKind, DefaultValue, EnumType, FkAction,
    ForeignKey, Index, PrimaryKey, Schema, Sequence, Table, UniqueConstraint,
};

/// enum `status`; `parent(id pk, code unique index, name)`; `child(id pk, parent_id
/// fk, qty check, status enum default, note)` with an index on qty.
pub(crate) fn fixture() -> Schema {
    let mut op = Ops::new();
    op.create_enum("status", ["new", "done"]);
    op.create_table("parent")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("code", varchar()).not_null().unique().index())
        .column(col("name", text()));
    op.create_table("child")
        .column(col("id", integer()).primary_key())
        .column(
            col("parent_id", integer())
                .references("parent.id")
                .on_delete(FkAction::Cascade),
        )
        .column(col("qty", integer()))
        .column(col("status", enum_type("status")).default_text("new"))
        .column(col("note", text()))
        .check("child_qty_check", "\"qty\" > 0")
        .index(index("ix_child_qty", ["qty"]));
    let mut s = Schema::new();
    apply_all(&mut s, op.as_slice()).expect("fixture applies");
    s
}

/// The schema that `f`'s ops build from an empty one (for tests elsewhere too).
pub(crate) fn schema_from_ops(f: impl FnOnce(&mut Ops)) -> Schema {
    let mut op = Ops::new();
    f(&mut op);
    let mut s = Schema::new();
    apply_all(&mut s, op.as_slice()).expect("test schema builds");
    s
}

fn ok(op: Op) -> Schema {
    let mut s = fixture();
    apply(&mut s, &op).expect("op applies");
    s
}

fn err(op: Op) -> SimulateError {
    let mut s = fixture();
    let before = s.clone();
    let e = apply(&mut s, &op).expect_err("op must fail");
    assert_eq!(s, before, "a failed op must leave the schema unchanged");
    e
}

fn drop_col(table: &str, column: &str) -> Op {
    Op::DropColumn {
        table: table.into(),
        column: column.into(),
    }
}

fn alter(table: &str, column: &str, change: ColumnChange) -> Op {
    Op::AlterColumn {
        table: table.into(),
        column: column.into(),
        change,
    }
}

fn fk(name: &str, cols: &[&str], ref_table: &str, ref_cols: &[&str]) -> ForeignKey {
    ForeignKey {
        name: name.into(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        ref_table: ref_table.into(),
        ref_columns: ref_cols.iter().map(|c| c.to_string()).collect(),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
    }
}

fn add_fk(table: &str, f: ForeignKey) -> Op {
    Op::AddForeignKey {
        table: table.into(),
        foreign_key: f,
        not_valid: false,
    }
}

fn idx(name: &str, cols: &[&str], unique: bool) -> Index {
    Index {
        name: name.into(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        unique,
        method: None,
        predicate: None,
    }
}

#[test]
fn fixture_is_normalized_and_resolved() {
    let s = fixture();
    assert_eq!(s, s.normalized());
    let child = &s.tables["child"];
    assert_eq!(child.checks["child_qty_check"].expression, "qty > 0");
    assert!(!child.column("id").unwrap().nullable);
    assert_eq!(
        child.foreign_keys["child_parent_id_fkey"].ref_columns,
        ["id"]
    );
}

#[test]
fn apply_all_reports_the_failing_index() {
    let mut s = fixture();
    let ops = [
        Op::Execute(RawSql::default()),
        Op::DropTable {
            name: "nope".into(),
        },
    ];
    match apply_all(&mut s, &ops) {
        Err(SimulateError::AtOp {
            index,
            kind,
            source,
        }) => {
            assert_eq!((index, kind), (1, "drop_table"));
            assert!(matches!(*source, SimulateError::NoSuchTable { .. }));
        }
        other => panic!("unexpected {other:?}"),
    }
}

// ---------------------------------------------------------------- enums

#[test]
fn create_and_drop_enum() {
    let s = ok(Op::CreateEnum(EnumType {
        name: "color".into(),
        values: vec!["red".into()],
    }));
    assert_eq!(s.enums["color"].values, ["red"]);
    let mut s = s;
    apply(
        &mut s,
        &Op::DropEnum {
            name: "color".into(),
        },
    )
    .unwrap();
    assert!(!s.enums.contains_key("color"));
}

#[test]
fn enum_errors() {
    let dup = EnumType {
        name: "status".into(),
        values: vec![],
    };
    assert!(matches!(
        err(Op::CreateEnum(dup)),
        SimulateError::EnumExists { .. }
    ));
    let clash = EnumType {
        name: "parent".into(),
        values: vec![],
    };
    assert!(matches!(
        err(Op::CreateEnum(clash)),
        SimulateError::NameInUse { .. }
    ));
    let twice = EnumType {
        name: "e".into(),
        values: vec!["a".into(), "a".into()],
    };
    assert!(matches!(
        err(Op::CreateEnum(twice)),
        SimulateError::EnumValueExists { .. }
    ));
    assert!(matches!(
        err(Op::DropEnum {
            name: "nope".into()
        }),
        SimulateError::NoSuchEnum { .. }
    ));
    match err(Op::DropEnum {
        name: "status".into(),
    }) {
        SimulateError::EnumInUse { table, column, .. } => {
            assert_eq!((table.as_str(), column.as_str()), ("child", "status"))
        }
        other => panic!("unexpected {other:?}"),
    }
}

fn add_value(value: &str, before: Option<&str>, after: Option<&str>) -> Op {
    Op::AddEnumValue {
        enum_name: "status".into(),
        value: value.into(),
        before: before.map(Into::into),
        after: after.map(Into::into),
    }
}

#[test]
fn add_enum_value_positions() {
    assert_eq!(
        ok(add_value("x", None, None)).enums["status"].values,
        ["new", "done", "x"]
    );
    assert_eq!(
        ok(add_value("x", Some("new"), None)).enums["status"].values,
        ["x", "new", "done"]
    );
    assert_eq!(
        ok(add_value("x", None, Some("new"))).enums["status"].values,
        ["new", "x", "done"]
    );
}

#[test]
fn add_enum_value_errors() {
    assert!(matches!(
        err(add_value("new", None, None)),
        SimulateError::EnumValueExists { .. }
    ));
    assert!(matches!(
        err(add_value("x", Some("zz"), None)),
        SimulateError::NoSuchEnumValue { .. }
    ));
    assert!(matches!(
        err(add_value("x", Some("new"), Some("done"))),
        SimulateError::EnumValuePosition { .. }
    ));
    let mut op = add_value("x", None, None);
    if let Op::AddEnumValue { enum_name, .. } = &mut op {
        *enum_name = "nope".into();
    }
    assert!(matches!(err(op), SimulateError::NoSuchEnum { .. }));
}

fn rename_value(from: &str, to: &str) -> Op {
    Op::RenameEnumValue {
        enum_name: "status".into(),
        from: from.into(),
        to: to.into(),
    }
}

#[test]
fn rename_enum_value_renames_defaults() {
    let s = ok(rename_value("new", "fresh"));
    assert_eq!(s.enums["status"].values, ["fresh", "done"]);
    assert_eq!(
        s.tables["child"].column("status").unwrap().default,
        Some(DefaultValue::Text("fresh".into()))
    );
    assert!(matches!(
        err(rename_value("zz", "y")),
        SimulateError::NoSuchEnumValue { .. }
    ));
    assert!(matches!(
        err(rename_value("new", "done")),
        SimulateError::EnumValueExists { .. }
    ));
}

// ---------------------------------------------------------------- tables

#[test]
fn create_table_validates() {
    let t = |f: &dyn Fn(&mut Table)| {
        let mut t = Table::new("t");
        t.columns.push(Column::new("a", ColumnType::Integer));
        f(&mut t);
        Op::CreateTable(t)
    };
    assert!(matches!(
        err(t(&|t| t.name = "child".into())),
        SimulateError::TableExists { .. }
    ));
    assert!(matches!(
        err(t(&|t| t.name = "ix_child_qty".into())),
        SimulateError::NameInUse { .. }
    ));
    assert!(matches!(
        err(t(&|t| t.columns.push(Column::new("a", ColumnType::Text)))),
        SimulateError::ColumnExists { .. }
    ));
    assert!(matches!(
        err(t(&|t| t
            .columns
            .push(Column::new("e", ColumnType::Enum("nope".into()))))),
        SimulateError::UnknownType { .. }
    ));
    assert!(matches!(
        err(t(&|t| {
            let mut c = Column::new("e", ColumnType::Enum("status".into()));
            c.default = Some(DefaultValue::Text("bogus".into()));
            t.columns.push(c);
        })),
        SimulateError::InvalidDefault { .. }
    ));
    assert!(matches!(
        err(t(&|t| {
            t.foreign_keys
                .insert("f".into(), fk("f", &["a"], "nope", &["id"]));
        })),
        SimulateError::ForeignKeyTarget { .. }
    ));
    assert!(matches!(
        err(t(&|t| {
            t.foreign_keys
                .insert("f".into(), fk("f", &["a"], "parent", &["name"]));
        })),
        SimulateError::ForeignKeyNotUnique { .. }
    ));
    assert!(matches!(
        err(t(&|t| {
            t.indexes
                .insert("ix_child_qty".into(), idx("ix_child_qty", &["a"], false));
        })),
        SimulateError::NameInUse { .. }
    ));
    assert!(matches!(
        err(t(&|t| {
            t.indexes.insert("i".into(), idx("i", &["zz"], false));
        })),
        SimulateError::NoSuchColumn { .. }
    ));
    assert!(matches!(
        err(t(&|t| {
            t.checks.insert(
                "f".into(),
                CheckConstraint {
                    name: "f".into(),
                    expression: "a > 0".into(),
                },
            );
            t.foreign_keys
                .insert("f".into(), fk("f", &["a"], "parent", &["id"]));
        })),
        SimulateError::ConstraintExists { .. }
    ));
}

#[test]
fn create_table_with_self_reference_and_implicit_pk_reference() {
    let mut t = Table::new("node");
    t.columns.push(Column::new("id", ColumnType::Integer));
    t.columns.push(Column::new("up", ColumnType::Integer));
    t.columns.push(Column::new("p", ColumnType::Integer));
    t.primary_key = Some(PrimaryKey {
        name: "node_pkey".into(),
        columns: vec!["id".into()],
    });
    t.foreign_keys.insert(
        "node_up_fkey".into(),
        fk("node_up_fkey", &["up"], "node", &["id"]),
    );
    t.foreign_keys.insert(
        "node_p_fkey".into(),
        fk("node_p_fkey", &["p"], "parent", &[]),
    );
    let s = ok(Op::CreateTable(t));
    assert_eq!(
        s.tables["node"].foreign_keys["node_p_fkey"].ref_columns,
        ["id"]
    );
    let mut t = Table::new("x");
    t.columns.push(Column::new("p", ColumnType::Integer));
    t.foreign_keys
        .insert("f".into(), fk("f", &["p"], "child", &["id", "qty"]));
    assert!(matches!(
        err(Op::CreateTable(t.clone())),
        SimulateError::ForeignKeyArity { .. }
    ));
    let mut s = fixture();
    apply(
        &mut s,
        &Op::DropConstraint {
            table: "parent".into(),
            name: "parent_pkey".into(),
            kind: None,
        },
    )
    .unwrap_err();
    t.foreign_keys.insert("f".into(), fk("f", &["p"], "x", &[]));
    assert!(matches!(
        err(Op::CreateTable(t)),
        SimulateError::NoPrimaryKey { .. }
    ));
}

#[test]
fn drop_table_and_its_errors() {
    let s = ok(Op::DropTable {
        name: "child".into(),
    });
    assert!(!s.tables.contains_key("child"));
    assert!(matches!(
        err(Op::DropTable {
            name: "nope".into()
        }),
        SimulateError::NoSuchTable { .. }
    ));
    match err(Op::DropTable {
        name: "parent".into(),
    }) {
        SimulateError::TableReferenced {
            by_table, by_fk, ..
        } => {
            assert_eq!(
                (by_table.as_str(), by_fk.as_str()),
                ("child", "child_parent_id_fkey")
            )
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn rename_table_updates_references() {
    let s = ok(Op::RenameTable {
        from: "parent".into(),
        to: "mother".into(),
    });
    assert!(s.tables.contains_key("mother") && !s.tables.contains_key("parent"));
    assert_eq!(s.tables["mother"].name, "mother");
    assert_eq!(
        s.tables["child"].foreign_keys["child_parent_id_fkey"].ref_table,
        "mother"
    );
    assert!(matches!(
        err(Op::RenameTable {
            from: "parent".into(),
            to: "child".into()
        }),
        SimulateError::TableExists { .. }
    ));
    assert!(matches!(
        err(Op::RenameTable {
            from: "nope".into(),
            to: "x".into()
        }),
        SimulateError::NoSuchTable { .. }
    ));
    assert!(matches!(
        err(Op::RenameTable {
            from: "parent".into(),
            to: "status".into()
        }),
        SimulateError::NameInUse { .. }
    ));
}

// ---------------------------------------------------------------- columns

#[test]
fn add_column_appends_and_validates() {
    let mut c = Column::new("extra", ColumnType::Boolean);
    c.default = Some(DefaultValue::Bool(true));
    let s = ok(Op::AddColumn {
        table: "child".into(),
        column: c.clone(),
    });
    assert_eq!(s.tables["child"].columns.last(), Some(&c));
    let add = |c: Column| Op::AddColumn {
        table: "child".into(),
        column: c,
    };
    assert!(matches!(
        err(add(Column::new("qty", ColumnType::Text))),
        SimulateError::ColumnExists { .. }
    ));
    assert!(matches!(
        err(Op::AddColumn {
            table: "nope".into(),
            column: c
        }),
        SimulateError::NoSuchTable { .. }
    ));
    assert!(matches!(
        err(add(Column::new("e", ColumnType::Enum("nope".into())))),
        SimulateError::UnknownType { .. }
    ));
    let mut bad = Column::new("b", ColumnType::Boolean);
    bad.default = Some(DefaultValue::Int(1));
    assert!(matches!(
        err(add(bad)),
        SimulateError::InvalidDefault { .. }
    ));
}

#[test]
fn drop_column_removes_what_depends_on_it() {
    let s = ok(drop_col("child", "qty"));
    let child = &s.tables["child"];
    assert!(child.column("qty").is_none());
    assert!(child.checks.is_empty() && child.indexes.is_empty());
    let s = ok(drop_col("child", "parent_id"));
    assert!(s.tables["child"].foreign_keys.is_empty());
    let s = ok(drop_col("child", "id"));
    assert!(s.tables["child"].primary_key.is_none());
}

#[test]
fn drop_column_removes_partial_indexes_mentioning_it() {
    let mut s = fixture();
    let mut i = idx("ix_note", &["id"], false);
    i.predicate = Some("note IS NOT NULL".into());
    apply(
        &mut s,
        &Op::CreateIndex {
            table: "child".into(),
            index: i,
            concurrently: false,
        },
    )
    .unwrap();
    apply(&mut s, &drop_col("child", "note")).unwrap();
    assert!(!s.tables["child"].indexes.contains_key("ix_note"));
}

#[test]
fn drop_column_errors() {
    assert!(matches!(
        err(drop_col("child", "zz")),
        SimulateError::NoSuchColumn { .. }
    ));
    assert!(matches!(
        err(drop_col("nope", "a")),
        SimulateError::NoSuchTable { .. }
    ));
    match err(drop_col("parent", "id")) {
        SimulateError::ColumnReferenced { by_table, .. } => assert_eq!(by_table, "child"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn drop_column_of_a_self_reference_goes_with_its_fk() {
    let mut s = fixture();
    apply(
        &mut s,
        &Op::AddColumn {
            table: "parent".into(),
            column: Column::new("up", ColumnType::Integer),
        },
    )
    .unwrap();
    apply(
        &mut s,
        &add_fk("parent", fk("parent_up_fkey", &["up"], "parent", &["id"])),
    )
    .unwrap();
    apply(&mut s, &drop_col("parent", "up")).unwrap();
    assert!(s.tables["parent"].foreign_keys.is_empty());
}

#[test]
fn alter_column_changes_type_null_default() {
    let s = ok(alter(
        "child",
        "qty",
        ColumnChange {
            ty: Some(ColumnType::BigInt),
            nullable: Some(false),
            default: Some(Some(DefaultValue::Int(1))),
            ..Default::default()
        },
    ));
    let c = s.tables["child"].column("qty").unwrap();
    assert_eq!(
        (c.ty.clone(), c.nullable, c.default.clone()),
        (ColumnType::BigInt, false, Some(DefaultValue::Int(1)))
    );
    let s = ok(alter(
        "child",
        "status",
        ColumnChange {
            default: Some(None),
            ..Default::default()
        },
    ));
    assert_eq!(s.tables["child"].column("status").unwrap().default, None);
}

#[test]
fn alter_column_rename_follows_everywhere() {
    let s = ok(alter(
        "child",
        "qty",
        ColumnChange {
            rename: Some("amount".into()),
            ..Default::default()
        },
    ));
    let child = &s.tables["child"];
    assert_eq!(child.indexes["ix_child_qty"].columns, ["amount"]);
    assert_eq!(child.checks["child_qty_check"].expression, "amount > 0");
    let s = ok(alter(
        "parent",
        "id",
        ColumnChange {
            rename: Some("pid".into()),
            ..Default::default()
        },
    ));
    assert_eq!(
        s.tables["parent"].primary_key.as_ref().unwrap().columns,
        ["pid"]
    );
    assert_eq!(
        s.tables["child"].foreign_keys["child_parent_id_fkey"].ref_columns,
        ["pid"]
    );
    let s = ok(alter(
        "child",
        "parent_id",
        ColumnChange {
            rename: Some("mother".into()),
            ..Default::default()
        },
    ));
    assert_eq!(
        s.tables["child"].foreign_keys["child_parent_id_fkey"].columns,
        ["mother"]
    );
}

#[test]
fn alter_column_errors() {
    let rename = |to: &str| ColumnChange {
        rename: Some(to.into()),
        ..Default::default()
    };
    assert!(matches!(
        err(alter("child", "qty", rename("note"))),
        SimulateError::ColumnExists { .. }
    ));
    assert!(matches!(
        err(alter("child", "zz", rename("a"))),
        SimulateError::NoSuchColumn { .. }
    ));
    assert!(matches!(
        err(alter(
            "child",
            "id",
            ColumnChange {
                nullable: Some(true),
                ..Default::default()
            }
        )),
        SimulateError::ColumnInPrimaryKey { .. }
    ));
    assert!(matches!(
        err(alter(
            "child",
            "qty",
            ColumnChange {
                ty: Some(ColumnType::Enum("nope".into())),
                ..Default::default()
            }
        )),
        SimulateError::UnknownType { .. }
    ));
    assert!(matches!(
        err(alter(
            "child",
            "status",
            ColumnChange {
                default: Some(Some(DefaultValue::Text("zz".into()))),
                ..Default::default()
            }
        )),
        SimulateError::InvalidDefault { .. }
    ));
}

// ---------------------------------------------------------------- indexes

#[test]
fn create_and_drop_index() {
    let s = ok(Op::CreateIndex {
        table: "child".into(),
        index: Index {
            method: Some("BTREE".into()),
            ..idx("ix_note", &["note"], false)
        },
        concurrently: true,
    });
    assert_eq!(
        s.tables["child"].indexes["ix_note"].method, None,
        "normalized"
    );
    let mut s = s;
    apply(
        &mut s,
        &Op::DropIndex {
            table: None,
            name: "ix_note".into(),
            concurrently: false,
        },
    )
    .unwrap();
    assert!(!s.tables["child"].indexes.contains_key("ix_note"));
    let s = ok(Op::DropIndex {
        table: Some("child".into()),
        name: "ix_child_qty".into(),
        concurrently: false,
    });
    assert!(s.tables["child"].indexes.is_empty());
}

#[test]
fn index_errors() {
    let create = |table: &str, i: Index| Op::CreateIndex {
        table: table.into(),
        index: i,
        concurrently: false,
    };
    assert!(matches!(
        err(create("parent", idx("ix_child_qty", &["id"], false))),
        SimulateError::IndexExists { .. }
    ));
    assert!(matches!(
        err(create("parent", idx("child", &["id"], false))),
        SimulateError::NameInUse { .. }
    ));
    assert!(matches!(
        err(create("parent", idx("parent_pkey", &["id"], false))),
        SimulateError::NameInUse { .. }
    ));
    assert!(matches!(
        err(create("parent", idx("i", &["zz"], false))),
        SimulateError::NoSuchColumn { .. }
    ));
    assert!(matches!(
        err(create("parent", idx("i", &[], false))),
        SimulateError::NoColumns { .. }
    ));
    assert!(matches!(
        err(create("nope", idx("i", &["a"], false))),
        SimulateError::NoSuchTable { .. }
    ));
    let drop = |table: Option<&str>, name: &str| Op::DropIndex {
        table: table.map(Into::into),
        name: name.into(),
        concurrently: false,
    };
    assert!(matches!(
        err(drop(None, "nope")),
        SimulateError::NoSuchIndex { .. }
    ));
    assert!(matches!(
        err(drop(Some("parent"), "ix_child_qty")),
        SimulateError::NoSuchIndex { .. }
    ));
}

#[test]
fn unique_index_backing_a_foreign_key_cannot_be_dropped() {
    let mut s = fixture();
    apply(
        &mut s,
        &Op::AddColumn {
            table: "child".into(),
            column: Column::new("pcode", ColumnType::Varchar(None)),
        },
    )
    .unwrap();
    apply(
        &mut s,
        &add_fk(
            "child",
            fk("child_pcode_fkey", &["pcode"], "parent", &["code"]),
        ),
    )
    .unwrap();
    let e = apply(
        &mut s,
        &Op::DropIndex {
            table: None,
            name: "ix_parent_code".into(),
            concurrently: false,
        },
    )
    .unwrap_err();
    assert!(matches!(e, SimulateError::KeyReferenced { .. }));
    // A second key on the same columns does not help: which of the two the foreign
    // key is tied to is not known, so neither can go while it exists.
    let u = UniqueConstraint {
        name: "parent_code_key".into(),
        columns: vec!["code".into()],
    };
    apply(
        &mut s,
        &Op::AddUnique {
            table: "parent".into(),
            unique: u,
        },
    )
    .unwrap();
    let drop_index = Op::DropIndex {
        table: None,
        name: "ix_parent_code".into(),
        concurrently: false,
    };
    assert!(matches!(
        apply(&mut s, &drop_index),
        Err(SimulateError::KeyReferenced { .. })
    ));
    let drop = Op::DropConstraint {
        table: "parent".into(),
        name: "parent_code_key".into(),
        kind: None,
    };
    assert!(matches!(
        apply(&mut s, &drop),
        Err(SimulateError::KeyReferenced { .. })
    ));
    // Without the foreign key both go.
    let drop_fk = Op::DropConstraint {
        table: "child".into(),
        name: "child_pcode_fkey".into(),
        kind: None,
    };
    apply_all(&mut s, &[drop_fk, drop]).unwrap();
}

// ---------------------------------------------------------------- constraints

#[test]
fn add_foreign_key_and_errors() {
    let s = ok(add_fk(
        "child",
        fk("child_note_fk", &["note"], "parent", &["code"]),
    ));
    assert!(s.tables["child"].foreign_keys.contains_key("child_note_fk"));
    assert!(matches!(
        err(add_fk(
            "child",
            fk("child_qty_check", &["qty"], "parent", &["id"])
        )),
        SimulateError::ConstraintExists { .. }
    ));
    assert!(matches!(
        err(add_fk("child", fk("f", &["qty"], "nope", &["id"]))),
        SimulateError::ForeignKeyTarget { .. }
    ));
    assert!(matches!(
        err(add_fk("child", fk("f", &["qty"], "parent", &["zz"]))),
        SimulateError::NoSuchColumn { .. }
    ));
    assert!(matches!(
        err(add_fk("child", fk("f", &["zz"], "parent", &["id"]))),
        SimulateError::NoSuchColumn { .. }
    ));
    assert!(matches!(
        err(add_fk("child", fk("f", &["qty"], "parent", &["name"]))),
        SimulateError::ForeignKeyNotUnique { .. }
    ));
    assert!(matches!(
        err(add_fk("child", fk("f", &["qty", "id"], "parent", &["id"]))),
        SimulateError::ForeignKeyArity { .. }
    ));
    assert!(matches!(
        err(add_fk("nope", fk("f", &["qty"], "parent", &["id"]))),
        SimulateError::NoSuchTable { .. }
    ));
}

#[test]
fn foreign_key_types_must_be_comparable() {
    // note (text) -> parent.id (integer)
    assert!(matches!(
        err(add_fk("child", fk("f", &["note"], "parent", &["id"]))),
        SimulateError::ForeignKeyTypes { .. }
    ));
    let mut s = fixture();
    let big = Column::new("big", ColumnType::BigInt);
    apply(
        &mut s,
        &Op::AddColumn {
            table: "child".into(),
            column: big,
        },
    )
    .unwrap();
    apply(
        &mut s,
        &add_fk("child", fk("f", &["big"], "parent", &["id"])),
    )
    .unwrap();
}

#[test]
fn add_unique_check_primary_key() {
    let u = UniqueConstraint {
        name: "child_note_key".into(),
        columns: vec!["note".into()],
    };
    let s = ok(Op::AddUnique {
        table: "child".into(),
        unique: u.clone(),
    });
    assert_eq!(s.tables["child"].uniques["child_note_key"], u);
    let c = CheckConstraint {
        name: "ck".into(),
        expression: "((note <> ''))".into(),
    };
    let s = ok(Op::AddCheck {
        table: "child".into(),
        check: c,
        not_valid: true,
    });
    assert_eq!(s.tables["child"].checks["ck"].expression, "note <> ''");
    let mut s = fixture();
    apply(
        &mut s,
        &Op::DropTable {
            name: "child".into(),
        },
    )
    .unwrap();
    apply(
        &mut s,
        &Op::DropConstraint {
            table: "parent".into(),
            name: "parent_pkey".into(),
            kind: Some(ConstraintKind::PrimaryKey),
        },
    )
    .unwrap();
    apply(
        &mut s,
        &Op::AddPrimaryKey {
            table: "parent".into(),
            primary_key: PrimaryKey {
                name: "pk2".into(),
                columns: vec!["name".into()],
            },
        },
    )
    .unwrap();
    assert!(
        !s.tables["parent"].column("name").unwrap().nullable,
        "pk columns become NOT NULL"
    );
}

#[test]
fn constraint_errors() {
    let u = |name: &str, cols: &[&str]| Op::AddUnique {
        table: "child".into(),
        unique: UniqueConstraint {
            name: name.into(),
            columns: cols.iter().map(|c| c.to_string()).collect(),
        },
    };
    assert!(matches!(
        err(u("child_qty_check", &["qty"])),
        SimulateError::ConstraintExists { .. }
    ));
    assert!(matches!(
        err(u("ix_child_qty", &["qty"])),
        SimulateError::NameInUse { .. }
    ));
    assert!(matches!(
        err(u("x", &["zz"])),
        SimulateError::NoSuchColumn { .. }
    ));
    let c = CheckConstraint {
        name: "child_pkey".into(),
        expression: "true".into(),
    };
    assert!(matches!(
        err(Op::AddCheck {
            table: "child".into(),
            check: c,
            not_valid: false
        }),
        SimulateError::ConstraintExists { .. }
    ));
    let pk = PrimaryKey {
        name: "pk".into(),
        columns: vec!["qty".into()],
    };
    assert!(matches!(
        err(Op::AddPrimaryKey {
            table: "child".into(),
            primary_key: pk
        }),
        SimulateError::PrimaryKeyExists { .. }
    ));
}

#[test]
fn drop_and_validate_constraint() {
    let drop = |name: &str, kind| Op::DropConstraint {
        table: "child".into(),
        name: name.into(),
        kind,
    };
    assert!(
        ok(drop("child_qty_check", None)).tables["child"]
            .checks
            .is_empty()
    );
    assert!(
        ok(drop(
            "child_parent_id_fkey",
            Some(ConstraintKind::ForeignKey)
        ))
        .tables["child"]
            .foreign_keys
            .is_empty()
    );
    assert!(
        ok(drop("child_pkey", None)).tables["child"]
            .primary_key
            .is_none()
    );
    assert!(matches!(
        err(drop("nope", None)),
        SimulateError::NoSuchConstraint { .. }
    ));
    assert!(matches!(
        err(drop("child_qty_check", Some(ConstraintKind::Unique))),
        SimulateError::ConstraintKindMismatch { .. }
    ));
    assert!(matches!(
        err(Op::DropConstraint {
            table: "parent".into(),
            name: "parent_pkey".into(),
            kind: None
        }),
        SimulateError::KeyReferenced { .. }
    ));
    assert_eq!(
        ok(Op::ValidateConstraint {
            table: "child".into(),
            name: "child_qty_check".into()
        }),
        fixture()
    );
    assert!(matches!(
        err(Op::ValidateConstraint {
            table: "child".into(),
            name: "nope".into()
        }),
        SimulateError::NoSuchConstraint { .. }
    ));
    assert!(matches!(
        err(Op::ValidateConstraint {
            table: "child".into(),
            name: "child_pkey".into()
        }),
        SimulateError::NotValidatable { .. }
    ));
}

// ---------------------------------------------------------------- sequences and data

#[test]
fn sequences() {
    let seq = Sequence {
        name: "s".into(),
        start: 1,
        increment: 1,
    };
    let s = ok(Op::CreateSequence(seq.clone()));
    assert_eq!(s.sequences["s"], seq);
    let mut s = s;
    assert!(matches!(
        apply(&mut s, &Op::CreateSequence(seq.clone())),
        Err(SimulateError::SequenceExists { .. })
    ));
    apply(&mut s, &Op::DropSequence { name: "s".into() }).unwrap();
    assert!(s.sequences.is_empty());
    assert!(matches!(
        err(Op::DropSequence { name: "s".into() }),
        SimulateError::NoSuchSequence { .. }
    ));
    assert!(matches!(
        err(Op::CreateSequence(Sequence {
            name: "parent".into(),
            ..seq.clone()
        })),
        SimulateError::NameInUse { .. }
    ));
    assert!(matches!(
        err(Op::CreateSequence(Sequence {
            increment: 0,
            ..seq
        })),
        SimulateError::ZeroIncrement { .. }
    ));
}

#[test]
fn data_ops_change_no_schema() {
    let row: Row = [("qty".to_string(), serde_json::json!(3))]
        .into_iter()
        .collect();
    assert_eq!(
        ok(Op::BulkInsert {
            table: "child".into(),
            rows: vec![row.clone()].into()
        }),
        fixture()
    );
    assert_eq!(
        ok(Op::BulkDelete {
            table: "child".into(),
            rows: vec![row.clone()].into()
        }),
        fixture()
    );
    assert_eq!(
        ok(Op::Execute(RawSql {
            any: Some("DROP TABLE child".into()),
            ..Default::default()
        })),
        fixture()
    );
    assert!(matches!(
        err(Op::BulkInsert {
            table: "nope".into(),
            rows: Default::default()
        }),
        SimulateError::NoSuchTable { .. }
    ));
    let bad: Row = [("zz".to_string(), serde_json::json!(3))]
        .into_iter()
        .collect();
    assert!(matches!(
        err(Op::BulkDelete {
            table: "child".into(),
            rows: vec![bad].into()
        }),
        SimulateError::NoSuchColumn { .. }
    ));
}

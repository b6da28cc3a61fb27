use super::*;
use crate::prelude::*;
use crate::schema::{FkAction, Index, Sequence, UniqueConstraint};
use crate::simulate::apply_all;
use crate::simulate::tests::{fixture, schema_from_ops};

/// Applies `diff(from, to)` to `from` and checks it gives `to`; returns the ops.
fn check(from: &Schema, to: &Schema) -> Vec<Op> {
    let ops = diff(from, to);
    let mut s = from.clone();
    apply_all(&mut s, &ops).unwrap_or_else(|e| panic!("diff ops must apply: {e}\n{ops:#?}"));
    assert_eq!(
        s.column_order_insensitive(),
        to.column_order_insensitive(),
        "{ops:#?}"
    );
    assert!(diff(&s, to).is_empty(), "nothing left to do after {ops:#?}");
    ops
}

fn kinds(ops: &[Op]) -> Vec<&'static str> {
    ops.iter().map(Op::kind_name).collect()
}

/// Two tables referencing each other, and an enum.
fn cyclic() -> Schema {
    let mut s = schema_from_ops(|op| {
        op.create_enum("mood", ["calm", "busy"]);
        op.create_table("a")
            .column(col("id", integer()).primary_key())
            .column(col("b_id", integer()))
            .column(col("mood", enum_type("mood")).default_text("calm"));
        op.create_table("b")
            .column(col("id", integer()).primary_key())
            .column(col("a_id", integer()).references("a.id"));
        op.create_foreign_key("a_b_id_fkey", "a", "b", ["b_id"], ["id"]);
    });
    s.normalize();
    s
}

#[test]
fn create_all_orders_types_tables_and_cyclic_foreign_keys() {
    let s = cyclic();
    let ops = check(&Schema::new(), &s);
    assert_eq!(
        kinds(&ops),
        [
            "create_enum",
            "create_table",
            "create_table",
            "add_foreign_key"
        ]
    );
    assert_eq!(create_all(&s), ops);
}

#[test]
fn create_all_keeps_reference_to_unique_index_inline_after_its_table() {
    // Like agentsession.session_id: only a unique index backs the referenced column.
    let s = schema_from_ops(|op| {
        op.create_table("session")
            .column(col("id", integer()).primary_key().autoincrement())
            .column(col("session_id", varchar()).not_null().unique().index());
        op.create_table("instruction")
            .column(col("id", integer()).primary_key())
            .column(col("session_id", varchar()).references("session.session_id"));
    });
    let ops = check(&Schema::new(), &s);
    assert_eq!(kinds(&ops), ["create_table", "create_table"]);
}

#[test]
fn self_reference_to_a_unique_index_is_added_after_the_table() {
    let s = schema_from_ops(|op| {
        op.create_table("node")
            .column(col("code", text()).not_null())
            .column(col("up", text()))
            .index(index("ix_node_code", ["code"]).unique());
        op.create_foreign_key("node_up_fkey", "node", "node", ["up"], ["code"]);
    });
    assert_eq!(
        kinds(&check(&Schema::new(), &s)),
        ["create_table", "add_foreign_key"]
    );
}

#[test]
fn same_schema_gives_nothing() {
    assert!(diff(&fixture(), &fixture()).is_empty());
    assert!(diff(&cyclic(), &cyclic()).is_empty());
}

#[test]
fn drops_everything_in_dependency_order() {
    let ops = check(&cyclic(), &Schema::new());
    assert_eq!(
        kinds(&ops),
        ["drop_constraint", "drop_table", "drop_table", "drop_enum"]
    );
    let ops = check(&fixture(), &Schema::new());
    assert_eq!(
        ops[0],
        Op::DropTable {
            name: "child".into()
        }
    );
}

#[test]
fn new_enum_label_goes_to_its_position() {
    let mut to = fixture();
    to.enums.get_mut("status").unwrap().values =
        vec!["new".into(), "mid".into(), "done".into(), "last".into()];
    let ops = check(&fixture(), &to);
    assert_eq!(
        ops[0],
        Op::AddEnumValue {
            enum_name: "status".into(),
            value: "mid".into(),
            before: None,
            after: Some("new".into())
        }
    );
    assert_eq!(ops.len(), 2);
    assert!(recreated_enums(&fixture(), &to).is_empty());
    let mut first = fixture();
    first
        .enums
        .get_mut("status")
        .unwrap()
        .values
        .insert(0, "zero".into());
    let ops = check(&fixture(), &first);
    assert_eq!(
        ops,
        [Op::AddEnumValue {
            enum_name: "status".into(),
            value: "zero".into(),
            before: Some("new".into()),
            after: None
        }]
    );
}

#[test]
fn removed_enum_label_recreates_the_type_around_its_columns() {
    let mut to = fixture();
    to.enums.get_mut("status").unwrap().values = vec!["new".into()];
    let ops = check(&fixture(), &to);
    assert_eq!(
        kinds(&ops),
        ["alter_column", "drop_enum", "create_enum", "alter_column"]
    );
    assert_eq!(recreated_enums(&fixture(), &to), ["status"]);
}

#[test]
fn changed_index_is_dropped_and_created() {
    let mut to = fixture();
    let i = to
        .tables
        .get_mut("child")
        .unwrap()
        .indexes
        .get_mut("ix_child_qty")
        .unwrap();
    i.columns.push("note".into());
    let ops = check(&fixture(), &to);
    assert_eq!(kinds(&ops), ["drop_index", "create_index"]);
}

#[test]
fn changed_key_takes_its_foreign_keys_along_and_back() {
    let mut to = fixture();
    to.tables
        .get_mut("parent")
        .unwrap()
        .primary_key
        .as_mut()
        .unwrap()
        .name = "parent_pk".into();
    let ops = check(&fixture(), &to);
    assert_eq!(
        kinds(&ops),
        [
            "drop_constraint",
            "drop_constraint",
            "add_primary_key",
            "add_foreign_key"
        ]
    );
}

#[test]
fn column_changes() {
    let mut to = fixture();
    let child = to.tables.get_mut("child").unwrap();
    child.columns.retain(|c| c.name != "note");
    let qty = child.column_mut("qty").unwrap();
    qty.ty = ColumnType::BigInt;
    qty.nullable = false;
    qty.default = Some(DefaultValue::Int(1));
    let mut extra = Column::new("extra", ColumnType::Boolean);
    extra.default = Some(DefaultValue::Bool(false));
    child.columns.push(extra);
    let ops = check(&fixture(), &to);
    assert_eq!(kinds(&ops), ["drop_column", "add_column", "alter_column"]);
}

#[test]
fn autoincrement_change_drops_and_adds_the_column() {
    let from = schema_from_ops(|op| {
        op.create_table("t")
            .column(col("id", integer()).primary_key())
            .column(col("x", text()));
    });
    let mut to = from.clone();
    to.tables
        .get_mut("t")
        .unwrap()
        .column_mut("id")
        .unwrap()
        .auto_increment = Some(crate::schema::AutoIncrement::Serial);
    let ops = check(&from, &to);
    assert_eq!(
        kinds(&ops),
        ["drop_column", "add_column", "add_primary_key"]
    );
}

#[test]
fn replacing_every_column_never_empties_the_table() {
    let from = schema_from_ops(|op| {
        op.create_table("t").column(col("a", text()));
    });
    let to = schema_from_ops(|op| {
        op.create_table("t").column(col("b", integer()));
    });
    assert_eq!(kinds(&check(&from, &to)), ["add_column", "drop_column"]);
}

#[test]
fn new_table_referencing_a_new_unique_key_of_an_old_table() {
    let from = fixture();
    let mut to = fixture();
    to.tables.get_mut("child").unwrap().uniques.insert(
        "child_note_key".into(),
        UniqueConstraint {
            name: "child_note_key".into(),
            columns: vec!["note".into()],
        },
    );
    let mut t = Table::new("grandchild");
    t.columns.push(Column::new("note", ColumnType::Text));
    t.foreign_keys.insert(
        "g_fk".into(),
        ForeignKey {
            name: "g_fk".into(),
            columns: vec!["note".into()],
            ref_table: "child".into(),
            ref_columns: vec!["note".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
        },
    );
    t.indexes.insert(
        "ix_g".into(),
        Index {
            name: "ix_g".into(),
            columns: vec!["note".into()],
            unique: false,
            method: None,
            predicate: None,
        },
    );
    to.insert_table(t);
    assert_eq!(kinds(&check(&from, &to)), ["add_unique", "create_table"]);
}

#[test]
fn sequences_are_created_changed_and_dropped() {
    let mut from = fixture();
    from.sequences.insert(
        "s1".into(),
        Sequence {
            name: "s1".into(),
            start: 1,
            increment: 1,
        },
    );
    from.sequences.insert(
        "s2".into(),
        Sequence {
            name: "s2".into(),
            start: 1,
            increment: 1,
        },
    );
    let mut to = fixture();
    to.sequences.insert(
        "s2".into(),
        Sequence {
            name: "s2".into(),
            start: 5,
            increment: 1,
        },
    );
    to.sequences.insert(
        "s3".into(),
        Sequence {
            name: "s3".into(),
            start: 1,
            increment: 1,
        },
    );
    assert_eq!(
        kinds(&check(&from, &to)),
        [
            "drop_sequence",
            "drop_sequence",
            "create_sequence",
            "create_sequence"
        ]
    );
}

#[test]
fn freed_names_can_be_taken_by_other_kinds() {
    let from = schema_from_ops(|op| {
        op.create_enum("foo", ["a"]);
        op.create_sequence("bar", 1, 1);
        op.create_table("baz").column(col("x", integer()));
    });
    let to = schema_from_ops(|op| {
        op.create_table("foo").column(col("x", integer()));
        op.create_enum("bar", ["b"]);
        op.create_sequence("baz", 1, 1);
    });
    check(&from, &to);
}

#[test]
fn rename_hints_pair_same_typed_columns() {
    let mut to = fixture();
    let child = to.tables.get_mut("child").unwrap();
    child.column_mut("note").unwrap().name = "remark".into();
    child.columns.push(Column::new("flag", ColumnType::Boolean));
    assert_eq!(
        rename_hints(&fixture(), &to),
        [RenameHint {
            table: "child".into(),
            from: "note".into(),
            to: "remark".into()
        }]
    );
}

mod properties {
    use super::*;
    use crate::arbitrary::{arb_history, arb_schema};
    use proptest::prelude::*;

    fn same(a: &Schema, b: &Schema) -> bool {
        a.column_order_insensitive() == b.column_order_insensitive()
    }

    fn run(from: &Schema, to: &Schema) -> Result<(), TestCaseError> {
        let ops = diff(from, to);
        let mut s = from.clone();
        apply_all(&mut s, &ops).map_err(|e| TestCaseError::fail(format!("{e}\n{ops:#?}")))?;
        prop_assert!(
            same(&s, to),
            "diff ops {:#?}\ngave {:#?}\nwanted {:#?}",
            ops,
            s,
            to
        );
        prop_assert!(diff(&s, to).is_empty());
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// `apply_all(empty, create_all(S)) == S`, column order included.
        #[test]
        fn create_all_builds_the_schema(s in arb_schema()) {
            let mut built = Schema::new();
            let ops = create_all(&s);
            apply_all(&mut built, &ops).map_err(|e| TestCaseError::fail(format!("{e}\n{ops:#?}")))?;
            prop_assert_eq!(built, s);
        }

        /// `diff(A, A)` is empty.
        #[test]
        fn diff_of_a_schema_with_itself_is_empty(s in arb_schema()) {
            prop_assert!(diff(&s, &s).is_empty());
        }

        /// `apply_all(A, diff(A, B)) == B` for B derived from A by a few ops.
        #[test]
        fn diff_reaches_a_derived_schema((a, b) in arb_schema().prop_flat_map(|a| {
            (Just(a.clone()), arb_history(&a, 4).prop_map(|(_, b)| b))
        })) {
            run(&a, &b)?;
            run(&b, &a)?;
        }

        /// The same between two schemas derived from a common one (diverged branches).
        #[test]
        fn diff_reaches_a_sibling_schema((a, b) in arb_schema().prop_flat_map(|s| {
            (arb_history(&s, 3).prop_map(|(_, a)| a), arb_history(&s, 3).prop_map(|(_, b)| b))
        })) {
            run(&a, &b)?;
        }

        /// The same between independent schemas.
        #[test]
        fn diff_reaches_an_independent_schema(a in arb_schema(), b in arb_schema()) {
            run(&a, &b)?;
        }
    }
}

use super::*;
use crate::ops::{RawSql, Row};
use crate::schema::{
    CheckConstraint, Column, ColumnType, DefaultValue, EnumType, FkAction, ForeignKey, Index,
    PrimaryKey, Sequence, UniqueConstraint,
};
use crate::simulate::tests::fixture;
use crate::simulate::{apply, apply_all};

/// Applies `op` then its reverse to `before` and checks that `before` comes back
/// (ignoring column order for a dropped column, which comes back last).
fn round_trip(before: &Schema, op: Op) {
    let mut s = before.clone();
    apply(&mut s, &op).unwrap_or_else(|e| panic!("{op:?} must apply: {e}"));
    assert_ne!(&s, before, "{op:?} should change the schema in this test");
    let undo = reverse(&op, before).unwrap_or_else(|| panic!("{op:?} must be reversible"));
    apply_all(&mut s, &undo).unwrap_or_else(|e| panic!("reverse of {op:?} must apply: {e}"));
    if matches!(op, Op::DropColumn { .. }) {
        assert_eq!(
            s.column_order_insensitive(),
            before.column_order_insensitive()
        );
    } else {
        assert_eq!(&s, before, "reverse of {op:?}");
    }
}

fn change(f: impl FnOnce(&mut ColumnChange)) -> ColumnChange {
    let mut c = ColumnChange::default();
    f(&mut c);
    c
}

fn alter(table: &str, column: &str, c: ColumnChange) -> Op {
    Op::AlterColumn {
        table: table.into(),
        column: column.into(),
        change: c,
    }
}

fn with_nullable_pk_candidate() -> Schema {
    let mut s = fixture();
    let t = Table {
        name: "loose".into(),
        columns: vec![
            Column::new("a", ColumnType::Integer),
            Column::new("b", ColumnType::Text),
        ],
        ..Table::default()
    };
    apply(&mut s, &Op::CreateTable(t)).unwrap();
    s
}

#[test]
fn enum_ops_round_trip() {
    let s = fixture();
    round_trip(
        &s,
        Op::CreateEnum(EnumType {
            name: "color".into(),
            values: vec!["red".into(), "blue".into()],
        }),
    );
    round_trip(
        &s,
        Op::RenameEnumValue {
            enum_name: "status".into(),
            from: "new".into(),
            to: "fresh".into(),
        },
    );
    let mut s2 = s.clone();
    apply(
        &mut s2,
        &Op::DropTable {
            name: "child".into(),
        },
    )
    .unwrap();
    round_trip(
        &s2,
        Op::DropEnum {
            name: "status".into(),
        },
    );
}

#[test]
fn table_ops_round_trip() {
    let s = fixture();
    round_trip(
        &s,
        Op::DropTable {
            name: "child".into(),
        },
    );
    round_trip(
        &s,
        Op::RenameTable {
            from: "parent".into(),
            to: "mother".into(),
        },
    );
    let mut t = Table::new("fresh");
    t.columns.push(Column::new("id", ColumnType::Uuid));
    t.primary_key = Some(PrimaryKey {
        name: "fresh_pkey".into(),
        columns: vec!["id".into()],
    });
    round_trip(&s, Op::CreateTable(t));
}

#[test]
fn column_ops_round_trip() {
    let s = fixture();
    let mut c = Column::new("extra", ColumnType::Varchar(Some(10)));
    c.default = Some(DefaultValue::Text("x".into()));
    round_trip(
        &s,
        Op::AddColumn {
            table: "child".into(),
            column: c,
        },
    );
    for column in ["qty", "parent_id", "id", "status", "note"] {
        round_trip(
            &s,
            Op::DropColumn {
                table: "child".into(),
                column: column.into(),
            },
        );
    }
    round_trip(
        &s,
        Op::DropColumn {
            table: "parent".into(),
            column: "code".into(),
        },
    );
}

#[test]
fn drop_column_restores_self_reference_after_its_key() {
    let mut s = fixture();
    let add = Op::AddColumn {
        table: "parent".into(),
        column: Column::new("up", ColumnType::Integer),
    };
    apply(&mut s, &add).unwrap();
    let fk = ForeignKey {
        name: "parent_up_fkey".into(),
        columns: vec!["up".into()],
        ref_table: "parent".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::SetNull,
        on_update: FkAction::NoAction,
    };
    apply(
        &mut s,
        &Op::AddForeignKey {
            table: "parent".into(),
            foreign_key: fk,
            not_valid: false,
        },
    )
    .unwrap();
    round_trip(
        &s,
        Op::DropColumn {
            table: "parent".into(),
            column: "up".into(),
        },
    );
}

#[test]
fn alter_column_round_trips() {
    let s = fixture();
    round_trip(
        &s,
        alter(
            "child",
            "qty",
            change(|c| {
                c.ty = Some(ColumnType::BigInt);
                c.nullable = Some(false);
                c.default = Some(Some(DefaultValue::Int(5)));
                c.rename = Some("amount".into());
            }),
        ),
    );
    round_trip(
        &s,
        alter("child", "status", change(|c| c.default = Some(None))),
    );
    round_trip(
        &s,
        alter("parent", "id", change(|c| c.rename = Some("pid".into()))),
    );
}

#[test]
fn type_change_that_loses_autoincrement_is_not_reversible() {
    let s = fixture();
    let op = alter("parent", "id", change(|c| c.ty = Some(ColumnType::Text)));
    assert_eq!(reverse(&op, &s), None);
}

#[test]
fn index_ops_round_trip() {
    let s = fixture();
    let index = Index {
        name: "ix_partial".into(),
        columns: vec!["note".into(), "qty".into()],
        unique: true,
        method: None,
        predicate: Some("qty > 1".into()),
    };
    round_trip(
        &s,
        Op::CreateIndex {
            table: "child".into(),
            index,
            concurrently: true,
        },
    );
    round_trip(
        &s,
        Op::DropIndex {
            table: None,
            name: "ix_child_qty".into(),
            concurrently: false,
        },
    );
}

#[test]
fn constraint_ops_round_trip() {
    let s = fixture();
    let fk = ForeignKey {
        name: "child_note_fkey".into(),
        columns: vec!["note".into()],
        ref_table: "parent".into(),
        ref_columns: vec!["code".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
    };
    round_trip(
        &s,
        Op::AddForeignKey {
            table: "child".into(),
            foreign_key: fk,
            not_valid: true,
        },
    );
    round_trip(
        &s,
        Op::AddUnique {
            table: "child".into(),
            unique: UniqueConstraint {
                name: "child_note_key".into(),
                columns: vec!["note".into()],
            },
        },
    );
    round_trip(
        &s,
        Op::AddCheck {
            table: "child".into(),
            check: CheckConstraint {
                name: "ck".into(),
                expression: "note <> ''".into(),
            },
            not_valid: false,
        },
    );
    for name in ["child_pkey", "child_parent_id_fkey", "child_qty_check"] {
        round_trip(
            &s,
            Op::DropConstraint {
                table: "child".into(),
                name: name.into(),
                kind: None,
            },
        );
    }
}

#[test]
fn add_primary_key_round_trip_restores_nullability() {
    let s = with_nullable_pk_candidate();
    round_trip(
        &s,
        Op::AddPrimaryKey {
            table: "loose".into(),
            primary_key: PrimaryKey {
                name: "loose_pkey".into(),
                columns: vec!["a".into(), "b".into()],
            },
        },
    );
}

#[test]
fn sequence_ops_round_trip() {
    let s = fixture();
    let seq = Sequence {
        name: "counter".into(),
        start: 10,
        increment: 2,
    };
    round_trip(&s, Op::CreateSequence(seq.clone()));
    let mut s2 = s.clone();
    apply(&mut s2, &Op::CreateSequence(seq)).unwrap();
    round_trip(
        &s2,
        Op::DropSequence {
            name: "counter".into(),
        },
    );
}

#[test]
fn data_ops_reverse_to_each_other() {
    let s = fixture();
    let rows: Vec<Row> = vec![
        [("qty".to_string(), serde_json::json!(1))]
            .into_iter()
            .collect(),
    ];
    let ins = Op::BulkInsert {
        table: "child".into(),
        rows: rows.clone().into(),
    };
    let del = Op::BulkDelete {
        table: "child".into(),
        rows: rows.into(),
    };
    assert_eq!(reverse(&ins, &s), Some(vec![del.clone()]));
    assert_eq!(reverse(&del, &s), Some(vec![ins]));
    let validate = Op::ValidateConstraint {
        table: "child".into(),
        name: "child_qty_check".into(),
    };
    assert_eq!(reverse(&validate, &s), Some(vec![]));
}

#[test]
fn second_key_under_a_foreign_key_cannot_be_reversed() {
    // parent.code has a unique index that child can reference; a second unique
    // key over code could not be dropped again while the reference exists.
    let mut s = fixture();
    let add = Op::AddColumn {
        table: "child".into(),
        column: Column::new("pcode", ColumnType::Varchar(None)),
    };
    let fk = ForeignKey {
        name: "child_pcode_fkey".into(),
        columns: vec!["pcode".into()],
        ref_table: "parent".into(),
        ref_columns: vec!["code".into()],
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
    };
    let add_fk = Op::AddForeignKey {
        table: "child".into(),
        foreign_key: fk,
        not_valid: false,
    };
    apply_all(&mut s, &[add, add_fk]).unwrap();
    let second = Op::AddUnique {
        table: "parent".into(),
        unique: UniqueConstraint {
            name: "parent_code_key".into(),
            columns: vec!["code".into()],
        },
    };
    assert_eq!(reverse(&second, &s), None);
}

#[test]
fn row_changes_reverse_only_when_given() {
    let s = fixture();
    let mut op = crate::ops::Ops::new();
    op.delete_rows("child").filter("qty < 0");
    op.update_rows("child")
        .set("note", "NULL")
        .filter("qty > 10")
        .undo_set("note", "'kept'")
        .undo_filter("qty > 10");
    let [delete, update] = op.as_slice() else {
        panic!("two ops")
    };
    assert_eq!(reverse(delete, &s), None);
    let undo = reverse(update, &s).expect("reversible");
    let mut back = crate::ops::Ops::new();
    back.update_rows("child")
        .set("note", "'kept'")
        .filter("qty > 10");
    assert_eq!(undo, back.as_slice());
}

#[test]
fn undetermined_inverses_are_none() {
    let s = fixture();
    assert_eq!(reverse(&Op::Execute(RawSql::default()), &s), None);
    let add = Op::AddEnumValue {
        enum_name: "status".into(),
        value: "x".into(),
        before: None,
        after: None,
    };
    assert_eq!(reverse(&add, &s), None);
    assert_eq!(
        reverse(
            &Op::DropTable {
                name: "nope".into()
            },
            &s
        ),
        None
    );
}

mod properties {
    use super::*;
    use crate::arbitrary::{arb_history, arb_op, arb_schema};
    use proptest::prelude::*;

    fn schema_and_op() -> impl Strategy<Value = (Schema, Op)> {
        arb_schema().prop_flat_map(|s| (Just(s.clone()), arb_op(&s)))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// `apply(apply(S, op), reverse(op, S)) == S` for every op with an inverse.
        #[test]
        fn reverse_undoes((before, op) in schema_and_op()) {
            let mut s = before.clone();
            apply(&mut s, &op).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let Some(undo) = reverse(&op, &before) else {
                prop_assert!(
                    matches!(op, Op::AddEnumValue { .. } | Op::Execute(_) | Op::AlterColumn { .. } | Op::ChangeRows(_)),
                    "unexpected None for {:?}", op
                );
                return Ok(());
            };
            apply_all(&mut s, &undo)
                .map_err(|e| TestCaseError::fail(format!("reverse {undo:?} of {op:?}: {e}")))?;
            if matches!(op, Op::DropColumn { .. }) {
                prop_assert_eq!(s.column_order_insensitive(), before.column_order_insensitive());
            } else {
                prop_assert_eq!(s, before, "op {:?} reversed by {:?}", op, undo);
            }
        }

        /// Undoing a whole history, last op first, brings the first schema back (up
        /// to column order): what a downgrade does with a revision's ops.
        #[test]
        fn reversed_history_restores_the_start((start, ops) in arb_schema().prop_flat_map(|s| {
            (Just(s.clone()), arb_history(&s, 5).prop_map(|(ops, _)| ops))
        })) {
            let mut states = vec![start.clone()];
            for op in &ops {
                let mut next = states.last().expect("non-empty").clone();
                apply(&mut next, op).map_err(|e| TestCaseError::fail(e.to_string()))?;
                states.push(next);
            }
            let mut s = states.last().expect("non-empty").clone();
            for (op, before) in ops.iter().zip(&states).rev() {
                let Some(undo) = reverse(op, before) else {
                    return Ok(());
                };
                apply_all(&mut s, &undo)
                    .map_err(|e| TestCaseError::fail(format!("undo of {op:?}: {e}")))?;
            }
            prop_assert_eq!(s.column_order_insensitive(), start.column_order_insensitive());
        }
    }
}

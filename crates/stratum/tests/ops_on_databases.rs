//! The invariant that ties rendering, simulation and introspection together: for a
//! schema S built in a real database and an op, executing the op's rendered SQL and
//! introspecting gives `normalize_for(dialect, apply(S, op))`. Checked on PostgreSQL,
//! SQLite and MariaDB for fixed cases of every op kind, and for generated schemas
//! and ops.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::json;
use std::collections::BTreeSet;
use stratum::db::Connection;
use stratum::dialect::{Dialect, RenderError, render, render_all};
use stratum::introspect::introspect;
use stratum::ops::{Op, Ops};
use stratum::prelude::*;
use stratum::schema::Schema;
use stratum::simulate::apply_all;
use stratum_core::arbitrary::{arb_op, arb_schema};
use stratum_testkit::{Backend, TestDb, create_ops, schema_report};

/// The ops that build the base schema S of every fixed case.
fn base_ops() -> Vec<Op> {
    let mut op = Ops::new();
    op.create_enum("mood", ["happy", "sad"]);
    op.create_enum("spare", ["x", "y"]);
    op.create_table("parent")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("name", varchar_n(50)).not_null())
        .column(col("mood", ColumnType::Enum("mood".into())).default_text("happy"))
        .column(col("created", timestamp()).not_null().default_now())
        .unique("uq_parent_name", ["name"]);
    op.create_table("child")
        .column(col("id", integer()).not_null())
        .column(col("parent_id", integer()))
        .column(col("other_id", integer()))
        .column(col("qty", integer()).not_null().default_int(0))
        .column(col("note", text()))
        .primary_key_named("child_pkey", ["id"])
        .foreign_key(
            foreign_key(["parent_id"], "parent", ["id"])
                .name("child_parent_id_fkey")
                .on_delete(FkAction::Cascade),
        )
        .check("ck_child_qty", "qty >= 0")
        .index(index("ix_child_parent_id", ["parent_id"]));
    op.create_table("tag")
        .column(col("name", varchar_n(20)).not_null())
        .column(col("weight", double()));
    op.into_vec()
}

/// One fixed case: a name and the op.
struct Case {
    name: &'static str,
    op: Op,
}

fn one(f: impl FnOnce(&mut Ops)) -> Op {
    let mut op = Ops::new();
    f(&mut op);
    let mut ops = op.into_vec();
    assert_eq!(ops.len(), 1, "a case is one op");
    ops.remove(0)
}

fn cases() -> Vec<Case> {
    let c = |name, op| Case { name, op };
    vec![
        c(
            "create_enum",
            one(|o| o.create_enum("color", ["red", "green"])),
        ),
        c("drop_enum", one(|o| o.drop_enum("spare"))),
        c(
            "add_enum_value_at_end",
            one(|o| {
                o.add_enum_value("mood", "meh");
            }),
        ),
        c(
            "add_enum_value_before",
            one(|o| {
                o.add_enum_value("mood", "meh").before("sad");
            }),
        ),
        c(
            "rename_enum_value",
            one(|o| o.rename_enum_value("mood", "sad", "blue")),
        ),
        c(
            "create_table",
            one(|o| {
                o.create_table("item")
                    .column(col("id", big_integer()).primary_key().autoincrement())
                    .column(col("parent_id", integer()).not_null())
                    .column(col("code", varchar_n(8)).not_null().default_text("a'b"))
                    .column(col("price", numeric(12, 4)))
                    .column(col("mood", ColumnType::Enum("mood".into())))
                    .column(col("payload", jsonb()))
                    .column(col("ext", uuid()).default_random_uuid())
                    .column(col("flag", boolean()).not_null().default_bool(false))
                    .unique("uq_item_code", ["code"])
                    .check("ck_item_price", "price > 0")
                    .foreign_key(
                        foreign_key(["parent_id"], "parent", ["id"]).name("fk_item_parent"),
                    )
                    .index(index("ix_item_parent", ["parent_id", "code"]));
            }),
        ),
        c("drop_table", one(|o| o.drop_table("child"))),
        c("rename_table", one(|o| o.rename_table("tag", "label"))),
        c(
            "add_column",
            one(|o| {
                o.add_column(
                    "child",
                    col("extra", varchar_n(20)).not_null().default_text("x"),
                )
            }),
        ),
        c(
            "add_enum_column",
            one(|o| {
                o.add_column(
                    "tag",
                    col("mood", ColumnType::Enum("mood".into())).default_text("sad"),
                )
            }),
        ),
        c("drop_column", one(|o| o.drop_column("child", "note"))),
        c(
            "drop_indexed_column",
            one(|o| o.drop_column("child", "parent_id")),
        ),
        c(
            "alter_column_type",
            one(|o| {
                o.alter_column("child", "qty").set_type(big_integer());
            }),
        ),
        c(
            "alter_column_nullable",
            one(|o| {
                o.alter_column("child", "note").set_not_null();
            }),
        ),
        c(
            "alter_column_drop_not_null",
            one(|o| {
                o.alter_column("parent", "name").drop_not_null();
            }),
        ),
        c(
            "alter_column_default",
            one(|o| {
                o.alter_column("child", "note")
                    .set_default(DefaultValue::Text("n/a".into()));
            }),
        ),
        c(
            "alter_column_drop_default",
            one(|o| {
                o.alter_column("child", "qty").drop_default();
            }),
        ),
        c(
            "alter_column_rename",
            one(|o| {
                o.alter_column("child", "note").rename_to("remark");
            }),
        ),
        c(
            "alter_enum_column_rename",
            one(|o| {
                o.alter_column("parent", "mood").rename_to("feeling");
            }),
        ),
        c(
            "create_index",
            one(|o| {
                o.create_index("ix_child_qty", "child", ["qty"])
                    .where_("qty > 0");
            }),
        ),
        c(
            "create_unique_index",
            one(|o| {
                o.create_index("ix_child_other", "child", ["other_id", "qty"])
                    .unique();
            }),
        ),
        c(
            "drop_index",
            one(|o| {
                o.drop_index("ix_child_parent_id").table("child");
            }),
        ),
        c(
            "add_foreign_key",
            one(|o| {
                o.create_foreign_key("fk_child_other", "child", "parent", ["other_id"], ["id"])
                    .on_delete(FkAction::SetNull);
            }),
        ),
        c(
            "add_unique",
            one(|o| o.create_unique_constraint("uq_child_pair", "child", ["parent_id", "qty"])),
        ),
        c(
            "add_check",
            one(|o| {
                o.create_check_constraint("ck_child_qty_max", "child", "qty < 1000");
            }),
        ),
        c(
            "add_primary_key",
            one(|o| o.create_primary_key("tag_pkey", "tag", ["name"])),
        ),
        c(
            "validate_constraint",
            one(|o| o.validate_constraint("child", "ck_child_qty")),
        ),
        c(
            "drop_foreign_key",
            one(|o| o.drop_constraint("child_parent_id_fkey", "child")),
        ),
        c(
            "drop_unique",
            one(|o| o.drop_constraint("uq_parent_name", "parent")),
        ),
        c(
            "drop_check",
            one(|o| o.drop_constraint("ck_child_qty", "child")),
        ),
        c(
            "drop_primary_key",
            one(|o| o.drop_constraint("child_pkey", "child")),
        ),
        c(
            "create_sequence",
            one(|o| o.create_sequence("counter", 10, 5)),
        ),
        c("drop_sequence", one(|o| o.drop_sequence("spare_seq"))),
        c(
            "bulk_insert",
            one(|o| o.bulk_insert("tag", json!([{"name": "a", "weight": 1.5}, {"name": "b"}]))),
        ),
        c(
            "bulk_delete",
            one(|o| o.bulk_delete("tag", json!([{"name": "a"}]))),
        ),
        c(
            "change_rows",
            one(|o| {
                o.update_rows("tag")
                    .set("weight", "weight * 2")
                    .filter("name = 'a'");
            }),
        ),
        c(
            "execute",
            one(|o| {
                o.execute("UPDATE tag SET weight = 2");
            }),
        ),
    ]
}

/// Runs one case on a fresh database; `Ok(false)` when the dialect refuses the op.
async fn run_case(db: &TestDb, case: &Case) -> Result<bool, String> {
    let mut conn = Connection::connect(db.url())
        .await
        .map_err(|e| e.to_string())?;
    let dialect = conn.dialect();
    let base_ops = base_ops();
    let mut base = Schema::new();
    apply_all(&mut base, &base_ops).map_err(|e| format!("base schema: {e}"))?;
    let setup =
        render_all(dialect, &base_ops, &Schema::new()).map_err(|e| format!("render base: {e}"))?;
    conn.execute_statements(&setup)
        .await
        .map_err(|e| format!("build base: {e}"))?;
    let read_base = introspect(&mut conn, &[])
        .await
        .map_err(|e| e.to_string())?;
    if read_base != stored(dialect, &base) {
        return Err(format!(
            "base schema reads back differently:\n actual {read_base:#?}\n expected {:#?}",
            stored(dialect, &base)
        ));
    }

    // Where there are standalone sequences (PostgreSQL, MariaDB) the base gets
    // one, for the case that drops it.
    if conn.sql_dialect().capabilities().sequences {
        let mut ops = Ops::new();
        ops.create_sequence("spare_seq", 1, 1);
        let create = ops.into_vec();
        let statements = render_all(dialect, &create, &base).map_err(|e| e.to_string())?;
        conn.execute_statements(&statements)
            .await
            .map_err(|e| e.to_string())?;
        apply_all(&mut base, &create).map_err(|e| e.to_string())?;
    }
    let op = case.op.clone();

    // Written for the server connected to (its flavour and version).
    let statements = match conn.sql_dialect().render(&op, &base) {
        Ok(s) => s,
        Err(RenderError::Unsupported { .. }) => return Ok(false),
        Err(e) => return Err(format!("render: {e}")),
    };
    let mut expected = base.clone();
    apply_all(&mut expected, std::slice::from_ref(&op)).map_err(|e| format!("apply: {e}"))?;
    let expected = stored(dialect, &expected);
    conn.execute_statements(&statements)
        .await
        .map_err(|e| format!("execute: {e}\n statements: {statements:#?}"))?;
    let actual = introspect(&mut conn, &[])
        .await
        .map_err(|e| e.to_string())?;
    conn.close().await.map_err(|e| e.to_string())?;
    if actual != expected {
        return Err(diff_report(&actual, &expected));
    }
    Ok(true)
}

/// `schema` as the database of `dialect` keeps it: `normalize_for`, and on
/// MariaDB/MySQL enum types per column and `RESTRICT` as `NO ACTION`, as
/// introspection reads them there.
fn stored(dialect: Dialect, schema: &Schema) -> Schema {
    let mut s = stratum::dialect::normalize_for(dialect, schema);
    if dialect == Dialect::Mysql {
        stratum::dialect::mysql::as_introspected(&mut s);
    }
    s
}

fn diff_report(actual: &Schema, expected: &Schema) -> String {
    format!(
        "introspected schema differs from normalize_for(apply(S, op))\n{}",
        schema_report(actual, expected, ("introspected", "expected"))
    )
}

async fn run_all(backend: Backend) {
    let mut failures = Vec::new();
    let mut refused = Vec::new();
    for case in cases() {
        let Some(db) = TestDb::new(backend).await else {
            return;
        };
        match run_case(&db, &case).await {
            Ok(true) => {}
            Ok(false) => refused.push(case.name),
            Err(e) => failures.push(format!("[{backend}] {}: {e}", case.name)),
        }
    }
    // Only sequence ops may be refused, and only by SQLite (which has none);
    // MariaDB refuses partial indexes.
    let allowed: &[&str] = match backend {
        Backend::Sqlite => &["create_sequence", "drop_sequence"],
        Backend::Postgres => &[],
        Backend::Mysql => &["create_index"],
    };
    assert!(
        refused.iter().all(|r| allowed.contains(r)),
        "[{backend}] unexpectedly refused: {refused:?}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases().len(),
        failures.join("\n")
    );
}

#[test]
fn fixed_cases_cover_every_op_kind() {
    let covered: BTreeSet<&str> = cases().iter().map(|c| c.op.kind_name()).collect();
    let every = Op::KIND_NAMES;
    let missing: Vec<&&str> = every.iter().filter(|k| !covered.contains(**k)).collect();
    assert!(missing.is_empty(), "no fixed case for {missing:?}");
}

#[tokio::test]
async fn every_op_kind_on_sqlite() {
    run_all(Backend::Sqlite).await;
}

#[tokio::test]
async fn every_op_kind_on_postgres() {
    run_all(Backend::Postgres).await;
}

#[tokio::test]
async fn every_op_kind_on_mariadb() {
    run_all(Backend::Mysql).await;
}

/// Builds `schema` in a fresh database, checks that it reads back, runs `op` and
/// checks the invariant. `Ok(false)` when the dialect refuses the op.
async fn check_generated(backend: Backend, schema: &Schema, op: &Op) -> Result<bool, String> {
    let Some(db) = TestDb::new(backend).await else {
        return Ok(false);
    };
    let mut conn = Connection::connect(db.url())
        .await
        .map_err(|e| e.to_string())?;
    let dialect = conn.dialect();
    // A schema the server cannot hold (MariaDB: a key over a text column) is
    // refused, not a failure.
    let setup = match render_all(dialect, &create_ops(schema, dialect), &Schema::new()) {
        Ok(s) => s,
        Err(RenderError::Unsupported { .. }) if dialect != Dialect::Postgres => return Ok(false),
        Err(e) => return Err(format!("render S: {e}")),
    };
    conn.execute_statements(&setup)
        .await
        .map_err(|e| format!("build S: {e}"))?;
    let read = introspect(&mut conn, &[])
        .await
        .map_err(|e| e.to_string())?;
    let built = stored(dialect, schema);
    if read != built {
        return Err(format!(
            "S reads back differently: {}",
            diff_report(&read, &built)
        ));
    }
    let statements = match render(dialect, op, schema) {
        Ok(s) => s,
        Err(RenderError::Unsupported { .. }) if dialect != Dialect::Postgres => return Ok(false),
        Err(e) => return Err(format!("render op: {e}")),
    };
    conn.execute_statements(&statements)
        .await
        .map_err(|e| format!("execute op: {e}\n statements: {statements:#?}"))?;
    let mut after = schema.clone();
    apply_all(&mut after, std::slice::from_ref(op)).map_err(|e| format!("apply: {e}"))?;
    let expected = stored(dialect, &after);
    let actual = introspect(&mut conn, &[])
        .await
        .map_err(|e| e.to_string())?;
    conn.close().await.map_err(|e| e.to_string())?;
    if actual != expected {
        return Err(diff_report(&actual, &expected));
    }
    Ok(true)
}

#[test]
fn generated_schemas_and_ops_on_every_database() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        // Real databases make each case slow: a modest default, more on request.
        cases: std::env::var("STRATUM_DB_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(24),
        max_shrink_iters: 32,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = arb_schema()
        .prop_flat_map(|s| (Just(s.clone()), arb_op(&s)))
        // The renderer refuses a bulk delete row that names no column (it would
        // delete every row); that refusal is not what this test is about.
        .prop_filter("no bulk delete of an empty row", |(_, op)| {
            !matches!(op, Op::BulkDelete { rows, .. } if rows.iter().any(|r| r.is_empty()))
        });
    let result = runner.run(&strategy, |(schema, op)| {
        for backend in [Backend::Sqlite, Backend::Postgres, Backend::Mysql] {
            rt.block_on(check_generated(backend, &schema, &op))
                .map_err(|e| TestCaseError::fail(format!("[{backend}] {}: {e}", op.kind_name())))?;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[tokio::test]
async fn a_failing_statement_rolls_back_its_transaction() {
    stratum_testkit::each_backend(async |db: TestDb| {
        let mut conn = Connection::connect(db.url()).await.unwrap();
        let statements = [
            stratum::dialect::Statement::new("CREATE TABLE kept_out (id INTEGER)"),
            stratum::dialect::Statement::new("CREATE TABLE broken ("),
        ];
        let err = conn.execute_statements(&statements).await.unwrap_err();
        assert!(
            matches!(&err, stratum::db::DbError::Statement { index: 1, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("CREATE TABLE broken ("), "{err}");
        let schema = introspect(&mut conn, &[]).await.unwrap();
        assert!(schema.tables.is_empty(), "{:?}", schema.tables.keys());
        conn.close().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn sqlite_checks_foreign_keys_before_commit() {
    let db = TestDb::sqlite();
    let mut conn = Connection::connect(db.url()).await.unwrap();
    conn.execute(
        "CREATE TABLE p (id INTEGER PRIMARY KEY);
         CREATE TABLE c (p_id INTEGER REFERENCES p (id));",
    )
    .await
    .unwrap();
    let statements = [
        stratum::dialect::Statement::new("INSERT INTO c (p_id) VALUES (42)"),
        stratum::dialect::Statement::new("CREATE TABLE after_insert (id INTEGER)"),
    ];
    let err = conn.execute_statements(&statements).await.unwrap_err();
    assert!(
        matches!(
            &err,
            stratum::db::DbError::ForeignKeyViolation { violations: 1, first_table } if first_table == "c"
        ),
        "{err}"
    );
    let schema = introspect(&mut conn, &[]).await.unwrap();
    assert!(!schema.tables.contains_key("after_insert"));
    // Enforcement is back on after the batch.
    assert!(
        conn.execute("INSERT INTO c (p_id) VALUES (7)")
            .await
            .is_err()
    );
    conn.close().await.unwrap();
}

//! Each dialect's capabilities agree with what it renders.

use super::*;
use crate::prelude::*;

/// `t(id integer primary key, name text, status enum)`, with enum `status`.
fn schema() -> Schema {
    let mut op = Ops::new();
    op.create_enum("status", ["new", "done"]);
    op.create_table("t")
        .column(col("id", integer()).primary_key())
        .column(col("name", text()))
        .column(col("status", enum_type("status")));
    let mut s = Schema::new();
    for op in op.as_slice() {
        apply(&mut s, op).expect("fixture applies");
    }
    s
}

fn one_op(build: impl FnOnce(&mut Ops)) -> Op {
    let mut op = Ops::new();
    build(&mut op);
    op.into_vec().remove(0)
}

#[test]
fn the_registry_maps_each_key_to_its_own_implementation() {
    for d in Dialect::ALL {
        assert_eq!(d.sql().dialect(), d);
        assert_eq!(Dialect::from_key(d.key()), Some(d));
        assert_eq!(d.capabilities(), d.sql().capabilities());
    }
    assert_eq!(Dialect::Postgres.to_string(), "postgresql");
    assert_eq!(Dialect::Sqlite.to_string(), "sqlite");
    assert_eq!(Dialect::Postgres.key(), "postgres");
    assert_eq!(Dialect::Sqlite.key(), "sqlite");
    assert_eq!(Dialect::from_key("oracle"), None);
}

#[test]
fn the_capabilities_of_each_database() {
    let pg = Dialect::Postgres.capabilities();
    let lite = Dialect::Sqlite.capabilities();
    assert!(pg.transactional_ddl && lite.transactional_ddl);
    assert!(pg.native_enums && !lite.native_enums);
    assert!(pg.rename_column && lite.rename_column);
    assert!(pg.partial_indexes && lite.partial_indexes);
    assert!(pg.concurrent_indexes && !lite.concurrent_indexes);
    assert!(pg.check_constraints && lite.check_constraints);
    assert!(pg.if_exists && lite.if_exists);
    assert!(pg.copy_from_stdin && !lite.copy_from_stdin);
    assert_eq!(pg.max_identifier_length, Some(63));
    assert_eq!(lite.max_identifier_length, None);
    assert!(!pg.table_rebuilds.any());
    assert!(lite.table_rebuilds.alter_column && lite.table_rebuilds.constraints);
}

#[test]
fn concurrent_indexes_are_built_outside_a_transaction_only_where_supported() {
    let op = one_op(|op| {
        op.create_index("ix_t_name", "t", ["name"]).concurrently();
    });
    for d in Dialect::ALL {
        let stmts = render(d, &op, &schema()).unwrap();
        assert_eq!(stmts.len(), 1);
        assert_eq!(
            !stmts[0].transactional,
            d.capabilities().concurrent_indexes,
            "{d}"
        );
    }
}

#[test]
fn enum_types_are_created_only_where_they_are_native() {
    let op = one_op(|op| op.create_enum("mood", ["ok"]));
    for d in Dialect::ALL {
        let stmts = render(d, &op, &schema()).unwrap();
        assert_eq!(!stmts.is_empty(), d.capabilities().native_enums, "{d}");
    }
}

#[test]
fn sequences_render_only_where_they_exist() {
    let op = one_op(|op| op.create_sequence("seq", 1, 1));
    for d in Dialect::ALL {
        assert_eq!(
            render(d, &op, &schema()).is_ok(),
            d.capabilities().sequences,
            "{d}"
        );
    }
}

#[test]
fn alter_column_rebuilds_the_table_where_the_capabilities_say_so() {
    let op = one_op(|op| {
        op.alter_column("t", "name").drop_not_null();
    });
    for d in Dialect::ALL {
        let stmts = render(d, &op, &schema()).unwrap();
        let rebuilt = stmts.iter().any(|s| s.sql.starts_with("CREATE TABLE"));
        assert_eq!(rebuilt, d.capabilities().table_rebuilds.alter_column, "{d}");
    }
}

#[test]
fn the_foreign_key_guard_comes_with_a_preamble_and_a_check() {
    for d in Dialect::ALL {
        let guard = d.capabilities().foreign_key_guard;
        assert_eq!(d.sql().foreign_key_check().is_some(), guard, "{d}");
        assert_eq!(!d.sql().script_preamble().is_empty(), guard, "{d}");
    }
    assert_eq!(
        Dialect::Sqlite.sql().script_preamble(),
        sqlite::script_preamble()
    );
}

#[test]
fn large_bulk_inserts_copy_only_where_copy_exists() {
    let rows: Vec<serde_json::Value> = (0..=COPY_MIN_ROWS)
        .map(|i| json!({"id": i, "name": format!("n{i}")}))
        .collect();
    let op = one_op(|op| op.bulk_insert("t", serde_json::Value::Array(rows)));
    for d in Dialect::ALL {
        let stmts = render(d, &op, &schema()).unwrap();
        let copies = stmts.iter().any(|s| s.copy_data.is_some());
        assert_eq!(copies, d.capabilities().copy_from_stdin, "{d}");
    }
}

#[test]
fn quoting_for_bookkeeping_sql_is_the_dialects_own() {
    for d in Dialect::ALL {
        if d == Dialect::Mysql {
            assert_eq!(d.quote_ident("we`ird"), "`we``ird`");
        } else {
            assert_eq!(d.quote_ident("we\"ird"), "\"we\"\"ird\"");
        }
        assert_eq!(d.quote_literal("it's"), "'it''s'");
        assert_eq!(d.quote_literal("a\\b"), quote_literal("a\\b", d));
    }
    assert_eq!(Dialect::Postgres.quote_literal("a\\b"), "E'a\\\\b'");
    assert_eq!(Dialect::Sqlite.quote_literal("a\\b"), "'a\\b'");
}

#[test]
fn mariadb_is_a_registered_dialect_with_its_own_raw_sql() {
    assert_eq!(Dialect::from_key("mysql"), Some(Dialect::Mysql));
    assert_eq!(Dialect::Mysql.sql().dialect(), Dialect::Mysql);
    assert!(!Dialect::Mysql.capabilities().transactional_ddl);
    let op = one_op(|op| {
        op.execute("SELECT 1").mysql("SELECT 2");
    });
    let stmts = render(Dialect::Mysql, &op, &schema()).unwrap();
    assert_eq!(stmts[0].sql, "SELECT 2");
    let pg = render(Dialect::Postgres, &op, &schema()).unwrap();
    assert_eq!(pg[0].sql, "SELECT 1");
}

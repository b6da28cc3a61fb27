//! The differ on a real MariaDB: for generated schema pairs (A, B), a database
//! built as A and changed by `diff(A, B)`, rendered for the connected server,
//! introspects as B does once stored there; the differ then finds no drift, and
//! `diff(B, empty)` leaves nothing behind. Pairs the server cannot hold (a key
//! over a text column) are refused by the renderer and skipped, counted.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::collections::BTreeSet;
use stratum::db::Connection;
use stratum::dialect::{Dialect, RenderError, Statement, normalize_for};
use stratum::diff::{create_all, diff, differences};
use stratum::introspect::introspect;
use stratum::ops::Op;
use stratum::schema::{ColumnType, Schema};
use stratum::simulate::apply;
use stratum_core::arbitrary::{arb_history, arb_schema};
use stratum_testkit::TestDb;

/// Pairs (A, B): B derived from A by a few generated ops. The number comes from
/// `STRATUM_DB_PROPTEST_CASES` (24 by default: each pair builds and drops a
/// schema on the server).
fn pairs() -> Vec<(Schema, Schema)> {
    let n = std::env::var("STRATUM_DB_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let strategy = arb_schema().prop_flat_map(|a| {
        (
            proptest::strategy::Just(a.clone()),
            arb_history(&a, 4).prop_map(|(_, b)| b),
        )
    });
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).expect("a case").current())
        .collect()
}

/// The (table, column) pairs that some key of `s` covers: primary, unique and
/// foreign keys (both ends), unique indexes.
fn keyed(s: &Schema) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for t in s.tables.values() {
        let mut add = |table: &str, cols: &[String]| {
            out.extend(cols.iter().map(|c| (table.to_string(), c.clone())));
        };
        if let Some(pk) = &t.primary_key {
            add(&t.name, &pk.columns);
        }
        for u in t.uniques.values() {
            add(&t.name, &u.columns);
        }
        for i in t.indexes.values().filter(|i| i.unique) {
            add(&t.name, &i.columns);
        }
        for fk in t.foreign_keys.values() {
            add(&t.name, &fk.columns);
            add(&fk.ref_table, &fk.ref_columns);
        }
    }
    out
}

/// `a` and `b` as MariaDB can hold them, the same way in both: partial indexes
/// index every row, and the unbounded text columns that a key covers in either
/// are `varchar(100)` (InnoDB keys whole values only up to a length). The
/// renderer refuses both; the fixed cases test the refusals.
fn fit_keys(a: &Schema, b: &Schema) -> (Schema, Schema) {
    let mut cols = keyed(a);
    cols.extend(keyed(b));
    let fit = |s: &Schema| {
        let mut s = s.clone();
        for t in s.tables.values_mut() {
            for i in t.indexes.values_mut() {
                i.predicate = None;
            }
            for c in &mut t.columns {
                if matches!(c.ty, ColumnType::Text | ColumnType::Varchar(None))
                    && cols.contains(&(t.name.clone(), c.name.clone()))
                {
                    c.ty = ColumnType::Varchar(Some(100));
                }
            }
        }
        s
    };
    (fit(a), fit(b))
}

/// `schema` as MariaDB stores it and introspection reads it.
fn stored(schema: &Schema) -> Schema {
    let mut s = normalize_for(Dialect::Mysql, schema);
    stratum::dialect::mysql::as_introspected(&mut s);
    s
}

/// The statements of `ops` from `before`, written for the connected server;
/// `None` when the server cannot carry one out.
fn render(conn: &Connection, ops: &[Op], before: &Schema) -> Option<Vec<Statement>> {
    let sql = conn.sql_dialect();
    let mut schema = before.clone();
    let mut out = Vec::new();
    for op in ops {
        match sql.render(op, &schema) {
            Ok(s) => out.extend(s),
            Err(e @ RenderError::Unsupported { .. }) => {
                eprintln!("refused: {e}");
                return None;
            }
            Err(e) => panic!("does not render: {e}\n{op:#?}"),
        }
        apply(&mut schema, op).expect("generated ops apply");
    }
    Some(out)
}

async fn run(conn: &mut Connection, statements: &[Statement], what: &str) {
    if let Err(e) = conn.execute_statements(statements).await {
        panic!("{what}: {e}");
    }
}

fn assert_same(live: &Schema, expected: &Schema, what: &str) {
    let found = differences(live, expected);
    assert!(
        found.is_empty(),
        "{what}:\n{}",
        found
            .iter()
            .map(|d| d.describe("database", "expected"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        live.column_order_insensitive(),
        expected.column_order_insensitive(),
        "{what}"
    );
}

#[tokio::test]
async fn rendered_diff_turns_a_mariadb_database_into_the_target() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let pairs = pairs();
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let mut ran = 0;
    for (i, (a, b)) in pairs.iter().enumerate() {
        // Diffed and rendered as generated (but for text keys): the normal form
        // names every primary key `PRIMARY`, which the simulator takes for one
        // name used twice.
        let (a, b) = &fit_keys(a, b);
        let ops = diff(a, b);
        let (Some(create), Some(change), Some(drop)) = (
            render(&conn, &create_all(a), &Schema::new()),
            render(&conn, &ops, a),
            render(&conn, &diff(b, &Schema::new()), b),
        ) else {
            continue;
        };
        ran += 1;
        run(&mut conn, &create, &format!("case {i}: create A")).await;
        let built = introspect(&mut conn, &[]).await.unwrap();
        assert_same(
            &built,
            &stored(a),
            &format!("case {i}: create_all(A) = {a:#?}"),
        );
        run(
            &mut conn,
            &change,
            &format!("case {i}: diff(A, B) = {ops:#?}"),
        )
        .await;
        let live = introspect(&mut conn, &[]).await.unwrap();
        assert_same(
            &live,
            &stored(b),
            &format!("case {i}: after diff(A, B) = {ops:#?}\nA = {a:#?}"),
        );
        assert!(
            diff(&live, &stored(b)).is_empty(),
            "case {i}: false drift: {:#?}",
            diff(&live, &stored(b))
        );
        run(&mut conn, &drop, &format!("case {i}: drop all")).await;
        let left = introspect(&mut conn, &[]).await.unwrap();
        assert!(
            left.tables.is_empty() && left.sequences.is_empty(),
            "case {i}: left behind: {left:?}"
        );
    }
    eprintln!("mariadb: {ran} of {} pairs ran", pairs.len());
    assert!(ran * 2 >= pairs.len(), "too many pairs refused: {ran}");
    conn.close().await.unwrap();
}

//! A bulk insert larger than `COPY_MIN_ROWS`: on PostgreSQL it is rendered as one
//! `COPY ... FROM STDIN` and streamed over the COPY protocol, on SQLite and MariaDB as chunked
//! `INSERT`s. On every database the table must end up holding exactly the rows
//! given, special characters, NULLs, booleans and JSON included.

use serde_json::json;
use stratum::db::Connection;
use stratum::dialect::{COPY_MIN_ROWS, render, render_all};
use stratum::ops::Ops;
use stratum::prelude::*;
use stratum::schema::Schema;
use stratum_testkit::each_database;

/// The text stored for row `i`: tabs, newlines, backslashes, quotes and
/// non-ASCII characters on some rows.
fn name(i: usize) -> String {
    match i % 5 {
        0 => format!("plain {i}"),
        1 => format!("tab\there {i}"),
        2 => format!("line\nbreak\r\n{i}"),
        3 => format!("back\\slash \\N {i} 'quoted' \"double\""),
        _ => format!("ünïcødé {i} ✓"),
    }
}

fn rows(n: usize) -> serde_json::Value {
    serde_json::Value::Array(
        (0..n)
            .map(|i| {
                json!({
                    "id": i,
                    "name": name(i),
                    "note": if i % 3 == 0 { serde_json::Value::Null } else { json!(format!("n{i}")) },
                    "flag": i % 2 == 0,
                    "ratio": i as f64 / 8.0,
                    "data": {"i": i, "s": name(i)},
                })
            })
            .collect(),
    )
}

type Read = (i64, String, Option<String>, bool, f64, String);

async fn read_back(conn: &mut Connection) -> Vec<Read> {
    const Q: &str = "SELECT id, name, note, flag, ratio, CAST(data AS TEXT) FROM bulk ORDER BY id";
    if let Some(c) = stratum::testing::driver::postgres(conn) {
        sqlx::query_as(Q).fetch_all(c).await.unwrap()
    } else if let Some(c) = stratum::testing::driver::mysql(conn) {
        // MariaDB has no TEXT cast target (CHAR is its text type), and its
        // BOOLEAN is TINYINT(1), read back as a number.
        const Q: &str =
            "SELECT id, name, note, flag <> 0, ratio, CAST(data AS CHAR) FROM bulk ORDER BY id";
        let rows: Vec<(i64, String, Option<String>, i64, f64, String)> =
            sqlx::query_as(Q).fetch_all(c).await.unwrap();
        rows.into_iter()
            .map(|(id, n, note, flag, ratio, data)| (id, n, note, flag != 0, ratio, data))
            .collect()
    } else {
        let c = stratum::testing::driver::sqlite(conn).unwrap();
        sqlx::query_as(Q).fetch_all(c).await.unwrap()
    }
}

/// The same rows as [`rows`], one value list per row in the order of [`COLUMNS`].
const COLUMNS: [&str; 6] = ["id", "name", "note", "flag", "ratio", "data"];

fn value_lists(n: usize) -> impl Iterator<Item = Vec<serde_json::Value>> {
    let serde_json::Value::Array(all) = rows(n) else {
        unreachable!()
    };
    all.into_iter()
        .map(|r| COLUMNS.iter().map(|c| r[*c].clone()).collect())
}

#[tokio::test]
async fn large_bulk_insert_stores_exactly_the_rows_given() {
    each_database(async |db| {
        // Rows given as JSON objects, then as value lists under column names.
        for by_columns in [false, true] {
            eprintln!("-- rows given by columns: {by_columns}");
            check_large_insert(&db, by_columns).await;
        }
    })
    .await;
}

async fn check_large_insert(db: &stratum_testkit::TestDb, by_columns: bool) {
    {
        let n = COPY_MIN_ROWS * 2 + 37;
        let mut op = Ops::new();
        op.create_table("bulk")
            .column(col("id", big_integer()).primary_key())
            .column(col("name", text()).not_null())
            .column(col("note", varchar_n(20)))
            .column(col("flag", boolean()).not_null())
            .column(col("ratio", double()))
            .column(col("data", jsonb()));
        if by_columns {
            op.bulk_insert_rows("bulk", COLUMNS, value_lists(n));
        } else {
            op.bulk_insert("bulk", rows(n));
        }
        let ops = op.into_vec();
        let mut conn = Connection::connect(db.url()).await.unwrap();
        let dialect = conn.dialect();
        let statements = render_all(dialect, &ops, &Schema::new()).unwrap();
        let insert = render(dialect, &ops[1], &{
            let mut s = Schema::new();
            stratum::simulate::apply(&mut s, &ops[0]).unwrap();
            s
        })
        .unwrap();
        // One COPY where the database loads rows over COPY, chunked INSERTs elsewhere.
        if dialect.capabilities().copy_from_stdin {
            assert_eq!(insert.len(), 1);
            assert!(insert[0].copy_data.is_some());
        } else {
            assert!(insert.len() > 1, "{} statements", insert.len());
            assert!(insert.iter().all(|s| s.copy_data.is_none()));
        }

        conn.execute_statements(&statements).await.unwrap();
        let got = read_back(&mut conn).await;
        assert_eq!(got.len(), n);
        for (i, (id, name_got, note, flag, ratio, data)) in got.into_iter().enumerate() {
            assert_eq!(id, i as i64);
            assert_eq!(name_got, name(i), "row {i}");
            assert_eq!(note, (i % 3 != 0).then(|| format!("n{i}")));
            assert_eq!(flag, i % 2 == 0);
            assert_eq!(ratio, i as f64 / 8.0);
            let data: serde_json::Value = serde_json::from_str(&data).unwrap();
            assert_eq!(data, json!({"i": i, "s": name(i)}), "row {i}");
        }
        conn.execute("DROP TABLE bulk").await.unwrap();
        conn.close().await.unwrap();
    }
}

#[tokio::test]
async fn a_failing_copy_rolls_back_and_names_the_statement() {
    each_database(async |db| {
        // Only a database that loads rows with COPY renders one.
        let conn = Connection::connect(db.url()).await.unwrap();
        if conn.dialect().capabilities().copy_from_stdin {
            failing_copy(conn).await;
        }
    })
    .await;
}

async fn failing_copy(mut conn: Connection) {
    let mut op = Ops::new();
    op.create_table("bulk")
        .column(col("id", big_integer()).primary_key())
        .column(col("name", text()).not_null());
    // Duplicate primary keys: the COPY itself fails on the server.
    op.bulk_insert(
        "bulk",
        serde_json::Value::Array(
            (0..=COPY_MIN_ROWS)
                .map(|i| json!({"id": i % 1000, "name": "x"}))
                .collect(),
        ),
    );
    let statements = render_all(conn.dialect(), &op.into_vec(), &Schema::new()).unwrap();
    let err = conn.execute_statements(&statements).await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("COPY \"bulk\""), "{text}");
    assert!(text.contains("duplicate key"), "{text}");
    // The connection is usable afterwards and the table was rolled back with it.
    let c = stratum::testing::driver::postgres(&mut conn).unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_class WHERE relname = 'bulk'")
        .fetch_one(c)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

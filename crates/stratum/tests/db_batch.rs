//! `Connection::run_batch` on each dialect: every statement's output lands at its
//! own index, and a failure names the statement that failed, whether the database
//! reports it while parsing (a syntax error, before anything runs) or while running
//! (after the statements before it).

use stratum::db::{CommandOutput, Connection};
use stratum::dialect::Statement;
use stratum_testkit::{Backend, each_database};

fn statements(sql: &[&str]) -> Vec<Statement> {
    sql.iter().map(|s| Statement::new(*s)).collect()
}

fn refs(s: &[Statement]) -> Vec<&Statement> {
    s.iter().collect()
}

fn text_rows(out: &CommandOutput) -> Vec<Vec<Option<String>>> {
    out.rows.clone()
}

#[tokio::test]
async fn outputs_line_up_with_statements() {
    each_database(async |db| {
        let mut conn = Connection::connect(db.url()).await.unwrap();
        let batch = statements(&[
            "CREATE TABLE t (id INTEGER, name TEXT)",
            "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL)",
            // A statement holding several runs on its own and counts as one.
            "UPDATE t SET name = 'x' WHERE id = 1; UPDATE t SET name = 'y' WHERE id = 2",
            "SELECT id, name FROM t ORDER BY id",
            "DELETE FROM t WHERE id > 1",
        ]);
        let out = conn.run_batch(&refs(&batch)).await.unwrap();
        assert_eq!(out.len(), 5);
        assert_eq!(out[1].rows_affected, 3);
        assert_eq!(out[2].rows_affected, 2);
        assert_eq!(
            text_rows(&out[3]),
            vec![
                vec![Some("1".into()), Some("x".into())],
                vec![Some("2".into()), Some("y".into())],
                vec![Some("3".into()), None],
            ]
        );
        assert!(out[4].rows.is_empty());
        assert_eq!(out[4].rows_affected, 2);
        // A trailing comment cannot swallow what follows, and a statement that is
        // only a comment (no completion at all) shifts nothing.
        let batch = statements(&[
            "INSERT INTO t VALUES (7, 'c') -- a note",
            "/* nothing to run */",
            "DELETE FROM t WHERE id = 7",
            "UPDATE t SET name = 'z' WHERE id = 1",
        ]);
        let out = conn.run_batch(&refs(&batch)).await.unwrap();
        assert_eq!(out.len(), 4);
        assert_eq!(
            out.iter().map(|o| o.rows_affected).collect::<Vec<_>>(),
            [1, 0, 1, 1]
        );
        conn.close().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn a_failure_names_its_statement_and_keeps_what_ran_before() {
    each_database(async |db| {
        let mut conn = Connection::connect(db.url()).await.unwrap();
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            .await
            .unwrap();
        // Fails while running: the two statements before it completed.
        let batch = statements(&[
            "INSERT INTO t VALUES (1)",
            "INSERT INTO t VALUES (2)",
            "INSERT INTO t VALUES (1)",
            "INSERT INTO t VALUES (3)",
        ]);
        let failure = conn.run_batch(&refs(&batch)).await.unwrap_err();
        assert_eq!(failure.index, 2, "{}", failure.error);
        assert_eq!(failure.completed.len(), 2);
        assert_eq!(failure.completed[1].rows_affected, 1);
        // A syntax error: PostgreSQL refuses the whole message before running
        // any of it, and the error still names the third statement.
        let batch = statements(&[
            "INSERT INTO t VALUES (10)",
            "SELECT 1",
            "CREATE TABLE u (x INTEGER,)",
            "INSERT INTO t VALUES (11)",
        ]);
        let failure = conn.run_batch(&refs(&batch)).await.unwrap_err();
        assert_eq!(failure.index, 2, "{}", failure.error);
        let ran_first = match db.backend() {
            Backend::Postgres => 0,
            Backend::Sqlite | Backend::Mysql => 2,
        };
        assert_eq!(failure.completed.len(), ran_first);
        conn.close().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn copy_statements_run_between_batched_ones() {
    each_database(async |db| {
        // COPY only where the database loads rows over COPY.
        let conn = Connection::connect(db.url()).await.unwrap();
        if conn.dialect().capabilities().copy_from_stdin {
            copy_between_batched(conn).await;
        }
    })
    .await;
}

async fn copy_between_batched(mut conn: Connection) {
    let mut copy = Statement::new("COPY t (id, name) FROM STDIN");
    copy.copy_data = Some("1\tone\n2\t\\N\n".into());
    let batch = vec![
        Statement::new("CREATE TABLE t (id INTEGER, name TEXT)"),
        copy,
        Statement::new("SELECT CAST(count(*) AS TEXT) FROM t WHERE name IS NULL"),
    ];
    let out = conn.run_batch(&refs(&batch)).await.unwrap();
    assert_eq!(out.len(), 3);
    assert_eq!(out[1].rows_affected, 2);
    assert_eq!(out[2].rows, vec![vec![Some("1".to_string())]]);
    conn.close().await.unwrap();
}

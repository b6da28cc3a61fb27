use super::*;
use crate::backend::registry::for_dialect;
use crate::runner::DEFAULT_HISTORY_TABLE;
use crate::runner::plan::Step;

fn statements(sql: &[&str]) -> Vec<Statement> {
    sql.iter().map(|s| Statement::new(*s)).collect()
}

fn applied(seq: usize, sql: &str) -> Recorded {
    Recorded {
        seq,
        total: 3,
        hash: statement_hash(sql),
        outcome: Outcome::Applied,
        sql: sql.to_string(),
        error: None,
        heads_before: vec!["a".into()],
        heads_after: vec!["b".into()],
    }
}

fn failed(seq: usize, sql: &str, error: &str) -> Recorded {
    Recorded {
        outcome: Outcome::Failed,
        error: Some(error.to_string()),
        ..applied(seq, sql)
    }
}

fn running(seq: usize, sql: &str) -> Recorded {
    Recorded {
        outcome: Outcome::Running,
        ..applied(seq, sql)
    }
}

const REVISION: [&str; 3] = [
    "CREATE TABLE t (id INTEGER)",
    "ALTER TABLE t ADD COLUMN name TEXT",
    "CREATE INDEX t_name ON t (name)",
];

#[test]
fn the_default_progress_table_follows_the_history_table() {
    assert_eq!(
        progress_table_name(DEFAULT_HISTORY_TABLE),
        DEFAULT_PROGRESS_TABLE
    );
    assert_eq!(progress_table_name("my_history"), "my_history_progress");
}

#[test]
fn hashes_are_sha256_of_the_sql() {
    assert_eq!(
        statement_hash(""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_ne!(statement_hash("SELECT 1"), statement_hash("SELECT  1"));
}

#[test]
fn nothing_recorded_starts_at_the_first_statement() {
    assert_eq!(resume_at(&[], &statements(&REVISION)), Ok(0));
}

#[test]
fn resumes_at_the_failed_statement_whatever_it_says_now() {
    let recorded = vec![
        failed(2, "ALTER TABLE t ADD COLUMN nme TXT", "syntax error"),
        applied(1, REVISION[0]),
    ];
    assert_eq!(resume_at(&recorded, &statements(&REVISION)), Ok(1));
}

#[test]
fn resumes_after_the_last_recorded_statement_of_a_killed_run() {
    let recorded = vec![applied(2, REVISION[1]), applied(1, REVISION[0])];
    assert_eq!(resume_at(&recorded, &statements(&REVISION)), Ok(2));
    // Killed while the third ran: that one runs again.
    let recorded = vec![
        applied(1, REVISION[0]),
        running(3, REVISION[2]),
        applied(2, REVISION[1]),
    ];
    assert_eq!(resume_at(&recorded, &statements(&REVISION)), Ok(2));
}

#[test]
fn a_changed_applied_statement_is_named_with_both_texts() {
    let recorded = vec![applied(1, REVISION[0]), applied(2, REVISION[1])];
    let now = [
        REVISION[0],
        "ALTER TABLE t ADD COLUMN title TEXT",
        REVISION[2],
    ];
    assert_eq!(
        resume_at(&recorded, &statements(&now)),
        Err(ResumeMismatch::Changed {
            seq: 2,
            recorded: REVISION[1].to_string(),
            now: "ALTER TABLE t ADD COLUMN title TEXT".to_string(),
        })
    );
}

#[test]
fn a_revision_shorter_than_what_ran_is_refused() {
    let recorded = vec![applied(1, REVISION[0]), applied(2, REVISION[1])];
    assert_eq!(
        resume_at(&recorded, &statements(&REVISION[..1])),
        Err(ResumeMismatch::Shorter {
            applied: 2,
            total: 1
        })
    );
}

#[test]
fn a_missing_record_is_refused() {
    let recorded = vec![applied(1, REVISION[0]), applied(3, REVISION[2])];
    assert_eq!(
        resume_at(&recorded, &statements(&REVISION)),
        Err(ResumeMismatch::Gap { seq: 3, missing: 2 })
    );
}

#[test]
fn rows_group_into_partial_revisions_with_the_failure() {
    let rows = vec![
        ("b".to_string(), Direction::Up, applied(1, REVISION[0])),
        (
            "b".to_string(),
            Direction::Up,
            failed(2, REVISION[1], "Duplicate column name 'name'"),
        ),
    ];
    let found = partials(rows);
    assert_eq!(
        found,
        vec![PartialRevision {
            revision: "b".into(),
            direction: Direction::Up,
            applied: 1,
            total: 3,
            failed_statement: Some(REVISION[1].to_string()),
            error: Some("Duplicate column name 'name'".into()),
            running_statement: None,
            heads_before: vec!["a".into()],
            heads_after: vec!["b".into()],
        }]
    );
    assert_eq!(
        found[0].summary(),
        "upgrade b: 1 of 3 statements applied; statement 2 failed: ALTER TABLE t ADD COLUMN name TEXT; error: Duplicate column name 'name'"
    );
    let between = partials(vec![("b".into(), Direction::Down, applied(1, REVISION[0]))]);
    assert_eq!(
        between[0].summary(),
        "downgrade b: 1 of 3 statements applied; the run stopped (killed, or its connection lost) before statement 2"
    );
    let during = partials(vec![
        ("b".into(), Direction::Up, applied(1, REVISION[0])),
        ("b".into(), Direction::Up, running(2, REVISION[1])),
    ]);
    assert_eq!(during[0].applied, 1);
    assert_eq!(during[0].running_statement.as_deref(), Some(REVISION[1]));
    assert_eq!(
        during[0].summary(),
        "upgrade b: 1 of 3 statements applied; the run stopped (killed, or its connection lost) while statement 2 ran, which the server may have finished: ALTER TABLE t ADD COLUMN name TEXT"
    );
}

#[test]
fn record_sql_quotes_for_the_dialect_and_keeps_the_heads() {
    let table = ProgressTable::for_history("h");
    let step = Step {
        id: "b".into(),
        direction: Direction::Up,
        message: String::new(),
        file: String::new(),
        ops: vec![],
        checksum: String::new(),
        transactional: true,
        heads_before: vec!["a".into(), "c".into()],
        heads_after: vec!["b".into()],
    };
    let rows = [
        (1, "CREATE TABLE a (x int)", Outcome::Applied),
        (2, "INSERT INTO t VALUES ('it''s')", Outcome::Running),
    ];
    let values = format!(
        "VALUES ('b', 'upgrade', 1, 3, '{}', 'applied', 'CREATE TABLE a (x int)', NULL, 'a,c', 'b'), ('b', 'upgrade', 2, 3, '{}', 'running', 'INSERT INTO t VALUES (''it''''s'')', NULL, 'a,c', 'b')",
        statement_hash("CREATE TABLE a (x int)"),
        statement_hash("INSERT INTO t VALUES ('it''s')")
    );
    let insert = "INSERT INTO \"h_progress\" (revision, direction, seq, total, sql_hash, outcome, sql_text, error_message, heads_before, heads_after)";
    assert_eq!(
        table.record_rows_sql(for_dialect(Dialect::Mysql), &step, 3, &rows),
        format!(
            "{insert} {values} ON DUPLICATE KEY UPDATE total = VALUES(total), sql_hash = VALUES(sql_hash), outcome = VALUES(outcome), sql_text = VALUES(sql_text), error_message = VALUES(error_message), heads_before = VALUES(heads_before), heads_after = VALUES(heads_after)"
        )
    );
    assert_eq!(
        table.record_rows_sql(for_dialect(Dialect::Postgres), &step, 3, &rows),
        format!(
            "{insert} {values} ON CONFLICT (revision, direction, seq) DO UPDATE SET total = excluded.total, sql_hash = excluded.sql_hash, outcome = excluded.outcome, sql_text = excluded.sql_text, error_message = excluded.error_message, heads_before = excluded.heads_before, heads_after = excluded.heads_after"
        )
    );
    assert_eq!(
        table.clear_sql(Dialect::Postgres, "b", Direction::Down),
        "DELETE FROM \"h_progress\" WHERE revision = 'b' AND direction = 'downgrade'"
    );
}

#[test]
fn the_answer_updates_the_running_row() {
    let table = ProgressTable::for_history("stratum_history");
    let step = Step {
        id: "b".into(),
        direction: Direction::Up,
        message: String::new(),
        file: String::new(),
        ops: vec![],
        checksum: String::new(),
        transactional: false,
        heads_before: vec![],
        heads_after: vec!["b".into()],
    };
    assert_eq!(
        table.outcome_sql(Dialect::Postgres, &step, 2, Outcome::Applied, None),
        "UPDATE \"stratum_history_progress\" SET outcome = 'applied', error_message = NULL WHERE revision = 'b' AND direction = 'upgrade' AND seq = 2"
    );
    assert_eq!(
        table.outcome_sql(
            Dialect::Sqlite,
            &step,
            3,
            Outcome::Failed,
            Some("no such table: x")
        ),
        "UPDATE \"stratum_history_progress\" SET outcome = 'failed', error_message = 'no such table: x' WHERE revision = 'b' AND direction = 'upgrade' AND seq = 3"
    );
}

#[test]
fn long_statements_are_recorded_shortened_on_one_line() {
    let sql = format!("SELECT\n  {}", "x, ".repeat(100));
    let short = shorten(&sql);
    assert!(!short.contains('\n'));
    assert!(short.ends_with("..."));
    assert_eq!(short.chars().count(), RECORDED_SQL_CHARS + 3);
}

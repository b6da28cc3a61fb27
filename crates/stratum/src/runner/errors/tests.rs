use super::*;

#[test]
fn long_statements_are_shortened_to_one_line() {
    let sql = format!("SELECT\n  {}", "x, ".repeat(200));
    let s = shorten(&sql);
    assert!(!s.contains('\n'));
    assert!(s.ends_with("..."));
    assert_eq!(s.chars().count(), SHOWN_STATEMENT_CHARS + 3);
    assert_eq!(shorten("SELECT  1\n"), "SELECT 1");
}

#[test]
fn messages_show_values_as_sql_does_not_as_rust_debug() {
    let shown = |row: Option<&str>, reason| {
        RunError::from(VersionTableError::Malformed {
            table: "alembic_version".into(),
            row: row.map(str::to_string),
            reason,
        })
        .to_string()
    };
    let empty = shown(Some(""), "empty");
    assert!(empty.contains("(empty): ''"), "{empty}");
    let null = shown(None, "NULL");
    assert!(null.contains("(NULL): NULL"), "{null}");
    let bell = shown(Some("a\u{7}b"), "quote, backslash or control character");
    assert!(bell.contains("'a\\u{7}b'"), "{bell}");
    let changed = RunError::ConcurrentChange {
        revision: "002".into(),
        expected: vec!["001".into()],
        found: vec![],
    }
    .to_string();
    assert!(changed.contains("expected 001, found base"), "{changed}");
    let waited = RunError::LockTimeout {
        waited: Duration::from_millis(2003),
        holder: None,
    }
    .to_string();
    assert!(waited.contains("within 2s:"), "{waited}");
    for text in [empty, null, bell, changed, waited] {
        for debug in ["Some(", "None", "[\"", "\\\""] {
            assert!(!text.contains(debug), "{debug} in {text}");
        }
    }
}

#[test]
fn lost_connection_says_whether_the_outcome_is_known() {
    let lost = |during_commit| RunError::ConnectionLost {
        revision: "002".into(),
        direction: Direction::Up,
        during_commit,
        code: Some("57P01".into()),
        message: "terminating connection due to administrator command".into(),
    };
    let text = lost(false).to_string();
    assert!(
        text.contains("lost during upgrade of revision 002"),
        "{text}"
    );
    assert!(text.contains("administrator command [57P01]"), "{text}");
    assert!(text.contains("the revision was rolled back"), "{text}");
    let text = lost(true).to_string();
    assert!(text.contains("during the revision's COMMIT"), "{text}");
    assert!(!text.contains("the revision was rolled back"), "{text}");
    assert_eq!(lost(true).revision(), Some("002"));
}

#[test]
fn statement_failure_names_revision_statement_and_code() {
    let e = RunError::StatementFailed {
        revision: "002".into(),
        direction: Direction::Up,
        statement: "CREATE TABLE t (".into(),
        code: Some("42601".into()),
        message: "syntax error at end of input".into(),
    };
    let text = e.to_string();
    assert!(text.contains("revision 002"), "{text}");
    assert!(text.contains("CREATE TABLE t ("), "{text}");
    assert!(text.contains("[42601]"), "{text}");
    assert!(text.contains("rolled back"), "{text}");
    assert_eq!(e.revision(), Some("002"));
}

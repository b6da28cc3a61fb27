use super::*;

#[test]
fn timeouts_are_postgres_only_and_scoped() {
    let l = Some(Duration::from_secs(2));
    let s = Some(Duration::from_millis(1500));
    assert_eq!(
        timeout_settings(Dialect::Postgres, true, l, s),
        vec![
            "SET LOCAL lock_timeout = '2000ms'".to_string(),
            "SET LOCAL statement_timeout = '1500ms'".to_string()
        ]
    );
    assert_eq!(
        timeout_settings(Dialect::Postgres, false, l, None),
        vec!["SET lock_timeout = '2000ms'".to_string()]
    );
    assert!(timeout_settings(Dialect::Sqlite, true, l, s).is_empty());
}

#[test]
fn settings_follow_begin_and_defer_only_when_asked() {
    let settings = timeout_settings(Dialect::Postgres, true, Some(Duration::from_secs(3)), None);
    let list = |d, s: &[String], c| begin_settings(d, s, c).collect::<Vec<_>>();
    assert_eq!(
        list(Dialect::Postgres, &settings, Commit::Durable),
        vec!["SET LOCAL lock_timeout = '3000ms'".to_string()]
    );
    assert_eq!(
        list(Dialect::Postgres, &settings, Commit::Deferred),
        vec![
            "SET LOCAL lock_timeout = '3000ms'".to_string(),
            "SET LOCAL synchronous_commit = off".to_string()
        ]
    );
    assert!(list(Dialect::Postgres, &[], Commit::Durable).is_empty());
    assert!(list(Dialect::Sqlite, &settings, Commit::Deferred).is_empty());
}

#[test]
fn head_comparison_ignores_order() {
    let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert!(same_heads(&v(&["b", "a"]), &v(&["a", "b"])));
    assert!(!same_heads(&v(&["a"]), &v(&["a", "b"])));
}

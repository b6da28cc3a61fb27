//! Revisions that stop half-way on MariaDB, where every DDL statement commits
//! on its own: the statement progress recorded after each statement, `current`
//! and `history -i` showing the partial revision, the next `upgrade` resuming
//! at the failed statement (and refusing when an applied statement changed),
//! `kill -9` between two statements, the `GET_LOCK` migration lock freed with
//! the killed session, `resolve` both ways, and `downgrade` and `stamp` of a
//! partial revision refused.

mod common;

use common::*;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use stratum_testkit::TestDb;

/// The progress table with the default history table.
const PROGRESS: &str = stratum::runner::DEFAULT_PROGRESS_TABLE;

/// The one revision of `faultapp-slow-migrate`: create, `SELECT SLEEP(4)`, create.
const SLOW: &str = "fd0000000001";

async fn fixture() -> Option<Fixture> {
    TestDb::mysql().await.map(Fixture::new)
}

/// Text rows of a query on the test database.
async fn rows(f: &Fixture, sql: &str) -> Vec<Vec<Option<String>>> {
    let mut conn = f.connect().await;
    let rows = conn.query_text(sql).await.expect(sql);
    conn.close().await.ok();
    rows
}

async fn exec(f: &Fixture, sql: &str) {
    let mut conn = f.connect().await;
    conn.execute(sql).await.expect(sql);
    conn.close().await.ok();
}

/// `(seq, outcome)` of the recorded progress rows.
async fn progress(f: &Fixture) -> Vec<(String, String)> {
    rows(
        f,
        &format!("SELECT CAST(seq AS CHAR), outcome FROM {PROGRESS} ORDER BY seq"),
    )
    .await
    .into_iter()
    .map(|r| (r[0].clone().unwrap(), r[1].clone().unwrap()))
    .collect()
}

async fn tables(f: &Fixture) -> Vec<String> {
    let mut names: Vec<String> = rows(
        f,
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables WHERE table_schema = DATABASE()",
    )
    .await
    .into_iter()
    .filter_map(|r| r[0].clone())
    .collect();
    names.sort();
    names
}

/// Upgrades with the broken chain: its fifth revision's first statement runs,
/// the second fails.
async fn partial_fifth(f: &Fixture) -> Run {
    let run = f.run(Bin::Broken, &["upgrade", "head"]);
    run.assert_code(4)
        .assert_mentions("failed at statement 2 of 2")
        .assert_mentions("the run resumes at statement 2");
    assert_eq!(f.version_rows().await, vec![F4]);
    assert_eq!(
        progress(f).await,
        vec![
            ("1".into(), "applied".into()),
            ("2".into(), "failed".into())
        ]
    );
    run
}

fn slow(f: &Fixture) -> Command {
    let mut cmd = stratum_testkit::migrate_command(
        assert_cmd::cargo::cargo_bin!("faultapp-slow-migrate"),
        f.dir.path(),
    );
    cmd.args(["--url", f.db.url()]);
    cmd
}

#[tokio::test]
async fn a_failed_statement_is_shown_and_the_fixed_revision_resumes_there() {
    let Some(f) = fixture().await else { return };
    partial_fifth(&f).await;
    assert!(tables(&f).await.contains(&"entry".to_string()));

    let current = f.run(Bin::Broken, &["current"]);
    current
        .assert_code(0)
        .assert_mentions("fa0000000004\n")
        .assert_mentions(
            "fa0000000005 (partly applied: upgrade stopped at statement 2 of 2, 1 applied)",
        )
        .assert_mentions(
            "    failed: CREATE TABLE entry_tag (entry_id integer NOT NULL,, tag varchar(20))",
        )
        .assert_mentions("    error:  You have an error in your SQL syntax");
    let json = f.run(Bin::Broken, &["current", "--format", "json"]);
    json.assert_code(0);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let partial = &doc["partly_applied"][0];
    assert_eq!(partial["id"], F5);
    assert_eq!(partial["direction"], "upgrade");
    assert_eq!(partial["applied"], 1);
    assert_eq!(partial["total"], 2);
    assert_eq!(partial["failed_statement"], 2);
    assert!(
        partial["error"].as_str().unwrap().contains("SQL syntax"),
        "{doc}"
    );
    assert_eq!(doc["current"][0]["id"], F4);

    let history = f.run(Bin::Broken, &["history", "-i"]);
    history.assert_code(0).assert_mentions(
        "fa0000000004 -> fa0000000005 (head) (partly applied: 1 of 2), Create entry and entry_tag",
    );
    let json = f.run(Bin::Broken, &["history", "-i", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let fifth = doc["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == F5)
        .expect("the fifth revision");
    assert_eq!(fifth["partly_applied"]["applied"], 1, "{doc}");

    // The fixed chain resumes at the second statement: the first, which would
    // fail now that `entry` exists, is not run again.
    let run = f.run(Bin::Good, &["-v", "upgrade", "head"]);
    run.assert_code(0)
        .assert_mentions("resuming upgrade of revision fa0000000005 at statement 2 of 2");
    assert!(
        !run.all().contains("CREATE TABLE `entry` ("),
        "{}",
        run.all()
    );
    assert_eq!(f.version_rows().await, vec![F6]);
    assert!(progress(&f).await.is_empty());
    f.run(Bin::Good, &["check"]).assert_code(0);
    let current = f.run(Bin::Good, &["current"]);
    assert!(
        !current.all().contains("partly applied"),
        "{}",
        current.all()
    );
}

#[tokio::test]
async fn a_changed_applied_statement_is_refused_with_exit_5() {
    let Some(f) = fixture().await else { return };
    partial_fifth(&f).await;
    // What ran as statement 1 is not what the revision renders now (as if
    // its first table had been edited after the failed run).
    exec(
        &f,
        &format!(
            "UPDATE {PROGRESS} SET sql_hash = '{}', sql_text = 'CREATE TABLE entry (id BIGINT)' WHERE seq = 1",
            stratum::runner::statement_hash("CREATE TABLE entry (id BIGINT)")
        ),
    )
    .await;
    let run = f.run(Bin::Good, &["upgrade", "head"]);
    run.assert_code(5)
        .assert_mentions("upgrade of revision fa0000000005 stopped part-way earlier and cannot resume: statement 1 ran as `CREATE TABLE entry (id BIGINT)` but the revision now says `CREATE TABLE `entry`")
        .assert_mentions("`resolve fa0000000005 --applied`");
    assert_eq!(f.version_rows().await, vec![F4]);
    assert_eq!(progress(&f).await.len(), 2, "nothing was run or recorded");
}

#[tokio::test]
async fn a_run_killed_between_two_statements_resumes_and_the_lock_is_freed() {
    let Some(f) = fixture().await else { return };
    let child = slow(&f)
        .args(["-v", "upgrade", "head"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut watched = Watched::new(child);
    // Announced once the first statement ran and was recorded.
    watched.wait_for("SELECT SLEEP(4)");
    watched.child.kill().expect("kill -9");
    let killed = watched.finish();
    assert_eq!(killed.code, None, "killed by a signal: {}", killed.all());

    // The sleep was sent and never answered.
    assert_eq!(
        progress(&f).await,
        vec![
            ("1".into(), "applied".into()),
            ("2".into(), "running".into())
        ]
    );
    assert!(f.version_rows().await.is_empty());
    let current = Run::from_output(slow(&f).arg("current").output().unwrap());
    current
        .assert_code(0)
        .assert_mentions(
            "fd0000000001 (partly applied: upgrade stopped at statement 2 of 3, 1 applied)",
        )
        .assert_mentions("    running when the run stopped: SELECT SLEEP(4)")
        .assert_mentions("killed or lost its connection while statement 2 ran");

    // The killed process's session holds `GET_LOCK` until the server ends it
    // (once its sleep is over); the next run waits for it, then resumes.
    let started = Instant::now();
    let rerun = Run::from_output(
        slow(&f)
            .args(["--lock-timeout", "60s", "upgrade", "head"])
            .output()
            .unwrap(),
    );
    eprintln!(
        "the rerun finished {:?} after the kill (lock wait included)",
        started.elapsed()
    );
    rerun.assert_code(0).assert_mentions(&format!(
        "resuming upgrade of revision {SLOW} at statement 2 of 3"
    ));
    assert_eq!(f.version_rows().await, vec![SLOW]);
    assert!(progress(&f).await.is_empty());
    let names = tables(&f).await;
    assert!(
        names.contains(&"slow_first".to_string()) && names.contains(&"slow_second".to_string())
    );
    Run::from_output(slow(&f).arg("check").output().unwrap()).assert_code(0);
}

#[tokio::test]
async fn the_migration_lock_of_a_killed_holder_is_free_for_the_next_run() {
    let Some(f) = fixture().await else { return };
    // The server-side name of the lock, as the backend computes it.
    let key = format!(
        "CONCAT('stratum_', LEFT(SHA2(CONCAT(DATABASE(), '/', '{}'), 256), 16))",
        stratum::runner::lock_key(stratum::runner::DEFAULT_VERSION_TABLE)
    );
    let child = slow(&f)
        .args(["-v", "upgrade", "head"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut watched = Watched::new(child);
    watched.wait_for("SELECT SLEEP(4)");
    // The lock is held while the revision runs.
    let used = rows(&f, &format!("SELECT CAST(IS_USED_LOCK({key}) AS CHAR)")).await;
    assert!(used[0][0].is_some(), "the running migrator holds the lock");
    watched.child.kill().expect("kill -9");
    watched.finish();
    // The server frees the lock with the killed client's session; the wait is
    // bounded by PATIENCE only so a bug cannot hang the suite.
    let started = Instant::now();
    loop {
        let free = rows(&f, &format!("SELECT CAST(IS_FREE_LOCK({key}) AS CHAR)")).await;
        if free[0][0].as_deref() == Some("1") {
            break;
        }
        assert!(started.elapsed() < PATIENCE, "the lock is still held");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!("the lock was free {:?} after the kill", started.elapsed());
    // A second run takes it at once (1 ms: one attempt).
    let next = Run::from_output(
        slow(&f)
            .args(["--lock-timeout", "1ms", "upgrade", "head"])
            .output()
            .unwrap(),
    );
    next.assert_code(0);
}

#[tokio::test]
async fn resolve_applied_after_finishing_by_hand() {
    let Some(f) = fixture().await else { return };
    partial_fifth(&f).await;
    // Usage: one of the two outcomes, exactly.
    f.run(Bin::Good, &["resolve", F5]).assert_code(2);
    f.run(Bin::Good, &["resolve", F5, "--applied", "--rolled-back"])
        .assert_code(2);
    // Not partial.
    f.run(Bin::Good, &["resolve", F4, "--applied"])
        .assert_code(5)
        .assert_mentions("revision fa0000000004 is not partly applied");
    // The rest of the revision, by hand, then recorded.
    exec(
        &f,
        "CREATE TABLE entry_tag (entry_id int NOT NULL, tag varchar(20) NOT NULL)",
    )
    .await;
    f.run(Bin::Good, &["resolve", "fa0000000005", "--applied"])
        .assert_code(0)
        .assert_mentions("fa0000000005: marked applied (by hand after 1 of 2 statements); the database is at fa0000000005");
    assert_eq!(f.version_rows().await, vec![F5]);
    assert!(progress(&f).await.is_empty());
    let by = rows(
        &f,
        "SELECT direction, applied_by FROM stratum_history WHERE revision = 'fa0000000005'",
    )
    .await;
    assert_eq!(by.len(), 1);
    assert_eq!(by[0][0].as_deref(), Some("upgrade"));
    assert!(
        by[0][1]
            .as_deref()
            .unwrap()
            .ends_with("(resolve --applied after 1 of 2 statements ran)"),
        "{by:?}"
    );
    // Resolving again is refused: nothing is partial any more.
    f.run(Bin::Good, &["resolve", F5, "--applied"])
        .assert_code(5);
    f.run(Bin::Good, &["upgrade", "head"]).assert_code(0);
    assert_eq!(f.version_rows().await, vec![F6]);
    f.run(Bin::Good, &["check"]).assert_code(0);
}

#[tokio::test]
async fn resolve_rolled_back_after_undoing_by_hand() {
    let Some(f) = fixture().await else { return };
    partial_fifth(&f).await;
    exec(&f, "DROP TABLE entry").await;
    let json = f.run(
        Bin::Good,
        &["resolve", F5, "--rolled-back", "--format", "json"],
    );
    json.assert_code(0);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(doc["as"], "rolled-back");
    assert_eq!(doc["resolved"]["id"], F5);
    assert_eq!(doc["heads_after"], serde_json::json!([F4]));
    assert_eq!(f.version_rows().await, vec![F4]);
    assert!(progress(&f).await.is_empty());
    // The next upgrade runs the whole revision again.
    let run = f.run(Bin::Good, &["upgrade", "head"]);
    run.assert_code(0);
    assert!(!run.all().contains("resuming"), "{}", run.all());
    f.run(Bin::Good, &["check"]).assert_code(0);
}

#[tokio::test]
async fn downgrade_of_a_partial_revision_is_refused_with_instructions() {
    let Some(f) = fixture().await else { return };
    partial_fifth(&f).await;
    let before = tables(&f).await;
    f.run(Bin::Good, &["downgrade", "-1"])
        .assert_code(5)
        .assert_mentions("downgrade fa0000000004 refused: upgrade fa0000000005: 1 of 2 statements applied; statement 2 failed")
        .assert_mentions("run the same upgrade again (it resumes at statement 2)")
        .assert_mentions("`resolve fa0000000005 --rolled-back`")
        .assert_mentions("hint: to undo the 1 statement(s) of fa0000000005 that ran, check the database, run by hand:\n    DROP TABLE `entry`;\n  then `resolve fa0000000005 --rolled-back`");
    assert_eq!(f.version_rows().await, vec![F4]);
    assert_eq!(tables(&f).await, before, "nothing ran");
    // Once undone and resolved, the downgrade runs.
    exec(&f, "DROP TABLE entry").await;
    f.run(Bin::Good, &["resolve", F5, "--rolled-back"])
        .assert_code(0);
    f.run(Bin::Good, &["downgrade", "-1"]).assert_code(0);
    assert_eq!(f.version_rows().await, vec![F3]);
}

#[tokio::test]
async fn stamp_of_a_database_with_a_partial_revision_is_refused_with_instructions() {
    let Some(f) = fixture().await else { return };
    partial_fifth(&f).await;
    for args in [
        &["stamp", F3][..],
        &["stamp", F6],
        &["stamp", "--purge", F3],
    ] {
        f.run(Bin::Good, args)
            .assert_code(5)
            .assert_mentions("stamp refused: upgrade fa0000000005: 1 of 2 statements applied; statement 2 failed")
            .assert_mentions("run the same upgrade again (it resumes at statement 2)")
            .assert_mentions("`resolve fa0000000005 --applied` or `resolve fa0000000005 --rolled-back`")
            .assert_mentions("hint: to undo the 1 statement(s) of fa0000000005 that ran, check the database, run by hand:\n    DROP TABLE `entry`;\n  then `resolve fa0000000005 --rolled-back`");
        assert_eq!(f.version_rows().await, vec![F4], "{args:?} moved nothing");
        assert_eq!(progress(&f).await.len(), 2, "{args:?} kept the progress");
    }
    // Once resolved, the stamp runs.
    exec(&f, "DROP TABLE entry").await;
    f.run(Bin::Good, &["resolve", F5, "--rolled-back"])
        .assert_code(0);
    f.run(Bin::Good, &["stamp", F3]).assert_code(0);
    assert_eq!(f.version_rows().await, vec![F3]);
}

#[tokio::test]
async fn resolve_applied_refuses_a_version_table_moved_since() {
    let Some(f) = fixture().await else { return };
    partial_fifth(&f).await;
    // `stamp` is refused meanwhile: the table is moved by hand.
    exec(
        &f,
        &format!("UPDATE alembic_version SET version_num = '{F3}' WHERE version_num = '{F4}'"),
    )
    .await;
    f.run(Bin::Good, &["resolve", F5, "--applied"])
        .assert_code(5)
        .assert_mentions("cannot mark revision fa0000000005 applied: it started from fa0000000004 but the version table now holds fa0000000003");
    assert_eq!(f.version_rows().await, vec![F3]);
    assert_eq!(progress(&f).await.len(), 2, "the progress is kept");
}

//! Every wait bounded and every exit code as documented: the bookkeeping tables
//! locked by another session (case 24, PostgreSQL and MariaDB), SQLite's first upgrade by several
//! processes (case 27) and its write lock held elsewhere (case 28), wait limits
//! out of range (case 31), and a version-table write the database refuses. Run
//! through the `faultapp-migrate` binary as real processes.

mod common;

use common::*;
use sqlx::{Connection as _, SqliteConnection};
use std::process::Child;
use std::time::{Duration, Instant};
use stratum_testkit::{Backend, TestDb};

const USAGE: i32 = 2;
const MIGRATION_FAILED: i32 = 4;
const LOCK_TIMEOUT: i32 = 6;

/// The lock timeout the tests give, and the bound they allow a run that must not
/// wait longer than about that: generous, the machine is shared.
const TIMEOUT: &str = "2s";
const BOUND: Duration = Duration::from_secs(20);

/// Waits for a spawned run, killing it (and failing) past `PATIENCE`: a run that
/// waits for a lock nobody releases must not hang the suite.
fn finish_within(mut child: Child, what: &str) -> (Run, Duration) {
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return (finish(child), started.elapsed());
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            let run = finish(child);
            panic!("{what} still waited after {PATIENCE:?}:\n{}", run.all());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn case_24_locked_bookkeeping_tables_fail_fast_naming_the_blocker() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let f = Fixture::new(db);
    f.run(Bin::Good, &["upgrade", F3]).assert_code(0);
    let history_before = f.history().await;
    let schema_before = f.schema().await;
    for table in ["alembic_version", "stratum_history"] {
        let lock = TableLock::take(&f, table, "ACCESS EXCLUSIVE", "bookkeeping-holder").await;
        for args in [
            &["upgrade", "head"][..],
            &["downgrade", "-1"],
            &["stamp", F2],
            &["current"],
        ] {
            let mut full = vec!["--lock-timeout", TIMEOUT];
            full.extend_from_slice(args);
            let (run, took) = finish_within(f.spawn(Bin::Good, &full), &args.join(" "));
            if table == "stratum_history" && args == ["current"] {
                // `current` reads only the version table: it does not wait at all.
                run.assert_code(0).assert_mentions(F3);
            } else {
                run.assert_code(LOCK_TIMEOUT)
                    .assert_mentions(&format!("table `{table}`"))
                    .assert_mentions("lock timeout")
                    .assert_mentions(&format!("pid {}", lock.pid))
                    .assert_mentions("application bookkeeping-holder");
            }
            assert!(
                took < BOUND,
                "{} on locked {table} took {took:?}",
                args.join(" ")
            );
        }
        lock.release().await;
        // Nothing changed.
        assert_eq!(f.version_rows().await, [F3], "locked {table}");
        assert_eq!(f.history().await, history_before, "locked {table}");
        assert_eq!(f.schema().await, schema_before, "locked {table}");
        f.assert_no_advisory_lock_eventually().await;
    }
    // The same commands run once the tables are free.
    f.run(Bin::Good, &["--lock-timeout", TIMEOUT, "upgrade", "head"])
        .assert_code(0);
    assert_eq!(f.version_rows().await, [F6]);
}

/// Case 24 on MariaDB: `LOCK TABLES ... WRITE` in another session holds the
/// table's metadata lock, which every reader waits for up to `lock_wait_timeout`.
/// The blocker is not named there: the server lists metadata-lock holders only
/// with the performance schema or a plugin, neither on by default.
#[tokio::test]
async fn case_24_locked_bookkeeping_tables_on_mariadb_fail_at_the_lock_timeout() {
    let Some(db) = TestDb::new(Backend::Mysql).await else {
        return;
    };
    let f = Fixture::new(db);
    f.run(Bin::Good, &["upgrade", F3]).assert_code(0);
    let history_before = f.history().await;
    for (table, commands) in [
        (
            "alembic_version",
            &[
                &["upgrade", "head"][..],
                &["downgrade", "-1"],
                &["stamp", F2],
                &["current"],
            ][..],
        ),
        ("stratum_history", &[&["upgrade", "head"][..]][..]),
    ] {
        let mut holder = f.connect().await;
        holder
            .execute(&format!("LOCK TABLES {table} WRITE"))
            .await
            .unwrap();
        for args in commands {
            // The shortest wait the server has (whole seconds): five runs wait.
            let mut full = vec!["--lock-timeout", "1s"];
            full.extend_from_slice(args);
            let (run, took) = finish_within(f.spawn(Bin::Good, &full), &args.join(" "));
            run.assert_code(LOCK_TIMEOUT)
                .assert_mentions(&format!("table `{table}`"))
                .assert_mentions("lock timeout");
            assert!(
                took < BOUND,
                "{} on locked {table} took {took:?}",
                args.join(" ")
            );
        }
        holder.execute("UNLOCK TABLES").await.unwrap();
        holder.close().await.unwrap();
        assert_eq!(f.version_rows().await, [F3], "locked {table}");
        assert_eq!(f.history().await, history_before, "locked {table}");
    }
    f.run(Bin::Good, &["--lock-timeout", TIMEOUT, "upgrade", "head"])
        .assert_code(0);
    assert_eq!(f.version_rows().await, [F6]);
}

#[tokio::test]
async fn a_statement_timeout_also_bounds_a_locked_version_table() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let f = Fixture::new(db);
    f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
    let lock = TableLock::take(&f, "alembic_version", "ACCESS EXCLUSIVE", "slow-holder").await;
    let (run, took) = finish_within(
        f.spawn(Bin::Good, &["--statement-timeout", TIMEOUT, "current"]),
        "current",
    );
    run.assert_code(MIGRATION_FAILED)
        .assert_mentions("table `alembic_version`")
        .assert_mentions("statement timeout");
    assert!(took < BOUND, "took {took:?}");
    lock.release().await;
}

/// The same on MariaDB, where `max_statement_time` ends the wait.
#[tokio::test]
async fn a_statement_timeout_also_bounds_a_locked_version_table_on_mariadb() {
    let Some(db) = TestDb::new(Backend::Mysql).await else {
        return;
    };
    let f = Fixture::new(db);
    f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
    let mut holder = f.connect().await;
    holder
        .execute("LOCK TABLES alembic_version WRITE")
        .await
        .unwrap();
    let (run, took) = finish_within(
        f.spawn(Bin::Good, &["--statement-timeout", "1s", "current"]),
        "current",
    );
    run.assert_code(MIGRATION_FAILED)
        .assert_mentions("table `alembic_version`")
        .assert_mentions("statement timeout");
    assert!(took < BOUND, "took {took:?}");
    holder.execute("UNLOCK TABLES").await.unwrap();
    holder.close().await.unwrap();
}

/// The upgrade rows of the history table with the process that applied each.
async fn sqlite_upgrades(path: &str) -> Vec<(String, String)> {
    let mut c = SqliteConnection::connect(&format!("sqlite://{path}"))
        .await
        .unwrap();
    let rows = sqlx::query_as(
        "SELECT revision, applied_by FROM stratum_history WHERE direction = 'upgrade' ORDER BY id",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    c.close().await.ok();
    rows
}

#[tokio::test]
async fn case_27_sqlite_first_upgrade_by_five_processes_at_once() {
    for round in 0..10 {
        let f = Fixture::new(TestDb::sqlite());
        let children: Vec<Child> = (0..5)
            .map(|_| f.spawn(Bin::Good, &["--lock-timeout", "60s", "upgrade", "head"]))
            .collect();
        for child in children {
            let (run, _) = finish_within(child, "upgrade head");
            run.assert_code(0);
        }
        assert_eq!(f.version_rows().await, [F6], "round {round}");
        let upgrades = sqlite_upgrades(f.db.name()).await;
        let ids: Vec<&str> = upgrades.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(ids, [F1, F2, F3, F4, F5, F6], "round {round}: {upgrades:?}");
        // One process applied them all; the others waited and found it done.
        let by = &upgrades[0].1;
        assert!(
            upgrades.iter().all(|(_, b)| b == by),
            "round {round}: revisions applied by several processes: {upgrades:?}"
        );
    }
}

#[tokio::test]
async fn case_28_sqlite_write_lock_held_elsewhere_is_a_lock_timeout() {
    let f = Fixture::new(TestDb::sqlite());
    for applied_first in [false, true] {
        if applied_first {
            f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
        }
        let mut writer = SqliteConnection::connect(&format!("{}?mode=rwc", f.db.url()))
            .await
            .unwrap();
        sqlx::raw_sql("BEGIN IMMEDIATE")
            .execute(&mut writer)
            .await
            .unwrap();
        let (run, took) = finish_within(
            f.spawn(Bin::Good, &["--lock-timeout", TIMEOUT, "upgrade", "head"]),
            "upgrade head",
        );
        run.assert_code(LOCK_TIMEOUT)
            .assert_mentions("write lock")
            .assert_mentions("lock timeout");
        assert!(took < BOUND, "took {took:?}");
        sqlx::raw_sql("ROLLBACK")
            .execute(&mut writer)
            .await
            .unwrap();
        writer.close().await.ok();
        let expected: &[&str] = if applied_first { &[F1] } else { &[] };
        assert_eq!(f.version_rows().await, expected);
    }
    f.run(Bin::Good, &["upgrade", "head"]).assert_code(0);
    assert_eq!(f.version_rows().await, [F6]);
}

#[tokio::test]
async fn case_31_wait_limits_out_of_range_are_refused_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing listens there: a run that got as far as connecting would exit 3.
    let url = "postgresql://nobody@127.0.0.1:1/none";
    let cases: &[(&str, &str, &str)] = &[
        ("--lock-timeout", "99999999h", "1ms to 596h"),
        ("--lock-timeout", "2147483648ms", "1ms to 596h"),
        (
            "--lock-timeout",
            "99999999999999999999999999h",
            "1ms to 596h",
        ),
        ("--statement-timeout", "99999999h", "1ms to 596h"),
        ("--lock-timeout", "0", "give 1ms"),
        ("--statement-timeout", "0s", "give 1ms"),
        ("--lock-timeout", "-1s", "not a duration"),
        ("--lock-timeout", "soon", "not a duration"),
    ];
    for (option, value, says) in cases {
        for words in [&["upgrade", "head"][..], &["current"], &["heads"]] {
            let run = Run::from_output(
                command(Bin::Good, dir.path(), url)
                    .arg(format!("{option}={value}"))
                    .args(words)
                    .output()
                    .unwrap(),
            );
            run.assert_code(USAGE)
                .assert_mentions(option)
                .assert_mentions(value)
                .assert_mentions(says);
        }
    }
    // The same limits in the configuration file.
    for (setting, value) in [
        ("lock_timeout", "\"0\""),
        ("lock_timeout", "0"),
        ("statement_timeout", "\"99999999h\""),
        ("statement_timeout", "99999999999"),
    ] {
        std::fs::write(
            dir.path().join("faultapp-migrate.toml"),
            format!("[environments.development]\nurl = \"{url}\"\n{setting} = {value}\n"),
        )
        .unwrap();
        let run = Run::from_output(
            stratum_testkit::migrate_command(
                assert_cmd::cargo::cargo_bin!("faultapp-migrate"),
                dir.path(),
            )
            .args(["--env", "development", "current"])
            .output()
            .unwrap(),
        );
        run.assert_code(USAGE)
            .assert_mentions(&format!("environments.development.{setting}"));
    }
    // A TLS mode that does not exist is a usage error too, not a failed connection.
    let run = Run::from_output(
        command(
            Bin::Good,
            dir.path(),
            "postgresql://u@127.0.0.1:1/db?sslmode=bogus",
        )
        .arg("current")
        .output()
        .unwrap(),
    );
    run.assert_code(USAGE)
        .assert_mentions("sslmode=bogus is not a TLS mode")
        .assert_mentions("verify-full");
}

#[tokio::test]
async fn a_version_table_write_the_database_refuses_is_a_failed_migration() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let f = Fixture::new(db);
    f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
    let schema_before = f.schema().await;
    let mut c = f.pg().await.unwrap();
    sqlx::raw_sql(
        "CREATE FUNCTION refuse_version() RETURNS trigger LANGUAGE plpgsql AS \
         $$ BEGIN RAISE EXCEPTION 'version table is frozen'; END $$; \
         CREATE TRIGGER frozen BEFORE UPDATE OR INSERT ON alembic_version \
         FOR EACH ROW EXECUTE FUNCTION refuse_version();",
    )
    .execute(&mut c)
    .await
    .unwrap();
    f.run(Bin::Good, &["upgrade", "+1"])
        .assert_code(MIGRATION_FAILED)
        .assert_mentions("updating the version table")
        .assert_mentions("version table is frozen");
    assert_eq!(f.version_rows().await, [F1]);
    assert_eq!(
        f.schema().await,
        schema_before,
        "the revision was not rolled back"
    );
    c.close().await.ok();
}

#[tokio::test]
async fn verify_runs_its_scratch_database_under_the_timeouts() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let f = Fixture::new(db);
    // Creating a database copies a template: far longer than 1ms, so a
    // statement timeout that reaches the scratch sessions stops it.
    let run = f.run(Bin::Good, &["--statement-timeout", "1ms", "verify"]);
    assert_ne!(run.code, Some(0), "{}", run.all());
    run.assert_mentions("statement timeout");
    // With room to work, the same command passes.
    f.run(
        Bin::Good,
        &[
            "--lock-timeout",
            TIMEOUT,
            "--statement-timeout",
            "60s",
            "verify",
        ],
    )
    .assert_code(0)
    .assert_mentions("verified up, down and up again");
}

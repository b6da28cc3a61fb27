//! The catalogue of faults the migration tool must survive, each as an automated
//! test against a real PostgreSQL server (and SQLite and MariaDB where it applies). The cases
//! already covered elsewhere are listed here with the test that covers them; the
//! others are below, run through the `faultapp-migrate` binaries as real
//! processes.
//!
//! | case | covered by |
//! |---|---|
//! | 1  invalid second statement (PostgreSQL) | `case_1_2_invalid_second_statement_rolls_back_and_the_fixed_file_reruns` (here); library level: `stratum/tests/runner_online.rs::failing_second_statement_rolls_back_and_a_fixed_rerun_succeeds` |
//! | 2  the same on SQLite | the same test (`each_database`, where DDL is transactional); MariaDB, where a revision stops part-way instead: `partial_mariadb.rs` |
//! | 3  SIGKILL mid-revision and right after a commit | `case_3_sigkill_inside_a_blocked_revision`, `case_3_sigkill_right_after_a_commit` (here) |
//! | 4  SIGTERM / Ctrl-C | `case_4_sigterm_and_sigint_stop_at_a_revision_boundary`, `case_4_a_second_signal_stops_at_once_and_rolls_back`, `case_4_a_signal_while_waiting_for_the_migration_lock_stops_the_wait` (here); library level: `runner_online.rs::cancellation_stops_at_a_revision_boundary` |
//! | 5  10 concurrent `upgrade head` | `stratum-testapp/tests/concurrency.rs::ten_replicas_apply_each_revision_once`; library level: `runner_online.rs::concurrent_runners_apply_each_revision_once` |
//! | 6  migration lock held elsewhere, `--lock-timeout 2s` | `case_6_lock_timeout_names_the_holder` (here); library level: `runner_online.rs::lock_timeout_names_the_holder_and_runs_nothing` |
//! | 7  second run in the same process after a failure | `runner_online.rs::lock_is_released_after_an_error`, `runner_online.rs::dropped_run_closes_the_connection_and_frees_the_lock` |
//! | 8  `CREATE INDEX CONCURRENTLY` while a second migrator waits | `case_8_concurrent_index_while_another_migrator_waits` (here); `runner_online.rs::non_transactional_revision_runs_outside_a_transaction` |
//! | 9  transactional revision with a statement that cannot run in one | `stratum/tests/runner_script.rs::transactional_revision_with_a_concurrent_index_is_refused_before_any_ddl` (plan); `stratum/tests/lint_rules.rs` snapshot `hazard_concurrently` (lint) |
//! | 10 applied revision edited | `case_10_edited_revision_is_refused_by_upgrade_and_check` (here, `upgrade` and `check`); `stratum-testapp/tests/integrity.rs::edited_applied_revision_is_refused`; LF/CRLF/BOM: `stratum/src/script/checksum.rs` tests; `runner_online.rs::checksum_mismatch_is_refused_before_any_ddl` |
//! | 11 database at an unknown revision | `stratum-testapp/tests/integrity.rs::unknown_revision_in_database_is_refused`; `runner_online.rs::unknown_revision_is_refused_before_any_ddl`; the way out by schema: `stratum-testapp/tests/history_detect.rs::a_revision_id_this_chain_lacks_is_replaced_by_the_detected_one`; a revision a finalized squash removed: `stratum/tests/history_squash.rs::a_database_at_a_removed_revision_is_refused_by_name` |
//! | 12 two heads | `stratum-testapp/tests/workflow.rs::two_heads_need_heads_or_a_merge`; the application test kit: `stratum/tests/testing_kit.rs::two_heads_fail_single_head` |
//! | 13 cycle, missing parent, duplicate id, bad header | `stratum/src/script/tests.rs::load_errors_name_files`; `stratum-build` unit tests `duplicate_revision_ids_fail`, `header_must_match_the_file_name` |
//! | 14 unknown target, ambiguous prefix, `-5` past base | `stratum-testapp/tests/workflow.rs::bad_targets_are_refused_and_change_nothing` |
//! | 15 busy table, upgrade with a lock timeout | `case_15_busy_table_fails_fast_naming_the_blocker` (here) |
//! | 16 full round trip | `stratum-testapp/tests/reliability_roundtrip.rs::round_trip_leaves_nothing_behind_and_rebuilds_the_same_catalog`; `smartem/tests/chain_databases.rs`; `verify` (`stratum/tests/verify_roundtrip.rs`); the application test kit: `smartem/tests/migration_kit.rs::downgrade_leaves_no_trace`, `stratum/tests/testing_kit.rs::a_downgrade_that_forgets_a_table_leaves_a_trace` |
//! | 17 password with `@ : % /` by URL, environment variable and file | `stratum-testapp/tests/reliability_passwords.rs`; `stratum-testapp/tests/connection.rs`; `stratum/tests/config_resolve.rs::passwords_with_special_characters_never_show` |
//! | 18 unreachable, refused, wrong password, missing database | `stratum-testapp/tests/connection.rs`; `stratum/tests/config_connect.rs`; one target of a fleet: `smartem/tests/fleet_cli.rs::upgrades_every_database_and_isolates_an_unreachable_one` |
//! | 19 version table missing/duplicated, no DDL rights | `case_19_user_without_ddl_rights_is_refused`, `case_19_tables_without_a_version_table_are_refused_before_any_ddl` (here); `runner_online.rs::duplicate_and_malformed_version_rows_are_refused`; a missing version table in an empty database is simply base (every upgrade test) |
//! | 20 downgrade past an irreversible revision | `case_20_irreversible_downgrade_is_refused_unless_forced` (here) |
//! | 21 scram-sha-256: right/wrong password, `@ : / % # !` in user and password, password file, `.pgpass` | `connections_deployed.rs::scram_passwords_right_wrong_and_with_special_characters`, `connections_deployed.rs::passwords_from_pgpassword_the_password_file_and_pgpass` (throwaway clusters of `stratum_testkit::secure`) |
//! | 22 TLS: require, verify-ca/verify-full with right CA, wrong CA, host-name mismatch, own-root certificate, client certificates, missing root file, channel binding | `connections_deployed.rs::certificate_checks_per_sslmode`, `a_self_signed_certificate_that_is_its_own_root`, `client_certificates`, `channel_binding`, `malformed_settings_are_usage_errors` |
//! | 23 default sslmode over TCP as fast as psql | `bench/run --only tcp` (figures in `docs/benchmarks.md`); the handshake's socket options and key share: `stratum/src/pg/mod.rs`, `stratum/src/pg/tls.rs` |
//! | 24 version or history table locked by another session, `--lock-timeout 2s` | `bounded_waits.rs::case_24_locked_bookkeeping_tables_fail_fast_naming_the_blocker` (`upgrade`, `downgrade`, `stamp`, `current`); `bounded_waits.rs::a_statement_timeout_also_bounds_a_locked_version_table`; MariaDB (`LOCK TABLES`, blocker not named): `bounded_waits.rs::case_24_locked_bookkeeping_tables_on_mariadb_fail_at_the_lock_timeout`, `a_statement_timeout_also_bounds_a_locked_version_table_on_mariadb`; `verify`'s scratch database: `bounded_waits.rs::verify_runs_its_scratch_database_under_the_timeouts` |
//! | 25 server restart (fast shutdown) and `pg_terminate_backend` mid-revision | `faults_connection_lost.rs::case_25_server_restart_rolls_the_revision_back_and_exits_3`, `case_25_terminated_backend_rolls_the_revision_back_and_exits_3` |
//! | 25 network cut mid-revision (packets dropped, no reset) | `network_cut.rs::a_network_cut_mid_revision_ends_the_run_in_bounded_time` |
//! | 26 kill -9 at 50 random moments of a 100-revision run | `faults_kill_random.rs::case_26_kill_9_at_random_moments_on_postgres` (50 trials), `case_26_kill_9_at_random_moments_on_sqlite` (12) |
//! | 27 SQLite: 5 processes do the first `upgrade head` at once | `bounded_waits.rs::case_27_sqlite_first_upgrade_by_five_processes_at_once` (10 rounds); `stratum/src/runner/file_lock.rs` unit tests |
//! | 28 SQLite: another process holds the write lock | `bounded_waits.rs::case_28_sqlite_write_lock_held_elsewhere_is_a_lock_timeout`; library level: `runner_online.rs::sqlite_writer_elsewhere_is_a_lock_timeout` |
//! | 29 SQLite: read-only file, a path that is a directory, a file that is not SQLite (disk full: elsewhere) | `smartem/tests/cli_inputs.rs::upgrade_names_a_file_it_cannot_migrate_and_changes_nothing`; `stratum/src/config/sqlite_file.rs` tests |
//! | 29 SQLite: the disk fills up mid-revision | `faults_sqlite_disk_full.rs::case_29_sqlite_disk_full_rolls_the_revision_back_and_names_the_file` |
//! | 30 configuration file a directory, broken symlink, `/dev/zero`; `sqlite:`; misspelled SQLite path for a read command | `smartem/tests/cli_inputs.rs` (`a_configuration_file_that_is_not_a_file_is_an_error_not_a_fallback`, `an_empty_sqlite_path_is_refused_from_the_flag_and_the_variable`, `read_commands_refuse_a_missing_sqlite_file_and_create_none`); `stratum/src/config/file.rs`, `url.rs` tests |
//! | 31 durations out of range, negative, `0` | `bounded_waits.rs::case_31_wait_limits_out_of_range_are_refused_before_connecting` (flags and configuration file; also `sslmode=bogus`); `stratum/src/config/wait.rs` unit tests; a refused version-table write: `bounded_waits.rs::a_version_table_write_the_database_refuses_is_a_failed_migration` |
//! | 32 tables, columns and types no model declares | `smartem/tests/ignore_rules.rs` (rules in the file and by flag for `check`, `diff`, `schema`, `revision --autogenerate --from-db`; marked drops and the stderr summary); `smartem/tests/bookkeeping_names.rs` (a custom version table is never reported); `stratum/src/runner/offline.rs::destructive_ops_are_marked_in_the_script_and_listed` |
//! | 33 relative targets `REV@-1`, `head-1`, `REV:head` outside `--sql` | `targets_and_repair.rs::case_33_relative_targets_do_what_the_guide_says_or_are_refused`; `stratum-core/src/revision/tests.rs::rev_at_minus_n_with_a_revision_id_is_refused_naming_what_to_write`, `head_minus_n_counts_down_from_the_single_head`, `a_range_is_not_a_target` |
//! | 34 `verify` interrupted by SIGINT, SIGTERM, SIGKILL | `smartem/tests/verify_signals.rs` (`sigint_and_sigterm_drop_the_scratch_database_and_exit_130`, `after_sigkill_the_next_verify_drops_the_orphan_and_spares_a_guarded_one`); SQLite scratch directories: `stratum/src/scratch.rs::sqlite_scratch_directories_of_gone_processes_are_removed` |
//! | 35 version table holds a revision and its ancestor | `targets_and_repair.rs::case_35_a_revision_and_its_ancestor_are_repaired_as_the_message_says` |
//! | 36 PostgreSQL 13 to 18 | `.ci/pg-versions matrix` (run by `.ci/run`): `stratum/tests/ops_on_databases.rs`, `introspect_postgres.rs`, `runner_online.rs`, `smartem/tests/chain_databases.rs`, `chain_checks.rs`, `cli_smartem.rs`, and case 25's `faults_connection_lost.rs`, on each version |

mod common;

use common::*;
use stratum_testkit::{Backend, TestDb, each_database};

/// Exit codes (see `stratum_cli::Exit`).
const MIGRATION_FAILED: i32 = 4;
const REFUSED: i32 = 5;
const USAGE: i32 = 2;
const LOCK_TIMEOUT: i32 = 6;
const INTERRUPTED: i32 = 130;

async fn postgres_fixture() -> Option<Fixture> {
    TestDb::new(Backend::Postgres).await.map(Fixture::new)
}

#[tokio::test]
async fn case_1_2_invalid_second_statement_rolls_back_and_the_fixed_file_reruns() {
    each_database(async |db| {
        let f = Fixture::new(db);
        // Rolled back only where DDL is transactional; elsewhere (MariaDB) the
        // revision stops part-way and resumes: `partial_mariadb.rs`.
        let conn = f.connect().await;
        let transactional_ddl = conn.sql_dialect().capabilities().transactional_ddl;
        conn.close().await.unwrap();
        if !transactional_ddl {
            return;
        }
        f.run(Bin::Broken, &["upgrade", F4]).assert_code(0);
        let before = f.schema().await;
        let history_before = f.history().await;

        let run = f.run(Bin::Broken, &["upgrade", "head"]);
        run.assert_code(MIGRATION_FAILED)
            .assert_mentions(&format!("revision {F5}"))
            .assert_mentions("rolled back")
            .assert_mentions("CREATE TABLE entry_tag (entry_id integer NOT NULL,, tag");
        if f.db.backend() == Backend::Postgres {
            run.assert_mentions("[42601]");
        }
        assert_eq!(f.schema().await, before, "the catalog changed");
        assert!(!f.schema().await.tables.contains_key("entry"));
        assert_eq!(f.version_rows().await, [F4]);
        assert_eq!(f.history().await, history_before);
        if f.db.backend() == Backend::Postgres {
            f.assert_no_advisory_lock().await;
        }

        // The file fixed: a plain re-run, no repair.
        f.run(Bin::Good, &["upgrade", "head"]).assert_code(0);
        assert_eq!(f.version_rows().await, [F6]);
        let after = f.schema().await;
        assert!(after.tables.contains_key("entry") && after.tables.contains_key("entry_tag"));
    })
    .await;
}

/// Kills the migrator while it waits inside the revision that alters `table`,
/// then checks the database is at `expected` and that a new run completes.
async fn kill_while_blocked_on(table: &str, expected: &str) {
    let Some(f) = postgres_fixture().await else {
        return;
    };
    f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
    let lock = TableLock::take(&f, table, "ACCESS SHARE", "reliability-reader").await;
    let mut child = f.spawn(Bin::Good, &["upgrade", "head"]);
    f.wait_for_blocked_migrator().await;
    let at_kill = f.schema().await;
    child.kill().expect("SIGKILL");
    let run = finish(child);
    assert_eq!(run.code, None, "killed by a signal");
    lock.release().await;
    f.wait_for_migrator_gone().await;
    f.assert_no_advisory_lock().await;

    assert_eq!(f.version_rows().await, [expected]);
    assert_eq!(f.schema().await, at_kill, "a half-applied revision");
    let ledger = &f.schema().await.tables["ledger"];
    assert_eq!(ledger.column("note").is_some(), expected == F2);

    f.run(Bin::Good, &["upgrade", "head"]).assert_code(0);
    assert_eq!(f.version_rows().await, [F6]);
    let history = f.history().await;
    for id in [F1, F2, F3, F4, F5, F6] {
        let n = history
            .iter()
            .filter(|(r, d)| r == id && d == "upgrade")
            .count();
        assert_eq!(n, 1, "{id} applied {n} times: {history:?}");
    }
}

#[tokio::test]
async fn case_3_sigkill_inside_a_blocked_revision() {
    // Blocked inside the second revision's transaction: the database stays at
    // the first.
    kill_while_blocked_on("ledger", F1).await;
}

#[tokio::test]
async fn case_3_sigkill_right_after_a_commit() {
    // The second revision committed, the third waits: the database is at the
    // second.
    kill_while_blocked_on("audit", F2).await;
}

#[tokio::test]
async fn case_4_sigterm_and_sigint_stop_at_a_revision_boundary() {
    for sig in ["TERM", "INT"] {
        let Some(f) = postgres_fixture().await else {
            return;
        };
        f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
        let lock = TableLock::take(&f, "ledger", "ACCESS SHARE", "reliability-reader").await;
        let child = f.spawn(Bin::Good, &["upgrade", "head"]);
        f.wait_for_blocked_migrator().await;
        signal(&child, sig);
        // The running revision completes once the table is free; the next one
        // does not start.
        lock.release().await;
        let run = finish(child);
        run.assert_code(INTERRUPTED)
            .assert_mentions(&format!("stopped on request after 1 revision(s) ({F2})"))
            .assert_mentions("run again to continue");
        assert_eq!(f.version_rows().await, [F2], "SIG{sig}");
        f.assert_no_advisory_lock().await;
        f.run(Bin::Good, &["upgrade", "head"]).assert_code(0);
        assert_eq!(f.version_rows().await, [F6]);
    }
}

#[tokio::test]
async fn case_6_lock_timeout_names_the_holder() {
    let Some(f) = postgres_fixture().await else {
        return;
    };
    let mut holder = f.pg().await.unwrap();
    sqlx::raw_sql("SET application_name = 'reliability-holder'")
        .execute(&mut holder)
        .await
        .unwrap();
    let key = stratum::runner::lock_key(stratum::runner::DEFAULT_VERSION_TABLE);
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(key)
        .execute(&mut holder)
        .await
        .unwrap();
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut holder)
        .await
        .unwrap();

    let run = f.run(Bin::Good, &["--lock-timeout", "2s", "upgrade", "head"]);
    run.assert_code(LOCK_TIMEOUT)
        .assert_mentions(&format!("held by pid {pid}"))
        .assert_mentions("application reliability-holder");
    // Nothing executed: no table, not even the version table.
    assert!(f.schema().await.tables.is_empty());
    assert!(f.version_rows().await.is_empty());
    drop(holder);
    f.assert_no_advisory_lock_eventually().await;
}

#[tokio::test]
async fn case_8_concurrent_index_while_another_migrator_waits() {
    let Some(f) = postgres_fixture().await else {
        return;
    };
    f.run(Bin::Good, &["upgrade", F3]).assert_code(0);
    let first = f.spawn(Bin::Good, &["upgrade", "head"]);
    let second = f.spawn(Bin::Good, &["upgrade", "head"]);
    let (a, b) = (finish(first), finish(second));
    a.assert_code(0);
    b.assert_code(0);
    assert_eq!(f.version_rows().await, [F6]);
    let ledger = &f.schema().await.tables["ledger"];
    assert!(ledger.indexes.contains_key("ix_ledger_label"));
    let history = f.history().await;
    let f4 = history.iter().filter(|(r, _)| r == F4).count();
    assert_eq!(f4, 1, "{history:?}");
    f.assert_no_advisory_lock().await;
}

#[tokio::test]
async fn case_15_busy_table_fails_fast_naming_the_blocker() {
    let Some(f) = postgres_fixture().await else {
        return;
    };
    f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
    let before = f.schema().await;
    let lock = TableLock::take(&f, "ledger", "ACCESS SHARE", "busy-reader").await;
    let pid = lock.pid;

    let run = f.run(Bin::Good, &["--lock-timeout", "1s", "upgrade", "head"]);
    run.assert_code(LOCK_TIMEOUT)
        .assert_mentions(&format!("revision {F2}"))
        .assert_mentions("lock timeout")
        .assert_mentions(&format!("blocked by pid {pid}"))
        .assert_mentions("application busy-reader")
        .assert_mentions("LOCK TABLE ledger");
    assert_eq!(f.version_rows().await, [F1]);
    assert_eq!(f.schema().await, before);
    f.assert_no_advisory_lock().await;

    // The failed ALTER is no longer queued: other readers are not held up while
    // the busy session still holds its lock.
    let mut reader = f.pg().await.unwrap();
    sqlx::raw_sql("SET statement_timeout = '10s'; SELECT count(*) FROM ledger")
        .execute(&mut reader)
        .await
        .expect("a reader is not blocked after the run gave up");
    lock.release().await;
}

#[tokio::test]
async fn case_19_user_without_ddl_rights_is_refused() {
    let Some(f) = postgres_fixture().await else {
        return;
    };
    let role = format!("stratum_ro_{:08x}", rand_suffix());
    let mut admin = f.pg().await.unwrap();
    for sql in [
        format!("CREATE ROLE {role} LOGIN"),
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC".to_string(),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .unwrap();
    }
    let mut url = url::Url::parse(f.db.url()).unwrap();
    url.set_username(&role).unwrap();
    let run = Run::from_output(
        command(Bin::Good, f.dir.path(), url.as_str())
            .args(["upgrade", "head"])
            .output()
            .unwrap(),
    );
    run.assert_code(REFUSED)
        .assert_mentions("permission denied")
        .assert_mentions("42501");
    assert!(f.schema().await.tables.is_empty());
    assert!(f.version_rows().await.is_empty());
    f.assert_no_advisory_lock().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP ROLE {role}")))
        .execute(&mut admin)
        .await
        .ok();
}

fn rand_suffix() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ std::process::id())
        .unwrap_or(0)
}

#[tokio::test]
async fn case_20_irreversible_downgrade_is_refused_unless_forced() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(Bin::Good, &["upgrade", "head"]).assert_code(0);
        let at_head = f.schema().await;

        let run = f.run(Bin::Good, &["downgrade", "base"]);
        run.assert_code(REFUSED)
            .assert_mentions(&format!("revision {F6}"))
            .assert_mentions("irreversible")
            .assert_mentions("--force");
        assert_eq!(f.version_rows().await, [F6]);
        assert_eq!(f.schema().await, at_head);
        assert!(f.history().await.iter().all(|(_, d)| d == "upgrade"));
        if f.db.backend() == Backend::Postgres {
            f.assert_no_advisory_lock().await;
        }

        f.run(Bin::Good, &["downgrade", "-1", "--force", F1])
            .assert_code(USAGE)
            .assert_mentions("not marked irreversible");
        assert_eq!(f.version_rows().await, [F6]);

        f.run(Bin::Good, &["downgrade", "base", "--force", F6])
            .assert_code(0);
        assert!(f.version_rows().await.is_empty());
        assert!(f.schema().await.tables.is_empty());
    })
    .await;
}

#[tokio::test]
async fn case_10_edited_revision_is_refused_by_upgrade_and_check() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(Bin::Good, &["upgrade", F3]).assert_code(0);
        let before = f.schema().await;
        let mut conn = f.connect().await;
        conn.execute(&format!(
            "UPDATE stratum_history SET checksum = 'deadbeef' WHERE revision = '{F2}'"
        ))
        .await
        .unwrap();
        conn.close().await.unwrap();
        for args in [&["upgrade", "head"][..], &["check"][..]] {
            f.run(Bin::Good, args)
                .assert_code(REFUSED)
                .assert_mentions(&format!("revision {F2}"))
                .assert_mentions("checksum recorded deadbeef, file now ");
        }
        assert_eq!(f.version_rows().await, [F3]);
        assert_eq!(f.schema().await, before);
    })
    .await;
}

#[tokio::test]
async fn case_19_tables_without_a_version_table_are_refused_before_any_ddl() {
    each_database(async |db| {
        let f = Fixture::new(db);
        let mut conn = f.connect().await;
        conn.execute("CREATE TABLE ledger (id integer PRIMARY KEY)")
            .await
            .unwrap();
        conn.close().await.unwrap();
        let before = f.schema().await;
        f.run(Bin::Good, &["upgrade", "head"])
            .assert_code(REFUSED)
            .assert_mentions("no version table `alembic_version`")
            .assert_mentions("table `ledger`")
            .assert_mentions(&format!("revision {F1}"))
            .assert_mentions("stamp");
        assert_eq!(f.schema().await, before);
        // Not even the bookkeeping tables were created.
        let mut conn = f.connect().await;
        assert!(
            stratum::runner::VersionTable::default()
                .read_heads(&mut conn)
                .await
                .unwrap()
                .is_none()
        );
        let history = conn.execute("SELECT 1 FROM stratum_history").await;
        assert!(history.is_err(), "the history table was created");
        conn.close().await.ok();
    })
    .await;
}

#[tokio::test]
async fn case_4_a_second_signal_stops_at_once_and_rolls_back() {
    let Some(f) = postgres_fixture().await else {
        return;
    };
    f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
    let before = f.schema().await;
    let lock = TableLock::take(&f, "ledger", "ACCESS SHARE", "reliability-reader").await;
    let mut child = Watched::new(f.spawn(Bin::Good, &["upgrade", "head"]));
    f.wait_for_blocked_migrator().await;
    signal(&child.child, "TERM");
    child.wait_for("signal again to stop at once");
    signal(&child.child, "TERM");
    // The table is still locked: only an immediate stop ends the process now.
    let run = child.finish();
    run.assert_code(INTERRUPTED)
        .assert_mentions("stopped at once");
    lock.release().await;
    f.wait_for_migrator_gone().await;
    f.assert_no_advisory_lock().await;
    assert_eq!(f.version_rows().await, [F1]);
    assert_eq!(f.schema().await, before);
}

#[tokio::test]
async fn case_4_a_signal_while_waiting_for_the_migration_lock_stops_the_wait() {
    let Some(f) = postgres_fixture().await else {
        return;
    };
    let mut holder = f.pg().await.unwrap();
    let key = stratum::runner::lock_key(stratum::runner::DEFAULT_VERSION_TABLE);
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(key)
        .execute(&mut holder)
        .await
        .unwrap();
    // `upgrade` and `stamp` both wait for the lock, and both stop waiting.
    let polling = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                   AND application_name = 'stratum-migrate' AND query LIKE '%pg_try_advisory_lock%'";
    let mut c = f.pg().await.unwrap();
    for args in [["upgrade", "head"], ["stamp", "head"]] {
        // The previous child's session must be gone before the next one is awaited.
        let start = std::time::Instant::now();
        while sqlx::query_scalar::<_, i64>(polling)
            .fetch_one(&mut c)
            .await
            .unwrap()
            > 0
        {
            assert!(start.elapsed() < PATIENCE, "a polling session stayed");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let child = f.spawn(Bin::Good, &args);
        // Wait until it polls for the lock.
        let start = std::time::Instant::now();
        loop {
            let n: i64 = sqlx::query_scalar(polling).fetch_one(&mut c).await.unwrap();
            if n > 0 {
                break;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "{args:?}: the migrator never polled the lock"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        signal(&child, "INT");
        let run = finish(child);
        run.assert_code(INTERRUPTED)
            .assert_mentions("while waiting for the migration lock; nothing was run");
        assert!(f.schema().await.tables.is_empty());
        assert!(f.version_rows().await.is_empty(), "{args:?}");
    }
    drop(holder);
    f.assert_no_advisory_lock_eventually().await;
}

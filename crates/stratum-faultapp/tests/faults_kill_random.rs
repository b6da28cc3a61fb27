//! Case 26 of the reliability catalogue: `kill -9` at random moments of a
//! 100-revision run (the generated chain of `faultapp-long-migrate`): once a
//! randomly chosen revision has been announced, plus a random few milliseconds.
//! After every
//! kill the database is at a revision boundary (its schema is exactly the
//! chain's at the recorded revision, the last revision's rows are there once),
//! a rerun completes, and `check` finds nothing.
//!
//! The moments are drawn from a seed that is printed; `STRATUM_KILL_SEED=<seed>`
//! repeats a run's moments, `STRATUM_KILL_TRIALS=<n>` changes the number of
//! trials on PostgreSQL (default 50) and `STRATUM_KILL_TRIALS_SQLITE=<n>` on
//! SQLite (default 12). Trials run in a few workers at once, each on a database
//! of its own.

mod common;

include!(concat!(env!("OUT_DIR"), "/long/stratum_versions.rs"));

use common::*;
use std::process::Stdio;
use std::time::Duration;
use stratum::dialect::{Dialect, normalize_for};
use stratum::script::Script;
use stratum_testkit::{Backend, TestDb};

/// Workers running trials at once.
const WORKERS: u64 = 3;

/// The longest wait after a revision was announced before the kill: about one
/// revision's time on a loaded machine, so kills fall inside revisions, between
/// them and during commits.
const MAX_DELAY_MS: u64 = 20;

/// The chain's last revision.
const LAST: &str = "fb0000000100";

fn long(f: &Fixture, url: &str, args: &[&str]) -> std::process::Command {
    let mut cmd = stratum_testkit::migrate_command(
        assert_cmd::cargo::cargo_bin!("faultapp-long-migrate"),
        f.dir.path(),
    );
    cmd.args(["--url", url]).args(args);
    cmd
}

fn run_long(f: &Fixture, args: &[&str]) -> Run {
    Run::from_output(long(f, f.db.url(), args).output().expect("the binary runs"))
}

/// A small deterministic generator (splitmix64): the trials' moments follow
/// from the printed seed alone.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Empties the database: every table, index and the bookkeeping tables.
async fn reset(f: &Fixture) {
    let mut conn = f.connect().await;
    match conn.dialect() {
        Dialect::Postgres => {
            conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                .await
                .expect("reset the schema");
        }
        Dialect::Sqlite => {
            conn.close().await.ok();
            let path = f.db.name().to_string();
            for file in [path.clone(), format!("{path}-journal")] {
                let _ = std::fs::remove_file(file);
            }
            return;
        }
        Dialect::Mysql => unreachable!("this test runs on SQLite and PostgreSQL"),
    }
    conn.close().await.ok();
}

/// Asserts the database is exactly at a revision boundary of the chain, and
/// returns how many revisions are applied.
async fn assert_at_boundary(f: &Fixture, script: &Script, trial: u64) -> usize {
    let heads = f.version_rows().await;
    assert!(heads.len() <= 1, "trial {trial}: several heads {heads:?}");
    let live = f.schema().await;
    let dialect = match f.db.backend() {
        Backend::Postgres => Dialect::Postgres,
        Backend::Sqlite => Dialect::Sqlite,
        Backend::Mysql => Dialect::Mysql,
    };
    let expected = normalize_for(
        dialect,
        &stratum::runner::schema_at(script, &heads).expect("schema at the head"),
    );
    let differences = stratum::diff::differences(&live, &expected);
    assert!(
        differences.is_empty() && stratum::diff::diff(&live, &expected).is_empty(),
        "trial {trial}: at {heads:?} the schema is not the chain's: {differences:?}"
    );
    let applied = heads
        .first()
        .map(|h| h[2..].parse::<usize>().expect("a generated id"))
        .unwrap_or(0);
    if applied > 0 {
        let mut conn = f.connect().await;
        let rows = conn
            .execute(&format!(
                "UPDATE step_{applied:03} SET label = label WHERE id IN (1, 2, 3)"
            ))
            .await
            .expect("the last revision's table");
        conn.close().await.ok();
        assert_eq!(rows, 3, "trial {trial}: step_{applied:03}'s rows");
    }
    applied
}

/// One trial: a run from an empty database, killed `delay` after it announced
/// revision `at` (at once after the start for 0); returns the revisions applied
/// at the kill, `None` when the run had finished first.
async fn trial(
    f: &Fixture,
    script: &Script,
    trial: u64,
    at: usize,
    delay: Duration,
) -> Option<usize> {
    reset(f).await;
    let child = long(f, f.db.url(), &["upgrade", "head"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut watched = Watched::new(child);
    if at > 0 {
        watched.wait_for(&format!("[{at:>3}/100] upgrade"));
    }
    std::thread::sleep(delay);
    let finished = watched.child.try_wait().expect("try_wait").is_some();
    if !finished {
        watched.child.kill().expect("SIGKILL");
    }
    let _ = watched.finish();
    if f.db.backend() == Backend::Postgres {
        // A commit the server had received completes after the kill: look once
        // the session is gone.
        f.wait_for_migrator_gone().await;
    }
    let applied = assert_at_boundary(f, script, trial).await;
    if f.db.backend() == Backend::Postgres {
        f.assert_no_advisory_lock_eventually().await;
    }
    run_long(f, &["upgrade", "head"]).assert_code(0);
    assert_eq!(f.version_rows().await, [LAST], "trial {trial}: the rerun");
    run_long(f, &["check"])
        .assert_code(0)
        .assert_mentions("in sync");
    (!finished).then_some(applied)
}

/// Runs `trials` trials in [`WORKERS`] threads, each with a database of its own.
fn kill_trials(backend: Backend, trials: u64, seed: u64) {
    // No PostgreSQL and not under CI: skipped (TestDb says so).
    let probe = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(TestDb::new(backend));
    if probe.is_none() {
        return;
    }
    drop(probe);
    let script = Script::load(REVISIONS).expect("the generated chain loads");
    assert_eq!(REVISIONS.len(), 100);
    let outcomes: Vec<Option<usize>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WORKERS)
            .map(|w| {
                let script = &script;
                scope.spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    rt.block_on(async move {
                        let db = TestDb::new(backend).await.expect("a database");
                        let f = Fixture::new(db);
                        let mut out = Vec::new();
                        for t in (w..trials).step_by(WORKERS as usize) {
                            // The moment: once revision `at` is announced (0: at
                            // the start), plus up to MAX_DELAY_MS.
                            let r = splitmix(seed ^ splitmix(t));
                            let at = (r % 101) as usize;
                            let delay = Duration::from_millis((r >> 32) % MAX_DELAY_MS);
                            out.push(trial(&f, script, t, at, delay).await);
                        }
                        out
                    })
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    });
    let killed: Vec<usize> = outcomes.iter().flatten().copied().collect();
    let mut at: Vec<usize> = killed.clone();
    at.sort_unstable();
    at.dedup();
    eprintln!(
        "{backend}: {trials} trials, {} killed mid-run at {} different revisions ({at:?}), {} finished first",
        killed.len(),
        at.len(),
        trials as usize - killed.len()
    );
    // The kills must have hit the run, not only its end: most land inside it.
    assert!(
        killed.len() * 2 >= trials as usize,
        "{backend}: only {} of {trials} kills landed before the run finished",
        killed.len()
    );
}

fn seed() -> u64 {
    let seed = env_number(
        "STRATUM_KILL_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1),
    );
    eprintln!("kill -9 moments: seed {seed} (STRATUM_KILL_SEED={seed} repeats them)");
    seed
}

#[test]
fn case_26_kill_9_at_random_moments_on_postgres() {
    kill_trials(
        Backend::Postgres,
        env_number("STRATUM_KILL_TRIALS", 50),
        seed(),
    );
}

#[test]
fn case_26_kill_9_at_random_moments_on_sqlite() {
    kill_trials(
        Backend::Sqlite,
        env_number("STRATUM_KILL_TRIALS_SQLITE", 12),
        seed(),
    );
}

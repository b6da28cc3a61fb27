//! `verify` interrupted (RELIABILITY.md case 34), with real signals against
//! PostgreSQL: SIGINT and SIGTERM drop the scratch database and exit 130; after
//! SIGKILL the scratch database is left behind, and the next `verify` drops it
//! and says so, while a scratch database guarded by a live verify is left alone.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use stratum::db::Connection;
use stratum_testkit::{Backend, TestDb, migrate_command};

fn bin(dir: &Path, url: &str) -> Command {
    let mut cmd = migrate_command(assert_cmd::cargo::cargo_bin!("smartem-migrate"), dir);
    cmd.args(["--url", url])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Names of the scratch databases of the process `pid` on the server.
async fn scratch_of(admin: &str, pid: u32) -> Vec<String> {
    let mut conn = Connection::connect(admin).await.unwrap();
    let Some(c) = stratum::testing::driver::postgres(&mut conn) else {
        unreachable!()
    };
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE $1")
            .bind(format!("stratum\\_verify\\_{pid}\\_%"))
            .fetch_all(&mut *c)
            .await
            .unwrap();
    conn.close().await.ok();
    names
}

async fn exists(admin: &str, name: &str) -> bool {
    let mut conn = Connection::connect(admin).await.unwrap();
    let Some(c) = stratum::testing::driver::postgres(&mut conn) else {
        unreachable!()
    };
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    conn.close().await.ok();
    n == 1
}

/// Starts `verify` and waits until its scratch database exists (the whole
/// chain takes seconds to verify, so the signal that follows arrives while it
/// runs); returns the child and the database's name.
async fn start_verify(dir: &Path, db: &TestDb) -> (Child, String) {
    let mut child = bin(dir, db.url()).arg("verify").spawn().expect("spawn");
    let started = Instant::now();
    loop {
        if let Some(name) = scratch_of(db.url(), child.id()).await.pop() {
            return (child, name);
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("verify ended ({status}) before its scratch database was seen");
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no scratch database within 120 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn send(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal}");
}

/// Waits (at most 120 s) for the child to end.
fn finish(mut child: Child) -> (Option<i32>, String) {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("verify did not end within 120 s of the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn sigint_and_sigterm_drop_the_scratch_database_and_exit_130() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for signal in ["INT", "TERM"] {
        let (child, name) = start_verify(dir.path(), &db).await;
        send(&child, signal);
        let (code, stderr) = finish(child);
        assert_eq!(code, Some(130), "SIG{signal}: {stderr}");
        assert!(
            stderr.contains(&format!("stopped by SIG{signal}")),
            "{stderr}"
        );
        assert!(stderr.contains(&name), "{stderr}");
        assert!(!exists(db.url(), &name).await, "SIG{signal} left {name}");
    }
}

#[tokio::test]
async fn after_sigkill_the_next_verify_drops_the_orphan_and_spares_a_guarded_one() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (mut child, orphan) = start_verify(dir.path(), &db).await;
    send(&child, "KILL");
    child.wait().unwrap();
    // Killed outright: nothing could clean up.
    assert!(exists(db.url(), &orphan).await);
    // The backend of the killed verify may take a moment to go.
    let started = Instant::now();
    loop {
        let mut conn = Connection::connect(db.url()).await.unwrap();
        let Some(c) = stratum::testing::driver::postgres(&mut conn) else {
            unreachable!()
        };
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = $1")
            .bind(&orphan)
            .fetch_one(&mut *c)
            .await
            .unwrap();
        conn.close().await.ok();
        if n == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "backend lingers"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // A scratch database of a live verify: guarded by its lock.
    let guarded = format!(
        "stratum_verify_1_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let mut guard = Connection::connect(db.url()).await.unwrap();
    guard
        .execute(&format!(
            "SELECT pg_advisory_lock({})",
            stratum::scratch::guard_key(&guarded)
        ))
        .await
        .unwrap();
    guard
        .execute(&format!("CREATE DATABASE \"{guarded}\""))
        .await
        .unwrap();

    let out = bin(dir.path(), db.url())
        .args(["verify", "8667c96f0385"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("dropped scratch database {orphan}")),
        "{stderr}"
    );
    assert!(!exists(db.url(), &orphan).await, "{orphan} still there");
    assert!(
        exists(db.url(), &guarded).await,
        "the guarded database was dropped"
    );
    assert!(!stderr.contains(&guarded), "{stderr}");

    guard
        .execute(&format!("DROP DATABASE \"{guarded}\""))
        .await
        .unwrap();
    guard.close().await.ok();
}

//! The SmartEM chain passes its own safety checks: every linter finding is
//! acknowledged in its revision file with a reason, and `verify` (up, compare,
//! down, compare, up again on a scratch database) passes every revision on
//! PostgreSQL, SQLite and MariaDB, in-process and through `smartem-migrate verify`.

use assert_cmd::Command;
use smartem::migrations::REVISIONS;
use stratum::config::DatabaseUrl;
use stratum::script::Script;
use stratum::verify::{lint_script, verify_script};
use stratum_testkit::{Backend, TestDb, each_database};

#[test]
fn the_chain_lints_clean_or_acknowledged() {
    let script = Script::load(REVISIONS).unwrap();
    let report = lint_script(&script, None).unwrap();
    assert_eq!(report.revisions.len(), REVISIONS.len());
    let open: Vec<String> = report
        .entries()
        .filter(|e| {
            !e.finding.acknowledged && e.finding.severity >= stratum::core::lint::Severity::Warning
        })
        .map(|e| format!("{}: {}", e.finding.revision, e.finding.message))
        .collect();
    assert!(open.is_empty(), "unacknowledged findings: {open:#?}");
    assert!(report.counts().2 > 0, "the acknowledgements are read");
}

#[tokio::test]
async fn the_chain_verifies_on_every_database() {
    each_database(async |db| {
        let script = Script::load(REVISIONS).unwrap();
        let url = DatabaseUrl::parse(db.url()).unwrap();
        let report = verify_script(&url, &script, None).await.unwrap();
        assert!(
            report.ok(),
            "{:?}: {}",
            db.backend(),
            report.failure.unwrap()
        );
        assert_eq!(
            report.passed.len() + report.not_downgraded.len(),
            REVISIONS.len()
        );
    })
    .await;
}

#[tokio::test]
async fn verify_through_the_binary() {
    for backend in [Backend::Postgres, Backend::Mysql] {
        if let Some(db) = TestDb::new(backend).await {
            verify_with_the_binary(db).await;
        }
    }
}

async fn verify_with_the_binary(db: TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::from_std(stratum_testkit::migrate_command(
        assert_cmd::cargo::cargo_bin!("smartem-migrate"),
        dir.path(),
    ))
    .args(["--url", db.url(), "verify"])
    .assert()
    .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        REVISIONS.len(),
        "{stdout}"
    );
    // The database given is only the server's entry point: nothing was created in it.
    let mut conn = stratum::db::Connection::connect(db.url()).await.unwrap();
    let schema = stratum::introspect::introspect(&mut conn, &[])
        .await
        .unwrap();
    assert!(schema.tables.is_empty(), "{schema:?}");
    conn.close().await.unwrap();
}

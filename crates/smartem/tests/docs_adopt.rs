//! The guide's "Adopting a database managed with Alembic" on every database: a
//! database Alembic left at a shared revision upgrades as it is; one at a revision
//! this chain does not have is refused, compared with `diff`, and adopted with
//! `stamp --purge head`.

use assert_cmd::Command;
use stratum::db::Connection;
use stratum_testkit::each_database;

fn smartem(dir: &std::path::Path, url: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::from_std(stratum_testkit::migrate_command(
        assert_cmd::cargo::cargo_bin!("smartem-migrate"),
        dir,
    ))
    .args(["--url", url])
    .args(args)
    .assert()
}

fn out(a: &assert_cmd::assert::Assert) -> String {
    let o = a.get_output();
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

async fn execute(url: &str, sql: &str) {
    let mut conn = Connection::connect(url).await.expect("connect");
    conn.execute(sql).await.expect(sql);
    conn.close().await.ok();
}

#[tokio::test]
async fn alembic_databases_are_adopted_as_the_guide_says() {
    each_database(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let url = db.url();
        // What Alembic leaves: the schema up to 004 and its version table, no
        // history of ours.
        smartem(dir.path(), url, &["upgrade", "004"]).success();
        execute(url, "DROP TABLE stratum_history").await;
        let current = smartem(dir.path(), url, &["current"]).success();
        assert!(out(&current).contains("004"), "{}", out(&current));
        smartem(dir.path(), url, &["upgrade", "head"]).success();
        smartem(dir.path(), url, &["check"]).success();

        // Alembic at a revision this chain does not know.
        execute(
            url,
            "UPDATE alembic_version SET version_num = 'abcdef999999'",
        )
        .await;
        let refused = smartem(dir.path(), url, &["current"]).code(5);
        assert!(
            out(&refused).contains("unknown revision abcdef999999"),
            "{}",
            out(&refused)
        );
        smartem(dir.path(), url, &["upgrade", "head"]).code(5);
        let diff = smartem(dir.path(), url, &["diff", "--from", url, "--to", "head"]).success();
        assert!(out(&diff).contains("no differences"), "{}", out(&diff));
        smartem(dir.path(), url, &["stamp", "--purge", "head"]).success();
        let current = smartem(dir.path(), url, &["current"]).success();
        assert!(
            out(&current).contains("8667c96f0385 (head)"),
            "{}",
            out(&current)
        );
        smartem(dir.path(), url, &["check"]).success();
    })
    .await;
}

//! `smartem-migrate upgrade --sql` for a MariaDB URL: a script the `mariadb`
//! client runs as it is, building the schema `upgrade head` builds, with the
//! version table at head so that `check` is clean; and `downgrade --sql` back to
//! base leaves only the empty version table; a range script continues a database
//! at 003. The scripts are MariaDB's: the session's SQL mode first,
//! backtick-quoted names (the version table's too), `START TRANSACTION`, no
//! PostgreSQL-only statements.

mod chain_support;
mod cli_support;

use chain_support::{assert_same_schema, graph};
use cli_support::bin;
use std::io::Write as _;
use std::path::Path;
use std::process::Stdio;
use stratum::db::Connection;
use stratum::schema::Schema;
use stratum_testkit::TestDb;

async fn introspect(url: &str) -> Schema {
    let mut conn = Connection::connect(url).await.expect("connect");
    let s = stratum::introspect::introspect(&mut conn, &[])
        .await
        .expect("introspect");
    conn.close().await.ok();
    s
}

/// Runs `script` with the `mariadb` client on `db`; `false` when there is no
/// client (the skip is printed, or fails under `CI=true`).
fn run_with_client(db: &TestDb, script: &str) -> bool {
    let Some(mut client) = db.mariadb_client() else {
        return false;
    };
    let mut child = client
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mariadb client starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the mariadb client failed: {}\nscript:\n{script}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

fn script(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = bin(dir, url).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// What makes a script MariaDB's and not PostgreSQL's.
fn assert_mariadb_script(sql: &str) {
    assert!(
        sql.starts_with("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES');\n"),
        "{sql}"
    );
    for pg_only in [
        "BEGIN;",
        "SET LOCAL",
        "synchronous_commit",
        "CREATE TYPE",
        "DROP TYPE",
        "::",
        "\"alembic_version\"",
        "SERIAL",
        "jsonb",
    ] {
        assert!(!sql.contains(pg_only), "{pg_only} in the script:\n{sql}");
    }
    let begins = sql.lines().filter(|l| *l == "START TRANSACTION;").count();
    let commits = sql.lines().filter(|l| *l == "COMMIT;").count();
    assert!(begins > 0 && begins == commits, "{sql}");
    // Every statement ends its line with the client's delimiter.
    for block in sql.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let last = block.lines().rev().find(|l| !l.starts_with("--")).unwrap();
        assert!(last.ends_with(';'), "block without a delimiter:\n{block}");
    }
}

#[tokio::test]
async fn the_offline_script_builds_what_upgrade_builds() {
    let (Some(offline), Some(online)) = (TestDb::mysql().await, TestDb::mysql().await) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let up = script(dir.path(), offline.url(), &["upgrade", "head", "--sql"]);
    assert_mariadb_script(&up);
    assert!(
        up.contains("CREATE TABLE IF NOT EXISTS `alembic_version` (\n"),
        "{up}"
    );
    let head = graph().heads()[0].to_string();
    assert!(
        up.contains(&format!(
            "UPDATE `alembic_version` SET version_num = '{head}' WHERE version_num = "
        )),
        "{up}"
    );
    // The other scheme (mariadb:// for mysql://, and back) writes the same script.
    let (scheme, rest) = offline.url().split_once("://").unwrap();
    let other = if scheme == "mysql" {
        "mariadb"
    } else {
        "mysql"
    };
    assert_eq!(
        script(
            dir.path(),
            &format!("{other}://{rest}"),
            &["upgrade", "head", "--sql"]
        ),
        up
    );
    // Printing the script touched nothing.
    assert!(introspect(offline.url()).await.tables.is_empty());
    if !run_with_client(&offline, &up) {
        return;
    }

    bin(dir.path(), online.url())
        .args(["upgrade", "head"])
        .assert()
        .success();
    assert_same_schema(
        &introspect(online.url()).await,
        &introspect(offline.url()).await,
        (
            "upgrade head",
            "the mariadb client running upgrade head --sql",
        ),
        "MariaDB offline script",
    );
    let current = bin(dir.path(), offline.url())
        .arg("current")
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&current.get_output().stdout).trim(),
        format!("{head} (head)")
    );
    bin(dir.path(), offline.url())
        .arg("check")
        .assert()
        .success();

    // The seed rows are there, as the runner stores them.
    let mut a = Connection::connect(offline.url()).await.unwrap();
    let mut b = Connection::connect(online.url()).await.unwrap();
    let rows = async |c: &mut Connection| -> Vec<(String, String, Option<String>)> {
        sqlx::query_as(
            "SELECT user_id, preference_key, preference_value FROM user_preferences \
             ORDER BY user_id, preference_key",
        )
        .fetch_all(stratum::testing::driver::mysql(c).unwrap())
        .await
        .unwrap()
    };
    let seeded = rows(&mut a).await;
    assert_eq!(seeded.len(), 3, "{seeded:?}");
    assert_eq!(seeded, rows(&mut b).await);
    a.close().await.unwrap();
    b.close().await.unwrap();

    // And back to base, by the client too.
    let down = script(
        dir.path(),
        offline.url(),
        &["downgrade", &format!("{head}:base"), "--sql"],
    );
    assert_mariadb_script(&down);
    assert!(down.contains("DROP TABLE `user_preferences`"), "{down}");
    assert!(run_with_client(&offline, &down));
    let left = introspect(offline.url()).await;
    assert!(left.tables.is_empty(), "{:?}", left.tables.keys());
    let current = bin(dir.path(), offline.url())
        .arg("current")
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&current.get_output().stdout).trim(),
        ""
    );
}

/// A database already at a revision gets the script of a range (`003:head`):
/// `--sql` does not connect to learn where the database is.
#[tokio::test]
async fn a_range_script_continues_a_database_at_003() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    bin(dir.path(), db.url())
        .args(["upgrade", "003"])
        .assert()
        .success();
    let rest = script(dir.path(), db.url(), &["upgrade", "003:head", "--sql"]);
    assert_mariadb_script(&rest);
    assert!(!rest.contains("CREATE TABLE IF NOT EXISTS"), "{rest}");
    assert!(!rest.contains("CREATE TABLE `user_preferences`"), "{rest}");
    assert!(
        rest.contains("UPDATE `alembic_version` SET version_num = '004' WHERE version_num = '003'"),
        "{rest}"
    );
    if !run_with_client(&db, &rest) {
        return;
    }
    bin(dir.path(), db.url()).arg("check").assert().success();
}

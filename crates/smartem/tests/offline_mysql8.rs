//! `upgrade --sql` and `downgrade --sql` for a server named in the URL
//! (`server_version`) instead of reached: a MySQL 8 script differs from the
//! MariaDB one exactly where the servers differ (native `json`, no `uuid` type,
//! no `DROP INDEX IF EXISTS`), the MariaDB script is the one written without the
//! parameter, a server the migrations cannot target is refused by name, and a
//! connected command that reaches another server than the URL names says so.

mod cli_support;

use cli_support::bin;
use stratum_testkit::TestDb;

/// A URL no command connects to: the scripts are written offline.
const OFFLINE_URL: &str = "mysql://root@127.0.0.1:3306/smartem_offline";

fn script(url: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path(), url).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn with_version(url: &str, version: &str) -> String {
    let joiner = if url.contains('?') { '&' } else { '?' };
    format!("{url}{joiner}server_version={version}")
}

/// The lines of `a` and `b` that differ, pairwise (the scripts have the same
/// statements in the same order: only their text differs).
fn changed_lines(a: &str, b: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    assert_eq!(a.len(), b.len(), "the scripts have different shapes");
    let mut out = String::new();
    for (x, y) in a.iter().zip(&b) {
        if x != y {
            out.push_str(&format!("- {}\n+ {}\n", x.trim(), y.trim()));
        }
    }
    out
}

#[test]
fn a_mysql_8_script_differs_from_the_mariadb_one_where_the_servers_do() {
    let mariadb = script(OFFLINE_URL, &["upgrade", "head", "--sql"]);
    let mysql = script(
        &with_version(OFFLINE_URL, "8.0.36"),
        &["upgrade", "head", "--sql"],
    );
    insta::assert_snapshot!("upgrade_mariadb_to_mysql8", changed_lines(&mariadb, &mysql));
    // Naming the default server writes the default script, whichever way it
    // is named.
    for url in [
        with_version(OFFLINE_URL, "10.11.0-MariaDB"),
        with_version(&OFFLINE_URL.replacen("mysql://", "mariadb://", 1), "10.11"),
    ] {
        assert_eq!(
            script(&url, &["upgrade", "head", "--sql"]),
            mariadb,
            "{url}"
        );
    }

    let head = "head:base";
    let down_mariadb = script(OFFLINE_URL, &["downgrade", head, "--sql"]);
    let down_mysql = script(
        &with_version(OFFLINE_URL, "8.0.36"),
        &["downgrade", head, "--sql"],
    );
    insta::assert_snapshot!(
        "downgrade_mariadb_to_mysql8",
        changed_lines(&down_mariadb, &down_mysql)
    );
}

#[test]
fn a_server_the_migrations_cannot_target_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path(), &with_version(OFFLINE_URL, "5.7.44"))
        .args(["upgrade", "head", "--sql"])
        .assert()
        .code(5);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "error: revision 004 cannot be rendered as SQL: default of column \
             \"instruction_id\" cannot be rendered: MySQL 5.7.44 takes no expression \
             defaults; use a literal default, or set the value in the application"
        ),
        "{stderr}"
    );
}

#[test]
fn a_version_that_is_none_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path(), &with_version(OFFLINE_URL, "newest"))
        .args(["upgrade", "head", "--sql"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "server_version=\"newest\" is no server version; write it as the server's \
             SELECT VERSION() answers, e.g. 8.0.36 or 10.11.6-MariaDB"
        ),
        "{stderr}"
    );
}

/// Connected, the server's own answer wins, and a URL that named another
/// server is warned about.
#[tokio::test]
async fn a_connected_command_warns_when_the_server_is_not_the_one_named() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = with_version(db.url(), "8.0.36");
    let out = bin(dir.path(), &url)
        .args(["upgrade", "001"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    let warning = stderr
        .lines()
        .find(|l| l.contains("server_version"))
        .unwrap_or_else(|| panic!("no warning about server_version:\n{stderr}"));
    assert!(
        warning.starts_with(
            "warning: the URL names MySQL 8.0.36 (server_version) but the server is MariaDB "
        ) && warning.ends_with("; statements are written for the server reached"),
        "{warning}"
    );
    // What ran is MariaDB's: the JSON column is longtext with its check.
    let mut conn = stratum::db::Connection::connect(db.url()).await.unwrap();
    let rows = conn
        .query_text(
            "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_NAME = 'user_preferences' AND COLUMN_NAME = 'preference_value'",
        )
        .await
        .unwrap();
    assert_eq!(rows, vec![vec![Some("longtext".to_string())]]);
    conn.close().await.ok();
    // The same URL without the parameter says nothing.
    let quiet = bin(dir.path(), db.url())
        .args(["current"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&quiet.get_output().stderr).into_owned();
    assert!(!stderr.contains("server_version"), "{stderr}");
}

/// With no database side, `diff --sql` writes for `--server-version`; a
/// dialect whose SQL does not depend on one refuses it.
#[test]
fn diff_without_a_database_takes_the_server_version() {
    let dir = tempfile::tempdir().unwrap();
    let diff = |extra: &[&str]| {
        let mut cmd = bin(dir.path(), OFFLINE_URL);
        cmd.args(["diff", "--from", "head", "--to", "models", "--sql"])
            .args(extra);
        cmd
    };
    diff(&["--dialect", "mysql", "--server-version", "8.0.36"])
        .assert()
        .success();
    let out = diff(&["--dialect", "mysql", "--server-version", "eight"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "--server-version: \"eight\" is no server version; write it as the server's \
             SELECT VERSION() answers, e.g. 8.0.36 or 10.11.6-MariaDB"
        ),
        "{stderr}"
    );
    let out = diff(&["--dialect", "postgres", "--server-version", "15.4"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "--server-version: the SQL of PostgreSQL is the same for every server version; \
             leave the version out"
        ),
        "{stderr}"
    );
}

//! `smartem-migrate fleet` end to end over PostgreSQL and SQLite databases: every
//! database migrated under its own lock, a broken or unreachable one isolated,
//! canaries first, fail-fast and `--continue-on-error`, drift found by `check`
//! and `verify`, targets from the configuration's environments.

use assert_cmd::Command;
use serde_json::Value;
use stratum::db::Connection;
use stratum_testkit::TestDb;

const HEAD: &str = "8667c96f0385";
const PASSWORD: &str = "fleet-s3cret";

fn bin(dir: &std::path::Path) -> Command {
    let mut cmd = Command::from_std(stratum_testkit::migrate_command(
        assert_cmd::cargo::cargo_bin!("smartem-migrate"),
        dir,
    ));
    cmd.env("FLEET_TEST_PASSWORD", PASSWORD);
    cmd
}

/// A URL with `${FLEET_TEST_PASSWORD}` as its password (trust authentication
/// ignores it), so that the tests can check it is never printed.
fn with_password(url: &str) -> String {
    url.replacen("postgres@", "postgres:${FLEET_TEST_PASSWORD}@", 1)
}

fn targets_file(dir: &std::path::Path, entries: &[(&str, &str, Option<&str>)]) {
    let mut text = String::new();
    for (name, url, group) in entries {
        text.push_str(&format!("[targets.{name}]\nurl = \"{url}\"\n"));
        if let Some(g) = group {
            text.push_str(&format!("group = \"{g}\"\n"));
        }
    }
    std::fs::write(dir.join("targets.toml"), text).unwrap();
}

/// Runs `fleet ARGS --format json`; returns the exit code, the parsed document and
/// everything printed.
fn fleet_json(dir: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    let out = bin(dir)
        .arg("fleet")
        .args(args)
        .args(["--targets", "targets.toml", "--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    (
        out.status.code().unwrap(),
        doc,
        format!("{stdout}\n{stderr}"),
    )
}

fn result_of<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["databases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("{name} missing from {doc}"))
}

async fn heads(url: &str) -> Vec<String> {
    let mut conn = Connection::connect(url).await.unwrap();
    let rows = conn
        .query_text("SELECT version_num FROM alembic_version ORDER BY 1")
        .await
        .unwrap_or_default();
    conn.close().await.ok();
    rows.into_iter().filter_map(|r| r[0].clone()).collect()
}

#[tokio::test]
async fn upgrades_every_database_and_isolates_an_unreachable_one() {
    let (Some(a), Some(b)) = (TestDb::postgres().await, TestDb::postgres().await) else {
        return;
    };
    let lite = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let (ua, ub) = (with_password(a.url()), with_password(b.url()));
    targets_file(
        dir.path(),
        &[
            ("a-site", &ua, Some("canary")),
            ("b-site", &ub, None),
            (
                "c-down",
                "postgresql://postgres:${FLEET_TEST_PASSWORD}@127.0.0.1:1/none",
                None,
            ),
            ("d-lite", lite.url(), None),
        ],
    );

    // Fail-fast, one at a time: d-lite, after the unreachable c-down, is not started.
    let (code, doc, printed) = fleet_json(dir.path(), &["upgrade", "--jobs", "1"]);
    assert_eq!(code, 3, "{printed}");
    assert_eq!(doc["ok"], false);
    assert_eq!(result_of(&doc, "a-site")["result"], "applied");
    assert_eq!(result_of(&doc, "a-site")["to"][0], HEAD);
    assert_eq!(result_of(&doc, "b-site")["result"], "applied");
    assert_eq!(result_of(&doc, "c-down")["result"], "failed");
    assert!(
        result_of(&doc, "c-down")["error"]
            .as_str()
            .unwrap()
            .contains("cannot reach"),
        "{printed}"
    );
    assert_eq!(result_of(&doc, "d-lite")["result"], "not_run");
    assert!(!printed.contains(PASSWORD), "{printed}");
    assert_eq!(heads(lite.url()).await, Vec::<String>::new());

    // Continuing past the failure: the others are skipped or applied, the exit
    // still says one database failed.
    let (code, doc, printed) = fleet_json(
        dir.path(),
        &["upgrade", "--jobs", "4", "--continue-on-error"],
    );
    assert_eq!(code, 3, "{printed}");
    assert_eq!(result_of(&doc, "a-site")["result"], "skipped");
    assert_eq!(result_of(&doc, "b-site")["result"], "skipped");
    assert_eq!(result_of(&doc, "d-lite")["result"], "applied");
    assert_eq!(heads(lite.url()).await, [HEAD]);
    assert!(!printed.contains(PASSWORD), "{printed}");

    // The text summary: a row per database.
    let out = bin(dir.path())
        .args(["fleet", "current", "--targets", "targets.toml", "-j", "2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let table = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("DATABASE  FROM"), "{table}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("a-site") && l.ends_with("ok")),
        "{table}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("c-down") && l.ends_with("failed")),
        "{table}"
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains(PASSWORD));
}

#[tokio::test]
async fn a_broken_database_neither_stops_nor_touches_the_others() {
    let (Some(canary), Some(broken), Some(other)) = (
        TestDb::postgres().await,
        TestDb::postgres().await,
        TestDb::postgres().await,
    ) else {
        return;
    };
    // The broken database already has a table revision 001 creates, with a row:
    // the engine refuses to upgrade it (exit 5).
    let mut conn = Connection::connect(broken.url()).await.unwrap();
    conn.execute(
        "CREATE TABLE user_preferences (id integer); INSERT INTO user_preferences VALUES (7)",
    )
    .await
    .unwrap();
    conn.close().await.ok();
    let dir = tempfile::tempdir().unwrap();

    // As a canary, it holds every other database back.
    targets_file(
        dir.path(),
        &[
            ("broken", broken.url(), Some("canary")),
            ("canary", canary.url(), Some("canary")),
            ("other", other.url(), None),
        ],
    );
    let (code, doc, printed) = fleet_json(dir.path(), &["upgrade", "-j", "2"]);
    assert_eq!(code, 5, "{printed}");
    assert_eq!(result_of(&doc, "broken")["result"], "failed");
    assert_eq!(result_of(&doc, "canary")["result"], "applied");
    assert_eq!(result_of(&doc, "other")["result"], "not_run");
    assert!(printed.contains("a canary database failed"), "{printed}");
    assert_eq!(heads(other.url()).await, Vec::<String>::new());

    // Not a canary, with --continue-on-error: the others finish.
    targets_file(
        dir.path(),
        &[
            ("broken", broken.url(), None),
            ("canary", canary.url(), Some("canary")),
            ("other", other.url(), None),
        ],
    );
    let (code, doc, printed) =
        fleet_json(dir.path(), &["upgrade", "-j", "3", "--continue-on-error"]);
    assert_eq!(code, 5, "{printed}");
    assert_eq!(result_of(&doc, "canary")["result"], "skipped");
    assert_eq!(result_of(&doc, "other")["result"], "applied");
    assert_eq!(heads(other.url()).await, [HEAD]);
    // The broken one is left as it was: no version row, its own row intact.
    assert_eq!(heads(broken.url()).await, Vec::<String>::new());
    let mut conn = Connection::connect(broken.url()).await.unwrap();
    let rows = conn
        .query_text("SELECT id FROM user_preferences")
        .await
        .unwrap();
    conn.close().await.ok();
    assert_eq!(rows, vec![vec![Some("7".to_string())]]);
}

#[tokio::test]
async fn check_and_verify_find_the_database_that_drifted() {
    let (Some(a), Some(b)) = (TestDb::postgres().await, TestDb::postgres().await) else {
        return;
    };
    let lite = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    targets_file(
        dir.path(),
        &[
            ("a", a.url(), None),
            ("b", b.url(), None),
            ("lite", lite.url(), None),
        ],
    );
    let (code, _, printed) = fleet_json(dir.path(), &["upgrade", "-j", "3"]);
    assert_eq!(code, 0, "{printed}");
    let (code, doc, printed) = fleet_json(dir.path(), &["check"]);
    assert_eq!(code, 0, "{printed}");
    assert_eq!(doc["ok"], true);

    let mut conn = Connection::connect(b.url()).await.unwrap();
    conn.execute("ALTER TABLE user_preferences ADD COLUMN stray integer")
        .await
        .unwrap();
    conn.close().await.ok();
    for command in ["check", "verify"] {
        let (code, doc, printed) = fleet_json(dir.path(), &[command, "-j", "2"]);
        assert_eq!(code, 1, "{command}: {printed}");
        assert_eq!(result_of(&doc, "a")["result"], "ok");
        assert_eq!(result_of(&doc, "lite")["result"], "ok");
        let b = result_of(&doc, "b");
        assert_eq!(b["result"], "drift");
        assert!(b["notes"].to_string().contains("stray"), "{command}: {b}");
    }

    // Downgraded, a database is no longer at head for `check`, yet `verify` finds
    // it as its revisions built it.
    let (code, _, printed) = fleet_json(dir.path(), &["downgrade", "base"]);
    assert_eq!(code, 0, "{printed}");
    let (code, doc, _) = fleet_json(dir.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(
        result_of(&doc, "a")["notes"]
            .to_string()
            .contains("not at head")
    );
    let (code, doc, _) = fleet_json(dir.path(), &["verify"]);
    assert_eq!(code, 0, "{doc}");
}

#[test]
fn targets_come_from_every_environment_of_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("smartem-migrate.toml"),
        "[environments.one]\nurl = \"sqlite:one.db\"\ngroup = \"canary\"\n\n[environments.two]\nurl = \"sqlite:two.db\"\n",
    )
    .unwrap();
    let out = bin(dir.path())
        .args(["fleet", "upgrade", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result_of(&doc, "one")["group"], "canary");
    assert_eq!(result_of(&doc, "two")["result"], "applied");
    assert!(dir.path().join("two.db").exists());

    // Nothing to run on: a usage error that says what to add.
    let empty = tempfile::tempdir().unwrap();
    let out = bin(empty.path())
        .args(["fleet", "current"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--targets FILE"));
    // A target without a URL is named.
    std::fs::write(
        empty.path().join("t.toml"),
        "[targets.x]\ngroup = \"canary\"\n",
    )
    .unwrap();
    let out = bin(empty.path())
        .args(["fleet", "current", "--targets", "t.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("targets.x"));
}

#[tokio::test]
async fn a_failed_revision_rolls_back_on_its_own_database_only() {
    let (Some(bad), Some(good)) = (TestDb::postgres().await, TestDb::postgres().await) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    targets_file(
        dir.path(),
        &[("bad", bad.url(), None), ("good", good.url(), None)],
    );
    let (code, _, printed) = fleet_json(dir.path(), &["upgrade", "003", "-j", "2"]);
    assert_eq!(code, 0, "{printed}");
    // Revision 004 creates agentsession: a table of that name makes it fail.
    let mut conn = Connection::connect(bad.url()).await.unwrap();
    conn.execute("CREATE TABLE agentsession (x integer)")
        .await
        .unwrap();
    conn.close().await.ok();

    let (code, doc, printed) = fleet_json(dir.path(), &["upgrade", "-j", "2"]);
    assert_eq!(code, 4, "{printed}");
    let failed = result_of(&doc, "bad");
    assert_eq!(failed["result"], "failed");
    assert_eq!(failed["from"][0], "003");
    assert_eq!(failed["to"][0], "003", "the failed revision rolled back");
    assert!(
        failed["error"].as_str().unwrap().contains("004"),
        "{failed}"
    );
    assert_eq!(result_of(&doc, "good")["result"], "applied");
    assert_eq!(heads(bad.url()).await, ["003"]);
    assert_eq!(heads(good.url()).await, [HEAD]);
}

#[tokio::test]
async fn check_and_verify_leave_out_what_the_ignore_rules_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("smartem-migrate.toml"),
        "[ignore]\ntables = [\"user_notes\"]\n\n[environments.one]\nurl = \"sqlite:one.db\"\n\n[environments.two]\nurl = \"sqlite:two.db\"\n\n[environments.two.ignore]\ncolumns = [\"user_preferences.etl_loaded_at\"]\n",
    )
    .unwrap();
    let fleet = |command: &str| {
        let out = bin(dir.path())
            .args(["fleet", command, "--format", "json"])
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {out:?}"));
        (out.status.code().unwrap(), doc)
    };
    let (code, doc) = fleet("upgrade");
    assert_eq!(code, 0, "{doc}");
    let url = |file: &str| format!("sqlite://{}", dir.path().join(file).display());
    for (file, extra) in [
        ("one.db", None),
        (
            "two.db",
            Some("ALTER TABLE user_preferences ADD COLUMN etl_loaded_at text"),
        ),
    ] {
        let mut conn = Connection::connect(&url(file)).await.unwrap();
        conn.execute("CREATE TABLE user_notes (id integer PRIMARY KEY, body text)")
            .await
            .unwrap();
        if let Some(sql) = extra {
            conn.execute(sql).await.unwrap();
        }
        conn.close().await.ok();
    }
    // The global rule covers both databases, the environment's own rule only its own.
    for command in ["check", "verify"] {
        let (code, doc) = fleet(command);
        assert_eq!(code, 0, "{command}: {doc}");
        assert_eq!(result_of(&doc, "one")["result"], "ok", "{command}");
        assert_eq!(result_of(&doc, "two")["result"], "ok", "{command}");
    }
    // A table no rule names is still drift.
    let mut conn = Connection::connect(&url("one.db")).await.unwrap();
    conn.execute("CREATE TABLE unowned (id integer PRIMARY KEY)")
        .await
        .unwrap();
    conn.close().await.ok();
    let (code, doc) = fleet("check");
    assert_eq!(code, 1, "{doc}");
    let one = result_of(&doc, "one");
    assert_eq!(one["result"], "drift");
    assert!(one["notes"].to_string().contains("unowned"), "{one}");
    assert!(!one["notes"].to_string().contains("user_notes"), "{one}");
    assert_eq!(result_of(&doc, "two")["result"], "ok");
}

#[tokio::test]
async fn a_read_never_creates_a_missing_sqlite_file() {
    let Some(pg) = TestDb::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    let missing_url = format!("sqlite://{}", missing.display());
    targets_file(
        dir.path(),
        &[("gone", &missing_url, None), ("pg", pg.url(), None)],
    );
    for command in ["current", "check", "verify"] {
        let (code, doc, printed) = fleet_json(dir.path(), &[command]);
        // As `current` on that file alone: a usage error naming the file.
        assert_eq!(code, 2, "{command}: {printed}");
        let gone = result_of(&doc, "gone");
        assert_eq!(gone["result"], "failed", "{command}: {gone}");
        assert!(
            gone["error"].to_string().contains("missing.db"),
            "{command}: {gone}"
        );
        assert_ne!(result_of(&doc, "pg")["result"], "failed", "{command}");
        assert!(!missing.exists(), "{command} created {}", missing.display());
    }
    let single = bin(dir.path())
        .args(["current", "--url", &missing_url])
        .output()
        .unwrap();
    assert_eq!(single.status.code(), Some(2), "{single:?}");
    assert!(!missing.exists());
    // A downgrade has nothing to work on either; an upgrade creates the file.
    let (code, doc, printed) = fleet_json(dir.path(), &["downgrade", "base"]);
    assert_eq!(code, 2, "{printed}");
    assert_eq!(result_of(&doc, "gone")["result"], "failed");
    assert!(!missing.exists());
    let (code, _, printed) = fleet_json(dir.path(), &["upgrade", "--continue-on-error"]);
    assert_eq!(code, 0, "{printed}");
    assert!(missing.exists());
}

//! Objects the models do not own (RELIABILITY.md case 32): a SmartEM database at
//! head plus a team's own tables, a column of its own on `acquisition` (with an
//! index) and, on PostgreSQL, an enum type. Without
//! rules, `check` reports them and `diff --sql` drops them, each drop marked
//! in the SQL and summarised on stderr. With rules in the configuration file or
//! on the command line, `check`, `diff`, `schema --source db` and
//! `revision --autogenerate --from-db` leave them out.

mod cli_support;

use cli_support::bin;
use std::path::Path;
use stratum::db::Connection;
use stratum_testkit::{Backend, TestDb, each_database};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The database at head, with `user_notes`, `tmp_import_1`, the indexed column
/// `acquisition.legacy_code` and (PostgreSQL) the type `mood` used by
/// `user_notes`.
async fn with_own_objects(db: &TestDb) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    bin(dir.path(), db.url())
        .args(["upgrade", "head"])
        .assert()
        .success();
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let sql = match db.backend() {
        Backend::Postgres => {
            "CREATE TYPE mood AS ENUM ('calm', 'busy');
             CREATE TABLE user_notes (id INTEGER PRIMARY KEY, body TEXT, feeling mood);
             CREATE TABLE tmp_import_1 (line TEXT);
             ALTER TABLE acquisition ADD COLUMN legacy_code TEXT;
             CREATE INDEX ix_acquisition_legacy_code ON acquisition (legacy_code);
             INSERT INTO user_notes VALUES (1, 'keep me', 'calm');"
        }
        Backend::Sqlite => {
            "CREATE TABLE user_notes (id INTEGER PRIMARY KEY, body TEXT);
             CREATE TABLE tmp_import_1 (line TEXT);
             ALTER TABLE acquisition ADD COLUMN legacy_code TEXT;
             CREATE INDEX ix_acquisition_legacy_code ON acquisition (legacy_code);
             INSERT INTO user_notes VALUES (1, 'keep me');"
        }
        Backend::Mysql => {
            "CREATE TABLE user_notes (id INTEGER PRIMARY KEY, body TEXT);
             CREATE TABLE tmp_import_1 (line TEXT);
             ALTER TABLE acquisition ADD COLUMN legacy_code VARCHAR(40);
             CREATE INDEX ix_acquisition_legacy_code ON acquisition (legacy_code);
             INSERT INTO user_notes VALUES (1, 'keep me');"
        }
    };
    conn.execute(sql).await.unwrap();
    conn.close().await.ok();
    dir
}

#[tokio::test]
async fn without_rules_the_drops_are_reported_and_marked() {
    each_database(async |db| {
        let dir = with_own_objects(&db).await;
        let out = bin(dir.path(), db.url()).arg("check").assert().code(1);
        let stdout = text(&out.get_output().stdout);
        assert!(stdout.contains("user_notes"), "{stdout}");

        let out = bin(dir.path(), db.url())
            .args(["diff", "--from", db.url(), "--to", "head", "--sql"])
            .assert()
            .success();
        let sql = text(&out.get_output().stdout);
        let lines: Vec<&str> = sql.lines().collect();
        let mark = lines
            .iter()
            .position(|l| *l == "-- destructive: drops table \"user_notes\" and its rows")
            .unwrap_or_else(|| panic!("no mark for user_notes:\n{sql}"));
        assert!(
            lines[mark + 1].starts_with("DROP TABLE") && lines[mark + 1].contains("user_notes"),
            "{sql}"
        );
        assert!(
            lines.contains(&"-- destructive: drops table \"tmp_import_1\" and its rows"),
            "{sql}"
        );
        assert!(
            lines.contains(
                &"-- destructive: drops column \"acquisition\".\"legacy_code\" and its values"
            ),
            "{sql}"
        );
        let stderr = text(&out.get_output().stderr);
        assert!(stderr.contains("destructive statement(s)"), "{stderr}");
        assert!(stderr.contains("drops table \"tmp_import_1\""), "{stderr}");
    })
    .await;
}

/// Runs every comparing command with `extra` arguments in `dir` and expects
/// no difference.
fn expect_nothing_reported(dir: &Path, url: &str, extra: &[&str]) {
    let out = bin(dir, url).args(extra).arg("check").assert();
    let stdout = text(&out.get_output().stdout);
    out.code(0);
    assert!(!stdout.contains("user_notes"), "{stdout}");
    assert!(!stdout.contains("legacy_code"), "{stdout}");

    let out = bin(dir, url)
        .args(extra)
        .args(["diff", "--from", url, "--to", "head", "--sql"])
        .assert()
        .success();
    let sql = text(&out.get_output().stdout);
    assert!(!sql.contains("DROP"), "{sql}");
    assert!(text(&out.get_output().stderr).contains("no differences"));

    let out = bin(dir, url)
        .args(extra)
        .args(["schema", "--source", "db", "--format", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(doc["tables"]["acquisition"].is_object(), "{doc}");
    for own in ["user_notes", "tmp_import_1"] {
        assert!(doc["tables"][own].is_null(), "{own}: {doc}");
    }
    assert!(doc["enums"]["mood"].is_null(), "{doc}");
    let acquisition = doc["tables"]["acquisition"].to_string();
    assert!(!acquisition.contains("legacy_code"), "{acquisition}");

    std::fs::create_dir_all(dir.join("versions")).unwrap();
    let out = bin(dir, url)
        .args(extra)
        .args(["--versions-dir", "versions"])
        .args(["revision", "--autogenerate", "--from-db", "-m", "nothing"])
        .assert()
        .success();
    assert!(text(&out.get_output().stdout).contains("No changes"));
}

#[tokio::test]
async fn rules_in_the_configuration_file_leave_them_out() {
    each_database(async |db| {
        let dir = with_own_objects(&db).await;
        // A global rule and an environment's rule, added together.
        std::fs::write(
            dir.path().join("smartem-migrate.toml"),
            "default_environment = \"dev\"\n\
             [ignore]\ntables = [\"user_notes\"]\ncolumns = [\"acq*.legacy_*\"]\n\
             [environments.dev.ignore]\ntables = [\"tmp_*\"]\ntypes = [\"mood\"]\n",
        )
        .unwrap();
        expect_nothing_reported(dir.path(), db.url(), &[]);
    })
    .await;
}

#[tokio::test]
async fn rules_on_the_command_line_leave_them_out() {
    each_database(async |db| {
        let dir = with_own_objects(&db).await;
        expect_nothing_reported(
            dir.path(),
            db.url(),
            &[
                "--ignore-table",
                "user_notes",
                "--ignore-table",
                "tmp_import_?",
                "--ignore-type",
                "m*d",
                "--ignore-column",
                "*.legacy_code",
            ],
        );
    })
    .await;
}

#[tokio::test]
async fn an_ignored_schema_leaves_all_its_objects_out() {
    let Some(db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let dir = with_own_objects(&db).await;
    let out = bin(dir.path(), db.url())
        .args(["--ignore-schema", "pub*"])
        .args(["schema", "--source", "db", "--format", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(doc["tables"].as_object().map(|t| t.len()), Some(0), "{doc}");
    // Another schema's name changes nothing.
    let out = bin(dir.path(), db.url())
        .args(["--ignore-schema", "audit"])
        .args(["schema", "--source", "db", "--format", "json"])
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(doc["tables"]["user_notes"].is_object(), "{doc}");
}

#[tokio::test]
async fn an_empty_pattern_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path(), "sqlite:none.db")
        .args(["--ignore-table", "", "diff", "--from", "sqlite:none.db"])
        .args(["--to", "head"])
        .assert()
        .code(2);
    let stderr = text(&out.get_output().stderr);
    assert!(stderr.contains("--ignore-*"), "{stderr}");
}

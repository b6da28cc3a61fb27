//! Helpers shared by the end-to-end tests: run the binary against a test database.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use stratum::db::Connection;
use stratum::schema::Schema;
use stratum_testkit::{TestDb, encode_password, migrate_command};

/// The binary, run in `dir`, pointed at `url`, with nothing inherited that could
/// redirect it.
pub fn bin_in(dir: &std::path::Path, url: Option<&str>) -> Command {
    let mut cmd = Command::from_std(migrate_command(
        assert_cmd::cargo::cargo_bin!("testapp-migrate"),
        dir,
    ));
    if let Some(url) = url {
        cmd.args(["--url", url]);
    }
    cmd
}

/// The binary as a plain process command, for running several at once.
pub fn std_bin_in(dir: &std::path::Path, url: &str) -> std::process::Command {
    let mut cmd = migrate_command(assert_cmd::cargo::cargo_bin!("testapp-migrate"), dir);
    cmd.args(["--url", url]);
    cmd
}

/// A password with `@ : % /`, the characters a URL must encode.
pub const SECRET: &str = "p@ss:w%rd/42";

/// [`SECRET`] percent-encoded for a URL.
pub fn encoded_secret() -> String {
    encode_password(SECRET)
}

/// Panics if `text` shows [`SECRET`], whole or in part, raw or encoded.
pub fn assert_secret_absent(text: &str) {
    for needle in [
        SECRET,
        &encoded_secret(),
        "w%rd",
        "p@ss",
        "w%25rd",
        "p%40ss",
    ] {
        assert!(!text.contains(needle), "password leaked: {text}");
    }
}

/// A test database and a scratch working directory.
pub struct Fixture {
    pub db: TestDb,
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new(db: TestDb) -> Self {
        Self {
            db,
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Runs the binary with these arguments.
    pub fn run(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        bin_in(self.dir.path(), Some(self.db.url()))
            .args(args)
            .assert()
    }

    /// Runs a read command with `--format json` and parses its output.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.run(&[args, &["--format", "json"]].concat()).success();
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    /// The ids in the version table, sorted.
    pub async fn version_rows(&self) -> Vec<String> {
        let mut conn = Connection::connect(self.db.url()).await.expect("connect");
        let rows = stratum::runner::VersionTable::default()
            .read_heads(&mut conn)
            .await
            .expect("version table");
        conn.close().await.ok();
        let mut rows = rows.unwrap_or_default();
        rows.sort();
        rows
    }

    /// The schema of the database, without bookkeeping tables.
    pub async fn schema(&self) -> Schema {
        let mut conn = Connection::connect(self.db.url()).await.expect("connect");
        let s = stratum::introspect::introspect(&mut conn, &[])
            .await
            .expect("introspect");
        conn.close().await.ok();
        s
    }
}

/// Ids listed under `key` in a JSON document (`[{"id": ...}, ...]`), sorted.
pub fn ids(doc: &Value, key: &str) -> Vec<String> {
    let mut v: Vec<String> = doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("no `{key}` array in {doc}"))
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    v.sort();
    v
}

//! Connection failures: one line saying which failure and what to do, a distinct exit
//! code, and never the password.

mod common;

use common::{SECRET, assert_secret_absent, bin_in, encoded_secret};
use stratum_testkit::TestDb;

#[test]
fn refused_connection_is_a_connection_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("postgresql://postgres:{}@127.0.0.1:1/db", encoded_secret());
    let out = bin_in(dir.path(), Some(&url))
        .args(["current", "-vv"])
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert_secret_absent(&stderr);
    assert_secret_absent(&stdout);
    assert!(stderr.contains("127.0.0.1"), "{stderr}");
}

#[tokio::test]
async fn missing_database_is_named() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut url = url::Url::parse(db.url()).unwrap();
    url.set_path("/stratum_no_such_database");
    url.set_password(Some(SECRET)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = bin_in(dir.path(), Some(url.as_str()))
        .args(["upgrade", "head"])
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_secret_absent(&stderr);
    assert!(stderr.contains("stratum_no_such_database"), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn password_from_environment_is_not_printed() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin_in(dir.path(), None)
        .env("POSTGRES_USER", "postgres")
        .env("POSTGRES_PASSWORD", SECRET)
        .env("POSTGRES_HOST", "127.0.0.1")
        .env("POSTGRES_PORT", "1")
        .env("POSTGRES_DB", "smartem")
        .args(["current", "-vv"])
        .assert()
        .code(3);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.get_output().stdout),
        String::from_utf8_lossy(&out.get_output().stderr)
    );
    assert_secret_absent(&all);
}

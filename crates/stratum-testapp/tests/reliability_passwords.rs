//! Fault case 17: a password containing `@ : % /`, given by URL, by the
//! `POSTGRES_*` variables, by `POSTGRES_PASSWORD_FILE` and by an environment's
//! `password_file`: the binary connects (the test server trusts local
//! connections, so any password is accepted), fails to connect where the port is
//! wrong, and the password never appears in any output, at the most verbose level
//! too, nor in the backup step's messages.

mod common;

use common::{SECRET, assert_secret_absent, bin_in, encoded_secret};
use stratum_testkit::TestDb;

fn output(out: &assert_cmd::assert::Assert) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.get_output().stdout),
        String::from_utf8_lossy(&out.get_output().stderr)
    )
}

/// Host, port and database name of a test database URL.
fn parts(db: &TestDb) -> (String, String, String) {
    let url = url::Url::parse(db.url()).unwrap();
    (
        url.host_str().unwrap().to_string(),
        url.port().unwrap_or(5432).to_string(),
        url.path().trim_start_matches('/').to_string(),
    )
}

#[tokio::test]
async fn password_by_url_environment_and_files_never_shows() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let (host, port, name) = parts(&db);
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret.txt");
    std::fs::write(&secret_file, format!("{SECRET}\n")).unwrap();

    // By URL.
    for (p, code) in [(&port, 0), (&"1".to_string(), 3)] {
        let url = format!(
            "postgresql://postgres:{}@{host}:{p}/{name}",
            encoded_secret()
        );
        let out = bin_in(dir.path(), Some(&url))
            .args(["current", "-vv"])
            .assert()
            .code(code);
        assert_secret_absent(&output(&out));
    }

    // By POSTGRES_* variables, with the password itself or in a file.
    for by_file in [false, true] {
        for (p, code) in [(&port, 0), (&"1".to_string(), 3)] {
            let mut cmd = bin_in(dir.path(), None);
            cmd.env("POSTGRES_USER", "postgres")
                .env("POSTGRES_HOST", &host)
                .env("POSTGRES_PORT", p)
                .env("POSTGRES_DB", &name);
            if by_file {
                cmd.env("POSTGRES_PASSWORD_FILE", &secret_file);
            } else {
                cmd.env("POSTGRES_PASSWORD", SECRET);
            }
            let out = cmd.args(["current", "-vv"]).assert().code(code);
            assert_secret_absent(&output(&out));
        }
    }

    // An environment's password_file; `production` backs up before upgrading, so
    // the backup's messages are checked too.
    std::fs::write(
        dir.path().join("testapp-migrate.toml"),
        format!(
            "[environments.production]\nurl = \"postgresql://postgres@{host}:{port}/{name}\"\npassword_file = \"secret.txt\"\n\n\
             [environments.broken]\nurl = \"postgresql://postgres@{host}:1/{name}\"\npassword_file = \"secret.txt\"\n"
        ),
    )
    .unwrap();
    let out = bin_in(dir.path(), None)
        .args(["--env", "production", "upgrade", "head", "-vv"])
        .assert()
        .success();
    let text = output(&out);
    assert_secret_absent(&text);
    assert!(text.contains("backup written"), "{text}");
    assert!(text.contains("pg_restore"), "{text}");
    let out = bin_in(dir.path(), None)
        .args(["--env", "broken", "current", "-vv"])
        .assert()
        .code(3);
    assert_secret_absent(&output(&out));

    // A missing file is named, and nothing else is tried.
    std::fs::remove_file(&secret_file).unwrap();
    let out = bin_in(dir.path(), None)
        .env("POSTGRES_USER", "postgres")
        .env("POSTGRES_HOST", &host)
        .env("POSTGRES_DB", &name)
        .env("POSTGRES_PASSWORD_FILE", &secret_file)
        .args(["current"])
        .assert()
        .code(2);
    let text = output(&out);
    assert!(
        text.contains("secret.txt") && text.contains("POSTGRES_PASSWORD_FILE"),
        "{text}"
    );
}

//! Connections as production makes them (reliability cases 21 and 22): TCP to
//! clusters that ask for scram-sha-256 passwords and TLS with certificates made
//! by the test. Each failure has its documented exit code, a message that says
//! what to fix, and no password in any output at any verbosity.

use std::path::Path;
use std::process::Command;
use stratum_testkit::migrate_command;
use stratum_testkit::secure::{
    APP_USER, CERT_USER, Kind, ODD_USER, PASSWORD, SecureCluster, secure_cluster,
};

/// Forms of [`PASSWORD`] that must never be printed.
const PASSWORD_FORMS: &[&str] = &[PASSWORD, "p@ss", "p%40ss", "w/o%r", "w%2Fo%25r"];

struct Run {
    code: Option<i32>,
    all: String,
}

impl Run {
    #[track_caller]
    fn code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "exit code; output:\n{}", self.all);
        self
    }

    #[track_caller]
    fn says(&self, needle: &str) -> &Self {
        assert!(
            self.all.contains(needle),
            "output does not mention {needle:?}:\n{}",
            self.all
        );
        self
    }
}

fn command(dir: &Path) -> Command {
    let mut cmd = migrate_command(assert_cmd::cargo::cargo_bin!("faultapp-migrate"), dir);
    cmd.env_remove("PGPASSFILE").env("HOME", dir);
    cmd
}

/// Runs `current -vv` against `url` with extra variables.
fn run_with(url: Option<&str>, vars: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(dir.path());
    if let Some(url) = url {
        cmd.args(["--url", url]);
    }
    cmd.args(["current", "-vv"]);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("the binary runs");
    let all = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for form in PASSWORD_FORMS {
        assert!(
            !all.contains(form),
            "the password shows in the output:\n{all}"
        );
    }
    Run {
        code: out.status.code(),
        all,
    }
}

fn run(url: &str) -> Run {
    run_with(Some(url), &[])
}

fn cluster(kind: Kind) -> Option<&'static SecureCluster> {
    secure_cluster(kind)
}

fn path(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn scram_passwords_right_wrong_and_with_special_characters() {
    let Some(c) = cluster(Kind::Tls) else { return };
    run(&c.url(APP_USER, Some(PASSWORD), "127.0.0.1", ""))
        .code(0)
        .says("base");
    run(&c.url(ODD_USER, Some(PASSWORD), "localhost", "sslmode=require")).code(0);
    run(&c.url(APP_USER, Some("p@ss:w/o%r#d?"), "127.0.0.1", ""))
        .code(3)
        .says("authentication failed for user `app`");
    run(&c.url(APP_USER, None, "127.0.0.1", ""))
        .code(3)
        .says("asks for a password");
}

#[test]
fn passwords_from_pgpassword_the_password_file_and_pgpass() {
    let Some(c) = cluster(Kind::Tls) else { return };
    let url = c.url(APP_USER, None, "127.0.0.1", "");
    run_with(Some(&url), &[("PGPASSWORD", PASSWORD)]).code(0);

    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, format!("{PASSWORD}\n")).unwrap();
    let port = c.port.to_string();
    run_with(
        None,
        &[
            ("POSTGRES_USER", ODD_USER),
            ("POSTGRES_HOST", "127.0.0.1"),
            ("POSTGRES_PORT", &port),
            ("POSTGRES_DB", "appdb"),
            ("POSTGRES_PASSWORD_FILE", &path(&secret)),
        ],
    )
    .code(0);

    use std::os::unix::fs::PermissionsExt as _;
    let pgpass = dir.path().join("pgpass");
    let escaped = PASSWORD.replace('\\', "\\\\").replace(':', "\\:");
    std::fs::write(
        &pgpass,
        format!("otherhost:*:*:*:nope\n127.0.0.1:{port}:appdb:{APP_USER}:{escaped}\n"),
    )
    .unwrap();
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    run_with(Some(&url), &[("PGPASSFILE", &path(&pgpass))]).code(0);
    std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
    run_with(Some(&url), &[("PGPASSFILE", &path(&pgpass))])
        .code(3)
        .says("chmod 0600");
}

#[test]
fn certificate_checks_per_sslmode() {
    let Some(c) = cluster(Kind::Tls) else { return };
    let ca = path(&c.certs.ca);
    let wrong = path(&c.certs.wrong_ca);
    let url = |host: &str, q: &str| c.url(APP_USER, Some(PASSWORD), host, q);
    run(&url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ))
    .code(0);
    run(&url(
        "localhost",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ))
    .code(0);
    // 127.0.0.2 reaches the same server under a name its certificate lacks.
    run(&url(
        "127.0.0.2",
        &format!("sslmode=verify-ca&sslrootcert={ca}"),
    ))
    .code(0);
    run(&url(
        "127.0.0.2",
        &format!("sslmode=verify-full&sslrootcert={ca}"),
    ))
    .code(3)
    .says("does not name host `127.0.0.2`");
    run(&url(
        "127.0.0.1",
        &format!("sslmode=verify-ca&sslrootcert={wrong}"),
    ))
    .code(3)
    .says("not issued by a certificate authority in")
    .says(&wrong);
    // require checks the chain when the root file exists, as libpq does.
    run(&url(
        "127.0.0.1",
        &format!("sslmode=require&sslrootcert={wrong}"),
    ))
    .code(3);
    run(&url("127.0.0.1", "sslmode=require")).code(0);
    let missing = "/nonexistent/stratum/root.crt";
    run(&url(
        "127.0.0.1",
        &format!("sslmode=verify-full&sslrootcert={missing}"),
    ))
    .code(3)
    .says(missing)
    .says("does not exist");
    run(&url("127.0.0.1", "sslmode=verify-ca"))
        .code(3)
        .says("root.crt");
}

#[test]
fn a_self_signed_certificate_that_is_its_own_root() {
    let Some(c) = cluster(Kind::SelfSigned) else {
        return;
    };
    let own = path(&c.certs.self_signed);
    let url = |q: &str| c.url(APP_USER, Some(PASSWORD), "localhost", q);
    run(&url(&format!("sslmode=verify-full&sslrootcert={own}"))).code(0);
    run(&url(&format!("sslmode=verify-ca&sslrootcert={own}"))).code(0);
    run(&url(&format!(
        "sslmode=verify-full&sslrootcert={}",
        path(&c.certs.ca)
    )))
    .code(3)
    .says("is not itself in");
}

#[test]
fn client_certificates() {
    let Some(c) = cluster(Kind::Tls) else { return };
    let ca = path(&c.certs.ca);
    let url = |q: &str| c.url(CERT_USER, Some(PASSWORD), "127.0.0.1", q);
    run(&url(&format!("sslmode=verify-full&sslrootcert={ca}")))
        .code(3)
        .says("certificate");
    run(&url(&format!(
        "sslmode=verify-full&sslrootcert={ca}&sslcert={}&sslkey={}",
        path(&c.certs.client_cert),
        path(&c.certs.client_key)
    )))
    .code(0);
    run(&url(&format!(
        "sslmode=require&sslcert=/nonexistent/client.crt&sslkey={}",
        path(&c.certs.client_key)
    )))
    .code(3)
    .says("/nonexistent/client.crt");
}

#[test]
fn channel_binding() {
    let Some(c) = cluster(Kind::Tls) else { return };
    run(&c.url(
        APP_USER,
        Some(PASSWORD),
        "127.0.0.1",
        "channel_binding=require",
    ))
    .code(0);
    run(&c.url(
        APP_USER,
        Some(PASSWORD),
        "127.0.0.1",
        "channel_binding=disable",
    ))
    .code(0);
    run(&c.url(
        APP_USER,
        Some(PASSWORD),
        "127.0.0.1",
        "sslmode=disable&channel_binding=require",
    ))
    .code(2)
    .says("channel_binding=require");
    let Some(plain) = cluster(Kind::Plain) else {
        return;
    };
    run(&plain.url(APP_USER, Some(PASSWORD), "127.0.0.1", "")).code(0);
    run(&plain.url(
        APP_USER,
        Some(PASSWORD),
        "127.0.0.1",
        "channel_binding=require",
    ))
    .code(3)
    .says("not encrypted");
    run(&plain.url(APP_USER, Some(PASSWORD), "127.0.0.1", "sslmode=require"))
        .code(3)
        .says("does not offer");
}

#[test]
fn allow_and_prefer_fall_back_as_libpq_does() {
    let Some(c) = cluster(Kind::Tls) else { return };
    // The server takes TLS connections only: allow's plain attempt is refused,
    // and the TLS attempt that follows logs in.
    run(&c.url(APP_USER, Some(PASSWORD), "127.0.0.1", "sslmode=allow")).code(0);
    run(&c.url(APP_USER, Some(PASSWORD), "127.0.0.1", "sslmode=disable"))
        .code(3)
        .says("no encryption");
    let Some(plain) = cluster(Kind::Plain) else {
        return;
    };
    for mode in ["allow", "prefer"] {
        run(&plain.url(
            APP_USER,
            Some(PASSWORD),
            "127.0.0.1",
            &format!("sslmode={mode}"),
        ))
        .code(0);
    }
}

#[test]
fn an_unwritable_temporary_directory_falls_back_for_the_local_socket() {
    let Some(c) = cluster(Kind::Tls) else { return };
    let url = c.url(APP_USER, Some(PASSWORD), "127.0.0.1", "");
    run_with(Some(&url), &[("TMPDIR", "/nonexistent/stratum-tmp")]).code(0);
}

#[test]
fn malformed_settings_are_usage_errors() {
    for q in [
        "sslmode=bogus",
        "channel_binding=sometimes",
        "network_timeout=soon",
        "connect_timeout=-1",
    ] {
        let key = q.split('=').next().unwrap();
        run(&format!("postgresql://app:{}@127.0.0.1:1/db?{q}", "p%40ss"))
            .code(2)
            .says(key);
    }
}

//! Backups of MariaDB databases with `mariadb-dump`: a `production` upgrade backs
//! up first; a user with a password (created for the test, dropped at the end)
//! never has it on the dump's command line, in its environment or in the output
//! at the most verbose level (a wrapper on `PATH` records the arguments the dump
//! program receives, then runs the real one); and the printed restore command
//! brings the database back as it was before the upgrade.

mod common;

use common::{Fixture, SECRET, assert_secret_absent, bin_in, encoded_secret};
use std::path::{Path, PathBuf};
use stratum::db::Connection;
use stratum_testkit::TestDb;

fn output(out: &assert_cmd::assert::Assert) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.get_output().stdout),
        String::from_utf8_lossy(&out.get_output().stderr)
    )
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Host, port and database name of a test database URL.
fn parts(db: &TestDb) -> (String, u16, String) {
    let url = url::Url::parse(db.url()).unwrap();
    (
        url.host_str().unwrap().to_string(),
        url.port().unwrap_or(3306),
        url.path().trim_start_matches('/').to_string(),
    )
}

/// The real `mariadb-dump` (or `mysqldump`) on `PATH`.
fn real_dump() -> PathBuf {
    let path = std::env::var_os("PATH").expect("PATH");
    ["mariadb-dump", "mysqldump"]
        .iter()
        .flat_map(|p| std::env::split_paths(&path).map(move |d| d.join(p)))
        .find(|p| p.is_file())
        .expect("mariadb-dump or mysqldump on PATH")
}

/// A directory with a `mariadb-dump` that writes its arguments, environment and
/// the mode and content of its option file into `log`, then runs the real one.
fn wrapper(dir: &Path, log: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(log).unwrap();
    let script = format!(
        r#"#!/bin/sh
log='{log}'
printf '%s\n' "$@" >> "$log/args"
env >> "$log/env"
for a in "$@"; do
  case "$a" in
    --defaults-extra-file=*)
      f="${{a#--defaults-extra-file=}}"
      echo "$f" >> "$log/option_file"
      stat -c %a "$f" >> "$log/mode"
      grep -c '^password=' "$f" >> "$log/password_lines"
      ;;
  esac
done
exec '{real}' "$@"
"#,
        log = log.display(),
        real = real_dump().display(),
    );
    let path = bin.join("mariadb-dump");
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[tokio::test]
async fn the_password_never_reaches_the_dump_command_line_or_the_output() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let (host, port, name) = parts(&db);
    let user = format!("sbk_{}", &name[name.len() - 12..]);
    let mut root = Connection::connect(db.url()).await.unwrap();
    root.execute(&format!(
        "CREATE USER '{user}'@'%' IDENTIFIED BY '{SECRET}'"
    ))
    .await
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log");
    let bin = wrapper(dir.path(), &log);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::fs::write(dir.path().join("secret.txt"), format!("{SECRET}\n")).unwrap();
    std::fs::write(
        dir.path().join("testapp-migrate.toml"),
        format!(
            "[environments.production]\nurl = \"mysql://{user}@{host}:{port}/{name}\"\npassword_file = \"secret.txt\"\n"
        ),
    )
    .unwrap();

    // Everything runs before the assertions, so that the user is dropped whatever
    // they find.
    let granted = root
        .execute(&format!(
            "GRANT ALL PRIVILEGES ON `{name}`.* TO '{user}'@'%'"
        ))
        .await;
    // `production` backs up before upgrading; the password comes from its file.
    let by_environment = bin_in(dir.path(), None)
        .env("PATH", &path)
        .args(["--env", "production", "upgrade", "head", "-vv"])
        .assert();
    let option_files_after_first = read(&log.join("option_file"));
    // The password in the URL; a downgrade is backed up when asked.
    let url = format!("mysql://{user}:{}@{host}:{port}/{name}", encoded_secret());
    let by_url = bin_in(dir.path(), Some(&url))
        .env("PATH", &path)
        .args(["downgrade", "base", "--backup", "-vv"])
        .assert();
    let dropped = root.execute(&format!("DROP USER '{user}'@'%'")).await;
    root.close().await.ok();

    granted.unwrap();
    dropped.unwrap();
    for out in [&by_environment, &by_url] {
        let text = output(out);
        assert!(out.get_output().status.success(), "{text}");
        assert_secret_absent(&text);
        assert!(text.contains("backup written"), "{text}");
        assert!(
            text.contains(&format!(
                "to restore it: mariadb --protocol=TCP --host={host} --port={port} --user={user} --password {name} < "
            )),
            "{text}"
        );
    }
    assert_eq!(files(&dir.path().join("backups")).len(), 2);

    let args = read(&log.join("args"));
    assert_secret_absent(&args);
    for flag in [
        "--single-transaction",
        "--routines",
        "--triggers",
        "--events",
        &format!("--user={user}"),
        &name,
    ] {
        assert_eq!(
            args.lines().filter(|l| l == &flag).count(),
            2,
            "{flag} in {args}"
        );
    }
    let env = read(&log.join("env"));
    assert_secret_absent(&env);
    assert!(!env.contains("MYSQL_PWD"), "{env}");
    // One private option file per dump, holding the password, gone afterwards.
    assert_eq!(read(&log.join("mode")), "600\n600\n");
    assert_eq!(read(&log.join("password_lines")), "1\n1\n");
    let option_files: Vec<String> = read(&log.join("option_file"))
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(option_files.len(), 2);
    assert_eq!(option_files_after_first.lines().count(), 1);
    for f in &option_files {
        assert!(!Path::new(f).exists(), "{f} left behind");
    }
    // The first argument is the option file (the client reads it only there).
    assert!(
        args.lines()
            .next()
            .is_some_and(|l| l.starts_with("--defaults-extra-file=")),
        "{args}"
    );
}

#[tokio::test]
async fn the_printed_restore_command_brings_the_database_back() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let f = Fixture::new(db);
    f.run(&["upgrade", "a1f0c0de0001"]).success();
    let mut conn = Connection::connect(f.db.url()).await.unwrap();
    conn.execute("INSERT INTO account (name, kind) VALUES ('ada', 'SERVICE')")
        .await
        .unwrap();
    let before = f.schema().await;

    let out = f.run(&["upgrade", "head", "--backup"]).success();
    let text = output(&out);
    let restore = text
        .lines()
        .find_map(|l| l.split_once("to restore it: ").map(|(_, c)| c.to_string()))
        .unwrap_or_else(|| panic!("no restore command in {text}"));
    assert!(restore.starts_with("mariadb "), "{restore}");
    assert_ne!(f.schema().await, before);

    // The database is lost: recreated empty, then restored.
    let (_, _, name) = parts(&f.db);
    conn.execute(&format!("DROP DATABASE `{name}`"))
        .await
        .unwrap();
    conn.execute(&format!("CREATE DATABASE `{name}`"))
        .await
        .unwrap();
    conn.close().await.ok();
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(&restore)
        .current_dir(f.dir.path())
        .env_remove("MYSQL_PWD")
        .status()
        .expect("sh runs");
    assert!(status.success(), "{restore}");

    assert_eq!(f.schema().await, before);
    assert_eq!(f.version_rows().await, ["a1f0c0de0001"]);
    let mut conn = Connection::connect(f.db.url()).await.unwrap();
    let rows = conn
        .query_text("SELECT name, kind FROM account")
        .await
        .unwrap();
    conn.close().await.ok();
    assert_eq!(
        format!("{rows:?}"),
        format!(
            "{:?}",
            vec![vec![Some("ada".to_string()), Some("SERVICE".to_string())]]
        )
    );
    // Upgrading again from the restored state works.
    f.run(&["upgrade", "head"]).success();
}

#[tokio::test]
async fn a_failed_dump_stops_the_upgrade_and_its_output_is_scrubbed() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let (host, port, name) = parts(&db);
    let user = format!("sbf_{}", &name[name.len() - 12..]);
    let mut root = Connection::connect(db.url()).await.unwrap();
    root.execute(&format!(
        "CREATE USER '{user}'@'%' IDENTIFIED BY '{SECRET}'"
    ))
    .await
    .unwrap();
    let granted = root
        .execute(&format!(
            "GRANT ALL PRIVILEGES ON `{name}`.* TO '{user}'@'%'"
        ))
        .await;

    // A dump program that shows its option file (the password) and fails.
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in --defaults-extra-file=*) cat \"${a#--defaults-extra-file=}\" >&2;; esac; done\necho 'Got error: 1044: Access denied' >&2\nexit 2\n";
    let program = bin.join("mariadb-dump");
    std::fs::write(&program, script).unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let url = format!("mysql://{user}:{}@{host}:{port}/{name}", encoded_secret());
    let out = bin_in(dir.path(), Some(&url))
        .env("PATH", &path)
        .args(["upgrade", "head", "--backup", "-vv"])
        .assert();
    let dropped = root.execute(&format!("DROP USER '{user}'@'%'")).await;
    root.close().await.ok();
    granted.unwrap();
    dropped.unwrap();

    let text = output(&out);
    assert_eq!(out.get_output().status.code(), Some(5), "{text}");
    assert_secret_absent(&text);
    assert!(
        text.contains("the backup failed, nothing was migrated"),
        "{text}"
    );
    assert!(text.contains("mariadb-dump failed"), "{text}");
    assert!(text.contains("Access denied"), "{text}");
    // The option file reached the dump (its password line, scrubbed, shows it).
    assert!(text.contains("password=\"***\""), "{text}");
    assert!(files(&dir.path().join("backups")).is_empty());
    let f = Fixture::new(db);
    assert!(f.version_rows().await.is_empty());
    assert!(f.schema().await.tables.is_empty());
}

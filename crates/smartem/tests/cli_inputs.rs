//! Bad inputs never fall back quietly to another database (RELIABILITY.md cases
//! 29 and 30): a configuration file that is a directory, a broken symbolic link
//! or `/dev/zero`; `sqlite:` with an empty path; a read command on a SQLite path
//! where no file exists; `upgrade` on a directory, a file that is not SQLite or
//! a read-only file. Each exits with its documented code, names what to fix,
//! creates no file and changes nothing.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin(dir: &Path) -> Command {
    let mut cmd =
        stratum_testkit::migrate_command(assert_cmd::cargo::cargo_bin!("smartem-migrate"), dir);
    cmd.stdin(Stdio::null());
    cmd
}

/// Runs `cmd`, killing it if it has not ended within 60 s (a hang is a failure).
fn run(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().ok();
            panic!("{cmd:?} did not end within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The files in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_configuration_file_that_is_not_a_file_is_an_error_not_a_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("smartem-migrate.toml");
    std::fs::create_dir(&config).unwrap();
    let out = run({
        let mut c = bin(dir.path());
        c.args(["upgrade", "head"]);
        c
    });
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("smartem-migrate.toml is a directory"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir(&config).unwrap();

    std::os::unix::fs::symlink(dir.path().join("mounted/config.toml"), &config).unwrap();
    let out = run({
        let mut c = bin(dir.path());
        c.args(["upgrade", "head"]);
        c
    });
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("broken symbolic link"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_file(&config).unwrap();

    // A device never ends: the read must not hang.
    let out = run({
        let mut c = bin(dir.path());
        c.args(["--config", "/dev/zero", "current"]);
        c
    });
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/dev/zero is not a regular file"),
        "{}",
        stderr(&out)
    );
    assert!(
        listing(dir.path()).is_empty(),
        "no smartem.db migrated instead: {:?}",
        listing(dir.path())
    );
}

#[test]
fn an_empty_sqlite_path_is_refused_from_the_flag_and_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = run({
        let mut c = bin(dir.path());
        c.args(["--url", "sqlite:", "upgrade", "head"]);
        c
    });
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("names no file"), "{}", stderr(&out));
    let out = run({
        let mut c = bin(dir.path());
        c.env("DATABASE_URL", "sqlite:").args(["upgrade", "head"]);
        c
    });
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("sqlite::memory:"), "{}", stderr(&out));
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[test]
fn read_commands_refuse_a_missing_sqlite_file_and_create_none() {
    let dir = tempfile::tempdir().unwrap();
    let url = "sqlite:smartem-typo.db";
    for args in [
        vec!["--url", url, "current"],
        vec!["--url", url, "history", "--indicate-current"],
        vec!["--url", url, "check"],
        vec!["--url", url, "schema", "--source", "db"],
        vec!["--url", url, "downgrade", "-1"],
        vec!["diff", "--from", url, "--to", "head"],
        vec!["diff", "--from", "head", "--to", url, "--sql"],
        vec![
            "--url",
            url,
            "revision",
            "--autogenerate",
            "--from-db",
            "-m",
            "x",
            "--versions-dir",
            "versions",
        ],
    ] {
        let out = run({
            let mut c = bin(dir.path());
            c.args(&args);
            c
        });
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("smartem-typo.db does not exist"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(
            listing(dir.path()).is_empty(),
            "{args:?}: {:?}",
            listing(dir.path())
        );
    }
    // A write command creates it.
    let out = run({
        let mut c = bin(dir.path());
        c.args(["--url", url, "stamp", "base"]);
        c
    });
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("smartem-typo.db").is_file());
}

#[test]
fn upgrade_names_a_file_it_cannot_migrate_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let upgrade = |target: &str| {
        run({
            let mut c = bin(dir.path());
            c.args(["--url", &format!("sqlite:{target}"), "upgrade", "head"]);
            c
        })
    };

    std::fs::create_dir(dir.path().join("data")).unwrap();
    let out = upgrade("data");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("data is a directory"),
        "{}",
        stderr(&out)
    );
    assert!(listing(&dir.path().join("data")).is_empty());

    let notes = dir.path().join("notes.txt");
    let text = "meeting notes, not a database\n".repeat(10);
    std::fs::write(&notes, &text).unwrap();
    let out = upgrade("notes.txt");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("notes.txt is not a SQLite database"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), text);

    // A database at revision 002, then made read-only.
    let db = dir.path().join("smartem.db");
    let out = run({
        let mut c = bin(dir.path());
        c.args(["--url", "sqlite:smartem.db", "upgrade", "002"]);
        c
    });
    assert!(out.status.success(), "{}", stderr(&out));
    let before = std::fs::read(&db).unwrap();
    let mut perms = std::fs::metadata(&db).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&db, perms).unwrap();
    for args in [["upgrade", "head"], ["downgrade", "-1"]] {
        let out = run({
            let mut c = bin(dir.path());
            c.args(["--url", "sqlite:smartem.db"]).args(args);
            c
        });
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("smartem.db is read-only"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{args:?} changed the file"
        );
    }
    // Reading it is fine.
    let out = run({
        let mut c = bin(dir.path());
        c.args(["--url", "sqlite:smartem.db", "current"]);
        c
    });
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("002"));
}

#[test]
fn unusable_online_tuning_exits_2_before_anything_is_opened() {
    for (flag, value, says) in [
        ("--batch-size", "0", "--batch-size"),
        ("--online-attempts", "0", "--online-attempts"),
        ("--online-lock-timeout", "0", "--online-lock-timeout"),
        ("--batch-pause", "soon", "--batch-pause"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = run({
            let mut c = bin(dir.path());
            c.args(["upgrade", "head", "--online", flag, value]);
            c
        });
        assert_eq!(
            out.status.code(),
            Some(2),
            "{flag} {value}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(says),
            "{flag} {value}: {}",
            stderr(&out)
        );
        assert!(
            listing(dir.path()).is_empty(),
            "{flag} {value} created a file"
        );
    }
}

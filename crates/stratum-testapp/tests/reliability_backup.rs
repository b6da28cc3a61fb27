//! Backups before migrating: `--backup`, the `backup` setting (on by default for
//! `production`, for upgrades and downgrades), a refusal to migrate when the backup fails, no backup when
//! there is nothing to apply, and a backup that restores.

mod common;

use common::Fixture;
use std::path::{Path, PathBuf};
use stratum_testkit::{Backend, each_backend};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

#[tokio::test]
async fn upgrade_backs_up_first_and_only_when_something_is_applied() {
    each_backend(async |db| {
        let f = Fixture::new(db);
        let backups = f.dir.path().join("backups");
        f.run(&["upgrade", "a1f0c0de0001"]).success();
        assert!(files(&backups).is_empty(), "no backup unless asked");

        let out = f.run(&["upgrade", "head", "--backup"]).success();
        let text = stderr(&out);
        let taken = files(&backups);
        assert_eq!(taken.len(), 1, "{text}");
        assert!(text.contains("backup written"), "{text}");
        let restore = if f.db.backend() == Backend::Postgres {
            "pg_restore --clean --if-exists"
        } else {
            "cp "
        };
        assert!(text.contains(restore), "{text}");

        // The copy holds the database as it was before the run.
        match f.db.backend() {
            Backend::Postgres => {
                let listing = std::process::Command::new("pg_restore")
                    .arg("--list")
                    .arg(&taken[0])
                    .output()
                    .expect("pg_restore runs");
                assert!(listing.status.success());
                let listing = String::from_utf8_lossy(&listing.stdout);
                assert!(listing.contains("TABLE public account"), "{listing}");
                assert!(!listing.contains("TABLE public note"), "{listing}");
            }
            Backend::Sqlite => {
                let url = format!("sqlite://{}", taken[0].display());
                let mut conn = stratum::db::Connection::connect(&url).await.unwrap();
                let rows = stratum::runner::VersionTable::default()
                    .read_heads(&mut conn)
                    .await
                    .unwrap();
                assert_eq!(rows, Some(vec!["a1f0c0de0001".to_string()]));
                conn.close().await.ok();
            }
            Backend::Mysql => unreachable!("this test runs on SQLite and PostgreSQL"),
        }

        // Nothing to apply: no backup.
        f.run(&["upgrade", "head", "--backup"]).success();
        assert_eq!(files(&backups).len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_failed_backup_stops_the_upgrade() {
    each_backend(async |db| {
        let f = Fixture::new(db);
        let not_a_dir = f.dir.path().join("occupied");
        std::fs::write(&not_a_dir, "a file where the directory should be").unwrap();
        let out = f
            .run(&["upgrade", "head", "--backup", "--backup-dir", "occupied"])
            .code(5);
        let text = stderr(&out);
        assert!(
            text.contains("the backup failed, nothing was migrated"),
            "{text}"
        );
        assert!(f.version_rows().await.is_empty());
        assert!(f.schema().await.tables.is_empty());
    })
    .await;
}

#[tokio::test]
async fn production_backs_up_unless_told_not_to() {
    each_backend(async |db| {
        let f = Fixture::new(db);
        let config = |backup: &str| {
            std::fs::write(
                f.dir.path().join("testapp-migrate.toml"),
                format!(
                    "[environments.production]\nurl = \"{}\"\n{backup}\n",
                    f.db.url()
                ),
            )
            .unwrap();
        };
        let backups = f.dir.path().join("backups");
        // `--url` is not passed: the environment gives it.
        let run = |args: &[&str]| {
            common::bin_in(f.dir.path(), None)
                .args(["--env", "production"])
                .args(args)
                .assert()
                .success()
        };
        config("backup = false");
        run(&["upgrade", "a1f0c0de0001"]);
        assert!(files(&backups).is_empty());
        config("");
        run(&["upgrade", "b2e1a5e50002", "--no-backup"]);
        assert!(files(&backups).is_empty());
        run(&["upgrade", "head"]);
        assert_eq!(files(&backups).len(), 1);
        // Downgrades drop data: they are backed up too.
        run(&["downgrade", "base"]);
        assert_eq!(files(&backups).len(), 2);
    })
    .await;
}

#[tokio::test]
async fn a_dump_blocked_by_a_table_lock_gives_up_after_the_lock_timeout() {
    use sqlx::Connection as _;
    let Some(db) = stratum_testkit::TestDb::postgres().await else {
        return;
    };
    let f = Fixture::new(db);
    f.run(&["upgrade", "a1f0c0de0001"]).success();
    let mut holder = sqlx::PgConnection::connect(f.db.url()).await.unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE account IN ACCESS EXCLUSIVE MODE")
        .execute(&mut holder)
        .await
        .unwrap();
    let out = f
        .run(&["--lock-timeout", "1s", "upgrade", "head", "--backup"])
        .code(5);
    let text = stderr(&out);
    assert!(
        text.contains("the backup failed, nothing was migrated"),
        "{text}"
    );
    assert!(text.contains("pg_dump failed"), "{text}");
    assert_eq!(f.version_rows().await, ["a1f0c0de0001"]);
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut holder)
        .await
        .unwrap();
    holder.close().await.ok();
}

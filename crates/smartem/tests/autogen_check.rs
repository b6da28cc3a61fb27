//! No false drift: a database built by the SmartEM chain is reported in sync by
//! `smartem-migrate check` (models, revisions and database), on SQLite,
//! PostgreSQL and MariaDB, and `diff` between it and the models finds nothing.

use assert_cmd::Command;
use stratum_testkit::{each_database, migrate_command};

fn bin(dir: &std::path::Path, url: &str) -> Command {
    let mut cmd = Command::from_std(migrate_command(
        assert_cmd::cargo::cargo_bin!("smartem-migrate"),
        dir,
    ));
    cmd.args(["--url", url]);
    cmd
}

#[tokio::test]
async fn check_finds_no_drift_on_a_database_built_by_the_chain() {
    each_database(async |db| {
        let dir = tempfile::tempdir().unwrap();
        bin(dir.path(), db.url())
            .args(["upgrade", "head"])
            .assert()
            .success();
        let out = bin(dir.path(), db.url())
            .args(["check", "--format", "json"])
            .assert()
            .success();
        let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(doc["in_sync"], true, "{doc:#}");
        let comparisons = doc["comparisons"].as_array().unwrap();
        assert_eq!(
            comparisons.len(),
            2,
            "models and database compared: {doc:#}"
        );
        for c in comparisons {
            assert_eq!(c["differences"].as_array().unwrap().len(), 0, "{doc:#}");
            assert_eq!(c["ops"].as_array().unwrap().len(), 0, "{doc:#}");
        }
        let diff = bin(dir.path(), db.url())
            .args([
                "diff",
                "--from",
                db.url(),
                "--to",
                "models",
                "--format",
                "json",
            ])
            .assert()
            .success();
        let doc: serde_json::Value = serde_json::from_slice(&diff.get_output().stdout).unwrap();
        assert_eq!(doc["ops"].as_array().unwrap().len(), 0, "{doc:#}");
        assert_eq!(doc["differences"].as_array().unwrap().len(), 0, "{doc:#}");
    })
    .await;
}

/// `diff --sql` from an empty database to the models writes SQL that builds the
/// models there: on MariaDB, where the server names every primary key
/// `PRIMARY`, the tables it creates must not all claim that one name.
#[tokio::test]
async fn diff_sql_from_an_empty_database_builds_the_models() {
    each_database(async |db| {
        // An empty database (a SQLite file is created by this first connection).
        let mut conn = stratum::db::Connection::connect(db.url()).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = bin(dir.path(), db.url())
            .args(["diff", "--from", db.url(), "--to", "models", "--sql"])
            .assert()
            .success();
        let sql = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        let models = smartem::model::target_schema();
        assert_eq!(
            sql.matches("CREATE TABLE ").count(),
            models.tables.len(),
            "{sql}"
        );
        conn.execute(&sql).await.unwrap();
        let built = stratum::introspect::introspect(&mut conn, &[])
            .await
            .unwrap();
        conn.close().await.unwrap();
        let expected = stratum::dialect::normalize_for(db_dialect(&db), &models);
        let report =
            stratum_testkit::schema_differences(&expected, &built, ("the models", "the database"));
        assert!(report.is_empty(), "{report:#?}");
    })
    .await;
}

fn db_dialect(db: &stratum_testkit::TestDb) -> stratum::dialect::Dialect {
    stratum::config::DatabaseUrl::parse(db.url())
        .unwrap()
        .dialect()
}

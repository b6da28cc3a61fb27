//! `verify` with the run's options: a revision whose raw SQL creates a table
//! the simulator cannot see fails verification, and passes once an ignore rule
//! leaves that table out; a custom version table and history table are never
//! mistaken for schema the revisions should have built.

use stratum::config::IgnoreRules;
use stratum::db::Connection;
use stratum::prelude::*;
use stratum::runner::{RunOptions, VersionTable};
use stratum::script::{EmbeddedRevision, Script};
use stratum::verify::{VerifyOptions, VerifyStage, verify_on_with};
use stratum_testkit::each_database;

fn a_up(op: &mut Ops) {
    op.create_table("thing")
        .column(col("id", integer()).primary_key());
    // A side table of the application's own, invisible to the simulator.
    op.execute("CREATE TABLE side_log (line TEXT)");
}
fn a_down(op: &mut Ops) {
    op.execute("DROP TABLE side_log");
    op.drop_table("thing");
}

static REVISIONS: [EmbeddedRevision; 1] = [EmbeddedRevision {
    revision: Revision::new("a1").message("thing and its side log"),
    upgrade: a_up,
    downgrade: a_down,
    file_name: "a1_thing.rs",
    source: "",
}];

fn custom_run() -> RunOptions {
    RunOptions {
        version_table: VersionTable::new("my_versions").unwrap(),
        history_table: "my_history".to_string(),
        ..Default::default()
    }
}

#[tokio::test]
async fn verify_honours_ignore_rules_and_custom_bookkeeping_names() {
    each_database(async |db| {
        let script = Script::load(&REVISIONS).unwrap();

        let without = VerifyOptions {
            run: custom_run(),
            ignore: IgnoreRules::default(),
        };
        let conn = Connection::connect(db.url()).await.unwrap();
        let report = verify_on_with(conn, &script, None, stratum::runner::NoEvents, &without)
            .await
            .unwrap();
        let failure = report.failure.expect("the side table is seen");
        assert_eq!(failure.stage, VerifyStage::SchemaAfterUpgrade);
        let needed = failure.differences.join("; ");
        assert!(needed.contains("side_log"), "{needed}");
        assert!(!needed.contains("my_versions"), "{needed}");
        assert!(!needed.contains("my_history"), "{needed}");

        // A fresh database for the second run.
        let mut conn = Connection::connect(db.url()).await.unwrap();
        conn.execute("DROP TABLE IF EXISTS side_log").await.unwrap();
        conn.execute("DROP TABLE IF EXISTS thing").await.unwrap();
        conn.execute("DROP TABLE IF EXISTS my_versions")
            .await
            .unwrap();
        conn.execute("DROP TABLE IF EXISTS my_history")
            .await
            .unwrap();
        let with = VerifyOptions {
            run: custom_run(),
            ignore: IgnoreRules {
                tables: vec!["side_*".into()],
                ..Default::default()
            },
        };
        let report = verify_on_with(conn, &script, None, stratum::runner::NoEvents, &with)
            .await
            .unwrap();
        assert!(report.ok(), "{:?}", report.failure);
        assert_eq!(report.passed, ["a1"]);
    })
    .await;
}

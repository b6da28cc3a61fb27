//! The history tools on the SmartEM chain: a database that Alembic left at a
//! revision id of the consolidated chain (`c4d5e6f7a8b9`) is stamped from its
//! schema, and a squash of the first five revisions keeps `003`'s seed rows and
//! builds the same schema as the revisions it replaces.

mod cli_support;

use cli_support::bin;
use smartem::migrations::REVISIONS;
use stratum::db::Connection;
use stratum::diff::differences;
use stratum::lineage::squash::plan_squash;
use stratum::runner::schema_at;
use stratum::schema::Schema;
use stratum::script::Script;
use stratum_testkit::each_database;

#[tokio::test]
async fn a_database_alembic_left_at_c4d5e6f7a8b9_is_stamped_from_its_schema() {
    each_database(async |db| {
        let dir = tempfile::tempdir().unwrap();
        bin(dir.path(), db.url())
            .args(["upgrade", "head"])
            .assert()
            .success();
        let mut conn = Connection::connect(db.url()).await.unwrap();
        conn.execute("UPDATE alembic_version SET version_num = 'c4d5e6f7a8b9'")
            .await
            .unwrap();
        conn.close().await.ok();
        bin(dir.path(), db.url())
            .args(["upgrade", "head"])
            .assert()
            .code(5);

        let out = bin(dir.path(), db.url())
            .args(["stamp", "--detect", "--format", "json"])
            .assert()
            .success();
        let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        let script = Script::load(REVISIONS).unwrap();
        let head = script.map().heads()[0].to_string();
        assert_eq!(doc["stamped"], head.as_str(), "{doc}");
        assert_eq!(doc["unknown_rows"], serde_json::json!(["c4d5e6f7a8b9"]));
        bin(dir.path(), db.url()).args(["check"]).assert().success();
    })
    .await;
}

#[test]
fn a_baseline_for_001_to_004_keeps_the_seed_rows_and_the_schema() {
    let script = Script::load(REVISIONS).unwrap();
    let plan = plan_squash(&script, "004").unwrap();
    assert_eq!(plan.range, ["001", "6e6302f1ccb6", "002", "003", "004"]);
    let carried: Vec<&str> = plan
        .data
        .iter()
        .filter(|d| d.dropped.is_none())
        .map(|d| d.revision.as_str())
        .collect();
    assert!(
        !carried.is_empty() && carried.iter().all(|r| *r == "003"),
        "{carried:?}"
    );
    let seed = plan.generated.upgrade.matches("\"system\"").count();
    assert_eq!(seed, 3, "{}", plan.generated.upgrade);

    let mut built = Schema::default();
    for op in &plan.generated.upgrade_ops {
        stratum::simulate::apply(&mut built, op).unwrap();
    }
    let chain = schema_at(&script, &["004".to_string()]).unwrap();
    let found = differences(&chain, &built);
    assert!(found.is_empty(), "{found:?}");
    for op in &plan.generated.downgrade_ops {
        stratum::simulate::apply(&mut built, op).unwrap();
    }
    assert!(
        built.tables.is_empty() && built.enums.is_empty(),
        "{built:?}"
    );
}

//! The whole workflow through a branched and merged chain, on every backend.

mod common;

use common::{Fixture, ids};
use stratum_testkit::each_database;

const A1: &str = "a1f0c0de0001";
const B2: &str = "b2e1a5e50002";
const C3: &str = "c3b0a7c40003";
const D4: &str = "d4d0e6e10004";
const E5: &str = "c3f5a1b20005";

#[tokio::test]
async fn upgrade_current_history_downgrade_stamp() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", "head"]).success();
        assert_eq!(f.version_rows().await, [E5]);
        assert_eq!(ids(&f.json(&["current"]), "current"), [E5]);
        let schema = f.schema().await;
        assert!(schema.tables.contains_key("account") && schema.tables.contains_key("note"));

        let history = f.json(&["history", "--verbose"]);
        let mut all = vec![A1, B2, C3, D4, E5];
        all.sort();
        assert_eq!(ids(&history, "revisions"), all);
        let text = f.run(&["history", "--verbose"]).success();
        let out = String::from_utf8_lossy(&text.get_output().stdout).to_string();
        assert!(out.contains("Merge the email and notes branches"), "{out}");

        // One step back: the merge point.
        f.run(&["downgrade", "-1"]).success();
        assert_eq!(f.version_rows().await, [D4]);

        // Back to the branch point: both branches are undone.
        f.run(&["downgrade", A1]).success();
        assert_eq!(f.version_rows().await, [A1]);
        let schema = f.schema().await;
        assert!(!schema.tables.contains_key("note"));
        assert!(schema.tables["account"].column("email").is_none());

        // One branch, then the other: two rows in the version table.
        f.run(&["upgrade", C3]).success();
        assert_eq!(f.version_rows().await, [C3]);
        f.run(&["upgrade", B2]).success();
        assert_eq!(f.version_rows().await, [B2, C3]);
        assert_eq!(ids(&f.json(&["current"]), "current"), [B2, C3]);

        // `upgrade heads` joins them through the merge.
        f.run(&["upgrade", "heads"]).success();
        assert_eq!(f.version_rows().await, [E5]);

        f.run(&["downgrade", "base"]).success();
        assert!(f.version_rows().await.is_empty());
        let schema = f.schema().await;
        assert!(schema.tables.is_empty(), "{schema:?}");
        assert!(schema.enums.is_empty(), "{schema:?}");

        // stamp records without running.
        f.run(&["stamp", D4]).success();
        assert_eq!(f.version_rows().await, [D4]);
        assert!(f.schema().await.tables.is_empty());
        f.run(&["stamp", "base"]).success();
        assert!(f.version_rows().await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn bad_targets_are_refused_and_change_nothing() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", A1]).success();
        let before = f.schema().await;

        let unknown = f.run(&["upgrade", "ffff"]).code(2);
        let err = String::from_utf8_lossy(&unknown.get_output().stderr).to_string();
        assert!(err.contains("ffff"), "{err}");

        let ambiguous = f.run(&["upgrade", "c3"]).code(2);
        let err = String::from_utf8_lossy(&ambiguous.get_output().stderr).to_string();
        assert!(err.contains(C3) && err.contains(E5), "{err}");

        let past_base = f.run(&["downgrade", "-5"]).code(2);
        let err = String::from_utf8_lossy(&past_base.get_output().stderr).to_string();
        assert!(err.contains("-5") || err.contains("base"), "{err}");

        assert_eq!(f.version_rows().await, [A1]);
        assert_eq!(f.schema().await, before);
    })
    .await;
}

#[tokio::test]
async fn a_database_on_both_branches_upgrades_through_the_merge() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", C3]).success();
        f.run(&["upgrade", B2]).success();
        // `-1` from two current heads is ambiguous: refused, nothing changes.
        let out = f.run(&["downgrade", "-1"]).code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains(B2) || err.contains("heads"), "{err}");
        assert_eq!(f.version_rows().await, [B2, C3]);
        // The scripts have one head: `upgrade head` joins both branches there.
        f.run(&["upgrade", "head"]).success();
        assert_eq!(f.version_rows().await, [E5]);
    })
    .await;
}

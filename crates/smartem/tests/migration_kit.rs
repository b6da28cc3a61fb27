//! SmartEM's revisions under the engine's test kit (`stratum::testing`), on the
//! PostgreSQL server of `TEST_DATABASE_URL` and on SQLite: one head, base to
//! head, models equal to head, the stairway, a downgrade that leaves nothing, and
//! revision `003`'s seed rows and their removal.

use smartem::migrations::REVISIONS;
use stratum::testing::MigrationTests;

/// The kit on `TEST_DATABASE_URL`'s server (SQLite when it is unset).
fn kit() -> MigrationTests {
    MigrationTests::new(REVISIONS).models(smartem::model::target_schema)
}

/// Both backends: the environment's server, and SQLite. Without a server the
/// first is SQLite too, which `CI=true` does not accept.
fn kits() -> [MigrationTests; 2] {
    let server = std::env::var(stratum_testkit::DATABASE_URL_ENV).unwrap_or_default();
    if server.trim().is_empty() {
        assert!(
            !stratum_testkit::is_ci(),
            "{}: CI=true requires a PostgreSQL server for every test",
            stratum_testkit::SKIP_MESSAGE
        );
        eprintln!("{} (PostgreSQL part)", stratum_testkit::SKIP_MESSAGE);
    }
    [kit(), kit().sqlite()]
}

#[test]
fn single_head() {
    kit().assert_single_head();
}

#[test]
fn upgrade_base_to_head() {
    for k in kits() {
        k.assert_upgrade();
    }
}

#[test]
fn models_match_head() {
    for k in kits() {
        k.assert_models_match_head();
    }
}

#[test]
fn stairway() {
    for k in kits() {
        k.assert_stairway();
    }
}

#[test]
fn downgrade_leaves_no_trace() {
    for k in kits() {
        k.assert_downgrade_leaves_no_trace();
    }
}

const SEED_KEYS: &str =
    "SELECT preference_key FROM user_preferences WHERE user_id = 'system' ORDER BY 1";

#[test]
fn seed_rows_of_003_are_added_and_removed_alone() {
    for k in kits() {
        let dialect = k.dialect();
        let mut db = k.database();
        assert_eq!(db.migrate_to_before("003"), ["002"], "{dialect}");
        db.execute(
            "INSERT INTO user_preferences (user_id, preference_key) VALUES ('alice', 'theme')",
        );
        assert!(db.query(SEED_KEYS).is_empty(), "{dialect}");

        assert_eq!(db.step_up(), ["003"], "{dialect}");
        let keys: Vec<String> = db
            .query(SEED_KEYS)
            .into_iter()
            .flat_map(|r| r[0].clone())
            .collect();
        assert_eq!(
            keys,
            [
                "default_acquisition_settings",
                "quality_thresholds",
                "ui_defaults"
            ],
            "{dialect}"
        );
        let page_size = match dialect {
            stratum::dialect::Dialect::Postgres => {
                "SELECT preference_value->>'default_page_size' FROM user_preferences WHERE preference_key = 'ui_defaults'"
            }
            stratum::dialect::Dialect::Sqlite => {
                "SELECT json_extract(preference_value, '$.default_page_size') FROM user_preferences WHERE preference_key = 'ui_defaults'"
            }
            stratum::dialect::Dialect::Mysql => {
                "SELECT json_value(preference_value, '$.default_page_size') FROM user_preferences WHERE preference_key = 'ui_defaults'"
            }
        };
        assert_eq!(db.query(page_size), [[Some("50".to_string())]], "{dialect}");

        // The downgrade removes the seeds and keeps the user's row.
        assert_eq!(db.step_down(), ["002"], "{dialect}");
        assert!(db.query(SEED_KEYS).is_empty(), "{dialect}");
        assert_eq!(
            db.query("SELECT user_id, preference_key FROM user_preferences"),
            [[Some("alice".to_string()), Some("theme".to_string())]],
            "{dialect}"
        );
        // From above the revision, migrate_to_before goes down to it.
        db.upgrade("head");
        assert_eq!(db.migrate_to_before("003"), ["002"], "{dialect}");
    }
}

//! A test kit for applications: the checks every revision history deserves, one
//! line each in the application's own test suite.
//!
//! ```no_run
//! # mod generated { pub static REVISIONS: &[stratum::script::EmbeddedRevision] = &[]; }
//! # mod models { pub fn target_schema() -> stratum::schema::Schema { Default::default() } }
//! # use generated::REVISIONS;
//! use stratum::testing::MigrationTests;
//!
//! fn kit() -> MigrationTests {
//!     MigrationTests::new(REVISIONS).models(models::target_schema)
//! }
//!
//! #[test]
//! fn single_head() { kit().assert_single_head(); }
//! #[test]
//! fn upgrade_base_to_head() { kit().assert_upgrade(); }
//! #[test]
//! fn models_match_head() { kit().assert_models_match_head(); }
//! #[test]
//! fn stairway() { kit().assert_stairway(); }
//! #[test]
//! fn downgrade_leaves_no_trace() { kit().assert_downgrade_leaves_no_trace(); }
//!
//! // A data migration: migrate to just before it, insert rows, one step, assert.
//! #[test]
//! fn backfill_copies_names() {
//!     let mut db = kit().database();
//!     db.migrate_to_before("a1b2c3");
//!     db.execute("INSERT INTO item (id, name) VALUES (1, 'x')");
//!     db.step_up();
//!     assert_eq!(db.query("SELECT label FROM item"), [[Some("x".to_string())]]);
//! }
//! ```
//!
//! Every check runs on a scratch database of its own, created for it and dropped
//! afterwards: on the PostgreSQL server named by `TEST_DATABASE_URL` (any
//! database of the server; the variable is read when the kit is made, and
//! [`MigrationTests::server_from_env`] names another), or in a temporary SQLite
//! file when the variable is unset. The checks panic with a message that says
//! what differs, as assertions do. They are synchronous, so tests need no async
//! runtime; they also work when called from inside one.

mod database;
pub mod driver;

pub use database::TestDatabase;

use crate::config::DatabaseUrl;
use crate::introspect::introspect;
use crate::runner::{Goal, Migrator, NoEvents, ScriptPlanner, known_revisions, schema_at};
use crate::script::{EmbeddedRevision, Script};
use crate::verify::{ScratchDatabase, verify_on};
use std::future::Future;
use stratum_core::dialect::{Dialect, normalize_for};
use stratum_core::diff::{diff, differences};
use stratum_core::schema::Schema;

/// The variable [`MigrationTests::new`] reads the server's URL from.
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

/// The checks of one application's revisions; see the module documentation.
#[derive(Debug, Clone)]
pub struct MigrationTests {
    revisions: &'static [EmbeddedRevision],
    models: Option<fn() -> Schema>,
    server: DatabaseUrl,
}

impl MigrationTests {
    /// The checks of `revisions`, on the server of `TEST_DATABASE_URL` or on
    /// SQLite when it is unset.
    ///
    /// # Panics
    ///
    /// When `TEST_DATABASE_URL` is set but is not a database URL.
    pub fn new(revisions: &'static [EmbeddedRevision]) -> Self {
        Self {
            revisions,
            models: None,
            server: DatabaseUrl::sqlite_file(std::path::Path::new("unused.db")),
        }
        .server_from_env(TEST_DATABASE_URL)
    }

    /// The server named by the variable `name` (SQLite when it is unset or empty).
    ///
    /// # Panics
    ///
    /// When the variable is set but is not a database URL.
    pub fn server_from_env(self, name: &str) -> Self {
        match std::env::var(name) {
            Ok(url) if !url.trim().is_empty() => {
                let server = DatabaseUrl::parse(&url)
                    .unwrap_or_else(|e| panic!("{name} is not a database URL: {e}"));
                Self { server, ..self }
            }
            _ => self.sqlite(),
        }
    }

    /// Scratch databases on the server `url` points at (PostgreSQL), or in
    /// temporary SQLite files (any `sqlite:` URL).
    ///
    /// # Panics
    ///
    /// When `url` is not a database URL.
    pub fn server(self, url: &str) -> Self {
        let server = DatabaseUrl::parse(url).unwrap_or_else(|e| panic!("not a database URL: {e}"));
        Self { server, ..self }
    }

    /// Scratch databases in temporary SQLite files.
    pub fn sqlite(self) -> Self {
        Self {
            server: DatabaseUrl::sqlite_file(std::path::Path::new("scratch.db")),
            ..self
        }
    }

    /// The models' schema, for [`MigrationTests::assert_models_match_head`].
    pub fn models(self, models: fn() -> Schema) -> Self {
        Self {
            models: Some(models),
            ..self
        }
    }

    /// The dialect of the scratch databases.
    pub fn dialect(&self) -> Dialect {
        self.server.dialect()
    }

    fn script(&self) -> Script {
        Script::load(self.revisions).unwrap_or_else(|e| panic!("the revisions do not load: {e}"))
    }

    /// The revision graph has exactly one head.
    ///
    /// # Panics
    ///
    /// With the heads, when there are none or several.
    pub fn assert_single_head(&self) {
        let script = self.script();
        let heads = script.map().heads();
        assert!(
            heads.len() == 1,
            "the revisions have {} heads ({}); join them with a merge revision (`merge -m ...`)",
            heads.len(),
            heads.join(", ")
        );
    }

    /// Upgrading an empty database from base to head succeeds, and leaves the
    /// schema the revisions declare.
    ///
    /// # Panics
    ///
    /// With the runner's error, or with what differs.
    pub fn assert_upgrade(&self) {
        let script = self.script();
        let mut db = self.database();
        db.upgrade("heads");
        let mut want: Vec<&str> = script.map().heads();
        want.sort();
        let mut at = db.heads();
        at.sort();
        assert_eq!(
            at, want,
            "after upgrading to head the database is elsewhere"
        );
        let heads: Vec<String> = want.iter().map(|h| h.to_string()).collect();
        let expected = schema_at(&script, &heads)
            .unwrap_or_else(|e| panic!("the head schema cannot be simulated: {e}"));
        let live = db.schema();
        assert_same(
            &live,
            &normalize_for(self.dialect(), &expected),
            "the head revision's schema",
        );
    }

    /// The models declare the schema the revisions build at head: no revision
    /// is missing (what `check` and `revision --autogenerate` compare).
    ///
    /// # Panics
    ///
    /// When no models were given, or with what differs.
    pub fn assert_models_match_head(&self) {
        let models = self
            .models
            .expect("give the models' schema first: MigrationTests::new(..).models(target_schema)");
        let script = self.script();
        let heads: Vec<String> = script.map().heads().into_iter().map(String::from).collect();
        let head = schema_at(&script, &heads)
            .unwrap_or_else(|e| panic!("the head schema cannot be simulated: {e}"));
        let dialect = self.dialect();
        let found = differences(
            &normalize_for(dialect, &head),
            &normalize_for(dialect, &models()),
        );
        assert!(
            found.is_empty(),
            "the models differ from the revisions at head; generate a revision with `revision --autogenerate -m ...`:\n  {}",
            found
                .iter()
                .map(|d| d.describe("revisions", "models"))
                .collect::<Vec<_>>()
                .join("\n  ")
        );
    }

    /// The stairway: every revision, oldest first, is upgraded, compared with its
    /// simulated schema, downgraded, compared with the schema before it, and
    /// upgraded again (irreversible revisions are only upgraded).
    ///
    /// # Panics
    ///
    /// At the first revision that fails, with the stage and what differs.
    pub fn assert_stairway(&self) {
        let script = self.script();
        let server = self.server.clone();
        let rt = runtime();
        let report = block(&rt, async move {
            let scratch = ScratchDatabase::create(&server).await?;
            let result = async {
                let conn = crate::config::connect(scratch.url()).await?;
                verify_on(conn, &script, None, NoEvents).await
            }
            .await;
            let dropped = scratch.drop_database().await;
            let report = result?;
            dropped?;
            Ok::<_, crate::verify::VerifyError>(report)
        })
        .unwrap_or_else(|e| panic!("the stairway could not run: {e}"));
        // Dropping a runtime blocks, which an async caller's thread may not do.
        rt.shutdown_background();
        if let Some(failure) = &report.failure {
            panic!("stairway failed at {failure}");
        }
    }

    /// Upgrading to head and downgrading to base leaves the database as it was:
    /// no table, index, sequence or type left behind, no version row.
    ///
    /// # Panics
    ///
    /// With what the downgrade left.
    pub fn assert_downgrade_leaves_no_trace(&self) {
        let mut db = self.database();
        let before = db.schema();
        db.upgrade("heads");
        db.downgrade("base");
        assert!(
            db.heads().is_empty(),
            "after downgrading to base the version table still holds {:?}",
            db.heads()
        );
        assert_same(&db.schema(), &before, "the empty database it started as");
    }

    /// A scratch database at base, for data-migration tests; dropped with the
    /// value.
    ///
    /// # Panics
    ///
    /// When the database cannot be created.
    pub fn database(&self) -> TestDatabase {
        TestDatabase::create(self.script(), &self.server, runtime())
    }
}

/// Panics with the ops that would turn `live` into `expected` when they differ.
fn assert_same(live: &Schema, expected: &Schema, what: &str) {
    let found = differences(live, expected);
    let ops = diff(live, expected);
    if found.is_empty() && ops.is_empty() {
        return;
    }
    let mut lines: Vec<String> = found
        .iter()
        .map(|d| d.describe("database", "expected"))
        .collect();
    lines.extend(ops.iter().map(|op| format!("needs: {op}")));
    panic!(
        "the database differs from {what}:\n  {}",
        lines.join("\n  ")
    );
}

/// A runtime for the kit's work (connections belong to the runtime that opened
/// them, so a [`TestDatabase`] keeps its own).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("cannot start an async runtime for the test kit")
}

/// Runs a future to completion on `rt`: on another thread when the caller is
/// already inside a runtime (an async test).
fn block<F>(rt: &tokio::runtime::Runtime, future: F) -> F::Output
where
    F: Future + Send,
    F::Output: Send,
{
    let run = move || rt.block_on(future);
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| {
            s.spawn(run)
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    } else {
        run()
    }
}

/// Runs `planner`'s plan over `conn`; returns the connection and the heads after.
async fn migrate(
    conn: crate::db::Connection,
    script: &Script,
    goal: Goal,
) -> (
    Option<crate::db::Connection>,
    Result<Vec<String>, crate::runner::RunError>,
) {
    let mut migrator = Migrator::new(conn);
    let planner = ScriptPlanner::new(script, goal).allow_irreversible(true);
    let result = migrator
        .run(&known_revisions(script), &planner)
        .await
        .map(|r| r.heads_after);
    (migrator.into_connection(), result)
}

/// The live schema without the engine's tables.
async fn live_schema(conn: &mut crate::db::Connection) -> Schema {
    introspect(conn, &[])
        .await
        .unwrap_or_else(|e| panic!("reading the scratch database's schema failed: {e}"))
}

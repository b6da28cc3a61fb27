//! Running migrations from inside an application, typically at start-up, before it
//! serves anything. [`Migrations`] wraps the [`Script`], [`ScriptPlanner`] and
//! [`Migrator`] steps the CLI performs into one call; like the CLI, it takes the
//! migration lock, so any number of replicas may start at once: one upgrades, the
//! others wait for it and then find nothing to do.
//!
//! ```no_run
//! # mod generated { pub static REVISIONS: &[stratum::script::EmbeddedRevision] = &[]; }
//! # use generated::REVISIONS;
//! # async fn start() -> Result<(), stratum::embed::EmbedError> {
//! let url = std::env::var("DATABASE_URL").unwrap_or("sqlite:app.db".into());
//! let report = stratum::embed::Migrations::new(REVISIONS)
//!     .lock_timeout(std::time::Duration::from_secs(60))
//!     .run(&url)
//!     .await?;
//! println!("database at {:?}", report.heads_after);
//! # Ok(()) }
//! ```

use crate::config::{
    Access, ConfigError, ConnectError, DatabaseFileError, DatabaseUrl, IgnoreRules,
    check_database_file, connect,
};
use crate::db::Connection;
use crate::introspect::{Exclusions, IntrospectError, introspect_excluding};
use crate::runner::{
    EventSink, Goal, Migrator, RunError, RunOptions, RunReport, ScriptPlanner, known_revisions,
};
use crate::script::{EmbeddedRevision, Script, ScriptError};
use std::sync::Arc;
use std::time::Duration;
use stratum_core::schema::Schema;

/// Why migrating at start-up failed. Each message names the next step.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmbedError {
    /// The URL is not a PostgreSQL or SQLite URL.
    #[error(transparent)]
    Url(#[from] ConfigError),
    /// The database could not be reached.
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The embedded revisions are inconsistent (a build problem, not a database one).
    #[error("the embedded revisions are inconsistent: {0}")]
    Script(#[from] ScriptError),
    /// The run failed; nothing of the failing revision was kept.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The SQLite file cannot be used (missing for a read, a directory, not a
    /// SQLite database, read-only); nothing was opened.
    #[error(transparent)]
    DatabaseFile(#[from] DatabaseFileError),
    /// The live schema could not be read.
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    /// The database is at a revision a squash baseline replaced and whose file
    /// this build no longer has.
    #[error("{0}")]
    Replaced(String),
}

/// A migration run to do from inside an application: which revisions, to which
/// target (`head` unless told otherwise), with which options.
#[derive(Clone)]
pub struct Migrations {
    revisions: &'static [EmbeddedRevision],
    target: String,
    options: RunOptions,
    ignore: IgnoreRules,
    events: Option<Arc<dyn EventSink>>,
}

impl std::fmt::Debug for Migrations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrations")
            .field("revisions", &self.revisions.len())
            .field("target", &self.target)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Forwards events to a shared sink.
struct Shared(Arc<dyn EventSink>);

impl EventSink for Shared {
    fn emit(&self, event: &crate::runner::Event) {
        self.0.emit(event);
    }
}

impl Migrations {
    /// Upgrades to `head` with the default options (no lock timeout: wait for
    /// another migrator as long as it takes).
    pub fn new(revisions: &'static [EmbeddedRevision]) -> Self {
        Self {
            revisions,
            target: "head".to_string(),
            options: RunOptions::default(),
            ignore: IgnoreRules::default(),
            events: None,
        }
    }

    /// Upgrades to another target (`heads`, a revision id, `label@head`, ...).
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = target.into();
        self
    }

    /// Replaces the run options.
    pub fn options(mut self, options: RunOptions) -> Self {
        self.options = options;
        self
    }

    /// Gives up when the migration lock, or a table's lock (the version and
    /// history tables included), is not free within `timeout`, as the CLI's
    /// `--lock-timeout` does.
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.options.lock_timeout = Some(timeout);
        self.options.db_lock_timeout = Some(timeout);
        self
    }

    /// Leaves the objects `rules` name out of [`Migrations::live_schema`].
    pub fn ignore(mut self, rules: IgnoreRules) -> Self {
        self.ignore = rules;
        self
    }

    /// The live schema of the database at `url`, as the models see it: without
    /// the version and history tables of these options (whatever their names)
    /// and without what the ignore rules name. It only reads: a missing SQLite
    /// file is an error, not created.
    pub async fn live_schema(&self, url: &str) -> Result<Schema, EmbedError> {
        let url = DatabaseUrl::parse(url)?;
        check_database_file(&url, Access::Read)?;
        let mut conn = connect(&url).await?;
        let exclusions = Exclusions::for_run(&self.options).with_rules(&self.ignore);
        let schema = introspect_excluding(&mut conn, &exclusions).await;
        let _ = conn.close().await;
        Ok(schema?)
    }

    /// Reports progress to `sink` (for the application's logs).
    pub fn events(mut self, sink: impl EventSink + 'static) -> Self {
        self.events = Some(Arc::new(sink));
        self
    }

    /// Connects to `url`, runs, and closes the connection.
    pub async fn run(&self, url: &str) -> Result<RunReport, EmbedError> {
        // Checked before connecting: a broken build should not touch the database.
        let script = Script::load(self.revisions)?;
        let url = DatabaseUrl::parse(url)?;
        check_database_file(&url, Access::Write)?;
        let conn = connect(&url).await?;
        let (report, conn) = self.run_script(&script, conn).await;
        if let Some(conn) = conn {
            let _ = conn.close().await;
        }
        report
    }

    /// Runs over a connection the application opened; gives the connection back
    /// (unless an interrupted run had to close it).
    pub async fn run_on(
        &self,
        conn: Connection,
    ) -> (Result<RunReport, EmbedError>, Option<Connection>) {
        match Script::load(self.revisions) {
            Ok(script) => self.run_script(&script, conn).await,
            Err(e) => (Err(e.into()), Some(conn)),
        }
    }

    /// [`Migrations::run_on`] with the script already loaded.
    async fn run_script(
        &self,
        script: &Script,
        conn: Connection,
    ) -> (Result<RunReport, EmbedError>, Option<Connection>) {
        let known = known_revisions(script);
        let planner = ScriptPlanner::new(script, Goal::Upgrade(self.target.clone()));
        let mut migrator = Migrator::new(conn).with_options(self.options.clone());
        if let Some(sink) = &self.events {
            migrator = migrator.with_events(Shared(Arc::clone(sink)));
        }
        if let Some(message) = crate::lineage::squash::retired_heads_of(&mut migrator, script).await
        {
            return (
                Err(EmbedError::Replaced(message)),
                migrator.into_connection(),
            );
        }
        let report = migrator.run(&known, &planner).await;
        (report.map_err(Into::into), migrator.into_connection())
    }
}

/// Upgrades the database at `url` to head: the one-line form of [`Migrations`].
pub async fn upgrade_to_head(
    url: &str,
    revisions: &'static [EmbeddedRevision],
) -> Result<RunReport, EmbedError> {
    Migrations::new(revisions).run(url).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use stratum_core::ops::Ops;
    use stratum_core::prelude::{col, integer, text};
    use stratum_core::revision::Revision;
    use stratum_testkit::each_backend;

    fn up_1(op: &mut Ops) {
        op.create_table("greeting")
            .column(col("id", integer()).primary_key())
            .column(col("body", text()).not_null());
    }
    fn down_1(op: &mut Ops) {
        op.drop_table("greeting");
    }
    fn up_2(op: &mut Ops) {
        op.bulk_insert("greeting", serde_json::json!([{"id": 1, "body": "hello"}]));
    }
    fn down_2(op: &mut Ops) {
        op.bulk_delete("greeting", serde_json::json!([{"id": 1}]));
    }

    static REVISIONS: &[EmbeddedRevision] = &[
        EmbeddedRevision {
            revision: Revision::new("e1").message("Create greeting"),
            upgrade: up_1,
            downgrade: down_1,
            file_name: "e1_create_greeting.rs",
            source: "create greeting",
        },
        EmbeddedRevision {
            revision: Revision::new("e2")
                .revises(&["e1"])
                .message("Seed greeting"),
            upgrade: up_2,
            downgrade: down_2,
            file_name: "e2_seed_greeting.rs",
            source: "seed greeting",
        },
    ];

    static BROKEN: &[EmbeddedRevision] = &[EmbeddedRevision {
        revision: Revision::new("x2").revises(&["x1"]),
        upgrade: up_1,
        downgrade: down_1,
        file_name: "x2_orphan.rs",
        source: "",
    }];

    #[tokio::test]
    async fn start_up_upgrades_once_then_finds_nothing_to_do() {
        each_backend(async |db| {
            let first = upgrade_to_head(db.url(), REVISIONS).await.expect("upgrade");
            assert!(first.heads_before.is_empty());
            assert_eq!(first.heads_after, ["e2"]);
            assert_eq!(first.applied.len(), 2);
            let again = Migrations::new(REVISIONS)
                .lock_timeout(Duration::from_secs(30))
                .run(db.url())
                .await
                .expect("second start");
            assert!(again.applied.is_empty());
            assert_eq!(again.heads_after, ["e2"]);
        })
        .await;
    }

    #[tokio::test]
    async fn a_target_and_an_own_connection() {
        each_backend(async |db| {
            let conn = Connection::connect(db.url()).await.expect("connect");
            let (report, conn) = Migrations::new(REVISIONS).target("e1").run_on(conn).await;
            assert_eq!(report.expect("run").heads_after, ["e1"]);
            let mut conn = conn.expect("connection given back");
            let rows = crate::runner::VersionTable::default()
                .read_heads(&mut conn)
                .await
                .expect("version table");
            assert_eq!(rows, Some(vec!["e1".to_string()]));
            conn.close().await.ok();
        })
        .await;
    }

    #[tokio::test]
    async fn broken_revisions_and_bad_urls_fail_before_touching_a_database() {
        let err = upgrade_to_head("sqlite::memory:", BROKEN)
            .await
            .unwrap_err();
        assert!(matches!(err, EmbedError::Script(_)), "{err}");
        assert!(err.to_string().contains("x2_orphan.rs"), "{err}");
        let err = upgrade_to_head("oracle://h/db", REVISIONS)
            .await
            .unwrap_err();
        assert!(matches!(err, EmbedError::Url(_)), "{err}");
    }

    #[tokio::test]
    async fn unusable_sqlite_paths_are_refused_before_opening() {
        let dir = tempfile::tempdir().unwrap();
        let as_dir = format!("sqlite:{}", dir.path().display());
        let err = upgrade_to_head(&as_dir, REVISIONS).await.unwrap_err();
        assert!(
            matches!(
                err,
                EmbedError::DatabaseFile(DatabaseFileError::Directory { .. })
            ),
            "{err}"
        );
        let missing = dir.path().join("typo.db");
        let err = Migrations::new(REVISIONS)
            .live_schema(&format!("sqlite:{}", missing.display()))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                EmbedError::DatabaseFile(DatabaseFileError::Missing { .. })
            ),
            "{err}"
        );
        assert!(!missing.exists(), "reading created the file");
    }
}

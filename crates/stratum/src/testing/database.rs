//! [`TestDatabase`]: a scratch database that a data-migration test moves
//! revision by revision, writing and reading rows between steps.

use super::{block, live_schema, migrate};
use crate::config::{DatabaseUrl, connect};
use crate::db::{Connection, TextRow};
use crate::runner::Goal;
use crate::script::Script;
use crate::verify::ScratchDatabase;
use stratum_core::schema::Schema;

/// A scratch database created at base and dropped with the value. Every method
/// panics with the database's message when it fails, as an assertion does.
///
/// ```no_run
/// # fn kit() -> stratum::testing::MigrationTests { unimplemented!() }
/// let mut db = kit().database();
/// db.migrate_to_before("003");
/// db.execute("INSERT INTO user_preferences (user_id, preference_key) VALUES ('u1', 'theme')");
/// db.step_up();
/// assert_eq!(db.query("SELECT count(*) FROM user_preferences"), [[Some("4".to_string())]]);
/// ```
pub struct TestDatabase {
    /// Always `Some` until dropped.
    runtime: Option<tokio::runtime::Runtime>,
    script: Script,
    scratch: Option<ScratchDatabase>,
    conn: Option<Connection>,
}

impl std::fmt::Debug for TestDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase")
            .field("url", &self.scratch.as_ref().map(|s| s.url().to_string()))
            .finish_non_exhaustive()
    }
}

impl TestDatabase {
    pub(super) fn create(
        script: Script,
        server: &DatabaseUrl,
        runtime: tokio::runtime::Runtime,
    ) -> Self {
        let server = server.clone();
        let (scratch, conn) = block(&runtime, async move {
            let scratch = ScratchDatabase::create(&server).await?;
            match connect(scratch.url()).await {
                Ok(conn) => Ok((scratch, conn)),
                Err(e) => {
                    let _ = scratch.drop_database().await;
                    Err(crate::verify::VerifyError::from(e))
                }
            }
        })
        .unwrap_or_else(|e| panic!("cannot create a scratch database: {e}"));
        Self {
            runtime: Some(runtime),
            script,
            scratch: Some(scratch),
            conn: Some(conn),
        }
    }

    /// The scratch database's URL (shown redacted).
    pub fn url(&self) -> &DatabaseUrl {
        self.scratch.as_ref().expect("scratch database").url()
    }

    fn rt(&self) -> &tokio::runtime::Runtime {
        self.runtime.as_ref().expect("the runtime lives until drop")
    }

    fn parts(&mut self) -> (&tokio::runtime::Runtime, &mut Connection) {
        let conn = self
            .conn
            .as_mut()
            .expect("the scratch database's connection was lost by an earlier failure");
        (
            self.runtime.as_ref().expect("the runtime lives until drop"),
            conn,
        )
    }

    fn run(&mut self, goal: Goal) -> Vec<String> {
        let conn = self
            .conn
            .take()
            .expect("the connection was lost by an earlier failure");
        let shown = format!("{goal:?}");
        let script = &self.script;
        let (conn, result) = block(self.rt(), migrate(conn, script, goal));
        self.conn = conn;
        result.unwrap_or_else(|e| panic!("{shown} failed: {e}"))
    }

    /// Upgrades to `target` (`head`, `heads`, a revision, `+1`, ...); returns the
    /// heads after.
    pub fn upgrade(&mut self, target: &str) -> Vec<String> {
        self.run(Goal::Upgrade(target.to_string()))
    }

    /// Downgrades to `target` (`-1`, a revision, `base`); returns the heads after.
    pub fn downgrade(&mut self, target: &str) -> Vec<String> {
        self.run(Goal::Downgrade(target.to_string()))
    }

    /// Moves the database to just before `revision`: to its parents (base for a
    /// first revision), upgrading or downgrading as needed.
    pub fn migrate_to_before(&mut self, revision: &str) -> Vec<String> {
        let map = self.script.map();
        let id = map
            .lookup(revision)
            .unwrap_or_else(|e| panic!("{e}"))
            .to_string();
        let parents: Vec<String> = self
            .script
            .revision(&id)
            .unwrap_or_else(|e| panic!("{e}"))
            .down_revisions
            .iter()
            .map(|p| p.to_string())
            .collect();
        let mut inside: Vec<String> = map
            .descendants(&id)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(String::from)
            .collect();
        inside.push(id.clone());
        let applied_inside = self.heads().iter().any(|h| inside.contains(h));
        if applied_inside {
            // Below the revision: down to its parents (or base).
            match parents.as_slice() {
                [] => self.downgrade("base"),
                [one] => self.downgrade(one),
                _ => panic!("{id} is a merge revision: downgrade to one of its parents instead"),
            }
        } else {
            let mut heads = self.heads();
            for parent in &parents {
                heads = self.upgrade(parent);
            }
            heads
        }
    }

    /// Upgrades one revision (`+1`); returns the heads after.
    pub fn step_up(&mut self) -> Vec<String> {
        self.upgrade("+1")
    }

    /// Downgrades one revision (`-1`); returns the heads after.
    pub fn step_down(&mut self) -> Vec<String> {
        self.downgrade("-1")
    }

    /// The heads the version table holds (empty at base).
    pub fn heads(&mut self) -> Vec<String> {
        let (rt, conn) = self.parts();
        let table = crate::runner::VersionTable::default();
        block(rt, table.read_heads(conn))
            .unwrap_or_else(|e| panic!("reading the version table failed: {e}"))
            .unwrap_or_default()
    }

    /// Runs SQL (one or more statements); returns the rows affected.
    pub fn execute(&mut self, sql: &str) -> u64 {
        let (rt, conn) = self.parts();
        block(rt, conn.execute(sql)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs a query; returns its rows as text (`None` for NULL).
    pub fn query(&mut self, sql: &str) -> Vec<TextRow> {
        let (rt, conn) = self.parts();
        block(rt, conn.query_text(sql)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The live schema, without the engine's own tables.
    pub fn schema(&mut self) -> Schema {
        let (rt, conn) = self.parts();
        block(rt, live_schema(conn))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let conn = self.conn.take();
        if let Some(scratch) = self.scratch.take() {
            let dropped = block(self.rt(), async move {
                if let Some(conn) = conn {
                    let _ = conn.close().await;
                }
                scratch.drop_database().await
            });
            if let Err(e) = dropped
                && !std::thread::panicking()
            {
                panic!("cannot drop the scratch database: {e}");
            }
        }
        // Dropping a runtime blocks, which an async caller's thread may not do.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

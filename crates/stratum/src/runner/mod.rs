//! The migration context: version table, history, transactions, lock, events.
//!
//! A [`Migrator`] owns a [`Connection`](crate::db::Connection). Each run takes the
//! migration lock, reads the current heads under it, refuses unknown heads and
//! edited revisions, asks a [`Planner`] for the steps from those heads, renders
//! every step against the simulated schema before it, and executes each step in
//! one transaction with its version-table update and history row. It reports
//! through an [`EventSink`] and never prints. [`offline_script`] writes the same
//! SQL as a script without connecting.
//!
//! ```no_run
//! use stratum::db::Connection;
//! use stratum::runner::{Event, Goal, Migrator, RunOptions, ScriptPlanner, known_revisions};
//! use stratum::script::{EmbeddedRevision, Script};
//! use std::time::Duration;
//!
//! # async fn demo(revisions: &'static [EmbeddedRevision]) -> Result<(), Box<dyn std::error::Error>> {
//! let script = Script::load(revisions)?;
//! let conn = Connection::connect("postgresql://smartem@localhost/smartem").await?;
//! let mut migrator = Migrator::new(conn)
//!     .with_options(RunOptions {
//!         lock_timeout: Some(Duration::from_secs(30)),
//!         ..Default::default()
//!     })
//!     .with_events(|event: &Event| eprintln!("{event:?}"));
//! let planner = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
//! let report = migrator.run(&known_revisions(&script), &planner).await?;
//! println!("now at {:?}", report.heads_after);
//! # Ok(()) }
//! ```

mod cancel;
pub mod conn;
mod destructive;
mod errors;
mod events;
mod executor;
mod file_lock;
pub use crate::backend::registry::LOCK_FILE_SUFFIX;
mod history;
pub mod integrity;
mod lock;
mod migrator;
mod offline;
pub mod online;
mod plan;
mod progress;
pub use plan::heads_or_base;
mod render;
mod replaced_plan;
mod resolve;
mod resumable;
mod script_plan;
mod session;
mod stamp;
mod undo;
mod version_table;

pub use cancel::CancelFlag;
pub use destructive::{
    DESTRUCTIVE_MARK, MarkedOp, destructive_comment, destructive_note, render_marked,
};

pub use errors::{RunError, VersionTableError, WaitKind};
pub use events::{Event, EventSink, NoEvents};
pub use history::{DEFAULT_HISTORY_TABLE, HistoryEntry, HistoryRow, STAMP};
pub use lock::{LockHolder, lock_key};
pub use migrator::{APPLICATION_NAME, AppliedRevision, Migrator, RunOptions, RunReport};
pub use offline::{
    OfflineOptions, OfflineScript, offline_script, offline_script_for, offline_script_marked,
};
pub use online::{BlockingSession, OnlineError, OnlineEvent, OnlineOptions};
pub use plan::{ChainBreak, Direction, KnownRevision, Plan, Planner, StampTarget, Step};
pub use progress::{
    DEFAULT_PROGRESS_TABLE, PartialRevision, ResumeMismatch, progress_table_name, statement_hash,
};
pub use resolve::Resolution;
pub use script_plan::{
    Goal, IrreversibleDowngrade, ScriptPlanner, ScriptStamp, known_revisions, offline_start,
    schema_at,
};
pub use undo::{UndoError, undo_applied};
pub use version_table::{DEFAULT_VERSION_TABLE, MAX_REVISION_ID_LEN, VersionTable};

//! What the runner reports while it works. It never prints: a caller passes an
//! [`EventSink`] and decides what to show.

use super::lock::LockHolder;
use super::plan::Direction;
use std::time::Duration;

/// Something the runner did or is waiting for. New kinds may be added.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// Another session holds the migration lock; the runner polls until it is free
    /// or the lock timeout passes.
    LockWaiting {
        /// Who holds it, when the database says.
        holder: Option<LockHolder>,
    },
    /// The migration lock was taken.
    LockAcquired {
        /// How long the runner waited for it.
        waited: Duration,
    },
    /// The migration lock was released.
    LockReleased,
    /// The version table did not exist and was created.
    VersionTableCreated {
        /// Its name.
        table: String,
    },
    /// The history table did not exist and was created.
    HistoryTableCreated {
        /// Its name.
        table: String,
    },
    /// The database's current heads, read under the lock.
    CurrentHeads {
        /// Version-table rows.
        heads: Vec<String>,
    },
    /// The heads changed under a step (another migrator ran without the lock);
    /// the plan was computed again from the new heads.
    Replanned {
        /// The heads found.
        heads: Vec<String>,
    },
    /// The database is already at the target.
    NothingToDo,
    /// A plan was made: this many revisions will run (a replan emits it again).
    Planned {
        /// Number of steps.
        steps: usize,
    },
    /// A revision starts.
    RevisionStarted {
        /// Revision id.
        id: String,
        /// Upgrade or downgrade.
        direction: Direction,
        /// The revision's message.
        message: String,
    },
    /// A revision runs outside a transaction: a failure part-way leaves it
    /// partly applied.
    NonTransactional {
        /// Revision id.
        id: String,
    },
    /// A revision that stopped part-way earlier resumes: its first
    /// `statement - 1` statements ran then and are unchanged.
    Resuming {
        /// Revision id.
        id: String,
        /// Upgrade or downgrade.
        direction: Direction,
        /// The 1-based position of the first statement to run now.
        statement: usize,
        /// Statements in the revision.
        total: usize,
    },
    /// A statement is about to run.
    Statement {
        /// Revision id.
        id: String,
        /// The SQL.
        sql: String,
    },
    /// A revision was applied and committed with its version-table update.
    RevisionFinished {
        /// Revision id.
        id: String,
        /// Upgrade or downgrade.
        direction: Direction,
        /// Time from start to commit.
        duration: Duration,
    },
    /// The version table was set without running any revision.
    Stamped {
        /// Heads before.
        from: Vec<String>,
        /// Heads after.
        to: Vec<String>,
    },
    /// `resolve` recorded how a partly applied revision was repaired.
    Resolved {
        /// Revision id.
        id: String,
        /// Finished or undone.
        resolution: super::resolve::Resolution,
    },
    /// Progress of an online run (`upgrade --online`).
    Online(super::online::OnlineEvent),
    /// The run stopped at a revision boundary because cancellation was requested.
    Cancelled {
        /// Revisions applied before stopping.
        applied: Vec<String>,
    },
}

/// Receives [`Event`]s. Implemented for every `Fn(&Event) + Send + Sync`.
pub trait EventSink: Send + Sync {
    /// Handles one event.
    fn emit(&self, event: &Event);
}

impl<F: Fn(&Event) + Send + Sync> EventSink for F {
    fn emit(&self, event: &Event) {
        self(event)
    }
}

/// A sink that drops every event.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoEvents;

impl EventSink for NoEvents {
    fn emit(&self, _event: &Event) {}
}

//! What a fleet run reports while it works. Like the runner, it never prints.

use super::run::Outcome;
use crate::runner::Event;
use std::time::Duration;

/// Something that happened on one database of the fleet, or to the fleet.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FleetEvent {
    /// Work on a database starts.
    Started {
        /// The target's name.
        name: String,
    },
    /// The runner reported something on that database.
    Runner {
        /// The target's name.
        name: String,
        /// The runner's event.
        event: Event,
    },
    /// Work on a database ended.
    Finished {
        /// The target's name.
        name: String,
        /// How it ended.
        outcome: Outcome,
        /// Heads before.
        from: Vec<String>,
        /// Heads after.
        to: Vec<String>,
        /// Revisions applied.
        applied: usize,
        /// Time spent.
        duration: Duration,
        /// The failure, worded (never with a password).
        error: Option<String>,
    },
    /// A canary failed: these databases are not started.
    CanaryFailed {
        /// The databases held back.
        held: Vec<String>,
    },
}

/// Receives [`FleetEvent`]s, from several databases at once. Implemented for every
/// `Fn(&FleetEvent) + Send + Sync`.
pub trait FleetSink: Send + Sync {
    /// Handles one event.
    fn emit(&self, event: &FleetEvent);
}

impl<F: Fn(&FleetEvent) + Send + Sync> FleetSink for F {
    fn emit(&self, event: &FleetEvent) {
        self(event)
    }
}

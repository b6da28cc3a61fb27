//! Turns the runner's events into progress lines on stderr.

use super::output::Printer;
use crate::runner::{Event, EventSink};
use std::time::Duration;

/// Prints events: one line per revision with its timing, lock waits, and statements
/// with `-v`.
#[derive(Debug, Clone)]
pub struct Progress {
    printer: Printer,
}

impl Progress {
    /// Progress through this printer.
    pub fn new(printer: Printer) -> Self {
        Self { printer }
    }
}

/// `1.2s`, `35ms`.
pub fn human_duration(d: Duration) -> String {
    if d >= Duration::from_secs(1) {
        format!("{:.2}s", d.as_secs_f64())
    } else {
        format!("{}ms", d.as_millis())
    }
}

impl EventSink for Progress {
    fn emit(&self, event: &Event) {
        let p = &self.printer;
        match event {
            Event::LockWaiting { holder } => p.info(match holder {
                Some(h) => format!("waiting for the migration lock, held by {h}"),
                None => "waiting for the migration lock".to_string(),
            }),
            Event::LockAcquired { waited } if *waited > Duration::from_millis(500) => {
                p.info(format!("took the migration lock after {}", human_duration(*waited)))
            }
            Event::VersionTableCreated { table } => p.detail(format!("created version table {table}")),
            Event::HistoryTableCreated { table } => p.detail(format!("created history table {table}")),
            Event::Replanned { heads } => p.info(format!(
                "another migrator moved the database to {}; planning again",
                heads.join(", ")
            )),
            Event::RevisionStarted {
                id,
                direction,
                message,
            } => p.info(format!("{direction} {id}: {message} ...")),
            Event::NonTransactional { id } => p.warn(format!(
                "revision {id} runs outside a transaction: if it fails part-way, what ran stays applied"
            )),
            Event::Statement { sql, .. } => p.detail(format!("    {sql}")),
            Event::RevisionFinished { id, duration, .. } => {
                p.info(format!("  {} {id} in {}", p.green("done"), human_duration(*duration)))
            }
            Event::Stamped { from, to } => p.info(format!(
                "stamped: {} -> {}",
                list(from),
                list(to)
            )),
            Event::Cancelled { applied } => p.warn(format!(
                "stopped at a revision boundary after {} revision(s)",
                applied.len()
            )),
            _ => {}
        }
    }
}

fn list(heads: &[String]) -> String {
    if heads.is_empty() {
        "base".to_string()
    } else {
        heads.join(", ")
    }
}

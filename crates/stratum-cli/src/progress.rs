//! Turns the runner's events into progress lines on stderr.

use super::output::Printer;
use crate::runner::{Event, EventSink};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Prints events: one line per revision with its position in the plan and its
/// timing, lock waits, and statements with `-v`.
#[derive(Debug)]
pub struct Progress {
    printer: Printer,
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Progress {
    /// Progress through this printer.
    pub fn new(printer: Printer) -> Self {
        Self {
            printer,
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
        }
    }

    fn position(&self) -> String {
        let total = self.total.load(Ordering::Relaxed);
        let n = self.done.load(Ordering::Relaxed) + 1;
        if total == 0 {
            String::new()
        } else {
            let width = total.to_string().len();
            format!("[{n:>width$}/{total}] ")
        }
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
            } => p.info(format!("{}{direction} {id}: {message} ...", self.position())),
            Event::NonTransactional { id } => p.warn(format!(
                "revision {id} runs outside a transaction: if it fails part-way, what ran stays applied"
            )),
            Event::Statement { sql, .. } => p.detail(format!("    {sql}")),
            Event::Resuming {
                id,
                direction,
                statement,
                total,
            } => p.info(format!(
                "  resuming {direction} of revision {id} at statement {statement} of {total} (the statements before it ran earlier and are unchanged)"
            )),
            Event::Resolved { id, resolution } => p.detail(format!(
                "resolved {id}: {}",
                match resolution {
                    crate::runner::Resolution::Applied => "applied",
                    _ => "rolled back",
                }
            )),
            Event::Planned { steps } => {
                self.total.store(*steps, Ordering::Relaxed);
                self.done.store(0, Ordering::Relaxed);
            }
            Event::RevisionFinished { id, duration, .. } => {
                self.done.fetch_add(1, Ordering::Relaxed);
                p.info(format!("  {} {id} in {}", p.green("done"), human_duration(*duration)))
            }
            Event::Stamped { from, to } => p.info(format!(
                "stamped: {} -> {}",
                crate::runner::heads_or_base(from),
                crate::runner::heads_or_base(to)
            )),
            Event::Cancelled { applied } => p.warn(format!(
                "stopped at a revision boundary after {} revision(s)",
                applied.len()
            )),
            Event::Online(e) => super::online::print_event(p, e),
            _ => {}
        }
    }
}

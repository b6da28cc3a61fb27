//! What an online run reports, on top of the runner's ordinary events.

use std::time::Duration;
use stratum_core::online::StepKind;

/// Another session, as an online run sees it: one that holds a lock a step
/// waits for, or a transaction old enough to block the run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlockingSession {
    /// Backend process id.
    pub pid: Option<String>,
    /// Its `application_name`.
    pub application: Option<String>,
    /// Its current or last query.
    pub query: Option<String>,
    /// How long its transaction (or, outside one, its query) has run.
    pub age: Option<Duration>,
}

impl std::fmt::Display for BlockingSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pid {}", self.pid.as_deref().unwrap_or("?"))?;
        if let Some(a) = self.application.as_deref().filter(|a| !a.is_empty()) {
            write!(f, " ({a})")?;
        }
        if let Some(age) = self.age {
            write!(f, " running {:.1}s", age.as_secs_f64())?;
        }
        if let Some(q) = &self.query {
            let q: String = q.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = q.chars().take(80).collect();
            write!(f, ": {short}")?;
        }
        Ok(())
    }
}

/// Something an online run did or waits for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OnlineEvent {
    /// Before starting: a transaction older than the threshold, which the run
    /// may have to wait for.
    OldTransaction {
        /// The session.
        session: BlockingSession,
    },
    /// A new column's default was probed for volatility.
    DefaultProbed {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// Whether filling it would rewrite the table (so it is backfilled).
        volatile: bool,
    },
    /// A revision was planned into this many online steps.
    Planned {
        /// Revision id.
        id: String,
        /// Number of steps.
        steps: usize,
    },
    /// A step starts.
    StepStarted {
        /// Revision id.
        id: String,
        /// 1-based step number.
        step: usize,
        /// Its kind.
        kind: StepKind,
        /// What it does.
        description: String,
    },
    /// A step was already done by an interrupted run and is skipped.
    StepSkipped {
        /// Revision id.
        id: String,
        /// 1-based step number.
        step: usize,
        /// What it does.
        description: String,
    },
    /// A step finished.
    StepFinished {
        /// Revision id.
        id: String,
        /// 1-based step number.
        step: usize,
        /// How long it took, retries included.
        duration: Duration,
    },
    /// A step's lock timeout expired; it is retried after `delay`.
    Retry {
        /// Revision id.
        id: String,
        /// 1-based step number.
        step: usize,
        /// The attempt that failed (1-based).
        attempt: u32,
        /// The pause before the next attempt.
        delay: Duration,
        /// The sessions holding locks on the step's tables.
        blocking: Vec<BlockingSession>,
    },
    /// An INVALID index left by a failed concurrent build was dropped, to be
    /// built again.
    InvalidIndexDropped {
        /// Revision id.
        id: String,
        /// Index name.
        index: String,
    },
    /// A batch of a backfill was committed.
    Backfill {
        /// Revision id.
        id: String,
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// Rows covered so far by this run.
        rows: u64,
        /// The table's estimated row count.
        total: Option<u64>,
        /// Rows per second so far.
        rows_per_second: f64,
        /// Estimated time left.
        eta: Option<Duration>,
    },
    /// A batch of an update or delete of existing rows was committed.
    RowBatch {
        /// Revision id.
        id: String,
        /// Table name.
        table: String,
        /// `"update"` or `"delete"`.
        action: &'static str,
        /// Rows walked so far by this run.
        rows: u64,
        /// Rows updated or deleted so far by this run.
        changed: u64,
        /// The table's estimated row count.
        total: Option<u64>,
        /// Rows walked per second so far.
        rows_per_second: f64,
        /// Estimated time left.
        eta: Option<Duration>,
    },
}

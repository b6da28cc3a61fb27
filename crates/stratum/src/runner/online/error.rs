//! Why an online run stopped.

use super::events::Session;
use std::time::Duration;
use stratum_core::online::OnlinePlanError;
use thiserror::Error;

fn sessions(list: &[Session]) -> String {
    if list.is_empty() {
        "none found (they may have finished)".to_string()
    } else {
        list.iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// An online run's own failure.
#[derive(Debug, Error)]
pub enum OnlineError {
    /// The revision cannot be planned online (an op without an online form).
    #[error(transparent)]
    Plan(#[from] OnlinePlanError),
    /// Online mode needs PostgreSQL.
    #[error("online mode runs on PostgreSQL only; run without --online on this database")]
    NotPostgres,
    /// A step's lock could not be taken within the retries.
    #[error(
        "revision {revision}: step {step} ({description}) could not take its lock in {attempts} attempts of {}ms each; sessions in the way: {}. End or wait for them, then run again: the run resumes at this step",
        lock_timeout.as_millis(), sessions(blocking)
    )]
    LockRetriesExhausted {
        /// Revision id.
        revision: String,
        /// 1-based step number.
        step: usize,
        /// What the step does.
        description: String,
        /// Attempts made.
        attempts: u32,
        /// The lock timeout of each attempt.
        lock_timeout: Duration,
        /// The sessions found holding locks at the last attempt.
        blocking: Vec<Session>,
    },
    /// A statement of a step failed for another reason than a lock timeout.
    #[error(
        "revision {revision}: step {step} ({description}) failed{}: {message}\n  statement: {statement}\nThe steps before it are recorded; fix the cause and run again to resume",
        code.as_deref().map(|c| format!(" [{c}]")).unwrap_or_default()
    )]
    StepFailed {
        /// Revision id.
        revision: String,
        /// 1-based step number.
        step: usize,
        /// What the step does.
        description: String,
        /// The statement that failed.
        statement: String,
        /// SQLSTATE.
        code: Option<String>,
        /// The server's message.
        message: String,
    },
    /// The progress recorded by an interrupted run does not match the plan.
    #[error(
        "revision {revision}: an interrupted online run recorded step {step} as `{recorded}`, but the revision now plans `{planned}` there. The revision changed since; restore it, or clear the rows of {table} for this revision after checking the database by hand"
    )]
    PlanChanged {
        /// Revision id.
        revision: String,
        /// 1-based step number.
        step: usize,
        /// What was recorded.
        recorded: String,
        /// What is planned now.
        planned: String,
        /// The progress table.
        table: String,
    },
}

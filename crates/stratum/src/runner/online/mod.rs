//! Online runs on PostgreSQL: each revision planned into lock-friendly steps
//! (see [`stratum_core::online`]) and executed so that writers to the tables
//! it changes are never held up for longer than the short lock timeout of a
//! step. Each step takes its locks under that timeout and is retried with
//! full-jitter exponential backoff, reporting who holds the lock; an INVALID
//! index left by a failed concurrent build is dropped and built again;
//! volatile defaults are found by probing and backfilled in batches; progress
//! is recorded per step so that a run killed at any point resumes.

mod attempt;
mod backfill;
mod error;
mod events;
mod options;
mod probe;
mod progress;
mod revision;
mod script;
mod sessions;

pub use error::OnlineError;
pub use events::{BlockingSession, OnlineEvent};
pub use options::OnlineOptions;
pub(crate) use revision::run_online_revision;
pub use script::{offline_steps, online_script, unprobed_defaults};

use crate::db::Connection;
use crate::runner::events::{Event, EventSink};

/// The name of the progress table that goes with a version table.
pub fn progress_table_name(version_table: &str) -> String {
    progress::ProgressTable::for_version_table(version_table).name
}

/// Reports transactions older than the threshold, before a run starts.
pub(crate) async fn report_old_transactions(
    conn: &mut Connection,
    options: &OnlineOptions,
    sink: &dyn EventSink,
) {
    for session in sessions::old_transactions(conn, options.old_transaction).await {
        sink.emit(&Event::Online(OnlineEvent::OldTransaction { session }));
    }
}

/// The simulated schema before each step of a plan.
pub(crate) fn schemas_before(
    plan: &crate::runner::plan::Plan,
) -> Result<Vec<stratum_core::schema::Schema>, crate::runner::errors::RunError> {
    let mut schema = plan.start_schema.clone();
    let mut out = Vec::with_capacity(plan.steps.len());
    for step in &plan.steps {
        out.push(schema.clone());
        for op in &step.ops {
            stratum_core::simulate::apply(&mut schema, op).map_err(|source| {
                crate::runner::errors::RunError::Simulate {
                    revision: step.id.clone(),
                    op: op.kind_name(),
                    source: Box::new(source),
                }
            })?;
        }
    }
    Ok(out)
}

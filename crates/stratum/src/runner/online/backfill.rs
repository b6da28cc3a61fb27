//! A batched backfill: one short transaction per batch of rows, walking the
//! primary key, with the position recorded in the progress table so that an
//! interrupted run resumes after the last committed batch.

use super::OnlineOptions;
use super::attempt::{Attempt, StepRef, with_retries};
use super::events::OnlineEvent;
use super::progress::ProgressTable;
use crate::db::Connection;
use crate::runner::conn::fetch_scalar;
use crate::runner::errors::RunError;
use crate::runner::events::{Event, EventSink};
use std::time::{Duration, Instant};
use stratum_core::online::Backfill;

pub(crate) struct BackfillRun<'a> {
    pub(crate) options: &'a OnlineOptions,
    pub(crate) sink: &'a dyn EventSink,
    pub(crate) progress: &'a ProgressTable,
    pub(crate) direction: &'a str,
    pub(crate) at: StepRef<'a>,
}

impl BackfillRun<'_> {
    /// Fills the column from `resume_after` (the last key of the last committed
    /// batch, when resuming) to the end of the table.
    pub(crate) async fn run(
        &self,
        conn: &mut Connection,
        fill: &Backfill,
        resume_after: Option<String>,
    ) -> Result<(), RunError> {
        let total = fetch_scalar(conn, &fill.estimate_sql())
            .await
            .ok()
            .flatten()
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|n| *n > 0);
        let started = Instant::now();
        let mut after = resume_after;
        let mut rows = 0u64;
        loop {
            let batch = fill.batch_sql(after.as_deref(), self.options.batch_size.max(1));
            let record = |last: &str| {
                self.progress.record_sql(
                    self.at.revision,
                    self.direction,
                    self.at.step,
                    self.at.description,
                    false,
                    Some(last),
                )
            };
            let out = with_retries(
                conn,
                self.options,
                self.sink,
                &self.at,
                Attempt::Batch {
                    sql: &batch,
                    record: &record,
                },
            )
            .await?;
            let row = out.into_iter().next().unwrap_or_default();
            let last = row.first().cloned().flatten();
            let count = row
                .get(1)
                .cloned()
                .flatten()
                .and_then(|c| c.parse::<u64>().ok())
                .unwrap_or(0);
            let Some(last) = last else {
                return Ok(());
            };
            rows += count;
            after = Some(last);
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            let rate = rows as f64 / secs;
            let eta = total
                .filter(|_| rate > 0.0)
                .map(|t| Duration::from_secs_f64(t.saturating_sub(rows) as f64 / rate));
            self.sink.emit(&Event::Online(OnlineEvent::Backfill {
                id: self.at.revision.to_string(),
                table: fill.table.clone(),
                column: fill.column.clone(),
                rows,
                total,
                rows_per_second: rate,
                eta,
            }));
            if !self.options.batch_pause.is_zero() {
                tokio::time::sleep(self.options.batch_pause).await;
            }
        }
    }
}

//! Batched walks of a table: a backfill, or an update or delete of existing
//! rows; one short transaction per batch of rows, walking the primary key, with the position recorded in the progress table so that an
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
use stratum_core::online::{Backfill, RowBatches};

pub(crate) struct BackfillRun<'a> {
    pub(crate) options: &'a OnlineOptions,
    pub(crate) sink: &'a dyn EventSink,
    pub(crate) progress: &'a ProgressTable,
    pub(crate) direction: &'a str,
    pub(crate) at: StepRef<'a>,
}

/// The running totals of a batched walk, after a batch.
pub(crate) struct Walked {
    /// Rows walked so far by this run.
    pub(crate) rows: u64,
    /// Rows the batches changed so far (from the third column, when given).
    pub(crate) changed: u64,
    /// The table's estimated row count.
    pub(crate) total: Option<u64>,
    /// Rows walked per second so far.
    pub(crate) rows_per_second: f64,
    /// Estimated time left.
    pub(crate) eta: Option<Duration>,
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
        let batch = |after: Option<&str>, size| fill.batch_sql(after, size);
        let report = |w: Walked| OnlineEvent::Backfill {
            id: self.at.revision.to_string(),
            table: fill.table.clone(),
            column: fill.column.clone(),
            rows: w.rows,
            total: w.total,
            rows_per_second: w.rows_per_second,
            eta: w.eta,
        };
        self.walk(conn, &batch, &fill.estimate_sql(), resume_after, &report)
            .await
    }

    /// Updates or deletes the selected rows from `resume_after` to the end of
    /// the table.
    pub(crate) async fn run_rows(
        &self,
        conn: &mut Connection,
        rows: &RowBatches,
        resume_after: Option<String>,
    ) -> Result<(), RunError> {
        let batch = |after: Option<&str>, size| rows.batch_sql(after, size);
        let report = |w: Walked| OnlineEvent::RowBatch {
            id: self.at.revision.to_string(),
            table: rows.change.table.clone(),
            action: rows.action_word(),
            rows: w.rows,
            changed: w.changed,
            total: w.total,
            rows_per_second: w.rows_per_second,
            eta: w.eta,
        };
        self.walk(conn, &batch, &rows.estimate_sql(), resume_after, &report)
            .await
    }

    /// Runs `batch` after batch, each in its own transaction with the
    /// position recorded, pausing between them and reporting each, until a
    /// batch returns no last key.
    async fn walk(
        &self,
        conn: &mut Connection,
        batch_sql: &(dyn Fn(Option<&str>, u64) -> String + Sync),
        estimate_sql: &str,
        resume_after: Option<String>,
        report: &(dyn Fn(Walked) -> OnlineEvent + Sync),
    ) -> Result<(), RunError> {
        let total = fetch_scalar(conn, estimate_sql)
            .await
            .ok()
            .flatten()
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|n| *n > 0);
        let started = Instant::now();
        let mut after = resume_after;
        let mut rows = 0u64;
        let mut changed = 0u64;
        loop {
            let batch = batch_sql(after.as_deref(), self.options.batch_size.max(1));
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
            let number = |i: usize| {
                row.get(i)
                    .cloned()
                    .flatten()
                    .and_then(|c| c.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            let Some(last) = last else {
                return Ok(());
            };
            rows += number(1);
            changed += number(2);
            after = Some(last);
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            let rate = rows as f64 / secs;
            let eta = total
                .filter(|_| rate > 0.0)
                .map(|t| Duration::from_secs_f64(t.saturating_sub(rows) as f64 / rate));
            self.sink.emit(&Event::Online(report(Walked {
                rows,
                changed,
                total,
                rows_per_second: rate,
                eta,
            })));
            if !self.options.batch_pause.is_zero() {
                tokio::time::sleep(self.options.batch_pause).await;
            }
        }
    }
}

//! Running a revision statement by statement, outside a transaction, with its
//! progress recorded after each statement: where DDL commits implicitly
//! (the backend's `transactional_ddl` is false) and for revisions marked
//! `.non_transactional()`. A run that stops part-way resumes at the first
//! statement not recorded, once the recorded ones are found unchanged (see
//! [`progress`](super::progress)).

use super::conn::{error_code, error_message};
use super::errors::RunError;
use super::events::Event;
use super::executor::{
    ExecContext, StepOutcome, begin, failed, name_blockers, rollback, same_heads, timeout_settings,
};
use super::history::Elapsed;
use super::plan::Step;
use super::progress::{Outcome, ProgressTable, resume_at};
use crate::db::Connection;
use std::sync::atomic::Ordering;
use std::time::Instant;
use stratum_core::dialect::Statement;

/// Runs one step statement by statement (see the module documentation).
pub(crate) async fn run_resumable(
    conn: &mut Connection,
    ctx: &ExecContext<'_>,
    step: &Step,
    statements: &[Statement],
) -> Result<StepOutcome, RunError> {
    let dialect = conn.dialect();
    let started = Instant::now();
    if !step.transactional {
        ctx.sink.emit(&Event::NonTransactional {
            id: step.id.clone(),
        });
    }
    let heads = ctx
        .version_table
        .read_heads(conn)
        .await?
        .unwrap_or_default();
    if !same_heads(&heads, &step.heads_before) {
        return Ok(StepOutcome::HeadsChanged(heads));
    }
    let settings = timeout_settings(dialect, false, ctx.db_lock_timeout, ctx.statement_timeout);
    for set in &settings {
        conn.execute(set)
            .await
            .map_err(|e| RunError::db("setting the revision's timeouts", e))?;
    }
    let progress = ProgressTable::for_history(ctx.history.name);
    // Created once a run; it stays (its rows go as revisions complete).
    if !ctx.progress_ready.load(Ordering::Relaxed) {
        progress.ensure(conn).await?;
        ctx.progress_ready.store(true, Ordering::Relaxed);
    }
    let recorded = progress.read(conn, &step.id, step.direction).await?;
    let start = resume_at(&recorded, statements).map_err(|mismatch| RunError::ResumeChanged {
        revision: step.id.clone(),
        direction: step.direction,
        mismatch,
    })?;
    if start > 0 {
        ctx.sink.emit(&Event::Resuming {
            id: step.id.clone(),
            direction: step.direction,
            statement: start + 1,
            total: statements.len(),
        });
    }
    // The statement that succeeded and whose answer is still to be written: it
    // is written with the next statement's `running` row, in one commit; after
    // the last statement, the commit that completes the revision (and deletes
    // its rows) answers for it.
    let mut unanswered: Option<Record<'_>> = None;
    for (i, statement) in statements.iter().enumerate().skip(start) {
        let record = Record {
            progress: &progress,
            step,
            seq: i + 1,
            total: statements.len(),
            statement,
        };
        record.running(conn, unanswered.take().as_ref()).await?;
        // Announced once recorded as running: what a watcher sees is on record.
        ctx.sink.emit(&Event::Statement {
            id: step.id.clone(),
            sql: statement.sql.clone(),
        });
        match conn.execute_statement(statement).await {
            Ok(_) => unanswered = Some(record),
            Err(e) if i == 0 => {
                // Nothing of the revision ran: no progress to keep (best
                // effort; a lost connection leaves the row `running`).
                let _ = record.forget(conn).await;
                return Err(name_blockers(conn, failed(step, &statement.sql, &e)).await);
            }
            Err(e) => {
                let message = error_message(&e);
                // Best effort: the statements applied are recorded already, and
                // a lost connection cannot record anything more.
                let _ = record.answer(conn, Outcome::Failed, Some(&message)).await;
                return Err(RunError::PartiallyApplied {
                    revision: step.id.clone(),
                    direction: step.direction,
                    statement: statement.sql.clone(),
                    executed: i,
                    total: statements.len(),
                    code: error_code(&e),
                    message,
                });
            }
        }
    }
    let outcome = finish(conn, ctx, step, &progress, started).await;
    if let Some(last) = unanswered
        && !matches!(outcome, Ok(StepOutcome::Applied(_)))
    {
        // The revision did not complete: its rows stay, and the last
        // statement's says it was applied (best effort after an error, which
        // is what gets reported).
        let answered = last.answer(conn, Outcome::Applied, None).await;
        if outcome.is_ok() {
            answered?;
        }
    }
    outcome
}

/// One statement's progress row, about to be written.
struct Record<'a> {
    progress: &'a ProgressTable,
    step: &'a Step,
    seq: usize,
    total: usize,
    statement: &'a Statement,
}

impl Record<'_> {
    fn on_table(&self, e: crate::db::DbError) -> RunError {
        RunError::on_table("recording a statement's progress", &self.progress.name, e)
    }

    /// Deletes the statement's row.
    async fn forget(&self, conn: &mut Connection) -> Result<(), RunError> {
        let sql =
            self.progress
                .forget_sql(conn.dialect(), &self.step.id, self.step.direction, self.seq);
        conn.execute(&sql)
            .await
            .map(|_| ())
            .map_err(|e| self.on_table(e))
    }

    /// Records the statement as sent, replacing what an earlier run recorded
    /// for it; with `previous`, the statement before it, which succeeded, is
    /// recorded as applied in the same statement. One write (one commit) a
    /// statement: the record of the statement before is final exactly when
    /// this one is on record as running.
    async fn running(
        &self,
        conn: &mut Connection,
        previous: Option<&Record<'_>>,
    ) -> Result<(), RunError> {
        let mut rows = Vec::with_capacity(2);
        if let Some(previous) = previous {
            rows.push((
                previous.seq,
                previous.statement.sql.as_str(),
                Outcome::Applied,
            ));
        }
        rows.push((self.seq, self.statement.sql.as_str(), Outcome::Running));
        let sql = self
            .progress
            .record_rows_sql(conn.backend(), self.step, self.total, &rows);
        conn.execute(&sql)
            .await
            .map(|_| ())
            .map_err(|e| self.on_table(e))
    }

    /// Records the server's answer (in autocommit).
    async fn answer(
        &self,
        conn: &mut Connection,
        outcome: Outcome,
        error: Option<&str>,
    ) -> Result<(), RunError> {
        let sql = self
            .progress
            .outcome_sql(conn.dialect(), self.step, self.seq, outcome, error);
        conn.execute(&sql)
            .await
            .map(|_| ())
            .map_err(|e| self.on_table(e))
    }
}

/// The version-table update, the history row and the removal of the step's
/// progress rows, in one transaction.
async fn finish(
    conn: &mut Connection,
    ctx: &ExecContext<'_>,
    step: &Step,
    progress: &ProgressTable,
    started: Instant,
) -> Result<StepOutcome, RunError> {
    begin(conn, "starting the version-table update").await?;
    let body = async {
        if let Some(heads) = update_versions(conn, ctx, step).await? {
            return Ok(StepOutcome::HeadsChanged(heads));
        }
        let elapsed = started.elapsed();
        let history = ctx.history.insert_sql(
            conn.backend(),
            &step.id,
            super::plan::direction_word(step.direction),
            Some(&step.checksum),
            Elapsed::Millis(elapsed.as_millis() as u64),
            ctx.applied_by,
        );
        conn.execute(&history)
            .await
            .map_err(|e| RunError::on_table("writing the history row", ctx.history.name, e))?;
        let clear = progress.clear_sql(conn.dialect(), &step.id, step.direction);
        conn.execute(&clear)
            .await
            .map_err(|e| RunError::on_table("clearing the progress table", &progress.name, e))?;
        conn.execute("COMMIT")
            .await
            .map_err(|e| RunError::db("committing the version-table update", e))?;
        Ok(StepOutcome::Applied(elapsed))
    }
    .await;
    if !matches!(body, Ok(StepOutcome::Applied(_))) {
        rollback(conn).await;
    }
    body
}

/// Applies the version-table update; `Some(heads)` when a statement did not touch
/// the rows it should have (the heads changed under us).
async fn update_versions(
    conn: &mut Connection,
    ctx: &ExecContext<'_>,
    step: &Step,
) -> Result<Option<Vec<String>>, RunError> {
    let dialect = conn.dialect();
    for (sql, expected) in
        ctx.version_table
            .update_statements(dialect, &step.heads_before, &step.heads_after)
    {
        let affected = conn.execute(&sql).await.map_err(|e| {
            RunError::on_table("updating the version table", ctx.version_table.name(), e)
        })?;
        if affected != expected {
            let heads = ctx
                .version_table
                .read_heads(conn)
                .await?
                .unwrap_or_default();
            return Ok(Some(heads));
        }
    }
    Ok(None)
}

//! Running one revision online: probe, plan, then each step in its own short
//! transaction (or outside one for `CONCURRENTLY`), recording progress, and
//! finally the version-table update with the history row.

use super::OnlineOptions;
use super::attempt::{Attempt, StepRef, with_retries};
use super::backfill::BackfillRun;
use super::error::OnlineError;
use super::events::OnlineEvent;
use super::probe::volatile_defaults;
use super::progress::{ProgressTable, Recorded};
use crate::db::Connection;
use crate::runner::conn::fetch_scalar;
use crate::runner::errors::RunError;
use crate::runner::events::Event;
use crate::runner::executor::{Commit, ExecContext, StepOutcome, execute_step};
use crate::runner::plan::{Step, direction_word};
use std::collections::BTreeMap;
use std::time::Instant;
use stratum_core::dialect::Statement;
use stratum_core::online::{OnlineStep, plan_online};
use stratum_core::schema::Schema;

/// Runs `step` (one revision) online; `before` is the schema before it.
pub(crate) async fn run_online_revision(
    conn: &mut Connection,
    ctx: &ExecContext<'_>,
    options: &OnlineOptions,
    step: &Step,
    before: &Schema,
    commit: Commit,
) -> Result<StepOutcome, RunError> {
    let started = Instant::now();
    let found = ctx
        .version_table
        .read_heads(conn)
        .await?
        .unwrap_or_default();
    if sorted(&found) != sorted(&step.heads_before) {
        return Ok(StepOutcome::HeadsChanged(found));
    }
    let volatile = volatile_defaults(conn, options, ctx.sink, &step.id, &step.ops, before).await?;
    let steps = plan_online(&step.id, &step.ops, before, &volatile).map_err(OnlineError::from)?;
    ctx.sink.emit(&Event::Online(OnlineEvent::Planned {
        id: step.id.clone(),
        steps: steps.len(),
    }));
    let progress = ProgressTable::for_version_table(ctx.version_table.name());
    progress.ensure(conn).await?;
    let direction = direction_word(step.direction);
    let recorded = progress.read(conn, &step.id, direction).await?;
    let runner = StepRunner {
        options,
        ctx,
        progress: &progress,
        revision: &step.id,
        direction,
        recorded: &recorded,
    };
    for (i, s) in steps.iter().enumerate() {
        runner.run(conn, i + 1, s).await?;
    }
    // The version table moves, the history row is written and the progress
    // table goes, in one transaction.
    let mut last = step.clone();
    last.transactional = true;
    let finish = [Statement::new(progress.drop_sql())];
    let at = StepRef {
        revision: &step.id,
        step: steps.len() + 1,
        description: "record the revision",
    };
    let mut lock_retries = 0;
    loop {
        match execute_step(conn, ctx, &last, &finish, commit).await {
            Ok(StepOutcome::Applied(_)) => return Ok(StepOutcome::Applied(started.elapsed())),
            Ok(other) => return Ok(other),
            Err(RunError::TableLockTimeout { blocking, .. })
                if lock_retries + 1 < options.attempts =>
            {
                lock_retries += 1;
                let delay = options.backoff(lock_retries);
                ctx.sink.emit(&Event::Online(OnlineEvent::Retry {
                    id: at.revision.to_string(),
                    step: at.step,
                    attempt: lock_retries,
                    delay,
                    blocking: blocking
                        .into_iter()
                        .map(|h| super::events::BlockingSession {
                            pid: h.pid,
                            application: h.application_name,
                            query: h.query,
                            age: None,
                        })
                        .collect(),
                }));
                tokio::time::sleep(delay).await;
            }
            Err(e) => return Err(e),
        }
    }
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v = v.to_vec();
    v.sort();
    v.dedup();
    v
}

struct StepRunner<'a> {
    options: &'a OnlineOptions,
    ctx: &'a ExecContext<'a>,
    progress: &'a ProgressTable,
    revision: &'a str,
    direction: &'a str,
    recorded: &'a BTreeMap<usize, Recorded>,
}

impl StepRunner<'_> {
    fn record(&self, number: usize, s: &OnlineStep) -> String {
        self.progress.record_sql(
            self.revision,
            self.direction,
            number,
            &s.description,
            true,
            None,
        )
    }

    async fn is_done(&self, conn: &mut Connection, s: &OnlineStep) -> Result<bool, RunError> {
        let Some(query) = &s.done_when else {
            return Ok(false);
        };
        let v = fetch_scalar(conn, query)
            .await
            .map_err(|e| RunError::db("checking whether an online step is done", e))?;
        Ok(matches!(v.as_deref(), Some("true" | "t")))
    }

    async fn run(
        &self,
        conn: &mut Connection,
        number: usize,
        s: &OnlineStep,
    ) -> Result<(), RunError> {
        let emit = |e: OnlineEvent| self.ctx.sink.emit(&Event::Online(e));
        let recorded = self.recorded.get(&number);
        if let Some(r) = recorded
            && r.description != s.description
        {
            return Err(OnlineError::PlanChanged {
                revision: self.revision.to_string(),
                step: number,
                recorded: r.description.clone(),
                planned: s.description.clone(),
                table: self.progress.name.clone(),
            }
            .into());
        }
        let skipped = || {
            emit(OnlineEvent::StepSkipped {
                id: self.revision.to_string(),
                step: number,
                description: s.description.clone(),
            })
        };
        if recorded.is_some_and(|r| r.done) {
            skipped();
            return Ok(());
        }
        let at = StepRef {
            revision: self.revision,
            step: number,
            description: &s.description,
        };
        if self.is_done(conn, s).await? {
            let record = [self.record(number, s)];
            with_retries(
                conn,
                self.options,
                self.ctx.sink,
                &at,
                Attempt::Transaction(&record),
            )
            .await?;
            skipped();
            return Ok(());
        }
        let started = Instant::now();
        emit(OnlineEvent::StepStarted {
            id: self.revision.to_string(),
            step: number,
            kind: s.kind,
            description: s.description.clone(),
        });
        for sql in &s.sql {
            self.ctx.sink.emit(&Event::Statement {
                id: self.revision.to_string(),
                sql: sql.clone(),
            });
        }
        if s.backfill.is_some() || s.rows.is_some() {
            let walk = BackfillRun {
                options: self.options,
                sink: self.ctx.sink,
                progress: self.progress,
                direction: self.direction,
                at: StepRef { ..at },
            };
            let resume = recorded.and_then(|r| r.position.clone());
            match (&s.backfill, &s.rows) {
                (Some(fill), _) => walk.run(conn, fill, resume).await?,
                (None, Some(rows)) => walk.run_rows(conn, rows, resume).await?,
                (None, None) => {}
            }
            let record = [self.record(number, s)];
            with_retries(
                conn,
                self.options,
                self.ctx.sink,
                &at,
                Attempt::Transaction(&record),
            )
            .await?;
        } else if s.transactional {
            let mut sql = s.sql.clone();
            sql.push(self.record(number, s));
            with_retries(
                conn,
                self.options,
                self.ctx.sink,
                &at,
                Attempt::Transaction(&sql),
            )
            .await?;
        } else {
            self.outside_transaction(conn, &at, s).await?;
            let record = [self.record(number, s)];
            with_retries(
                conn,
                self.options,
                self.ctx.sink,
                &at,
                Attempt::Transaction(&record),
            )
            .await?;
        }
        emit(OnlineEvent::StepFinished {
            id: self.revision.to_string(),
            step: number,
            duration: started.elapsed(),
        });
        Ok(())
    }

    /// A `CONCURRENTLY` step: each attempt first drops an INVALID index a
    /// failed build left behind, then runs under a session lock timeout that
    /// is restored afterwards.
    async fn outside_transaction(
        &self,
        conn: &mut Connection,
        at: &StepRef<'_>,
        s: &OnlineStep,
    ) -> Result<(), RunError> {
        let saved = fetch_scalar(conn, "SHOW lock_timeout")
            .await
            .map_err(|e| RunError::db("reading lock_timeout", e))?
            .unwrap_or_else(|| "0".to_string());
        let restore = format!("SET lock_timeout = '{}'", saved.replace('\'', "''"));
        let result = with_retries(
            conn,
            self.options,
            self.ctx.sink,
            at,
            Attempt::Outside {
                sql: &s.sql,
                invalid_index: s.invalid_index.as_deref(),
                restore: &restore,
            },
        )
        .await;
        result.map(|_| ())
    }
}

//! Running one step's statements under a short lock timeout, retried with
//! full-jitter exponential backoff when the timeout expires.

use super::OnlineOptions;
use super::error::OnlineError;
use super::events::OnlineEvent;
use super::sessions::lock_holders;
use crate::backend::Backend;
use crate::db::{Connection, DbError};
use crate::runner::conn::{error_code, error_message, fetch_text_rows};
use crate::runner::errors::RunError;
use crate::runner::events::{Event, EventSink};

/// Where a step is, for errors and events.
pub(crate) struct StepRef<'a> {
    pub(crate) revision: &'a str,
    pub(crate) step: usize,
    pub(crate) description: &'a str,
}

/// A failed statement.
pub(crate) struct Failure {
    pub(crate) statement: String,
    pub(crate) error: DbError,
}

impl Failure {
    fn retryable(&self, backend: &dyn Backend) -> bool {
        error_code(&self.error).is_some_and(|c| backend.retry_safe(&c))
    }
}

pub(crate) fn lock_timeout_sql(scope: &str, options: &OnlineOptions) -> String {
    format!(
        "{scope} lock_timeout = '{}ms'",
        options.lock_timeout.as_millis().max(1)
    )
}

/// Runs `sql` in order; the rows of the last one are returned.
pub(crate) async fn run_all(
    conn: &mut Connection,
    sql: &[String],
) -> Result<Vec<Vec<Option<String>>>, Failure> {
    let mut rows = Vec::new();
    for s in sql {
        rows = fetch_text_rows(conn, s).await.map_err(|error| Failure {
            statement: s.clone(),
            error,
        })?;
    }
    Ok(rows)
}

/// `sql` in one transaction under the online lock timeout; the rows of the
/// last statement are returned.
pub(crate) async fn in_transaction(
    conn: &mut Connection,
    options: &OnlineOptions,
    sql: &[String],
) -> Result<Vec<Vec<Option<String>>>, Failure> {
    let mut all = vec!["BEGIN".to_string(), lock_timeout_sql("SET LOCAL", options)];
    all.extend(sql.iter().cloned());
    match run_all(conn, &all).await {
        Ok(rows) => match conn.execute("COMMIT").await {
            Ok(_) => Ok(rows),
            Err(error) => {
                let _ = conn.execute("ROLLBACK").await;
                Err(Failure {
                    statement: "COMMIT".into(),
                    error,
                })
            }
        },
        Err(f) => {
            let _ = conn.execute("ROLLBACK").await;
            Err(f)
        }
    }
}

/// What one attempt of a step does.
pub(crate) enum Attempt<'a> {
    /// Statements in one transaction.
    Transaction(&'a [String]),
    /// Statements outside a transaction, under a session lock timeout that is
    /// then restored with `restore`; an INVALID `invalid_index` is dropped first.
    Outside {
        sql: &'a [String],
        invalid_index: Option<&'a str>,
        restore: &'a str,
    },
    /// The volatility probe of a default (returns one row: `true` when volatile).
    Probe(&'a stratum_core::online::DefaultProbe),
    /// One backfill batch, with the position recorded in the same transaction.
    Batch {
        sql: &'a str,
        record: &'a (dyn Fn(&str) -> String + Sync),
    },
}

type Rows = Vec<Vec<Option<String>>>;

fn first_cell(rows: &Rows) -> Option<&str> {
    rows.first()
        .and_then(|r| r.first())
        .and_then(|c| c.as_deref())
}

async fn outside(
    conn: &mut Connection,
    options: &OnlineOptions,
    sink: &dyn EventSink,
    revision: &str,
    sql: &[String],
    invalid_index: Option<&str>,
) -> Result<Rows, Failure> {
    run_all(conn, &[lock_timeout_sql("SET", options)]).await?;
    if let Some(index) = invalid_index {
        let exists = run_all(conn, &[stratum_core::online::catalog::index_exists(index)]).await?;
        if matches!(first_cell(&exists), Some("true" | "t")) {
            run_all(
                conn,
                &[format!(
                    "DROP INDEX CONCURRENTLY IF EXISTS {}",
                    stratum_core::dialect::quote_ident(index)
                )],
            )
            .await?;
            sink.emit(&Event::Online(OnlineEvent::InvalidIndexDropped {
                id: revision.to_string(),
                index: index.to_string(),
            }));
        }
    }
    run_all(conn, sql).await
}

async fn probe(
    conn: &mut Connection,
    options: &OnlineOptions,
    probe: &stratum_core::online::DefaultProbe,
) -> Result<Rows, Failure> {
    let mut first = vec!["BEGIN".to_string(), lock_timeout_sql("SET LOCAL", options)];
    first.extend(probe.setup.iter().cloned());
    first.push(probe.file_node.clone());
    let before = run_all(conn, &first).await?;
    let after = run_all(conn, &[probe.add_column.clone(), probe.file_node.clone()]).await?;
    let volatile = if before != after { "true" } else { "false" };
    Ok(vec![vec![Some(volatile.to_string())]])
}

async fn batch(
    conn: &mut Connection,
    options: &OnlineOptions,
    sql: &str,
    record: &(dyn Fn(&str) -> String + Sync),
) -> Result<Rows, Failure> {
    run_all(
        conn,
        &["BEGIN".to_string(), lock_timeout_sql("SET LOCAL", options)],
    )
    .await?;
    let rows = run_all(conn, &[sql.to_string()]).await?;
    let mut tail = Vec::new();
    if let Some(last) = first_cell(&rows) {
        tail.push(record(last));
    }
    tail.push("COMMIT".to_string());
    run_all(conn, &tail).await?;
    Ok(rows)
}

async fn attempt_once(
    conn: &mut Connection,
    options: &OnlineOptions,
    sink: &dyn EventSink,
    revision: &str,
    attempt: &Attempt<'_>,
) -> Result<Rows, Failure> {
    match attempt {
        Attempt::Transaction(sql) => in_transaction(conn, options, sql).await,
        Attempt::Outside {
            sql,
            invalid_index,
            restore,
        } => {
            let result = outside(conn, options, sink, revision, sql, *invalid_index).await;
            let _ = conn.execute(restore).await;
            result
        }
        Attempt::Probe(p) => {
            let result = probe(conn, options, p).await;
            let _ = conn.execute("ROLLBACK").await;
            result
        }
        Attempt::Batch { sql, record } => {
            let result = batch(conn, options, sql, *record).await;
            if result.is_err() {
                let _ = conn.execute("ROLLBACK").await;
            }
            result
        }
    }
}

/// Runs `attempt` until it succeeds, retrying lock timeouts and deadlocks
/// after a full-jitter pause, at most `options.attempts` times. Returns the
/// rows of its last statement.
pub(crate) async fn with_retries(
    conn: &mut Connection,
    options: &OnlineOptions,
    sink: &dyn EventSink,
    at: &StepRef<'_>,
    attempt: Attempt<'_>,
) -> Result<Rows, RunError> {
    let mut n = 0;
    loop {
        n += 1;
        let failure = match attempt_once(conn, options, sink, at.revision, &attempt).await {
            Ok(v) => return Ok(v),
            Err(f) => f,
        };
        if !failure.retryable(conn.backend()) {
            return Err(OnlineError::StepFailed {
                revision: at.revision.to_string(),
                step: at.step,
                description: at.description.to_string(),
                statement: failure.statement,
                code: error_code(&failure.error),
                message: error_message(&failure.error),
            }
            .into());
        }
        let blocking = lock_holders(conn, &failure.statement).await;
        if n >= options.attempts.max(1) {
            return Err(OnlineError::LockRetriesExhausted {
                revision: at.revision.to_string(),
                step: at.step,
                description: at.description.to_string(),
                attempts: n,
                lock_timeout: options.lock_timeout,
                blocking,
            }
            .into());
        }
        let delay = options.backoff(n);
        sink.emit(&Event::Online(OnlineEvent::Retry {
            id: at.revision.to_string(),
            step: at.step,
            attempt: n,
            delay,
            blocking,
        }));
        tokio::time::sleep(delay).await;
    }
}

//! Other sessions that block an online run: old transactions before it starts,
//! and the holders of a lock a step timed out on, found with the backend's
//! queries ([`crate::backend::Backend::old_transactions_sql`]).

use super::events::BlockingSession;
use crate::db::Connection;
use crate::runner::conn::fetch_text_rows;
use std::time::Duration;

fn session(row: Vec<Option<String>>) -> BlockingSession {
    let mut it = row.into_iter();
    BlockingSession {
        pid: it.next().flatten(),
        application: it.next().flatten(),
        query: it.next().flatten(),
        age: it
            .next()
            .flatten()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64),
    }
}

/// Transactions of this database open for longer than `threshold`.
pub(crate) async fn old_transactions(
    conn: &mut Connection,
    threshold: Duration,
) -> Vec<BlockingSession> {
    let Some(sql) = conn.backend().old_transactions_sql(threshold) else {
        return Vec::new();
    };
    sessions(conn, &sql).await
}

/// Sessions holding a lock on a relation whose name appears in `statement`
/// (asked after the lock timeout, so one may have finished meanwhile).
pub(crate) async fn lock_holders(conn: &mut Connection, statement: &str) -> Vec<BlockingSession> {
    let Some(sql) = conn.backend().blocking_sessions_sql(statement) else {
        return Vec::new();
    };
    sessions(conn, &sql).await
}

async fn sessions(conn: &mut Connection, sql: &str) -> Vec<BlockingSession> {
    fetch_text_rows(conn, sql)
        .await
        .map(|rows| rows.into_iter().map(session).collect())
        .unwrap_or_default()
}

//! Other sessions that block an online run: old transactions before it starts,
//! and the holders of a lock a step timed out on.

use super::events::Session;
use crate::db::Connection;
use crate::runner::conn::fetch_text_rows;
use std::time::Duration;

const COLUMNS: &str = "CAST(a.pid AS TEXT), CAST(a.application_name AS TEXT), CAST(a.query AS TEXT), \
     CAST(EXTRACT(EPOCH FROM now() - COALESCE(a.xact_start, a.query_start)) AS TEXT)";

fn session(row: Vec<Option<String>>) -> Session {
    let mut it = row.into_iter();
    Session {
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
pub(crate) async fn old_transactions(conn: &mut Connection, threshold: Duration) -> Vec<Session> {
    let sql = format!(
        "SELECT {COLUMNS} FROM pg_stat_activity a WHERE a.datname = current_database() \
         AND a.pid <> pg_backend_pid() AND a.xact_start < now() - CAST('{} milliseconds' AS INTERVAL) \
         ORDER BY a.xact_start",
        threshold.as_millis()
    );
    fetch_text_rows(conn, &sql)
        .await
        .map(|rows| rows.into_iter().map(session).collect())
        .unwrap_or_default()
}

/// Sessions holding a lock on a relation whose name appears in `statement`
/// (asked after the lock timeout, so one may have finished meanwhile).
pub(crate) async fn lock_holders(conn: &mut Connection, statement: &str) -> Vec<Session> {
    let literal = statement.replace('\'', "''");
    let sql = format!(
        "SELECT {COLUMNS} FROM pg_stat_activity a WHERE a.pid IN ( \
           SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
           WHERE l.granted AND l.pid <> pg_backend_pid() \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND c.relnamespace <> CAST('pg_catalog' AS regnamespace) \
           AND position(CAST(c.relname AS TEXT) IN '{literal}') > 0) \
         ORDER BY a.xact_start NULLS LAST, a.pid"
    );
    fetch_text_rows(conn, &sql)
        .await
        .map(|rows| rows.into_iter().map(session).collect())
        .unwrap_or_default()
}

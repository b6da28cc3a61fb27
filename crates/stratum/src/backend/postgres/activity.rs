//! Sessions that block an online run, as PostgreSQL's `pg_stat_activity` shows
//! them: pid, application, query and the age in seconds of its transaction (or
//! query), as text.

use std::time::Duration;

const COLUMNS: &str = "CAST(a.pid AS TEXT), CAST(a.application_name AS TEXT), CAST(a.query AS TEXT), \
     CAST(EXTRACT(EPOCH FROM now() - COALESCE(a.xact_start, a.query_start)) AS TEXT)";

/// Transactions of this database open for longer than `threshold`.
pub(super) fn old_transactions_sql(threshold: Duration) -> String {
    format!(
        "SELECT {COLUMNS} FROM pg_stat_activity a WHERE a.datname = current_database() \
         AND a.pid <> pg_backend_pid() AND a.xact_start < now() - CAST('{} milliseconds' AS INTERVAL) \
         ORDER BY a.xact_start",
        threshold.as_millis()
    )
}

/// Sessions holding a lock on a relation whose name appears in `statement`.
pub(super) fn relation_lock_holders_sql(statement: &str) -> String {
    let literal = statement.replace('\'', "''");
    format!(
        "SELECT {COLUMNS} FROM pg_stat_activity a WHERE a.pid IN ( \
           SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
           WHERE l.granted AND l.pid <> pg_backend_pid() \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND c.relnamespace <> CAST('pg_catalog' AS regnamespace) \
           AND position(CAST(c.relname AS TEXT) IN '{literal}') > 0) \
         ORDER BY a.xact_start NULLS LAST, a.pid"
    )
}

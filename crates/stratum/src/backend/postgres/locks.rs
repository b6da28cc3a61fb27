//! Who holds PostgreSQL's locks: the sessions a lock wait is reported against.

use stratum_core::dialect::{Dialect, quote_literal};

/// The session holding the advisory lock of `key` in this database (the same
/// key is taken by migrators of other databases of the server): pid, user,
/// application, client address, query start, state and query, as text.
pub(super) fn advisory_lock_holder_sql(key: i64) -> String {
    let bits = key as u64;
    let (hi, lo) = (bits >> 32, bits & 0xffff_ffff);
    format!(
        "SELECT CAST(a.pid AS TEXT), CAST(a.usename AS TEXT), CAST(a.application_name AS TEXT), \
         CAST(a.client_addr AS TEXT), CAST(a.query_start AS TEXT), CAST(a.state AS TEXT), \
         CAST(a.query AS TEXT) \
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 \
         AND CAST(l.classid AS BIGINT) = {hi} AND CAST(l.objid AS BIGINT) = {lo} \
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
         AND l.pid <> pg_backend_pid() LIMIT 1"
    )
}

/// Other sessions of this database holding a lock on a table whose name appears
/// in `statement`, with the columns of [`advisory_lock_holder_sql`].
pub(super) fn table_lock_holders_sql(statement: &str) -> String {
    let literal = quote_literal(statement, Dialect::Postgres);
    format!(
        "SELECT CAST(a.pid AS TEXT), CAST(a.usename AS TEXT), CAST(a.application_name AS TEXT), \
         CAST(a.client_addr AS TEXT), CAST(a.query_start AS TEXT), CAST(a.state AS TEXT), \
         CAST(a.query AS TEXT) \
         FROM pg_stat_activity a WHERE a.pid IN ( \
           SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
           WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid() \
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
           AND c.relnamespace <> CAST('pg_catalog' AS regnamespace) \
           AND position(CAST(c.relname AS TEXT) IN {literal}) > 0) \
         ORDER BY a.xact_start NULLS LAST, a.pid"
    )
}

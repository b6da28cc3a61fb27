//! The SQL MariaDB/MySQL bookkeeping runs: history table, session timeouts, the
//! migration lock.

use std::time::{Duration, SystemTime};
use stratum_core::dialect::mysql::Flavour;
use stratum_core::dialect::{Dialect, quote_literal};

/// `CREATE TABLE IF NOT EXISTS` for the history table.
pub(super) fn history_create_sql(quoted: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {quoted} (\n    id BIGINT AUTO_INCREMENT PRIMARY KEY,\n    revision VARCHAR(32) NOT NULL,\n    direction VARCHAR(16) NOT NULL,\n    checksum VARCHAR(128),\n    applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),\n    duration_ms BIGINT NOT NULL,\n    applied_by TEXT NOT NULL\n)"
    )
}

/// Milliseconds since `began` (when the client opened the transaction): the
/// server's `NOW()` is the statement's time, not the transaction's.
pub(super) fn elapsed_since_begin_sql(began: SystemTime) -> String {
    let secs = began
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default();
    format!("CAST(GREATEST(0, (UNIX_TIMESTAMP(NOW(6)) - {secs:.6}) * 1000) AS SIGNED)")
}

/// Counts tables of that name in the current database.
pub(super) fn table_exists_sql(name: &str) -> String {
    format!(
        "SELECT CAST(count(*) AS CHAR) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = {}",
        quote_literal(name, Dialect::Mysql)
    )
}

/// Lock waits bounded by `lock_wait_timeout` (whole seconds, at least one) and
/// `innodb_lock_wait_timeout`; statements by MariaDB's `max_statement_time`
/// (seconds) or MySQL's `max_execution_time` (milliseconds, `SELECT` only). DDL
/// commits by itself, so the settings are the session's whether `local` or not.
/// Where the flavour is not known (`None`), MariaDB's bound is written in a
/// comment only MariaDB executes (`/*M! .. */`), after a user variable that
/// either server takes, so that MySQL is not sent a variable it lacks.
pub(super) fn timeout_settings(
    flavour: Option<Flavour>,
    lock_timeout: Option<Duration>,
    statement_timeout: Option<Duration>,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = lock_timeout {
        let secs = t.as_secs().max(1);
        out.push(format!("SET SESSION lock_wait_timeout = {secs}"));
        out.push(format!("SET SESSION innodb_lock_wait_timeout = {secs}"));
    }
    if let Some(t) = statement_timeout {
        let ms = crate::config::wait_millis(t);
        let secs = ms as f64 / 1000.0;
        out.push(match flavour {
            Some(Flavour::MariaDb) => format!("SET SESSION max_statement_time = {secs}"),
            Some(Flavour::Mysql) => format!("SET SESSION max_execution_time = {ms}"),
            None => format!(
                "SET @stratum_statement_timeout = {ms} /*M!, SESSION max_statement_time = {secs} */"
            ),
        });
    }
    out
}

/// Statements undoing [`timeout_settings`] on either server.
pub(super) const TIMEOUT_RESET: [&str; 3] = [
    "SET SESSION lock_wait_timeout = DEFAULT",
    "SET SESSION innodb_lock_wait_timeout = DEFAULT",
    "SET @stratum_statement_timeout = NULL /*M!, SESSION max_statement_time = DEFAULT */",
];

/// The name of the migration lock of `key` (the hash of the version table): a
/// short lowercase hash of the database and the key, computed by the server,
/// since `GET_LOCK` names are shared by every database of the server.
fn lock_name_sql(key: i64) -> String {
    format!("CONCAT('stratum_', LEFT(SHA2(CONCAT(DATABASE(), '/', '{key}'), 256), 16))")
}

/// The migration lock of `key`: the query taking it without waiting (`true`
/// when taken, `false` when another session holds it, NULL when the server
/// failed to take it) and the statement releasing it.
pub(super) fn lock_sql(key: i64) -> (String, String) {
    let name = lock_name_sql(key);
    (
        format!("SELECT CASE GET_LOCK({name}, 0) WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"),
        format!("SELECT CAST(RELEASE_LOCK({name}) AS CHAR)"),
    )
}

/// Whether this session still holds the lock of `key` (`true` or `false`).
pub(super) fn lock_held_sql(key: i64) -> String {
    let name = lock_name_sql(key);
    format!("SELECT CASE WHEN IS_USED_LOCK({name}) = CONNECTION_ID() THEN 'true' ELSE 'false' END")
}

/// The settings of the session holding the lock: it idles while the migration
/// connection works, so the server's idle limit (`wait_timeout`, eight hours by
/// default) is raised to its largest value (a year), lest the server end the
/// session, and free the lock, during a long revision.
pub(super) const LOCK_SESSION_SQL: &str = "SET SESSION wait_timeout = 31536000";

/// The session holding the lock of `key`: id, user, host, when it entered its
/// state, the state and its query, in the columns of
/// [`crate::backend::Backend::lock_holder_sql`]. The id comes
/// from `IS_USED_LOCK`, which needs no privilege; the rest from the process
/// list, which shows other users' sessions only to a user with `PROCESS`.
pub(super) fn lock_holder_sql(key: i64) -> String {
    let name = lock_name_sql(key);
    format!(
        "SELECT CAST(l.id AS CHAR), p.user, CAST(NULL AS CHAR), p.host, \
         CAST(NOW() - INTERVAL p.time SECOND AS CHAR), p.state, p.info \
         FROM (SELECT IS_USED_LOCK({name}) AS id) l \
         LEFT JOIN information_schema.processlist p ON p.id = l.id \
         WHERE l.id IS NOT NULL"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_the_flavours_own() {
        let ms = Some(Duration::from_millis(1500));
        assert_eq!(
            timeout_settings(Some(Flavour::MariaDb), ms, ms),
            [
                "SET SESSION lock_wait_timeout = 1",
                "SET SESSION innodb_lock_wait_timeout = 1",
                "SET SESSION max_statement_time = 1.5"
            ]
        );
        assert_eq!(
            timeout_settings(Some(Flavour::Mysql), None, ms),
            ["SET SESSION max_execution_time = 1500"]
        );
        assert_eq!(
            timeout_settings(None, None, ms),
            ["SET @stratum_statement_timeout = 1500 /*M!, SESSION max_statement_time = 1.5 */"]
        );
    }

    #[test]
    fn the_lock_name_hashes_database_and_key() {
        let (take, release) = lock_sql(42);
        assert!(
            take.contains("GET_LOCK(CONCAT('stratum_', LEFT(SHA2(CONCAT(DATABASE(), '/', '42')")
        );
        assert!(release.starts_with("SELECT CAST(RELEASE_LOCK("));
    }

    #[test]
    fn the_held_check_compares_the_holder_with_the_session() {
        assert_eq!(
            lock_held_sql(42),
            "SELECT CASE WHEN IS_USED_LOCK(CONCAT('stratum_', LEFT(SHA2(CONCAT(DATABASE(), '/', '42'), 256), 16))) = CONNECTION_ID() THEN 'true' ELSE 'false' END"
        );
        let holder = lock_holder_sql(42);
        assert!(
            holder.contains("FROM (SELECT IS_USED_LOCK(CONCAT('stratum_', LEFT(SHA2(CONCAT(DATABASE(), '/', '42'), 256), 16))) AS id) l LEFT JOIN information_schema.processlist p ON p.id = l.id"),
            "{holder}"
        );
    }
}

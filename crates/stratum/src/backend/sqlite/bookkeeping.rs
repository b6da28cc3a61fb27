//! The SQL SQLite's bookkeeping runs: history table, elapsed time.

use std::time::SystemTime;
use stratum_core::dialect::{Dialect, quote_literal};

/// `CREATE TABLE IF NOT EXISTS` for the history table.
pub(super) fn history_create_sql(quoted: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {quoted} (\n    id INTEGER PRIMARY KEY AUTOINCREMENT,\n    revision VARCHAR(32) NOT NULL,\n    direction VARCHAR(16) NOT NULL,\n    checksum VARCHAR(128),\n    applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    duration_ms BIGINT NOT NULL,\n    applied_by TEXT NOT NULL\n)"
    )
}

/// Milliseconds since `began` (when the client opened the transaction): SQLite
/// has no transaction clock of its own.
pub(super) fn elapsed_since_begin_sql(began: SystemTime) -> String {
    let secs = began
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or_default();
    // The Julian day number of the Unix epoch is 2440587.5.
    let julian = secs / 86_400.0 + 2_440_587.5;
    format!("CAST(MAX(0, (julianday('now') - {julian:.10}) * 86400000.0) AS INTEGER)")
}

/// Counts tables of that name.
pub(super) fn table_exists_sql(name: &str) -> String {
    format!(
        "SELECT CAST(count(*) AS TEXT) FROM sqlite_master WHERE type = 'table' AND name = {}",
        quote_literal(name, Dialect::Sqlite)
    )
}

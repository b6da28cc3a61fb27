//! A migrator's PostgreSQL session: its name and its liveness check.

use crate::db::{Connection, DbError};
use stratum_core::dialect::{Dialect, quote_literal};

/// Asks the server to notice a vanished client even while a statement runs
/// (PostgreSQL 14 and later), so that a killed migrator's transaction and lock
/// end promptly, and names the session `application_name` when it has no name.
pub(super) async fn prepare(
    conn: &mut Connection,
    application_name: &str,
) -> Result<(), (&'static str, DbError)> {
    // Older servers do not know the setting; the run works without it.
    let _ = conn
        .execute("SET client_connection_check_interval = '1s'")
        .await;
    let name = conn
        .fetch_text("SELECT current_setting('application_name')")
        .await
        .map_err(|e| ("reading application_name", e))?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next().flatten());
    if name.as_deref().unwrap_or("").is_empty() {
        let sql = format!(
            "SET application_name = {}",
            quote_literal(application_name, Dialect::Postgres)
        );
        conn.execute(&sql)
            .await
            .map_err(|e| ("setting application_name", e))?;
    }
    Ok(())
}

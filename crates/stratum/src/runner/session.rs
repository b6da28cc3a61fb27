//! The runner's session: its name, its liveness check and its timeouts, set
//! once per connection, and the naming of the sessions that blocked one of the
//! runner's own statements.

use super::conn::fetch_scalar;
use super::errors::RunError;
use super::migrator::{APPLICATION_NAME, RunOptions};
use crate::db::Connection;
use stratum_core::dialect::Dialect;

/// Names the PostgreSQL session when it has no name yet, asks the server to
/// notice a vanished client even while a statement runs (PostgreSQL 14 and
/// later), so that a killed migrator's transaction and lock end promptly, and
/// puts the whole session under the options' lock and statement timeouts: the
/// runner's reads and writes of its own tables wait no longer than a revision's
/// statements do.
pub(crate) async fn prepare_session(
    conn: &mut Connection,
    options: &RunOptions,
) -> Result<(), RunError> {
    let dialect = conn.dialect();
    for set in super::executor::timeout_settings(
        dialect,
        false,
        options.db_lock_timeout,
        options.statement_timeout,
    ) {
        conn.execute(&set)
            .await
            .map_err(|e| RunError::db("setting the session's timeouts", e))?;
    }
    if dialect == Dialect::Sqlite
        && let Some(t) = options.db_lock_timeout
    {
        conn.execute(&format!(
            "PRAGMA busy_timeout = {}",
            crate::config::wait_millis(t)
        ))
        .await
        .map_err(|e| RunError::db("setting the SQLite busy timeout", e))?;
    }
    if dialect == Dialect::Postgres {
        // Older servers do not know the setting; the run works without it.
        let _ = conn
            .execute("SET client_connection_check_interval = '1s'")
            .await;
        let name = fetch_scalar(conn, "SELECT current_setting('application_name')")
            .await
            .map_err(|e| RunError::db("reading application_name", e))?;
        if name.as_deref().unwrap_or("").is_empty() {
            conn.execute(&format!("SET application_name = '{APPLICATION_NAME}'"))
                .await
                .map_err(|e| RunError::db("setting application_name", e))?;
        }
    }
    Ok(())
}

/// Names the sessions that hold a lock on the table a runner's statement waited
/// for (PostgreSQL; call once the transaction has ended).
pub(crate) async fn name_table_blockers(conn: &mut Connection, err: RunError) -> RunError {
    match err {
        RunError::BookkeepingTimeout {
            context,
            table,
            wait: wait @ super::errors::WaitKind::TableLock,
            ..
        } if conn.dialect() == Dialect::Postgres => {
            let blocking = super::lock::table_lock_holders(conn, &table).await;
            RunError::BookkeepingTimeout {
                context,
                table,
                wait,
                blocking,
            }
        }
        other => other,
    }
}

//! The runner's session: its name, its liveness check and its timeouts, set
//! once per connection, and the naming of the sessions that blocked one of the
//! runner's own statements.

use super::errors::RunError;
use super::migrator::{APPLICATION_NAME, RunOptions};
use crate::db::Connection;

/// Puts the whole session under the options' lock and statement timeouts (the
/// runner's reads and writes of its own tables wait no longer than a revision's
/// statements do), then lets the backend name the session and set it up
/// ([`crate::backend::Backend::prepare_session`]).
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
    let backend = conn.backend();
    backend
        .prepare_session(conn, APPLICATION_NAME, options.db_lock_timeout)
        .await
        .map_err(|(context, e)| RunError::db(context, e))?;
    Ok(())
}

/// Names the sessions that hold a lock on the table a runner's statement waited
/// for (where the server can say; call once the transaction has ended).
pub(crate) async fn name_table_blockers(conn: &mut Connection, err: RunError) -> RunError {
    match err {
        RunError::BookkeepingTimeout {
            context,
            table,
            wait: wait @ super::errors::WaitKind::TableLock,
            ..
        } if conn.backend().capabilities().session_timeouts => {
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

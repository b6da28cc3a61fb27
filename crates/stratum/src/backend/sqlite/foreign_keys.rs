//! The foreign-key guard: SQLite rebuilds tables to alter them, which must not
//! cascade or fail half-way on foreign keys, so enforcement is off while a
//! migration runs and `PRAGMA foreign_key_check` runs before each commit.

use crate::db::{Connection, DbError};

/// Turns enforcement off and returns whether it was on.
pub(super) async fn off(conn: &mut Connection) -> Result<bool, DbError> {
    let rows = conn.fetch_text("PRAGMA foreign_keys").await?;
    let was_on = rows
        .first()
        .and_then(|r| r.first().cloned().flatten())
        .is_some_and(|v| v != "0");
    conn.execute("PRAGMA foreign_keys = OFF").await?;
    Ok(was_on)
}

/// Restores enforcement as [`off`] found it.
pub(super) async fn restore(conn: &mut Connection, was_on: bool) -> Result<(), DbError> {
    let sql = if was_on {
        "PRAGMA foreign_keys = ON"
    } else {
        "PRAGMA foreign_keys = OFF"
    };
    conn.execute(sql).await.map(|_| ())
}

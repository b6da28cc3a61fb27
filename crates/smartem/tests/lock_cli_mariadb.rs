//! `smartem-migrate upgrade` on MariaDB while another session holds the migration
//! lock: it waits up to `--lock-timeout`, then exits with 6 naming the holder's
//! connection id, having changed nothing.

mod cli_support;

use cli_support::bin;
use sqlx::{AssertSqlSafe, Connection as _, MySqlConnection};
use stratum::runner::{DEFAULT_VERSION_TABLE, lock_key};
use stratum_testkit::TestDb;

async fn text(conn: &mut MySqlConnection, sql: &str) -> Option<String> {
    sqlx::query_scalar(AssertSqlSafe(sql.to_string()))
        .fetch_one(conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn upgrade_exits_6_naming_the_session_holding_the_lock() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let name = format!(
        "CONCAT('stratum_', LEFT(SHA2(CONCAT(DATABASE(), '/', '{}'), 256), 16))",
        lock_key(DEFAULT_VERSION_TABLE)
    );
    let mut holder = MySqlConnection::connect(db.url()).await.unwrap();
    let taken = text(
        &mut holder,
        &format!("SELECT CAST(GET_LOCK({name}, 0) AS CHAR)"),
    )
    .await;
    assert_eq!(taken.as_deref(), Some("1"));
    let id = text(&mut holder, "SELECT CAST(CONNECTION_ID() AS CHAR)")
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let out = bin(dir.path(), db.url())
        .args(["upgrade", "head", "--lock-timeout", "300ms"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains(&format!("held by pid {id} (")), "{stderr}");
    let tables = text(
        &mut holder,
        "SELECT CAST(count(*) AS CHAR) FROM information_schema.tables WHERE table_schema = DATABASE()",
    )
    .await;
    assert_eq!(tables.as_deref(), Some("0"));
    holder.close().await.unwrap();
}

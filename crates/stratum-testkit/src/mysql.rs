//! Fresh MariaDB/MySQL databases for tests, on the server of `TEST_MYSQL_URL`.

use sqlx::{AssertSqlSafe, Connection as _, MySqlConnection};

/// The environment variable naming a MariaDB/MySQL server URL (for example
/// `mysql://root@127.0.0.1:3306/`).
pub const MYSQL_URL_ENV: &str = "TEST_MYSQL_URL";

/// The message printed when a MariaDB test is skipped.
pub const MYSQL_SKIP_MESSAGE: &str = "skipped: no MariaDB (set TEST_MYSQL_URL)";

/// The server URL of `TEST_MYSQL_URL`, if set.
pub(crate) fn server_url() -> Option<String> {
    std::env::var(MYSQL_URL_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// `url` with the scheme the driver accepts (`mariadb://` is `mysql://`).
pub(crate) fn driver_url(url: &str) -> String {
    match url.strip_prefix("mariadb:") {
        Some(rest) => format!("mysql:{rest}"),
        None => url.to_string(),
    }
}

/// Runs `sql` on the server of `server_url`.
pub(crate) async fn admin(server_url: &str, sql: String) -> Result<(), String> {
    let mut conn = MySqlConnection::connect(&driver_url(server_url))
        .await
        .map_err(|e| e.to_string())?;
    let result = sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string());
    let _ = conn.close().await;
    result
}

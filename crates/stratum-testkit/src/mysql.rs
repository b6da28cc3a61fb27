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

/// The message printed when a test needing the `mariadb` command-line client is
/// skipped.
pub const MARIADB_CLIENT_SKIP_MESSAGE: &str =
    "skipped: no mariadb (or mysql) command-line client on PATH";

/// The first of the MariaDB/MySQL command-line clients that runs.
pub(crate) fn client_program() -> Option<&'static str> {
    ["mariadb", "mysql"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// The arguments and environment connecting `program` to the database of `url`
/// over TCP, without reading option files: `--no-defaults`, host, port, user,
/// the database; the password (if any) in `MYSQL_PWD`.
pub(crate) fn client_command(program: &str, url: &str) -> Result<std::process::Command, String> {
    let url = url::Url::parse(&driver_url(url)).map_err(|e| e.to_string())?;
    let mut cmd = std::process::Command::new(program);
    cmd.arg("--no-defaults")
        .arg("--protocol=TCP")
        .arg("-h")
        .arg(url.host_str().unwrap_or("127.0.0.1"))
        .arg("-P")
        .arg(url.port().unwrap_or(3306).to_string());
    let user = percent_decode(url.username());
    if !user.is_empty() {
        cmd.arg("-u").arg(user);
    }
    match url.password() {
        Some(p) => cmd.env("MYSQL_PWD", percent_decode(p)),
        None => cmd.env_remove("MYSQL_PWD"),
    };
    let database = url.path().trim_start_matches('/');
    if !database.is_empty() {
        cmd.arg(percent_decode(database));
    }
    Ok(cmd)
}

/// `%XX` escapes of a URL part decoded (user names, passwords and database
/// names of test URLs).
fn percent_decode(part: &str) -> String {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = part
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_connects_by_tcp_to_the_urls_database() {
        let cmd = client_command(
            "mariadb",
            "mariadb://ro%40t:p%3Ass@db.local:3307/stratum_t_1",
        )
        .unwrap();
        let args: Vec<String> = cmd
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "--no-defaults",
                "--protocol=TCP",
                "-h",
                "db.local",
                "-P",
                "3307",
                "-u",
                "ro@t",
                "stratum_t_1"
            ]
        );
        let pwd = cmd
            .get_envs()
            .find(|(k, _)| *k == "MYSQL_PWD")
            .and_then(|(_, v)| v);
        assert_eq!(
            pwd.map(|v| v.to_string_lossy().into_owned()),
            Some("p:ss".into())
        );
    }
}

//! A migrator's MariaDB/MySQL session: the server it talks to, its lock-wait
//! bound.

use crate::db::{Connection, DbError};
use std::time::Duration;
use stratum_core::dialect::mysql::{Flavour, Server, ServerVersion};

/// Reads the flavour and version of the server (`SELECT VERSION()`, e.g.
/// `10.11.6-MariaDB-0+deb12u1` or `8.0.36`).
pub(crate) async fn server(conn: &mut Connection) -> Result<Server, DbError> {
    let text = conn
        .fetch_text("SELECT VERSION()")
        .await?
        .into_iter()
        .next()
        .and_then(|r| r.into_iter().next().flatten())
        .unwrap_or_default();
    Ok(parse_version(&text))
}

/// The server a `VERSION()` text names: MariaDB when it says so, else MySQL.
pub(crate) fn parse_version(text: &str) -> Server {
    Server::parse(text, Flavour::Mysql).unwrap_or(Server {
        flavour: Flavour::Mysql,
        version: ServerVersion::new(0, 0, 0),
    })
}

/// The URL parameter that names the server offline SQL is written for.
pub(crate) const SERVER_VERSION_PARAMETER: &str = "server_version";

/// The server a URL's `server_version` parameter names (`None` without one):
/// MariaDB when the version text says so (`10.6.0-MariaDB`) or the scheme is
/// `mariadb://`, else MySQL. The error says why the value is unusable.
pub(crate) fn url_server(url: &str) -> Result<Option<Server>, String> {
    let Some((_, query)) = url.split_once('?') else {
        return Ok(None);
    };
    let Some(value) = query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == SERVER_VERSION_PARAMETER).then_some(value)
    }) else {
        return Ok(None);
    };
    let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
    let flavour = if url.to_ascii_lowercase().starts_with("mariadb:") {
        Flavour::MariaDb
    } else {
        Flavour::Mysql
    };
    named_server(&value, flavour)
        .map(Some)
        .map_err(|e| format!("{SERVER_VERSION_PARAMETER}={e}"))
}

/// The server a version named by a user stands for: `flavour` unless the text
/// says MariaDB. The error quotes the text and shows what is expected.
pub(crate) fn named_server(version: &str, flavour: Flavour) -> Result<Server, String> {
    match Server::parse(version, flavour) {
        Some(server) if server.version.major > 0 => Ok(server),
        _ => Err(format!(
            "{version:?} is no server version; write it as the server's SELECT VERSION() \
             answers, e.g. 8.0.36 or 10.11.6-MariaDB"
        )),
    }
}

/// Checks the server answers and bounds lock waits by `lock_timeout`.
pub(super) async fn prepare(
    conn: &mut Connection,
    lock_timeout: Option<Duration>,
) -> Result<(), (&'static str, DbError)> {
    let server = server(conn)
        .await
        .map_err(|e| ("reading the server version", e))?;
    for sql in super::bookkeeping::timeout_settings(Some(server.flavour), lock_timeout, None) {
        conn.execute(&sql)
            .await
            .map_err(|e| ("setting the lock-wait timeout", e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_server_of_offline_sql() {
        let server = |url: &str| url_server(url).map(|s| s.map(|s| s.to_string()));
        assert_eq!(server("mysql://h/db"), Ok(None));
        assert_eq!(server("mysql://h/db?ssl-mode=disabled"), Ok(None));
        assert_eq!(
            server("mysql://h/db?server_version=8.0.36"),
            Ok(Some("MySQL 8.0.36".into()))
        );
        assert_eq!(
            server("mysql://h/db?a=b&server_version=10.6.0-MariaDB"),
            Ok(Some("MariaDB 10.6.0".into()))
        );
        assert_eq!(
            server("mariadb://h/db?server_version=10.5"),
            Ok(Some("MariaDB 10.5.0".into()))
        );
        assert_eq!(
            server("mysql://h/db?server_version=latest").unwrap_err(),
            "server_version=\"latest\" is no server version; write it as the server's SELECT \
             VERSION() answers, e.g. 8.0.36 or 10.11.6-MariaDB"
        );
    }

    #[test]
    fn versions_name_flavour_and_numbers() {
        let m = parse_version("10.11.6-MariaDB-0+deb12u1");
        assert_eq!(m.flavour, Flavour::MariaDb);
        assert_eq!(m.version, ServerVersion::new(10, 11, 6));
        let y = parse_version("8.0.36");
        assert_eq!(y.flavour, Flavour::Mysql);
        assert_eq!(y.version, ServerVersion::new(8, 0, 36));
    }
}

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
    let flavour = if text.to_ascii_lowercase().contains("mariadb") {
        Flavour::MariaDb
    } else {
        Flavour::Mysql
    };
    let mut parts = text
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor, patch) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    Server {
        flavour,
        version: ServerVersion::new(major, minor, patch),
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
    fn versions_name_flavour_and_numbers() {
        let m = parse_version("10.11.6-MariaDB-0+deb12u1");
        assert_eq!(m.flavour, Flavour::MariaDb);
        assert_eq!(m.version, ServerVersion::new(10, 11, 6));
        let y = parse_version("8.0.36");
        assert_eq!(y.flavour, Flavour::Mysql);
        assert_eq!(y.version, ServerVersion::new(8, 0, 36));
    }
}

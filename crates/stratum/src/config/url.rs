//! [`DatabaseUrl`]: a database URL whose `Display` and `Debug` never show the
//! password. The raw text is only available through [`DatabaseUrl::expose`].

use super::errors::ConfigError;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::fmt;
use stratum_core::dialect::{Dialect, SqlDialect};

/// Characters percent-encoded in a URL's user, password and database name:
/// everything but letters, digits and `-._~`.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a URL component (user, password, database name).
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// A PostgreSQL or SQLite URL. Shown redacted (`postgres://user:***@host/db`).
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    dialect: Dialect,
}

impl DatabaseUrl {
    /// Parses `postgres://`, `postgresql://`, `mysql://`, `mariadb://` or `sqlite:`
    /// URLs. Server URLs must
    /// be well formed (a password with `@ : % /` must be percent-encoded); the
    /// error shows the URL redacted.
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let raw = raw.trim();
        let scheme = raw
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match scheme.as_str() {
            "postgres" | "postgresql" => {
                let parsed = url::Url::parse(raw).map_err(|e| ConfigError::InvalidUrl {
                    url: redact_text(raw),
                    reason: if e == url::ParseError::EmptyHost {
                        format!(
                            "{e}; for a Unix socket name a host and give the socket directory as a parameter: postgresql://user@localhost/db?host=/var/run/postgresql"
                        )
                    } else {
                        format!(
                            "{e}; percent-encode special characters in the user and password (@ is %40, : is %3A, / is %2F, % is %25)"
                        )
                    },
                })?;
                if parsed.host_str().is_none_or(str::is_empty) {
                    return Err(ConfigError::InvalidUrl {
                        url: redact_text(raw),
                        reason: "no host".to_string(),
                    });
                }
                crate::backend::postgres::transport::check_url(raw).map_err(|e| {
                    ConfigError::InvalidUrl {
                        url: redact_text(raw),
                        reason: e.0,
                    }
                })?;
                Ok(Self {
                    raw: raw.to_string(),
                    dialect: Dialect::Postgres,
                })
            }
            "mysql" | "mariadb" => {
                let parsed = url::Url::parse(raw).map_err(|e| ConfigError::InvalidUrl {
                    url: redact_text(raw),
                    reason: format!(
                        "{e}; percent-encode special characters in the user and password (@ is %40, : is %3A, / is %2F, % is %25)"
                    ),
                })?;
                if parsed.host_str().is_none_or(str::is_empty) {
                    return Err(ConfigError::InvalidUrl {
                        url: redact_text(raw),
                        reason: "no host".to_string(),
                    });
                }
                crate::backend::registry::for_dialect(Dialect::Mysql)
                    .sql_for_url(raw)
                    .map_err(|reason| ConfigError::InvalidUrl {
                        url: redact_text(raw),
                        reason,
                    })?;
                Ok(Self {
                    raw: raw.to_string(),
                    dialect: Dialect::Mysql,
                })
            }
            "sqlite" => {
                let url = Self {
                    raw: raw.to_string(),
                    dialect: Dialect::Sqlite,
                };
                if url.target().trim().is_empty() && !url.sqlite_in_memory() {
                    return Err(ConfigError::InvalidUrl {
                        url: redact_text(raw),
                        reason: "it names no file, and an empty path would be a throwaway in-memory database; write sqlite:PATH (e.g. sqlite:smartem.db), or sqlite::memory: for an in-memory database on purpose (is a variable in it unset?)".to_string(),
                    });
                }
                Ok(url)
            }
            _ => Err(ConfigError::InvalidUrl {
                url: redact_text(raw),
                reason: "unsupported scheme: use postgresql://... or sqlite:path".to_string(),
            }),
        }
    }

    /// A PostgreSQL URL from parts; user, password and database are
    /// percent-encoded, so any characters work.
    pub fn from_postgres_parts(
        user: &str,
        password: Option<&str>,
        host: &str,
        port: Option<u16>,
        database: &str,
    ) -> Result<Self, ConfigError> {
        let mut s = String::from("postgresql://");
        s.push_str(&encode_component(user));
        if let Some(p) = password {
            s.push(':');
            s.push_str(&encode_component(p));
        }
        if !user.is_empty() || password.is_some() {
            s.push('@');
        }
        if host.contains(':') && !host.starts_with('[') {
            s.push_str(&format!("[{host}]"));
        } else {
            s.push_str(host);
        }
        if let Some(port) = port {
            s.push_str(&format!(":{port}"));
        }
        s.push('/');
        s.push_str(&encode_component(database));
        Self::parse(&s)
    }

    /// A SQLite URL for a file path (created on first connection).
    pub fn sqlite_file(path: &std::path::Path) -> Self {
        Self {
            raw: format!("sqlite:{}", path.display()),
            dialect: Dialect::Sqlite,
        }
    }

    /// The same server URL (PostgreSQL, MariaDB/MySQL) with `password` (any
    /// characters; it is percent-encoded) in place of its password. SQLite URLs are
    /// returned as they are.
    pub fn with_password(&self, password: &str) -> Result<Self, ConfigError> {
        if self.dialect == Dialect::Sqlite {
            return Ok(self.clone());
        }
        let (scheme, rest) = self.raw.split_once("://").unwrap_or(("postgresql", ""));
        let (authority_end, tail) = match rest.find(['/', '?']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let (userinfo, host) = match authority_end.rfind('@') {
            Some(i) => (&authority_end[..i], &authority_end[i + 1..]),
            None => ("", authority_end),
        };
        let user = userinfo.split(':').next().unwrap_or_default();
        Self::parse(&format!(
            "{scheme}://{user}:{}@{host}{tail}",
            encode_component(password)
        ))
    }

    /// Whether this is a SQLite URL that asks for an in-memory database
    /// explicitly: `sqlite::memory:` or `mode=memory`.
    pub fn sqlite_in_memory(&self) -> bool {
        self.dialect == Dialect::Sqlite
            && (self.target() == ":memory:"
                || self
                    .raw
                    .split_once('?')
                    .is_some_and(|(_, q)| q.split('&').any(|p| p == "mode=memory")))
    }

    /// The same PostgreSQL URL with query parameter `key=value` added, unless
    /// the URL already sets `key`. SQLite URLs are returned as they are.
    pub fn with_default_parameter(&self, key: &str, value: &str) -> Result<Self, ConfigError> {
        if self.dialect != Dialect::Postgres {
            return Ok(self.clone());
        }
        let query = self.raw.split_once('?').map(|(_, q)| q).unwrap_or_default();
        if query
            .split('&')
            .any(|pair| pair.split('=').next() == Some(key))
        {
            return Ok(self.clone());
        }
        let joiner = if self.raw.contains('?') { "&" } else { "?" };
        Self::parse(&format!(
            "{}{joiner}{key}={}",
            self.raw,
            encode_component(value)
        ))
    }

    /// The dialect the URL speaks.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The SQL for the server the URL names, for SQL written without connecting:
    /// the server of a MariaDB/MySQL URL's `server_version` parameter
    /// (`mysql://host/db?server_version=8.0.36`), else the dialect's
    /// [`Dialect::sql`]. A connection renders for the server it reaches instead.
    pub fn sql_dialect(&self) -> &'static dyn SqlDialect {
        self.stated_sql_dialect()
            .unwrap_or_else(|| self.dialect.sql())
    }

    /// The SQL for the server the URL names, when it names one.
    pub fn stated_sql_dialect(&self) -> Option<&'static dyn SqlDialect> {
        crate::backend::registry::for_dialect(self.dialect)
            .sql_for_url(&self.raw)
            .ok()
            .flatten()
    }

    /// The SQL of `dialect` for the server of version `version` (as the server
    /// reports it: `8.0.36`, `10.6.0-MariaDB`), for SQL written with no URL at
    /// hand. The error says why the version is unusable, or that the dialect's
    /// SQL does not depend on one.
    pub fn sql_for_server(
        dialect: Dialect,
        version: &str,
    ) -> Result<&'static dyn SqlDialect, String> {
        crate::backend::registry::for_dialect(dialect).sql_for_server(version)
    }

    /// The raw URL, password included. Use only to open a connection.
    pub fn expose(&self) -> &str {
        &self.raw
    }

    /// The password, decoded, if the URL has one (to scrub it from messages).
    pub(crate) fn password(&self) -> Option<String> {
        let parsed = url::Url::parse(&self.raw).ok()?;
        let from_userinfo = parsed.password().map(|p| {
            percent_encoding::percent_decode_str(p)
                .decode_utf8_lossy()
                .into_owned()
        });
        from_userinfo.or_else(|| {
            parsed
                .query_pairs()
                .find(|(k, _)| k == "password")
                .map(|(_, v)| v.into_owned())
        })
    }

    /// The user name (decoded), if any.
    pub fn user(&self) -> Option<String> {
        let parsed = url::Url::parse(&self.raw).ok()?;
        let u = parsed.username();
        (!u.is_empty()).then(|| {
            percent_encoding::percent_decode_str(u)
                .decode_utf8_lossy()
                .into_owned()
        })
    }

    /// `host:port` for PostgreSQL and MariaDB/MySQL, the file path for SQLite.
    pub fn target(&self) -> String {
        match self.dialect {
            Dialect::Postgres => self.host_port(5432),
            Dialect::Mysql => self.host_port(3306),
            Dialect::Sqlite => self
                .raw
                .trim_start_matches("sqlite:")
                .trim_start_matches("//")
                .split('?')
                .next()
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// `host:port` of a server URL, with `default_port` when it names none.
    fn host_port(&self, default_port: u16) -> String {
        url::Url::parse(&self.raw)
            .ok()
            .map(|u| {
                format!(
                    "{}:{}",
                    u.host_str().unwrap_or("?"),
                    u.port().unwrap_or(default_port)
                )
            })
            .unwrap_or_else(|| "?".to_string())
    }

    /// The database name (PostgreSQL), decoded.
    pub fn database(&self) -> Option<String> {
        let parsed = url::Url::parse(&self.raw).ok()?;
        let name = parsed.path().trim_start_matches('/');
        (!name.is_empty()).then(|| {
            percent_encoding::percent_decode_str(name)
                .decode_utf8_lossy()
                .into_owned()
        })
    }

    /// The URL with its password replaced by `***`.
    pub fn redacted(&self) -> String {
        redact_text(&self.raw)
    }

    /// Replaces every occurrence of this URL's password (raw, decoded and
    /// encoded) in `text` with `***`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut out = text.replace(&self.raw, &self.redacted());
        if let Some(p) = self.password().filter(|p| !p.is_empty()) {
            out = out.replace(&p, "***");
            out = out.replace(&encode_component(&p), "***");
        }
        out
    }
}

/// Redacts the password of a URL-like text, even one that does not parse: the
/// user information is everything between `://` and the last `@`, and a
/// `password=` query parameter is redacted too.
pub(crate) fn redact_text(raw: &str) -> String {
    let mut out = match raw.find("://") {
        Some(start) => {
            let rest = &raw[start + 3..];
            match rest.rfind('@') {
                Some(at) => {
                    let userinfo = &rest[..at];
                    let user = userinfo.split(':').next().unwrap_or_default();
                    let shown = if userinfo.contains(':') {
                        format!("{user}:***")
                    } else {
                        user.to_string()
                    };
                    format!("{}{}{}", &raw[..start + 3], shown, &rest[at..])
                }
                None => raw.to_string(),
            }
        }
        None => raw.to_string(),
    };
    if let Some(q) = out.find('?') {
        let (base, query) = out.split_at(q + 1);
        let redacted: Vec<String> = query
            .split('&')
            .map(|pair| {
                if pair.to_ascii_lowercase().starts_with("password=") {
                    "password=***".to_string()
                } else {
                    pair.to_string()
                }
            })
            .collect();
        out = format!("{base}{}", redacted.join("&"));
    }
    out
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "p@ss:w%rd/x";

    #[test]
    fn a_password_is_put_into_a_url_encoded() {
        for raw in [
            "postgresql://app@db:5432/smartem?sslmode=require",
            "postgresql://app:old@db:5432/smartem?sslmode=require",
        ] {
            let url = DatabaseUrl::parse(raw)
                .unwrap()
                .with_password(NASTY)
                .unwrap();
            assert_eq!(
                url.expose(),
                "postgresql://app:p%40ss%3Aw%25rd%2Fx@db:5432/smartem?sslmode=require"
            );
            assert_eq!(url.password().as_deref(), Some(NASTY));
            assert!(!url.to_string().contains("p%40ss"));
        }
        let url = DatabaseUrl::parse("mysql://app@db:3306/shop")
            .unwrap()
            .with_password(NASTY)
            .unwrap();
        assert_eq!(url.expose(), "mysql://app:p%40ss%3Aw%25rd%2Fx@db:3306/shop");
        assert_eq!(url.password().as_deref(), Some(NASTY));
    }

    #[test]
    fn display_and_debug_redact_the_password() {
        let url = DatabaseUrl::from_postgres_parts(
            "smartem",
            Some(NASTY),
            "db.example",
            Some(5433),
            "smartem",
        )
        .unwrap();
        for shown in [url.to_string(), format!("{url:?}"), url.redacted()] {
            assert!(!shown.contains(NASTY), "{shown}");
            assert!(!shown.contains(&encode_component(NASTY)), "{shown}");
            assert!(
                shown.contains("smartem:***@db.example:5433/smartem"),
                "{shown}"
            );
        }
        assert_eq!(url.password().as_deref(), Some(NASTY));
        assert!(url.expose().contains(&encode_component(NASTY)));
    }

    #[test]
    fn parts_are_percent_encoded_and_round_trip() {
        let url = DatabaseUrl::from_postgres_parts("u@x", Some(NASTY), "localhost", None, "my db")
            .unwrap();
        let parsed = url::Url::parse(url.expose()).unwrap();
        assert_eq!(parsed.host_str(), Some("localhost"));
        assert_eq!(url.user().as_deref(), Some("u@x"));
        assert_eq!(url.database().as_deref(), Some("my db"));
        assert_eq!(url.target(), "localhost:5432");
    }

    #[test]
    fn unparsable_urls_are_refused_without_the_password() {
        let raw = "postgresql://u:p@ss:w%rd/x@host/db";
        let err = DatabaseUrl::parse(raw).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("p@ss"), "{shown}");
        assert!(!shown.contains("w%rd"), "{shown}");
        assert!(DatabaseUrl::parse("oracle://x").is_err());
        assert!(DatabaseUrl::parse("mysql://").is_err());
    }

    #[test]
    fn mysql_and_mariadb_urls_are_server_urls() {
        for raw in ["mysql://root@127.0.0.1:3306/app", "mariadb://root@db/app"] {
            let url = DatabaseUrl::parse(raw).unwrap();
            assert_eq!(url.dialect(), Dialect::Mysql);
            assert_eq!(url.database().as_deref(), Some("app"));
        }
        let url = DatabaseUrl::parse("mariadb://root@db/app").unwrap();
        assert_eq!(url.target(), "db:3306");
    }

    #[test]
    fn query_passwords_are_redacted() {
        let url = DatabaseUrl::parse("postgres://u@h/db?sslmode=require&password=secret").unwrap();
        let bogus = DatabaseUrl::parse("postgres://u:secret@h/db?sslmode=bogus")
            .unwrap_err()
            .to_string();
        assert!(bogus.contains("sslmode=bogus is not a TLS mode"), "{bogus}");
        assert!(
            bogus.contains("verify-full") && !bogus.contains("secret"),
            "{bogus}"
        );
        assert!(DatabaseUrl::parse("postgres://u@h/db?sslmode=Verify-Full").is_ok());
        assert_eq!(
            url.to_string(),
            "postgres://u@h/db?sslmode=require&password=***"
        );
        assert_eq!(url.password().as_deref(), Some("secret"));
        assert_eq!(url.scrub("bad secret here"), "bad *** here");
    }

    #[test]
    fn malformed_connection_settings_are_refused_before_connecting() {
        let err = DatabaseUrl::parse("postgres://u:secret@h/db?sslmode=bogus").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("sslmode=bogus") && text.contains("verify-full"),
            "{text}"
        );
        assert!(!text.contains("secret"), "{text}");
        assert!(DatabaseUrl::parse("postgres://u@h/db?sslmode=verify-full").is_ok());
    }

    #[test]
    fn default_parameters_do_not_override_the_url() {
        let url = DatabaseUrl::parse("postgres://u@h/db").unwrap();
        let with = url
            .with_default_parameter("network_timeout", "5000ms")
            .unwrap();
        assert_eq!(with.expose(), "postgres://u@h/db?network_timeout=5000ms");
        let given = DatabaseUrl::parse("postgres://u@h/db?sslmode=require&network_timeout=9s")
            .unwrap()
            .with_default_parameter("network_timeout", "5000ms")
            .unwrap();
        assert_eq!(
            given.expose(),
            "postgres://u@h/db?sslmode=require&network_timeout=9s"
        );
    }

    #[test]
    fn sqlite_urls() {
        let url = DatabaseUrl::parse("sqlite:smartem.db").unwrap();
        assert_eq!(url.dialect(), Dialect::Sqlite);
        assert_eq!(url.target(), "smartem.db");
        assert_eq!(url.to_string(), "sqlite:smartem.db");
        assert_eq!(
            DatabaseUrl::sqlite_file(std::path::Path::new("/tmp/a.db")).target(),
            "/tmp/a.db"
        );
    }

    #[test]
    fn an_empty_sqlite_path_is_refused_and_memory_must_be_asked_for() {
        for raw in ["sqlite:", "sqlite://", "sqlite:?cache=shared", " sqlite: "] {
            let err = DatabaseUrl::parse(raw).unwrap_err().to_string();
            assert!(err.contains("names no file"), "{raw}: {err}");
            assert!(err.contains("sqlite::memory:"), "{raw}: {err}");
        }
        for raw in [
            "sqlite::memory:",
            "sqlite://:memory:",
            "sqlite:x.db?mode=memory",
        ] {
            let url = DatabaseUrl::parse(raw).unwrap();
            assert!(url.sqlite_in_memory(), "{raw}");
        }
        assert!(
            !DatabaseUrl::parse("sqlite:a.db")
                .unwrap()
                .sqlite_in_memory()
        );
    }
}

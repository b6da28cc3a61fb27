//! The connection settings of a PostgreSQL URL that the transport acts on, read
//! and checked before anything connects: host, port, user, database, password
//! sources, `sslmode`, `sslrootcert`, `sslcert`/`sslkey`, `channel_binding`,
//! `connect_timeout` and `network_timeout`.

use crate::config::{BadDuration, read_duration};
use std::path::PathBuf;
use std::time::Duration;

/// The default for [`FrontParams::network_timeout`].
pub const DEFAULT_NETWORK_TIMEOUT: Duration = Duration::from_secs(60);

/// libpq's `sslmode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Never TLS.
    Disable,
    /// Plain first; TLS if the server refuses a plain connection.
    Allow,
    /// TLS if the server offers it, without checking the certificate.
    Prefer,
    /// TLS or nothing; the certificate is checked only if a root file exists.
    Require,
    /// TLS, with the certificate chain checked against the root certificates.
    VerifyCa,
    /// As `VerifyCa`, and the certificate must name the host.
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "disable" => Self::Disable,
            "allow" => Self::Allow,
            "prefer" => Self::Prefer,
            "require" => Self::Require,
            "verify-ca" => Self::VerifyCa,
            "verify-full" => Self::VerifyFull,
            _ => return None,
        })
    }

    /// The name as written in a URL.
    pub fn name(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Allow => "allow",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

/// libpq's `channel_binding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelBinding {
    /// Never bind the authentication to the TLS channel.
    Disable,
    /// Bind when the connection is TLS and the server offers it.
    Prefer,
    /// Refuse any authentication that is not bound to the TLS channel.
    Require,
}

/// Where the root certificates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootCerts {
    /// A PEM file.
    File(PathBuf),
    /// The system's trusted roots (`sslrootcert=system`).
    System,
}

/// Settings of a PostgreSQL TCP connection.
#[derive(Clone)]
pub struct FrontParams {
    /// Host name or IP address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// User name (decoded).
    pub user: String,
    /// Password given in the URL (decoded), if any.
    pub password: Option<String>,
    /// Database name (decoded), if given.
    pub database: Option<String>,
    /// `sslmode` (default `prefer`).
    pub ssl_mode: SslMode,
    /// Whether `sslmode` was written in the URL.
    pub ssl_mode_given: bool,
    /// `sslrootcert`, if written.
    pub root_cert: Option<RootCerts>,
    /// `sslcert`, if written.
    pub client_cert: Option<PathBuf>,
    /// `sslkey`, if written.
    pub client_key: Option<PathBuf>,
    /// `channel_binding` (default `prefer`).
    pub channel_binding: ChannelBinding,
    /// `connect_timeout`: bound on opening the connection and logging in.
    pub connect_timeout: Option<Duration>,
    /// `network_timeout`: how long the network may stay silent before the
    /// connection counts as lost.
    pub network_timeout: Duration,
}

impl std::fmt::Debug for FrontParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FrontParams")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("database", &self.database)
            .field("ssl_mode", &self.ssl_mode)
            .field("channel_binding", &self.channel_binding)
            .finish_non_exhaustive()
    }
}

/// A connection setting that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParamError(pub String);

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Whether the URL connects over a Unix-domain socket (a `host=/dir` parameter,
/// or a host that is a path).
pub fn is_socket(url: &url::Url) -> bool {
    url.query_pairs()
        .any(|(k, v)| k == "host" && v.starts_with('/'))
        || decode(url.host_str().unwrap_or_default()).starts_with('/')
}

/// Reads a duration written as seconds (`10`, libpq's way) or with a unit
/// (`500ms`, `30s`, `5m`, `1h`), with the configuration file's reader.
fn duration(name: &str, value: &str) -> Result<Duration, ParamError> {
    let too_long = || {
        ParamError(format!(
            "{name}={value} is longer than a day; give a shorter duration"
        ))
    };
    let d = read_duration(value).map_err(|e| match e {
        BadDuration::NotADuration => ParamError(format!(
            "{name}={value} is not a duration; write a number of seconds (30) or a value with a unit (500ms, 30s, 5m)"
        )),
        BadDuration::TooLong => too_long(),
    })?;
    if d > Duration::from_secs(24 * 3600) {
        return Err(too_long());
    }
    Ok(d)
}

impl FrontParams {
    /// Reads the settings of a `postgres://` URL. A value that cannot be used is
    /// an error naming the parameter and the values it accepts.
    pub fn from_url(raw: &str) -> Result<Self, ParamError> {
        let url = url::Url::parse(raw).map_err(|e| ParamError(e.to_string()))?;
        let mut p = FrontParams {
            host: url
                .host_str()
                .unwrap_or("localhost")
                .trim_matches(['[', ']'])
                .to_string(),
            port: url.port().unwrap_or(5432),
            user: decode(url.username()),
            password: url.password().map(decode),
            database: Some(decode(url.path().trim_start_matches('/'))).filter(|d| !d.is_empty()),
            ssl_mode: SslMode::Prefer,
            ssl_mode_given: false,
            root_cert: None,
            client_cert: None,
            client_key: None,
            channel_binding: ChannelBinding::Prefer,
            connect_timeout: None,
            network_timeout: DEFAULT_NETWORK_TIMEOUT,
        };
        for (key, value) in url.query_pairs() {
            let value = value.into_owned();
            match key.as_ref() {
                "sslmode" | "ssl-mode" => {
                    p.ssl_mode = SslMode::parse(&value.to_ascii_lowercase()).ok_or_else(|| {
                        ParamError(format!(
                            "sslmode={value} is not a TLS mode; use one of disable, allow, prefer, require, verify-ca, verify-full"
                        ))
                    })?;
                    p.ssl_mode_given = true;
                }
                "sslrootcert" | "ssl-root-cert" => {
                    p.root_cert = Some(if value == "system" {
                        RootCerts::System
                    } else {
                        RootCerts::File(PathBuf::from(value))
                    });
                }
                "sslcert" | "ssl-cert" => p.client_cert = Some(PathBuf::from(value)),
                "sslkey" | "ssl-key" => p.client_key = Some(PathBuf::from(value)),
                "channel_binding" => {
                    p.channel_binding = match value.as_str() {
                        "disable" => ChannelBinding::Disable,
                        "prefer" => ChannelBinding::Prefer,
                        "require" => ChannelBinding::Require,
                        _ => {
                            return Err(ParamError(format!(
                                "channel_binding={value} is not a setting; use disable, prefer or require"
                            )));
                        }
                    }
                }
                "connect_timeout" => {
                    let d = duration("connect_timeout", &value)?;
                    // libpq: zero means wait forever; less than 2 s counts as 2 s.
                    p.connect_timeout = (!d.is_zero()).then(|| d.max(Duration::from_secs(2)));
                }
                "network_timeout" => {
                    let d = duration("network_timeout", &value)?;
                    if d < Duration::from_secs(1) {
                        return Err(ParamError(format!(
                            "network_timeout={value} is shorter than 1s; give at least 1s"
                        )));
                    }
                    p.network_timeout = d;
                }
                "user" => p.user = value,
                "password" => p.password = Some(value),
                "dbname" => p.database = Some(value),
                "port" => {
                    p.port = value.parse().map_err(|_| {
                        ParamError(format!("port={value} is not a port number (1-65535)"))
                    })?
                }
                "host" => p.host = value,
                _ => {}
            }
        }
        if p.root_cert == Some(RootCerts::System)
            && p.ssl_mode_given
            && p.ssl_mode != SslMode::VerifyFull
        {
            return Err(ParamError(format!(
                "sslrootcert=system trusts every public certificate authority, so it needs sslmode=verify-full (not {})",
                p.ssl_mode.name()
            )));
        }
        if p.root_cert == Some(RootCerts::System) {
            p.ssl_mode = SslMode::VerifyFull;
        }
        if p.channel_binding == ChannelBinding::Require && p.ssl_mode == SslMode::Disable {
            return Err(ParamError(
                "channel_binding=require needs TLS, but sslmode=disable turns it off; use sslmode=require or stronger"
                    .to_string(),
            ));
        }
        if p.user.is_empty() {
            p.user = std::env::var("PGUSER")
                .ok()
                .filter(|u| !u.is_empty())
                .or_else(|| std::env::var("USER").ok())
                .unwrap_or_else(|| "postgres".to_string());
        }
        Ok(p)
    }

    /// The database name the server will use (the user name when none is given).
    pub fn database_or_user(&self) -> &str {
        self.database.as_deref().unwrap_or(&self.user)
    }
}

/// Checks the settings of a PostgreSQL URL without connecting.
pub fn check_url(raw: &str) -> Result<(), ParamError> {
    FrontParams::from_url(raw).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_libpq() {
        let p = FrontParams::from_url("postgres://u:p%40ss@db.example:5433/app").unwrap();
        assert_eq!(p.ssl_mode, SslMode::Prefer);
        assert!(!p.ssl_mode_given);
        assert_eq!(p.channel_binding, ChannelBinding::Prefer);
        assert_eq!(p.password.as_deref(), Some("p@ss"));
        assert_eq!((p.host.as_str(), p.port), ("db.example", 5433));
        assert_eq!(p.network_timeout, DEFAULT_NETWORK_TIMEOUT);
        assert!(!format!("{p:?}").contains("p@ss"));
    }

    #[test]
    fn malformed_values_name_the_parameter_and_the_choices() {
        for (url, needle) in [
            ("postgres://h/d?sslmode=bogus", "sslmode=bogus"),
            (
                "postgres://h/d?channel_binding=maybe",
                "channel_binding=maybe",
            ),
            (
                "postgres://h/d?connect_timeout=soon",
                "connect_timeout=soon",
            ),
            ("postgres://h/d?network_timeout=0", "network_timeout=0"),
            ("postgres://h/d?network_timeout=9999999m", "network_timeout"),
            (
                "postgres://h/d?sslmode=require&sslrootcert=system",
                "verify-full",
            ),
            (
                "postgres://h/d?sslmode=disable&channel_binding=require",
                "sslmode",
            ),
        ] {
            let err = FrontParams::from_url(url).unwrap_err().to_string();
            assert!(err.contains(needle), "{url}: {err}");
        }
    }

    #[test]
    fn durations_take_seconds_or_units() {
        let p = FrontParams::from_url(
            "postgres://h/d?connect_timeout=1&network_timeout=1500ms&sslmode=verify-full",
        )
        .unwrap();
        assert_eq!(p.connect_timeout, Some(Duration::from_secs(2)));
        assert_eq!(p.network_timeout, Duration::from_millis(1500));
        assert_eq!(p.ssl_mode, SslMode::VerifyFull);
        let p =
            FrontParams::from_url("postgres://h/d?network_timeout=2m&connect_timeout=0").unwrap();
        assert_eq!(p.network_timeout, Duration::from_secs(120));
        assert_eq!(p.connect_timeout, None);
        // A bare number is seconds, as libpq reads connect_timeout; units as in
        // the configuration file.
        let p =
            FrontParams::from_url("postgres://h/d?connect_timeout=10&network_timeout=1h").unwrap();
        assert_eq!(p.connect_timeout, Some(Duration::from_secs(10)));
        assert_eq!(p.network_timeout, Duration::from_secs(3600));
        let err = FrontParams::from_url("postgres://h/d?network_timeout=25h").unwrap_err();
        assert!(err.to_string().contains("longer than a day"), "{err}");
    }

    #[test]
    fn system_roots_mean_verify_full_and_socket_hosts_are_seen() {
        let p = FrontParams::from_url("postgres://h/d?sslrootcert=system").unwrap();
        assert_eq!(p.ssl_mode, SslMode::VerifyFull);
        let url = url::Url::parse("postgres://u@localhost/d?host=/var/run/postgresql").unwrap();
        assert!(is_socket(&url));
        let url = url::Url::parse("postgres://u@127.0.0.1/d").unwrap();
        assert!(!is_socket(&url));
    }
}

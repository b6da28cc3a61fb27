//! The configuration file: named environments and a default one.
//!
//! ```toml
//! default_environment = "development"
//!
//! [environments.development]
//! url = "sqlite:smartem.db"
//!
//! [environments.production]
//! url = "postgresql://smartem:${SMARTEM_DB_PASSWORD}@db.internal:5432/smartem?sslmode=require"
//! version_table = "alembic_version"
//! lock_timeout = "30s"
//! statement_timeout = "10m"
//! backup = true
//!
//! [environments.staging]
//! url = "postgresql://smartem@db-staging.internal:5432/smartem"
//! password_file = "/run/secrets/smartem_db_password"
//! ```

use super::errors::ConfigError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Settings of one environment, as written in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvironmentSection {
    /// Database URL; `${VAR}` references are interpolated.
    pub url: Option<String>,
    /// Version table name.
    pub version_table: Option<String>,
    /// How long to wait for the migration lock (and for table locks).
    pub lock_timeout: Option<DurationSetting>,
    /// PostgreSQL statement timeout inside each revision.
    pub statement_timeout: Option<DurationSetting>,
    /// Whether to back the database up before upgrading (default: on for an
    /// environment named `production`).
    pub backup: Option<bool>,
    /// A file holding the password for `url` (trailing newline ignored; relative
    /// paths are relative to the configuration file; `${VAR}` interpolated). The
    /// password in it may contain any characters: it is encoded into the URL.
    pub password_file: Option<String>,
}

/// A duration written as text (`500ms`, `30s`, `5m`, `1h`) or a number of seconds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum DurationSetting {
    /// Seconds.
    Seconds(u64),
    /// Text with a unit.
    Text(String),
}

impl DurationSetting {
    /// The duration; `field` names the setting in the error.
    pub fn to_duration(&self, field: &str) -> Result<Duration, ConfigError> {
        match self {
            DurationSetting::Seconds(s) => Ok(Duration::from_secs(*s)),
            DurationSetting::Text(t) => {
                parse_duration(t).ok_or_else(|| ConfigError::InvalidDuration {
                    field: field.to_string(),
                    value: t.clone(),
                })
            }
        }
    }
}

/// Parses `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().ok()?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => value,
        "ms" => value / 1000.0,
        "m" | "min" | "mins" | "minute" | "minutes" => value * 60.0,
        "h" | "hour" | "hours" => value * 3600.0,
        _ => return None,
    };
    if !(seconds.is_finite() && seconds >= 0.0) {
        return None;
    }
    Duration::try_from_secs_f64(seconds).ok()
}

/// The configuration file's contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The environment used when none is selected.
    pub default_environment: Option<String>,
    /// Environments by name.
    #[serde(default)]
    pub environments: BTreeMap<String, EnvironmentSection>,
    /// Where the file was read from (not part of the file).
    #[serde(skip)]
    pub path: PathBuf,
}

impl ConfigFile {
    /// Parses the text of a configuration file read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let mut file: ConfigFile = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        })?;
        file.path = path.to_path_buf();
        Ok(file)
    }

    /// Reads and parses a configuration file.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Looks for `file_name` in `start` and its parents; reads the first found.
    pub fn discover(start: &Path, file_name: &str) -> Result<Option<Self>, ConfigError> {
        match start
            .ancestors()
            .map(|dir| dir.join(file_name))
            .find(|p| p.is_file())
        {
            Some(path) => Self::read(&path).map(Some),
            None => Ok(None),
        }
    }

    /// Names of the environments defined.
    pub fn environment_names(&self) -> Vec<String> {
        self.environments.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_environments_and_durations() {
        let text = r#"
default_environment = "dev"
[environments.dev]
url = "sqlite:dev.db"
[environments.prod]
url = "postgresql://u@h/db"
lock_timeout = "30s"
statement_timeout = 600
backup = true
version_table = "v"
"#;
        let f = ConfigFile::parse(text, Path::new("x.toml")).unwrap();
        assert_eq!(f.default_environment.as_deref(), Some("dev"));
        assert_eq!(f.environment_names(), ["dev", "prod"]);
        let prod = &f.environments["prod"];
        assert_eq!(
            prod.lock_timeout
                .as_ref()
                .unwrap()
                .to_duration("l")
                .unwrap(),
            Duration::from_secs(30)
        );
        assert_eq!(
            prod.statement_timeout
                .as_ref()
                .unwrap()
                .to_duration("s")
                .unwrap(),
            Duration::from_secs(600)
        );
        assert_eq!(prod.backup, Some(true));
    }

    #[test]
    fn unknown_keys_and_bad_durations_are_errors() {
        let err = ConfigFile::parse("[environments.dev]\nurll = \"x\"\n", Path::new("c.toml"))
            .unwrap_err();
        assert!(err.to_string().contains("c.toml"), "{err}");
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("5 parsecs"), None);
    }

    #[test]
    fn durations_too_long_to_hold_are_refused_not_a_panic() {
        // Found by the duration fuzz target.
        assert_eq!(parse_duration("18446744073709551615"), None);
        assert_eq!(parse_duration("99999999999999999999h"), None);
        assert_eq!(parse_duration(&"9".repeat(400)), None);
    }

    #[test]
    fn discovery_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.toml"), "default_environment = \"x\"\n").unwrap();
        let nested = dir.path().join("a/b/c");
        std::fs::create_dir_all(&nested).unwrap();
        let found = ConfigFile::discover(&nested, "app.toml").unwrap().unwrap();
        assert_eq!(found.path, dir.path().join("app.toml"));
        assert!(
            ConfigFile::discover(&nested, "missing.toml")
                .unwrap()
                .is_none()
        );
    }
}

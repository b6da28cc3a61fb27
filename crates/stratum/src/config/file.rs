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
use super::ignore::IgnoreRules;
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
    /// Run upgrades online (PostgreSQL): lock-friendly steps that do not stop
    /// the writers (as `upgrade --online`).
    pub online: Option<bool>,
    /// A file holding the password for `url` (trailing newline ignored; relative
    /// paths are relative to the configuration file; `${VAR}` interpolated). The
    /// password in it may contain any characters: it is encoded into the URL.
    pub password_file: Option<String>,
    /// Objects the models do not own, left out of comparisons in this
    /// environment (added to the file's global `[ignore]`).
    pub ignore: Option<IgnoreRules>,
    /// The fleet group of this database (`canary` runs first in `fleet`
    /// commands); ignored by single-database commands.
    pub group: Option<String>,
    /// PostgreSQL over TCP: how long the network may stay silent before the
    /// connection counts as lost (the URL parameter `network_timeout`, which
    /// wins when the URL has it).
    pub network_timeout: Option<DurationSetting>,
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
        let checked = match self {
            DurationSetting::Seconds(s) => {
                super::check_wait(Duration::from_secs(*s), &s.to_string())
            }
            DurationSetting::Text(t) => super::parse_wait(t),
        };
        checked.map_err(|error| match error {
            super::WaitError::NotADuration(value) => ConfigError::InvalidDuration {
                field: field.to_string(),
                value,
            },
            error => ConfigError::InvalidWait {
                field: field.to_string(),
                error,
            },
        })
    }
}

/// Why text cannot be read as a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BadDuration {
    /// The text is not a duration at all (or is negative).
    NotADuration,
    /// A duration, but longer than a [`Duration`] holds.
    TooLong,
}

/// Reads `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds, telling apart
/// text that is not a duration from one too long to hold.
pub(crate) fn read_duration(text: &str) -> Result<Duration, BadDuration> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| BadDuration::NotADuration)?;
    let seconds = match unit.trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => value,
        "ms" => value / 1000.0,
        "m" | "min" | "mins" | "minute" | "minutes" => value * 60.0,
        "h" | "hour" | "hours" => value * 3600.0,
        _ => return Err(BadDuration::NotADuration),
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(BadDuration::NotADuration);
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| BadDuration::TooLong)
}

/// Parses `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Option<Duration> {
    read_duration(text).ok()
}

/// The largest configuration file read (1 MiB).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The configuration file's contents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The environment used when none is selected.
    pub default_environment: Option<String>,
    /// Environments by name.
    #[serde(default)]
    pub environments: BTreeMap<String, EnvironmentSection>,
    /// Objects the models do not own, left out of comparisons in every
    /// environment.
    pub ignore: Option<IgnoreRules>,
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

    /// Reads and parses a configuration file. Anything but a regular file (a
    /// directory, a broken symbolic link, a device such as `/dev/zero`) and a
    /// file over [`MAX_CONFIG_BYTES`] are refused with the path named.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let not_a_file = |what: &str| ConfigError::NotAFile {
            path: path.to_path_buf(),
            what: what.to_string(),
        };
        let io = |source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        };
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound && path.symlink_metadata().is_ok() =>
            {
                return Err(not_a_file("a broken symbolic link"));
            }
            Err(e) => return Err(io(e)),
        };
        if meta.is_dir() {
            return Err(not_a_file("a directory"));
        }
        if !meta.is_file() {
            return Err(not_a_file("not a regular file (a device, pipe or socket)"));
        }
        if meta.len() > MAX_CONFIG_BYTES {
            return Err(not_a_file(&format!(
                "{} bytes, more than a configuration file can be ({MAX_CONFIG_BYTES})",
                meta.len()
            )));
        }
        // The size may change between the check and the read: read at most one
        // byte more than allowed.
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::fs::File::open(path).map_err(io)?, MAX_CONFIG_BYTES + 1),
            &mut bytes,
        )
        .map_err(io)?;
        if bytes.len() as u64 > MAX_CONFIG_BYTES {
            return Err(not_a_file(
                "growing past the size a configuration file can be",
            ));
        }
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::Parse {
            path: path.to_path_buf(),
            message: "not UTF-8 text".to_string(),
        })?;
        let file = Self::parse(&text, path)?;
        file.validate_ignore_rules()?;
        Ok(file)
    }

    /// Checks every `ignore` table of the file.
    fn validate_ignore_rules(&self) -> Result<(), ConfigError> {
        let shown = self.path.display();
        if let Some(rules) = &self.ignore {
            rules.validate(&format!("[ignore] of {shown}"))?;
        }
        for (name, section) in &self.environments {
            if let Some(rules) = &section.ignore {
                rules.validate(&format!("[environments.{name}.ignore] of {shown}"))?;
            }
        }
        Ok(())
    }

    /// Looks for `file_name` in `start` and its parents; reads the first found.
    /// Anything at that path counts as found: a directory or a broken symbolic
    /// link there is an error, not a reason to keep looking or to fall back to
    /// the embedded default.
    pub fn discover(start: &Path, file_name: &str) -> Result<Option<Self>, ConfigError> {
        match start
            .ancestors()
            .map(|dir| dir.join(file_name))
            .find(|p| p.symlink_metadata().is_ok())
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

    #[test]
    fn what_is_not_a_regular_file_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let as_dir = dir.path().join("as_dir.toml");
        std::fs::create_dir(&as_dir).unwrap();
        let broken = dir.path().join("broken.toml");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &broken).unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; MAX_CONFIG_BYTES as usize + 1]).unwrap();
        for (path, what) in [
            (as_dir.as_path(), "a directory"),
            (broken.as_path(), "a broken symbolic link"),
            (Path::new("/dev/zero"), "not a regular file"),
            (big.as_path(), "more than a configuration file can be"),
        ] {
            let err = ConfigFile::read(path).unwrap_err();
            assert!(matches!(err, ConfigError::NotAFile { .. }), "{err}");
            let text = err.to_string();
            assert!(text.contains(what), "{text}");
            assert!(text.contains(&path.display().to_string()), "{text}");
        }
        // Discovery finds them too instead of walking past them.
        let nested = dir.path().join("a");
        std::fs::create_dir(&nested).unwrap();
        std::fs::create_dir(dir.path().join("found.toml")).unwrap();
        assert!(ConfigFile::discover(&nested, "found.toml").is_err());
    }

    #[test]
    fn ignore_rules_are_read_globally_and_per_environment() {
        let text = r#"
[ignore]
tables = ["user_notes"]
[environments.prod.ignore]
tables = ["tmp_*"]
types = ["mood"]
schemas = ["audit"]
"#;
        let f = ConfigFile::parse(text, Path::new("x.toml")).unwrap();
        assert_eq!(f.ignore.as_ref().unwrap().tables, ["user_notes"]);
        let prod = f.environments["prod"].ignore.as_ref().unwrap();
        assert_eq!(prod.types, ["mood"]);
        assert_eq!(prod.schemas, ["audit"]);
        let err = ConfigFile::parse("[ignore]\ntabels = []\n", Path::new("x.toml")).unwrap_err();
        assert!(err.to_string().contains("tabels"), "{err}");
    }
}

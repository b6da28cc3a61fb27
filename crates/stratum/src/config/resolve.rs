//! Which database to use, and which source said so. Precedence, highest first:
//! `--url`, `DATABASE_URL`, SmartEM's `POSTGRES_*` variables, the selected
//! environment of the configuration file, and the embedded default (a SQLite file
//! in the working directory). The selected environment's other settings (version
//! table, timeouts, backup) apply whichever source gave the URL. A selected
//! environment without a URL, when no higher source gives one, is an error rather
//! than a silent fall back to the embedded default.

use super::env::{Env, find_dotenv, interpolate, interpolate_url};
use super::errors::ConfigError;
use super::file::{ConfigFile, EnvironmentSection};
use super::ignore::IgnoreRules;
use super::url::DatabaseUrl;
use crate::runner::VersionTable;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The names an application gives its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppNames {
    /// The configuration file looked for from the working directory up.
    pub config_file: &'static str,
    /// The environment variable that selects an environment.
    pub env_selector: &'static str,
    /// The SQLite file used when nothing else names a database.
    pub default_sqlite_file: &'static str,
}

impl AppNames {
    /// SmartEM's names: `smartem-migrate.toml`, `SMARTEM_ENV`, `smartem.db`.
    pub const SMARTEM: AppNames = AppNames {
        config_file: "smartem-migrate.toml",
        env_selector: "SMARTEM_ENV",
        default_sqlite_file: "smartem.db",
    };

    /// The engine's generic names: `stratum.toml`, `STRATUM_ENV`, `stratum.db`.
    pub const STRATUM: AppNames = AppNames {
        config_file: "stratum.toml",
        env_selector: "STRATUM_ENV",
        default_sqlite_file: "stratum.db",
    };
}

impl Default for AppNames {
    fn default() -> Self {
        Self::STRATUM
    }
}

/// Where the URL came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlSource {
    /// `--url`.
    CommandLine,
    /// The `DATABASE_URL` variable.
    DatabaseUrlVariable,
    /// The `POSTGRES_USER/PASSWORD/HOST/PORT/DB` variables.
    PostgresVariables,
    /// An environment of the configuration file.
    ConfigEnvironment {
        /// Environment name.
        name: String,
        /// The file.
        file: PathBuf,
    },
    /// Nothing named a database: the embedded default.
    EmbeddedDefault,
}

impl fmt::Display for UrlSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlSource::CommandLine => f.write_str("--url"),
            UrlSource::DatabaseUrlVariable => f.write_str("DATABASE_URL"),
            UrlSource::PostgresVariables => f.write_str("the POSTGRES_* variables"),
            UrlSource::ConfigEnvironment { name, file } => {
                write!(f, "environment `{name}` of {}", file.display())
            }
            UrlSource::EmbeddedDefault => f.write_str("the embedded default"),
        }
    }
}

/// What selected the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvironmentSelector {
    /// `--env`.
    CommandLine,
    /// The application's selector variable (e.g. `SMARTEM_ENV`).
    Variable(&'static str),
    /// The file's `default_environment`.
    FileDefault,
}

impl fmt::Display for EnvironmentSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvironmentSelector::CommandLine => f.write_str("--env"),
            EnvironmentSelector::Variable(v) => f.write_str(v),
            EnvironmentSelector::FileDefault => f.write_str("default_environment"),
        }
    }
}

/// Settings of the selected environment other than the URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EnvironmentSettings {
    /// The version table (`None`: the default).
    pub version_table: Option<VersionTable>,
    /// Lock timeout.
    pub lock_timeout: Option<Duration>,
    /// Statement timeout.
    pub statement_timeout: Option<Duration>,
    /// Back up before upgrading (the file's `backup`; when unset, on for an
    /// environment named `production`).
    pub backup: bool,
    /// Run upgrades online (the environment's `online = true`).
    pub online: bool,
    /// Objects the models do not own: the file's global `[ignore]` and the
    /// environment's own rules.
    pub ignore: IgnoreRules,
}

/// The database to use and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTarget {
    /// The URL (redacted when shown).
    pub url: DatabaseUrl,
    /// Which source won.
    pub source: UrlSource,
    /// The selected environment, if any, and what selected it.
    pub environment: Option<(String, EnvironmentSelector)>,
    /// The selected environment's other settings.
    pub settings: EnvironmentSettings,
    /// The configuration file read, if any.
    pub config_file: Option<PathBuf>,
    /// The `.env` file read, if any.
    pub dotenv_file: Option<PathBuf>,
}

impl ResolvedTarget {
    /// One line for the user: `using postgresql://u:***@h/db from DATABASE_URL`,
    /// or `using the embedded default sqlite:smartem.db`.
    pub fn describe(&self) -> String {
        match self.source {
            UrlSource::EmbeddedDefault => format!("using the embedded default {}", self.url),
            _ => format!("using {} from {}", self.url, self.source),
        }
    }
}

/// Everything resolution looks at. Pure: the environment is a map and the file is
/// already read.
#[derive(Debug, Clone)]
pub struct ResolveInput<'a> {
    /// The application's names.
    pub names: AppNames,
    /// `--url`.
    pub url: Option<&'a str>,
    /// `--env`.
    pub environment: Option<&'a str>,
    /// The configuration file, if one was found or given.
    pub config: Option<&'a ConfigFile>,
    /// Environment variables (after `.env` loading).
    pub env: &'a Env,
    /// The working directory (for the embedded default and messages).
    pub working_dir: &'a Path,
}

/// Resolves the target; see the module documentation for the precedence.
pub fn resolve(input: &ResolveInput<'_>) -> Result<ResolvedTarget, ConfigError> {
    let selected = select_environment(input)?;
    let section = match (&selected, input.config) {
        (Some((name, _)), Some(file)) => file.environments.get(name),
        _ => None,
    };
    let mut settings = EnvironmentSettings::default();
    if let Some(rules) = input.config.and_then(|c| c.ignore.as_ref()) {
        settings.ignore = rules.clone();
    }
    if let Some(rules) = section.and_then(|s| s.ignore.as_ref()) {
        settings.ignore = std::mem::take(&mut settings.ignore).merged(rules);
    }
    if let (Some((name, _)), Some(section)) = (&selected, section) {
        if let Some(t) = &section.version_table {
            settings.version_table = Some(VersionTable::new(t.clone())?);
        }
        if let Some(d) = &section.lock_timeout {
            settings.lock_timeout =
                Some(d.to_duration(&format!("environments.{name}.lock_timeout"))?);
        }
        if let Some(d) = &section.statement_timeout {
            settings.statement_timeout =
                Some(d.to_duration(&format!("environments.{name}.statement_timeout"))?);
        }
        settings.backup = section.backup.unwrap_or(name == "production");
        settings.online = section.online.unwrap_or(false);
    }

    let (url, source) = if let Some(url) = input.url {
        (DatabaseUrl::parse(url)?, UrlSource::CommandLine)
    } else if let Some(url) = input.env.get("DATABASE_URL") {
        (DatabaseUrl::parse(url)?, UrlSource::DatabaseUrlVariable)
    } else if let Some(url) = postgres_from_env(input.env)? {
        (url, UrlSource::PostgresVariables)
    } else if let (Some((name, _)), Some(section), Some(file)) = (&selected, section, input.config)
        && let Some(template) = &section.url
    {
        let context = format!("environments.{name}.url in {}", file.path.display());
        let text = interpolate_url(template, input.env, &context)?;
        (
            DatabaseUrl::parse(&text)?,
            UrlSource::ConfigEnvironment {
                name: name.clone(),
                file: file.path.clone(),
            },
        )
    } else if let (Some((name, _)), Some(file)) = (&selected, input.config) {
        // An environment was chosen but names no database: falling back to the
        // embedded SQLite file would migrate the wrong database.
        return Err(ConfigError::EnvironmentWithoutUrl {
            name: name.clone(),
            file: file.path.clone(),
        });
    } else {
        (
            DatabaseUrl::sqlite_file(&input.working_dir.join(input.names.default_sqlite_file)),
            UrlSource::EmbeddedDefault,
        )
    };
    let url = match (&selected, section) {
        (
            Some((name, _)),
            Some(EnvironmentSection {
                network_timeout: Some(d),
                ..
            }),
        ) => {
            let field = format!("environments.{name}.network_timeout");
            let ms = d.to_duration(&field)?.as_millis();
            url.with_default_parameter("network_timeout", &format!("{ms}ms"))?
        }
        _ => url,
    };
    Ok(ResolvedTarget {
        url,
        source,
        environment: selected,
        settings,
        config_file: input.config.map(|c| c.path.clone()),
        dotenv_file: None,
    })
}

fn select_environment(
    input: &ResolveInput<'_>,
) -> Result<Option<(String, EnvironmentSelector)>, ConfigError> {
    let chosen = if let Some(name) = input.environment {
        Some((name.to_string(), EnvironmentSelector::CommandLine))
    } else if let Some(name) = input.env.get(input.names.env_selector) {
        Some((
            name.to_string(),
            EnvironmentSelector::Variable(input.names.env_selector),
        ))
    } else {
        input
            .config
            .and_then(|c| c.default_environment.clone())
            .map(|name| (name, EnvironmentSelector::FileDefault))
    };
    let Some((name, by)) = chosen else {
        return Ok(None);
    };
    match input.config {
        None => Err(ConfigError::NoConfigFile {
            name,
            selected_by: by.to_string(),
            file_name: input.names.config_file.to_string(),
            searched_from: input.working_dir.to_path_buf(),
        }),
        Some(file) if !file.environments.contains_key(&name) => {
            Err(ConfigError::UnknownEnvironment {
                name,
                selected_by: by.to_string(),
                file: file.path.clone(),
                available: file.environment_names(),
            })
        }
        Some(_) => Ok(Some((name, by))),
    }
}

/// A URL from `POSTGRES_USER`, `POSTGRES_PASSWORD`, `POSTGRES_HOST`,
/// `POSTGRES_PORT` (default 5432) and `POSTGRES_DB`, when any of user, host or
/// database is set; the password is percent-encoded.
pub fn postgres_from_env(env: &Env) -> Result<Option<DatabaseUrl>, ConfigError> {
    let user = env.get("POSTGRES_USER");
    let host = env.get("POSTGRES_HOST");
    let db = env.get("POSTGRES_DB");
    if user.is_none() && host.is_none() && db.is_none() {
        return Ok(None);
    }
    let missing: Vec<String> = [
        ("POSTGRES_USER", user),
        ("POSTGRES_HOST", host),
        ("POSTGRES_DB", db),
    ]
    .iter()
    .filter(|(_, v)| v.is_none())
    .map(|(k, _)| k.to_string())
    .collect();
    let (Some(user), Some(host), Some(db)) = (user, host, db) else {
        return Err(ConfigError::IncompletePostgresEnv { missing });
    };
    let port = match env.get("POSTGRES_PORT") {
        None => None,
        Some(p) => Some(
            p.trim()
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| ConfigError::InvalidPort {
                    variable: "POSTGRES_PORT".to_string(),
                })?,
        ),
    };
    DatabaseUrl::from_postgres_parts(user, env.get("POSTGRES_PASSWORD"), host, port, db).map(Some)
}

/// How to find the configuration.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The application's names.
    pub names: AppNames,
    /// The working directory (where the search for the file and `.env` starts).
    pub working_dir: PathBuf,
    /// A configuration file given explicitly (`--config`); it must exist.
    pub config_file: Option<PathBuf>,
    /// `--url`.
    pub url: Option<String>,
    /// `--env`.
    pub environment: Option<String>,
    /// Read the first `.env` found from the working directory up.
    pub load_dotenv: bool,
}

/// Loads `.env` (without overriding `env`), finds or reads the configuration
/// file, and resolves the target.
pub fn load(options: &LoadOptions, mut env: Env) -> Result<ResolvedTarget, ConfigError> {
    let dotenv_file = if options.load_dotenv {
        match find_dotenv(&options.working_dir) {
            Some(path) => {
                env.load_dotenv(&path)?;
                Some(path)
            }
            None => None,
        }
    } else {
        None
    };
    // A password given by file, as container secrets are.
    if env.get("POSTGRES_PASSWORD").is_none()
        && let Some(file) = env.get("POSTGRES_PASSWORD_FILE").map(PathBuf::from)
    {
        let path = options.working_dir.join(file);
        let password = read_password_file(&path, "POSTGRES_PASSWORD_FILE")?;
        env.set("POSTGRES_PASSWORD", password);
    }
    let config = match &options.config_file {
        Some(path) => Some(ConfigFile::read(&options.working_dir.join(path))?),
        None => ConfigFile::discover(&options.working_dir, options.names.config_file)?,
    };
    let mut target = resolve(&ResolveInput {
        names: options.names,
        url: options.url.as_deref(),
        environment: options.environment.as_deref(),
        config: config.as_ref(),
        env: &env,
        working_dir: &options.working_dir,
    })?;
    target.dotenv_file = dotenv_file;
    if let (UrlSource::ConfigEnvironment { name, file }, Some(config)) =
        (&target.source, config.as_ref())
        && let Some(template) = config
            .environments
            .get(name)
            .and_then(|s| s.password_file.as_ref())
    {
        let origin = format!("environments.{name}.password_file in {}", file.display());
        let relative = interpolate(template, &env, &origin)?;
        let base = file.parent().unwrap_or(&options.working_dir);
        let path = options.working_dir.join(base).join(relative);
        let password = read_password_file(&path, &origin)?;
        target.url = target.url.with_password(&password)?;
    }
    Ok(target)
}

/// Reads a password file: its content without one trailing line ending.
fn read_password_file(path: &Path, origin: &str) -> Result<String, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::PasswordFile {
        path: path.to_path_buf(),
        origin: origin.to_string(),
        source,
    })?;
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    Ok(text.to_string())
}

//! Configuration errors. None of them ever holds a password: URLs are kept
//! redacted and environment values are never quoted.

use std::path::PathBuf;

/// A problem with the configuration file, the environment or a URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A URL cannot be used.
    #[error("invalid database URL {url}: {reason}")]
    InvalidUrl {
        /// The URL, redacted.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// `${NAME}` names a variable that is not set.
    #[error(
        "{context} uses ${{{name}}}, but the environment variable {name} is not set; set it (or add it to .env)"
    )]
    MissingVariable {
        /// Variable name.
        name: String,
        /// Where it was used.
        context: String,
    },
    /// `${` without a closing `}` or with an invalid name.
    #[error(
        "{context} has a malformed ${{...}} reference; write ${{NAME}} with letters, digits and _"
    )]
    MalformedVariable {
        /// Where.
        context: String,
    },
    /// A password file cannot be read.
    #[error("cannot read the password file {} (from {origin}): {source}; check the path and its permissions", path.display())]
    PasswordFile {
        /// The file.
        path: PathBuf,
        /// Where it was named (`POSTGRES_PASSWORD_FILE`, `environments.NAME.password_file`).
        origin: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The configuration file cannot be read.
    #[error("cannot read configuration file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not valid.
    #[error("invalid configuration file {}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// The selected environment is not in the file.
    #[error("environment `{name}` (from {selected_by}) is not defined in {}; defined: {}", file.display(), if available.is_empty() { "none".to_string() } else { available.join(", ") })]
    UnknownEnvironment {
        /// The name asked for.
        name: String,
        /// What selected it (`--env`, an environment variable, the file's default).
        selected_by: String,
        /// The file.
        file: PathBuf,
        /// Environments the file defines.
        available: Vec<String>,
    },
    /// An environment was asked for but no configuration file was found.
    #[error("environment `{name}` (from {selected_by}) was asked for, but no configuration file {file_name} was found in {} or its parents; create one or pass --config", searched_from.display())]
    NoConfigFile {
        /// The name asked for.
        name: String,
        /// What selected it.
        selected_by: String,
        /// The file name looked for.
        file_name: String,
        /// Where the search started.
        searched_from: PathBuf,
    },
    /// The selected environment has no `url`, and nothing else names a database.
    #[error("environment `{name}` in {} has no url, and neither --url, DATABASE_URL nor POSTGRES_* name a database; add url = \"...\" to the environment or set DATABASE_URL", file.display())]
    EnvironmentWithoutUrl {
        /// Environment name.
        name: String,
        /// The file.
        file: PathBuf,
    },
    /// Some `POSTGRES_*` variables are set but not all that are needed.
    #[error("POSTGRES_* variables are incomplete: {} not set; set them, or set DATABASE_URL instead", missing.join(", "))]
    IncompletePostgresEnv {
        /// The variables missing.
        missing: Vec<String>,
    },
    /// A port is not a number.
    #[error("{variable} must be a port number (1-65535)")]
    InvalidPort {
        /// The variable.
        variable: String,
    },
    /// A duration cannot be read.
    #[error(
        "{field} = `{value}` is not a duration; write e.g. 500ms, 30s, 5m, 1h or a number of seconds"
    )]
    InvalidDuration {
        /// Where.
        field: String,
        /// The text.
        value: String,
    },
    /// A duration is read but is no usable wait limit (zero, or out of range).
    #[error("{field}: {error}")]
    InvalidWait {
        /// Where.
        field: String,
        /// What is wrong with it.
        error: super::WaitError,
    },
    /// A version table name cannot be used.
    #[error("{0}")]
    VersionTable(#[from] crate::runner::VersionTableError),
    /// A `.env` file cannot be read.
    #[error("cannot read {}: {message}", path.display())]
    DotEnv {
        /// The file.
        path: PathBuf,
        /// What went wrong (never a value from the file).
        message: String,
    },
    /// The configuration file's path is not a readable regular file.
    #[error("configuration file {} is {what}; point --config at a regular TOML file, or remove or fix what is at that path", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What is there instead (`a directory`, `a broken symbolic link`, ...).
        what: String,
    },
    /// An ignore rule cannot be used.
    #[error("invalid ignore rule in {origin}: {reason}")]
    InvalidIgnore {
        /// Where the rule was written (`[ignore]` of a file, `--ignore-table`).
        origin: String,
        /// What is wrong.
        reason: String,
    },
}

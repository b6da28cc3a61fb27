//! Configuration: which database to migrate and with which settings.
//!
//! Sources, highest precedence first: `--url`, `DATABASE_URL`, the `POSTGRES_*`
//! variables SmartEM uses, the selected environment of the configuration file
//! (`--env`, the application's selector variable, or the file's default), and an
//! embedded default SQLite file in the working directory. A `.env` file adds
//! variables without overriding the real environment. URLs are held as
//! [`DatabaseUrl`], which never shows its password; connection failures are
//! sorted into [`ConnectError`]s that say what to do.
//!
//! ```no_run
//! use stratum::config::{AppNames, Env, LoadOptions, connect, load};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let target = load(
//!     &LoadOptions {
//!         names: AppNames::SMARTEM,
//!         working_dir: std::env::current_dir()?,
//!         environment: Some("production".into()),
//!         load_dotenv: true,
//!         ..Default::default()
//!     },
//!     Env::from_process(),
//! )?;
//! eprintln!("{}", target.describe()); // the password shows as ***
//! let conn = connect(&target.url).await?;
//! # Ok(()) }
//! ```

mod connect;
mod env;
mod errors;
mod file;
mod ignore;
mod resolve;
mod sqlite_file;
mod url;
mod wait;

pub use connect::{ConnectError, classify, connect};
pub use env::{DOTENV_FILE, Env, find_dotenv, interpolate, interpolate_url};
pub use errors::ConfigError;
pub(crate) use file::{BadDuration, read_duration};
pub use file::{ConfigFile, DurationSetting, EnvironmentSection, MAX_CONFIG_BYTES, parse_duration};
pub use ignore::{IgnoreRules, glob_match};
pub use resolve::{
    AppNames, EnvironmentSelector, EnvironmentSettings, LoadOptions, ResolveInput, ResolvedTarget,
    UrlSource, load, postgres_from_env, resolve,
};
pub use sqlite_file::{Access, SqliteFileError, check_sqlite_file};
pub use url::{DatabaseUrl, encode_component};
pub use wait::{
    LONGEST_WAIT, SHORTEST_WAIT, ShowWait, WAIT_RANGE, WaitError, check_wait, parse_wait,
    wait_millis, with_session_waits,
};

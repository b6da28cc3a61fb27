//! Configuration as the command line reads it: which database to migrate and
//! with which settings.
//!
//! Sources, highest precedence first: `--url`, `DATABASE_URL`, the `POSTGRES_*`
//! variables, the selected environment of the configuration file (`--env`, the
//! application's selector variable, or the file's default), and an embedded
//! default SQLite file in the working directory. A `.env` file adds variables
//! without overriding the real environment. Everything of
//! [`stratum::config`] is re-exported here.
//!
//! ```no_run
//! use stratum_cli::config::{AppNames, Env, LoadOptions, connect, load};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let target = load(
//!     &LoadOptions {
//!         names: AppNames::STRATUM,
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

mod dotenv;
mod file;
mod resolve;

pub use dotenv::{DOTENV_FILE, LoadDotenv, find_dotenv};
pub use file::{ConfigFile, DurationSetting, EnvironmentSection, MAX_CONFIG_BYTES};
pub use resolve::{
    AppNames, EnvironmentSelector, LoadOptions, ResolveInput, ResolvedTarget, UrlSource, load,
    postgres_from_env, resolve,
};
pub use stratum::config::*;

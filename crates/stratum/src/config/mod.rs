//! Configuration: which database to migrate and with which settings.
//!
//! URLs are held as [`DatabaseUrl`], which never shows its password; connection
//! failures are sorted into [`ConnectError`]s that say what to do. [`Env`] holds
//! environment variables as a plain map for `${VAR}` interpolation ([`interpolate`]), and
//! [`EnvironmentSettings`] the settings of a database other than its URL. Reading
//! a configuration file and `.env` is the command line's part (`stratum-cli`).
//!
//! ```no_run
//! use stratum::config::{DatabaseUrl, connect};
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let url = DatabaseUrl::parse("postgresql://app:secret@db.internal/app")?;
//! eprintln!("{url}"); // the password shows as ***
//! let conn = connect(&url).await?;
//! # Ok(()) }
//! ```

mod connect;
mod duration;
mod env;
mod errors;
mod ignore;
mod settings;
mod url;
mod wait;

pub use crate::backend::registry::{Access, DatabaseFileError, check_database_file};
pub use connect::{ConnectError, classify, connect};
pub use duration::parse_duration;
pub(crate) use duration::{BadDuration, read_duration};
pub use env::{Env, interpolate, interpolate_url};
pub use errors::ConfigError;
pub use ignore::{IgnoreRules, glob_match};
pub use settings::EnvironmentSettings;
pub use url::{DatabaseUrl, encode_component};
pub use wait::{
    LONGEST_WAIT, SHORTEST_WAIT, ShowWait, WAIT_RANGE, WaitError, check_wait, parse_wait,
    wait_millis, with_session_waits,
};

//! The settings of a database other than its URL, whichever source gave them.

use super::ignore::IgnoreRules;
use crate::runner::VersionTable;
use std::time::Duration;

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

//! One database of a fleet, as the fleet runs it.

use crate::config::{DatabaseUrl, EnvironmentSettings};

/// The group whose databases run first; the others run only if all of them
/// succeeded.
pub const CANARY_GROUP: &str = "canary";

/// One database of a fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetTarget {
    /// Its name (the table's or environment's name).
    pub name: String,
    /// Its URL (shown redacted).
    pub url: DatabaseUrl,
    /// Its group, if any.
    pub group: Option<String>,
    /// Version table, timeouts and ignore rules (the file's global `[ignore]`
    /// followed by the target's own).
    pub settings: EnvironmentSettings,
}

impl FleetTarget {
    /// Whether it belongs to the canary group.
    pub fn is_canary(&self) -> bool {
        self.group.as_deref() == Some(CANARY_GROUP)
    }
}

//! SQLite.

pub(crate) mod introspect;

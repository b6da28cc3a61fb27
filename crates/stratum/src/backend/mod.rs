//! What each supported database does differently, one folder per database.

pub(crate) mod postgres;
pub(crate) mod sqlite;

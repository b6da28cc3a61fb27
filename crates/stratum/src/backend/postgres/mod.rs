//! PostgreSQL.

pub(crate) mod introspect;

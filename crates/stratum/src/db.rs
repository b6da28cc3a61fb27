//! Live database connections, one type for every dialect.

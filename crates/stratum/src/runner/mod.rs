//! The migration context: version table, history, transactions, lock, events.

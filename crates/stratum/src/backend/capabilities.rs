//! What a database can do, as generic code asks it.

/// How the migration lock is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockStyle {
    /// A server-side advisory lock held by the session
    /// ([`super::Backend::advisory_lock_sql`]).
    Advisory,
    /// An exclusive lock on a file beside the database file
    /// ([`super::Backend::lock_file`]; taken by `runner/file_lock.rs`).
    File,
}

/// What a database can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// DDL runs inside transactions and rolls back with them.
    pub transactional_ddl: bool,
    /// `COPY ... FROM STDIN` streams rows.
    pub copy_in: bool,
    /// Several statements can travel as one message (one round trip).
    pub batched_messages: bool,
    /// How the migration lock is taken.
    pub lock: LockStyle,
    /// For [`LockStyle::Advisory`]: the lock is taken and held on a session of
    /// its own, opened for the run with the migration connection's URL, rather
    /// than on the session running the migrations. The server frees it when that
    /// session ends, and a revision's statements cannot release it by accident.
    pub dedicated_lock_connection: bool,
    /// Foreign-key enforcement must be turned off around migrations and checked
    /// before each commit ([`super::Backend::foreign_keys_off`]).
    pub foreign_key_guard: bool,
    /// Lock waits and statements can be bounded by session settings.
    pub session_timeouts: bool,
    /// A database lives in a file on this machine.
    pub file_database: bool,
    /// `upgrade --online` has lock-friendly forms for this database's DDL
    /// (concurrent index builds, `NOT VALID` constraints).
    pub online_ddl: bool,
}

//! How a revision acknowledges an op without an online form: a builder call
//! that records a marker. Plain runs execute the marker (an SQL comment, which
//! does nothing); online runs skip it and run the revision's blocking ops as
//! written instead of refusing them.

use crate::ops::{Op, Ops, RawSql};

/// The start of the marker's SQL.
pub const BLOCKING_ACK_MARK: &str = "-- online: blocking ok: ";

impl Ops {
    /// Acknowledges that this revision's ops without an online form (a type
    /// change that rewrites the table, a new serial column) may block writers
    /// in online mode; `why` says why that is acceptable here.
    pub fn allow_blocking_online(&mut self, why: impl Into<String>) {
        let why = why.into().replace(['\n', '\r'], " ");
        self.push(Op::Execute(RawSql {
            postgres: Some(format!("{BLOCKING_ACK_MARK}{why}")),
            ..RawSql::default()
        }));
    }
}

/// Whether `op` is the acknowledgement marker.
pub fn is_blocking_ack(op: &Op) -> bool {
    matches!(op, Op::Execute(raw) if raw.postgres.as_deref().is_some_and(|s| s.starts_with(BLOCKING_ACK_MARK)))
}

//! Seed the service account
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("c3f5a1b20005")
    .revises(&["d4d0e6e10004"])
    .message("Seed the service account")
    .created("2026-01-08 09:00:00");

pub fn upgrade(op: &mut Ops) {
    op.bulk_insert(
        "account",
        json!([{"name": "scheduler", "kind": "SERVICE", "email": "scheduler@example.org"}]),
    );
}

pub fn downgrade(op: &mut Ops) {
    op.bulk_delete("account", json!([{"name": "scheduler", "kind": "SERVICE"}]));
}

//! Builds an index without blocking writes: a non-transactional revision.
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("fa0000000004")
    .revises(&["fa0000000003"])
    .message("Index ledger labels concurrently")
    .created("2026-02-01 12:00:00")
    .non_transactional();

pub fn upgrade(op: &mut Ops) {
    op.create_index("ix_ledger_label", "ledger", ["label"])
        .concurrently();
}

pub fn downgrade(op: &mut Ops) {
    op.drop_index("ix_ledger_label").table("ledger").concurrently();
}

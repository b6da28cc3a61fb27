//! Drops a column: its data cannot come back, so the revision is irreversible
//! (the downgrade only restores the column, empty).
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("fa0000000006")
    .revises(&["fa0000000005"])
    .message("Drop audit reasons")
    .created("2026-02-01 14:00:00")
    .irreversible();

// lint: allow(drop-data)
// The reasons were never filled in; the fault tests check the refusal to
// downgrade past this revision.
pub fn upgrade(op: &mut Ops) {
    op.drop_column("audit", "reason");
}

pub fn downgrade(op: &mut Ops) {
    op.add_column("audit", col("reason", text()).nullable());
}

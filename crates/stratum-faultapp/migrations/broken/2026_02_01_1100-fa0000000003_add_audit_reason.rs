//! Alters `audit`: waits inside its transaction while another session holds a
//! lock on that table (right after the previous revision committed).
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("fa0000000003")
    .revises(&["fa0000000002"])
    .message("Add a reason to audit rows")
    .created("2026-02-01 11:00:00");

pub fn upgrade(op: &mut Ops) {
    op.add_column("audit", col("reason", text()).nullable());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_column("audit", "reason");
}

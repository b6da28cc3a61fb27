//! Alters `ledger`: waits inside its transaction while another session holds a
//! lock on that table.
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("fa0000000002")
    .revises(&["fa0000000001"])
    .message("Add a note to the ledger")
    .created("2026-02-01 10:00:00");

pub fn upgrade(op: &mut Ops) {
    op.add_column("ledger", col("note", text()).nullable());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_column("ledger", "note");
}

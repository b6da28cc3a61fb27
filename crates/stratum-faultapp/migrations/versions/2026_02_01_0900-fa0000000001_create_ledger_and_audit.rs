//! Two tables the later revisions alter one at a time, so that a test holding a
//! lock on one of them stops the run inside a known revision.
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("fa0000000001")
    .message("Create ledger and audit")
    .created("2026-02-01 09:00:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("ledger")
        .column(col("id", integer()).primary_key())
        .column(col("label", varchar_n(40)).nullable());
    op.create_table("audit")
        .column(col("id", integer()).primary_key());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("audit");
    op.drop_table("ledger");
}

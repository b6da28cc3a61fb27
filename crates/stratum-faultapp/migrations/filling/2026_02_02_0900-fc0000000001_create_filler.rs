//! The table the next revision fills.
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("fc0000000001")
    .message("Create the filler table")
    .created("2026-02-02 09:00:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("filler")
        .column(col("id", integer()).primary_key())
        .column(col("payload", text()).not_null());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("filler");
}

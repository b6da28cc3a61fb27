//! Create the table that the bulk revision fills
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("b0001")
    .message("Create the table that the bulk revision fills")
    .created("2026-01-01 00:00:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("bulk")
        .column(col("id", big_integer()).primary_key())
        .column(col("name", varchar_n(64)).not_null())
        .column(col("qty", integer()))
        .column(col("ratio", double()))
        .column(col("note", text()));
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("bulk");
}

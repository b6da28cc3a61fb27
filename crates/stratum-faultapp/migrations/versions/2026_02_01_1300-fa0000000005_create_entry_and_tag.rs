//! Two statements in one transaction (the broken copy of this file has an
//! invalid second statement).
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("fa0000000005")
    .revises(&["fa0000000004"])
    .message("Create entry and entry_tag")
    .created("2026-02-01 13:00:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("entry")
        .column(col("id", integer()).primary_key());
    op.create_table("entry_tag")
        .column(col("entry_id", integer()).not_null())
        .column(col("tag", varchar_n(20)).not_null());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("entry_tag");
    op.drop_table("entry");
}

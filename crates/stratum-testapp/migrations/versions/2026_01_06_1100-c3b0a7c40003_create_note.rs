//! Create the note table
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("c3b0a7c40003")
    .revises(&["a1f0c0de0001"])
    .message("Create the note table")
    .created("2026-01-06 11:00:00")
    .branch_labels(&["notes"]);

pub fn upgrade(op: &mut Ops) {
    op.create_table("note")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("account_id", integer()).not_null().references("account.id").on_delete(FkAction::Cascade))
        .column(col("body", text()).not_null())
        .column(col("meta", jsonb()));
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("note");
}

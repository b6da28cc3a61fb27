//! Create the project table
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("5a1e00000001")
    .message("Create the project table")
    .created("2026-02-02 09:00:00");

pub fn upgrade(op: &mut Ops) {
    op.create_enum("phase", ["PREPARED", "IMAGED", "DISCARDED"]);
    op.create_table("project")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("name", varchar()).not_null().index())
        .column(col("code", varchar_n(12)).not_null().unique())
        .column(col("summary", text()))
        .column(col("active", boolean()).not_null().default_bool(true))
        .column(col("created_at", timestamptz()).not_null().default_now())
        .column(col("phase", enum_type("phase")).not_null());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("project");
    op.drop_enum("phase");
}

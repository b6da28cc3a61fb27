//! Create the account table
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("a1f0c0de0001")
    .message("Create the account table")
    .created("2026-01-05 09:00:00");

pub fn upgrade(op: &mut Ops) {
    op.create_enum("accountkind", ["PERSON", "SERVICE"]);
    op.create_table("account")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("name", varchar_n(100)).not_null())
        .column(col("kind", enum_type("accountkind")).not_null().default_text("PERSON"))
        .column(col("created_at", timestamp()).not_null().default_now());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("account");
    op.drop_enum("accountkind");
}

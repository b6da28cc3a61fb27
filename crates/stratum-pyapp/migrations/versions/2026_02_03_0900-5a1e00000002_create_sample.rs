//! Create the sample table
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("5a1e00000002")
    .revises(&["5a1e00000001"])
    .message("Create the sample table")
    .created("2026-02-03 09:00:00");

pub fn upgrade(op: &mut Ops) {
    op.create_enum("samplelevel", ["LOW", "HIGH"]);
    op.create_table("sample")
        .column(col("id", big_integer()).primary_key().autoincrement())
        .column(col("project_id", integer()).not_null())
        .column(col("uid", uuid()).not_null().default_random_uuid())
        .column(col("label", varchar_n(40)).not_null())
        .column(col("rank", small_integer()).not_null().default_int(0))
        .column(col("weight", double()))
        .column(col("ratio", double()))
        .column(col("price", numeric(10, 2)))
        .column(col("taken_on", date()))
        .column(col("taken_at", time()))
        .column(col("seen_at", timestamp()))
        .column(col("exposure", custom("interval")))
        .column(col("raw", bytes()))
        .column(col("settings", json()))
        .column(col("extra", jsonb()).not_null().default_text("{}"))
        .column(col("tags", custom("text[]")))
        .column(col("scores", custom("integer[]")))
        .column(col("level", enum_type("samplelevel")).not_null().default_text("LOW"))
        .column(col("note", varchar_n(200)).index())
        .column(col("serial_no", varchar_n(32)).not_null())
        .column(col("comment", text()))
        .foreign_key(
            foreign_key(["project_id"], "project", ["id"])
                .on_delete(FkAction::Cascade)
                .on_update(FkAction::Cascade),
        )
        .unique("uq_sample_project_serial", ["project_id", "serial_no"])
        .check("ck_sample_rank", "rank >= 0")
        .index(index("ix_sample_taken", ["taken_on", "taken_at"]))
        .index(index("ix_sample_tags", ["tags"]).using("gin"))
        .index(index("ix_sample_live", ["label"]).unique().where_("rank > 0"));
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("sample");
    op.drop_enum("samplelevel");
}

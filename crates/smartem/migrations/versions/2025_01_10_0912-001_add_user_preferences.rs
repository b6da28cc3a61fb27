//! Adds the `user_preferences` table: per-user settings stored as JSON values.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("001")
    .message("Add user preferences table")
    .created("2025-01-10 09:12:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("user_preferences")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("user_id", varchar()).not_null())
        .column(col("preference_key", varchar_n(255)).not_null())
        .column(col("preference_value", jsonb()))
        .column(col("created_at", timestamp()).not_null().default_now())
        .column(col("updated_at", timestamp()).not_null().default_now())
        .unique("uq_user_preference_key", ["user_id", "preference_key"]);
    op.create_index(
        "idx_user_preferences_user_id",
        "user_preferences",
        ["user_id"],
    );
    op.create_index(
        "idx_user_preferences_key",
        "user_preferences",
        ["preference_key"],
    );
}

pub fn downgrade(op: &mut Ops) {
    op.drop_index("idx_user_preferences_key")
        .table("user_preferences");
    op.drop_index("idx_user_preferences_user_id")
        .table("user_preferences");
    op.drop_table("user_preferences");
}

//! Adds quality predictions made for a whole foil-hole group: the history and the
//! latest value per group.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("e2671094928d")
    .revises(&["b571fe41f1d9"])
    .message("Add quality predictions for foil hole groups")
    .created("2025-04-16 10:48:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("qualitygroupprediction")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("timestamp", timestamp()).not_null())
        .column(
            col("group_uuid", varchar())
                .not_null()
                .references("foilholegroup.uuid"),
        )
        .column(
            col("grid_uuid", varchar())
                .not_null()
                .references("grid.uuid"),
        )
        .column(col("value", double()).not_null())
        .column(
            col("prediction_model_name", varchar())
                .not_null()
                .references("qualitypredictionmodel.name"),
        )
        .column(col("metric_name", varchar()).references("qualitymetric.name"));

    op.create_table("currentqualitygroupprediction")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(
            col("group_uuid", varchar())
                .not_null()
                .references("foilholegroup.uuid"),
        )
        .column(
            col("grid_uuid", varchar())
                .not_null()
                .references("grid.uuid"),
        )
        .column(col("value", double()).not_null())
        .column(
            col("prediction_model_name", varchar())
                .not_null()
                .references("qualitypredictionmodel.name"),
        )
        .column(col("metric_name", varchar()).references("qualitymetric.name"));
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("currentqualitygroupprediction");
    op.drop_table("qualitygroupprediction");
}

//! Adds tables holding the latest prediction per foil hole or grid square, the
//! latest model weights per grid, and the combined (overall) prediction that
//! orders foil holes for acquisition.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("e5b5c1dc8f64")
    .revises(&["05892cdf42b3"])
    .message("Add current and overall quality prediction tables")
    .created("2025-03-10 15:42:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("currentqualityprediction")
        .column(col("id", integer()).primary_key().autoincrement())
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
        .column(col("metric_name", varchar()).references("qualitymetric.name"))
        .column(col("foilhole_uuid", varchar()).references("foilhole.uuid"))
        .column(col("gridsquare_uuid", varchar()).references("gridsquare.uuid"));

    op.create_table("currentqualitypredictionmodelweight")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(
            col("grid_uuid", varchar())
                .not_null()
                .references("grid.uuid"),
        )
        .column(
            col("prediction_model_name", varchar())
                .not_null()
                .references("qualitypredictionmodel.name"),
        )
        .column(col("metric_name", varchar()).references("qualitymetric.name"))
        .column(col("weight", double()).not_null());

    op.create_table("overallqualityprediction")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("value", double()).not_null())
        .column(
            col("foilhole_uuid", varchar())
                .not_null()
                .references("foilhole.uuid"),
        )
        .column(
            col("grid_uuid", varchar())
                .not_null()
                .references("grid.uuid"),
        )
        .column(
            col("gridsquare_uuid", varchar())
                .not_null()
                .references("gridsquare.uuid"),
        )
        .column(col("suggested_acquisition_index", integer()).not_null());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("overallqualityprediction");
    op.drop_table("currentqualitypredictionmodelweight");
    op.drop_table("currentqualityprediction");
}

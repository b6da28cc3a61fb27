//! Introduces named quality metrics, per-grid running statistics of each metric,
//! and a `metric_name` on the prediction tables so that a model can predict
//! several metrics.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("05892cdf42b3")
    .revises(&["004"])
    .message("Add quality metrics and per-grid metric statistics")
    .created("2025-02-24 10:15:00");

/// The prediction tables that gain a `metric_name` column.
const PREDICTION_TABLES: [&str; 3] = [
    "qualityprediction",
    "qualitypredictionmodelparameter",
    "qualitypredictionmodelweight",
];

// lint: allow(foreign-key-without-not-valid)
// Each foreign key is on the `metric_name` column added in the same statement,
// NULL in every existing row, so validating it checks no row; NOT VALID would
// only add a second revision.
pub fn upgrade(op: &mut Ops) {
    op.create_table("qualitymetric")
        .column(col("name", varchar()).primary_key())
        .column(col("description", varchar()).not_null());

    op.create_table("qualitymetricstatistics")
        .column(
            col("name", varchar())
                .primary_key()
                .references("qualitymetric.name"),
        )
        .column(
            col("grid_uuid", varchar())
                .primary_key()
                .references("grid.uuid"),
        )
        .column(col("count", integer()).not_null())
        .column(col("value_sum", double()).not_null())
        .column(col("squared_value_sum", double()).not_null());

    for table in PREDICTION_TABLES {
        op.add_column(
            table,
            col("metric_name", varchar()).references("qualitymetric.name"),
        );
    }
}

pub fn downgrade(op: &mut Ops) {
    for table in PREDICTION_TABLES.iter().rev() {
        op.drop_constraint(format!("{table}_metric_name_fkey"), *table);
        op.drop_column(*table, "metric_name");
    }
    op.drop_table("qualitymetricstatistics");
    op.drop_table("qualitymetric");
}

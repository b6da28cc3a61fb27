//! Records, with each model weight, the prediction it was computed from and the
//! quality score that was observed.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("9316ff1d4c29")
    .revises(&["e5b5c1dc8f64"])
    .message("Add prediction value and quality score to model weights")
    .created("2025-03-27 09:05:00");

pub fn upgrade(op: &mut Ops) {
    op.add_column(
        "qualitypredictionmodelweight",
        col("prediction_value", double()),
    );
    op.add_column(
        "qualitypredictionmodelweight",
        col("quality_score", double()),
    );
}

pub fn downgrade(op: &mut Ops) {
    op.drop_column("qualitypredictionmodelweight", "quality_score");
    op.drop_column("qualitypredictionmodelweight", "prediction_value");
}

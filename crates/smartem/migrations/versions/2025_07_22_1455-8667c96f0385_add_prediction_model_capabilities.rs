//! Declares what each prediction model can do: be trained, run inference, or be
//! updated online. Existing models keep working as inference-only models.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("8667c96f0385")
    .revises(&["1024768377a7"])
    .message("Add capability flags to quality prediction models")
    .created("2025-07-22 14:55:00");

pub fn upgrade(op: &mut Ops) {
    op.add_column(
        "qualitypredictionmodel",
        col("can_train", boolean()).not_null().default_bool(false),
    );
    op.add_column(
        "qualitypredictionmodel",
        col("can_infer", boolean()).not_null().default_bool(true),
    );
    op.add_column(
        "qualitypredictionmodel",
        col("can_update", boolean()).not_null().default_bool(false),
    );
}

pub fn downgrade(op: &mut Ops) {
    op.drop_column("qualitypredictionmodel", "can_update");
    op.drop_column("qualitypredictionmodel", "can_infer");
    op.drop_column("qualitypredictionmodel", "can_train");
}

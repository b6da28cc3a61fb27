//! Keeps the defocus actually applied when a grid square was imaged, beside the
//! requested one.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("96709a25dff7")
    .revises(&["59bf5468ebd5"])
    .message("Add applied_defocus to grid squares")
    .created("2025-05-20 11:30:00");

pub fn upgrade(op: &mut Ops) {
    op.add_column("gridsquare", col("applied_defocus", double()));
}

pub fn downgrade(op: &mut Ops) {
    op.drop_column("gridsquare", "applied_defocus");
}

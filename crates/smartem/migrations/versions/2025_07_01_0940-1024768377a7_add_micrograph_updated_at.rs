//! Tracks when a micrograph row last changed, indexed for incremental polling.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("1024768377a7")
    .revises(&["491fd967853b"])
    .message("Add updated_at to micrographs")
    .created("2025-07-01 09:40:00");

// lint: allow(create-index-not-concurrently)
// The index is built in the same transaction as the column it covers, so a
// failed build leaves neither; micrograph writes pause for the build.
pub fn upgrade(op: &mut Ops) {
    op.add_column("micrograph", col("updated_at", timestamp()));
    op.create_index("ix_micrograph_updated_at", "micrograph", ["updated_at"]);
}

pub fn downgrade(op: &mut Ops) {
    op.drop_index("ix_micrograph_updated_at")
        .table("micrograph");
    op.drop_column("micrograph", "updated_at");
}

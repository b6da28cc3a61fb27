//! Indexes the acquisition timestamps that the dashboard filters and sorts on.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("002")
    .revises(&["6e6302f1ccb6"])
    .message("Add composite index for acquisition datetime queries")
    .created("2025-01-11 14:31:00");

// lint: allow(create-index-not-concurrently)
// Both indexes were built when these tables were small and written by one
// agent only; the short write lock was accepted instead of a non-transactional
// revision.
pub fn upgrade(op: &mut Ops) {
    op.create_index(
        "idx_gridsquare_acquisition_datetime_status",
        "gridsquare",
        ["acquisition_datetime", "status"],
    )
    .using("btree");
    op.create_index(
        "idx_micrograph_acquisition_datetime",
        "micrograph",
        ["acquisition_datetime"],
    )
    .using("btree");
}

pub fn downgrade(op: &mut Ops) {
    op.drop_index("idx_micrograph_acquisition_datetime")
        .table("micrograph");
    op.drop_index("idx_gridsquare_acquisition_datetime_status")
        .table("gridsquare");
}

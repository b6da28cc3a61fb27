//! Flags foil holes that lie next to a grid bar, so that they can be skipped.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("59bf5468ebd5")
    .revises(&["e2671094928d"])
    .message("Add is_near_grid_bar flag to foil holes")
    .created("2025-05-06 14:02:00");

pub fn upgrade(op: &mut Ops) {
    // The default fills existing rows, so NOT NULL holds at once.
    op.add_column(
        "foilhole",
        col("is_near_grid_bar", boolean())
            .not_null()
            .default_bool(false),
    );
}

pub fn downgrade(op: &mut Ops) {
    op.drop_column("foilhole", "is_near_grid_bar");
}

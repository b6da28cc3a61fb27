//! Lets foil holes of a grid be gathered into named groups.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("b571fe41f1d9")
    .revises(&["9316ff1d4c29"])
    .message("Add foil hole groups")
    .created("2025-04-15 13:20:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("foilholegroup")
        .column(col("uuid", varchar()).primary_key())
        .column(
            col("grid_uuid", varchar())
                .not_null()
                .references("grid.uuid"),
        )
        .column(col("name", varchar()));

    op.create_table("foilholegroupmembership")
        .column(
            col("group_uuid", varchar())
                .primary_key()
                .references("foilholegroup.uuid"),
        )
        .column(
            col("foilhole_uuid", varchar())
                .primary_key()
                .references("foilhole.uuid"),
        );
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("foilholegroupmembership");
    op.drop_table("foilholegroup");
}

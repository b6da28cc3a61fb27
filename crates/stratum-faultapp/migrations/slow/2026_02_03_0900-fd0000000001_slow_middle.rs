//! Three statements with a slow one in the middle (MariaDB/MySQL `SLEEP`), so
//! that a process can be killed between the first and the third.
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("fd0000000001")
    .message("Two tables with a pause between them")
    .created("2026-02-03 09:00:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("slow_first")
        .column(col("id", integer()).primary_key());
    op.execute("SELECT SLEEP(4)");
    op.create_table("slow_second")
        .column(col("id", integer()).primary_key());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("slow_second");
    op.drop_table("slow_first");
}

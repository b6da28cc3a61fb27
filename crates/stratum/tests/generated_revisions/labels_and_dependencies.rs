//! Agent tables: "sessions" & instructions
//! second line
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("7d1e2f3a4b5c")
    .message("Agent tables: \"sessions\" & instructions\nsecond line")
    .created("2025-01-11 14:31:00")
    .branch_labels(&["agent"])
    .depends_on(&["c1"]);

pub fn upgrade(_op: &mut Ops) {}

pub fn downgrade(_op: &mut Ops) {}

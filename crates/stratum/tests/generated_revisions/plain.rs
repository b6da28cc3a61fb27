//! Add composite index for acquisition datetime queries
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("002")
    .revises(&["6e6302f1ccb6"])
    .message("Add composite index for acquisition datetime queries")
    .created("2025-01-11 14:31:00");

pub fn upgrade(_op: &mut Ops) {}

pub fn downgrade(_op: &mut Ops) {}

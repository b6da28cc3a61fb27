//! Merge b1 and c1
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("3f9a0c1d2e4b")
    .revises(&["b1", "c1"])
    .message("Merge b1 and c1")
    .created("2025-02-01 08:05:00");

pub fn upgrade(_op: &mut Ops) {}

pub fn downgrade(_op: &mut Ops) {}

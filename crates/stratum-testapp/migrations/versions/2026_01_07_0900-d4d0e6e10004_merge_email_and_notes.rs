//! Merge the email and notes branches
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("d4d0e6e10004")
    .revises(&["b2e1a5e50002", "c3b0a7c40003"])
    .message("Merge the email and notes branches")
    .created("2026-01-07 09:00:00");

pub fn upgrade(_op: &mut Ops) {}

pub fn downgrade(_op: &mut Ops) {}

//! Add an email address to accounts
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("b2e1a5e50002")
    .revises(&["a1f0c0de0001"])
    .message("Add an email address to accounts")
    .created("2026-01-06 10:00:00");

pub fn upgrade(op: &mut Ops) {
    op.add_column("account", col("email", varchar()));
    op.create_index("ix_account_email", "account", ["email"]).unique();
}

pub fn downgrade(op: &mut Ops) {
    op.drop_index("ix_account_email").table("account");
    op.drop_column("account", "email");
}

//! Adds `agentlog`, where agents ship their log records to the backend.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("491fd967853b")
    .revises(&["96709a25dff7"])
    .message("Add agent log table")
    .created("2025-06-12 16:25:00");

pub fn upgrade(op: &mut Ops) {
    op.create_table("agentlog")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("agent_id", varchar()).not_null().index())
        .column(col("session_id", varchar()).not_null().index())
        .column(col("timestamp", timestamp()).not_null().index())
        .column(col("level", varchar()).not_null().index())
        .column(col("logger_name", varchar()).not_null())
        .column(col("message", varchar()).not_null())
        .column(col("created_at", timestamp()).not_null())
        // Paging through one agent's records in insertion order.
        .index(index("ix_agentlog_agent_id_id", ["agent_id", "id"]));
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("agentlog");
}

//! Adds the tables through which the backend and the acquisition agents talk:
//! sessions, the instructions sent to agents, live connections, and the agents'
//! acknowledgements of instructions.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("004")
    .revises(&["003"])
    .message("Add agent communication tables")
    .created("2025-02-03 11:40:00");

pub fn upgrade(op: &mut Ops) {
    // Created first: the other three tables refer to its unique `session_id`
    // index, which is created together with the table.
    op.create_table("agentsession")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("session_id", varchar()).not_null().unique().index())
        .column(col("agent_id", varchar()).not_null().index())
        .column(
            col("acquisition_uuid", varchar())
                .index()
                .references("acquisition.uuid"),
        )
        .column(col("name", varchar()))
        .column(col("description", varchar()))
        .column(col("experimental_parameters", jsonb()))
        .column(
            col("status", varchar())
                .not_null()
                .default_text("active")
                .index(),
        )
        .column(
            col("created_at", timestamp())
                .not_null()
                .default_now()
                .index(),
        )
        .column(col("started_at", timestamp()))
        .column(col("ended_at", timestamp()))
        .column(
            col("last_activity_at", timestamp())
                .not_null()
                .default_now()
                .index(),
        );

    op.create_table("agentinstruction")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(
            col("instruction_id", uuid())
                .not_null()
                .default_random_uuid()
                .unique()
                .index(),
        )
        .column(
            col("session_id", varchar())
                .not_null()
                .index()
                .references("agentsession.session_id"),
        )
        .column(col("agent_id", varchar()).not_null().index())
        .column(col("instruction_type", varchar()).not_null().index())
        .column(col("payload", jsonb()))
        .column(col("sequence_number", integer()).index())
        .column(
            col("priority", varchar())
                .not_null()
                .default_text("normal")
                .index(),
        )
        .column(
            col("status", varchar())
                .not_null()
                .default_text("pending")
                .index(),
        )
        .column(
            col("created_at", timestamp())
                .not_null()
                .default_now()
                .index(),
        )
        .column(col("sent_at", timestamp()).index())
        .column(col("acknowledged_at", timestamp()).index())
        .column(col("expires_at", timestamp()).index())
        .column(col("retry_count", integer()).not_null().default_int(0))
        .column(col("max_retries", integer()).not_null().default_int(3))
        .column(col("instruction_metadata", jsonb()));

    op.create_table("agentconnection")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("connection_id", varchar()).not_null().unique().index())
        .column(
            col("session_id", varchar())
                .not_null()
                .index()
                .references("agentsession.session_id"),
        )
        .column(col("agent_id", varchar()).not_null().index())
        .column(
            col("connection_type", varchar())
                .not_null()
                .default_text("sse"),
        )
        .column(col("client_info", jsonb()))
        .column(
            col("status", varchar())
                .not_null()
                .default_text("active")
                .index(),
        )
        .column(
            col("created_at", timestamp())
                .not_null()
                .default_now()
                .index(),
        )
        .column(
            col("last_heartbeat_at", timestamp())
                .not_null()
                .default_now()
                .index(),
        )
        .column(col("closed_at", timestamp()))
        .column(col("close_reason", varchar()));

    op.create_table("agentinstructionacknowledgement")
        .column(
            col("acknowledgement_id", uuid())
                .primary_key()
                .default_random_uuid(),
        )
        .column(
            col("instruction_id", uuid())
                .not_null()
                .index()
                .references("agentinstruction.instruction_id"),
        )
        .column(col("agent_id", varchar()).not_null().index())
        .column(col("session_id", varchar()).not_null().index())
        .column(col("status", varchar()).not_null().index())
        .column(col("result", varchar()))
        .column(col("error_message", varchar()))
        .column(col("processing_time_ms", integer()))
        .column(col("acknowledgement_metadata", jsonb()))
        .column(
            col("created_at", timestamp())
                .not_null()
                .default_now()
                .index(),
        )
        .column(col("processed_at", timestamp()).index());
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("agentinstructionacknowledgement");
    op.drop_table("agentconnection");
    op.drop_table("agentinstruction");
    op.drop_table("agentsession");
}

//! Communication with acquisition agents: sessions, the instructions sent to agents,
//! their acknowledgements, open connections and the agents' log lines.

use chrono::NaiveDateTime;
use stratum::model::Table;
use uuid::Uuid;

/// A working session of one agent, optionally tied to an acquisition.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct AgentSession {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// External session identifier.
    #[column(index, unique)]
    pub session_id: String,
    /// The agent.
    #[column(index)]
    pub agent_id: String,
    /// The acquisition the session serves.
    #[column(foreign_key = "acquisition.uuid", index)]
    pub acquisition_uuid: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Free-text description.
    pub description: Option<String>,
    /// Parameters of the experiment.
    pub experimental_parameters: Option<serde_json::Value>,
    /// Session state.
    #[column(default_value = "active", index)]
    pub status: String,
    /// When the session was created.
    #[column(default_now, index)]
    pub created_at: NaiveDateTime,
    /// When the session started.
    pub started_at: Option<NaiveDateTime>,
    /// When the session ended.
    pub ended_at: Option<NaiveDateTime>,
    /// Last sign of activity.
    #[column(default_now, index)]
    pub last_activity_at: NaiveDateTime,
}

/// An instruction sent to an agent.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct AgentInstruction {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// External instruction identifier.
    #[column(default_uuid, index, unique)]
    pub instruction_id: Uuid,
    /// The session.
    #[column(foreign_key = "agentsession.session_id", index)]
    pub session_id: String,
    /// The agent.
    #[column(index)]
    pub agent_id: String,
    /// What the agent is told to do.
    #[column(index)]
    pub instruction_type: String,
    /// The instruction's arguments.
    pub payload: Option<serde_json::Value>,
    /// Order within the session.
    #[column(index)]
    pub sequence_number: Option<i32>,
    /// Priority.
    #[column(default_value = "normal", index)]
    pub priority: String,
    /// Delivery state.
    #[column(default_value = "pending", index)]
    pub status: String,
    /// When the instruction was created.
    #[column(default_now, index)]
    pub created_at: NaiveDateTime,
    /// When it was sent.
    #[column(index)]
    pub sent_at: Option<NaiveDateTime>,
    /// When it was acknowledged.
    #[column(index)]
    pub acknowledged_at: Option<NaiveDateTime>,
    /// When it stops being valid.
    #[column(index)]
    pub expires_at: Option<NaiveDateTime>,
    /// Delivery attempts so far.
    #[column(default_value = 0)]
    pub retry_count: i32,
    /// Delivery attempts allowed.
    #[column(default_value = 3)]
    pub max_retries: i32,
    /// Extra data.
    pub instruction_metadata: Option<serde_json::Value>,
}

/// An agent's live connection (server-sent events or similar).
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct AgentConnection {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// External connection identifier.
    #[column(index, unique)]
    pub connection_id: String,
    /// The session.
    #[column(foreign_key = "agentsession.session_id", index)]
    pub session_id: String,
    /// The agent.
    #[column(index)]
    pub agent_id: String,
    /// Transport.
    #[column(default_value = "sse")]
    pub connection_type: String,
    /// What the client said about itself.
    pub client_info: Option<serde_json::Value>,
    /// Connection state.
    #[column(default_value = "active", index)]
    pub status: String,
    /// When the connection opened.
    #[column(default_now, index)]
    pub created_at: NaiveDateTime,
    /// Last heartbeat.
    #[column(default_now, index)]
    pub last_heartbeat_at: NaiveDateTime,
    /// When the connection closed.
    pub closed_at: Option<NaiveDateTime>,
    /// Why it closed.
    pub close_reason: Option<String>,
}

/// An agent's answer to an instruction.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct AgentInstructionAcknowledgement {
    /// Primary key.
    #[column(primary_key, default_uuid)]
    pub acknowledgement_id: Uuid,
    /// The instruction.
    #[column(foreign_key = "agentinstruction.instruction_id", index)]
    pub instruction_id: Uuid,
    /// The agent.
    #[column(index)]
    pub agent_id: String,
    /// The session.
    #[column(index)]
    pub session_id: String,
    /// Outcome.
    #[column(index)]
    pub status: String,
    /// Result text.
    pub result: Option<String>,
    /// Error text.
    pub error_message: Option<String>,
    /// Processing time in milliseconds.
    pub processing_time_ms: Option<i32>,
    /// Extra data.
    pub acknowledgement_metadata: Option<serde_json::Value>,
    /// When the acknowledgement arrived.
    #[column(default_now, index)]
    pub created_at: NaiveDateTime,
    /// When the agent processed the instruction.
    #[column(index)]
    pub processed_at: Option<NaiveDateTime>,
}

/// One log line sent by an agent.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(index(name = "ix_agentlog_agent_id_id", columns("agent_id", "id")))]
pub struct AgentLog {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// The agent.
    #[column(index)]
    pub agent_id: String,
    /// The session.
    #[column(index)]
    pub session_id: String,
    /// When the agent logged the line.
    #[column(index)]
    pub timestamp: NaiveDateTime,
    /// Log level.
    #[column(index)]
    pub level: String,
    /// Name of the agent's logger.
    pub logger_name: String,
    /// The message.
    pub message: String,
    /// When the line was stored.
    pub created_at: NaiveDateTime,
}

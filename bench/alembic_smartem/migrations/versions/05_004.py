"""Add agent communication tables"""
from alembic import op

revision = '004'
down_revision = '003'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE TABLE "agentsession" (\n    "id" SERIAL NOT NULL,\n    "session_id" character varying NOT NULL,\n    "agent_id" character varying NOT NULL,\n    "acquisition_uuid" character varying,\n    "name" character varying,\n    "description" character varying,\n    "experimental_parameters" jsonb,\n    "status" character varying NOT NULL DEFAULT \'active\',\n    "created_at" timestamp without time zone NOT NULL DEFAULT now(),\n    "started_at" timestamp without time zone,\n    "ended_at" timestamp without time zone,\n    "last_activity_at" timestamp without time zone NOT NULL DEFAULT now(),\n    CONSTRAINT "agentsession_pkey" PRIMARY KEY ("id"),\n    CONSTRAINT "agentsession_acquisition_uuid_fkey" FOREIGN KEY ("acquisition_uuid") REFERENCES "acquisition" ("uuid")\n)')
    op.execute('CREATE INDEX "ix_agentsession_acquisition_uuid" ON "agentsession" ("acquisition_uuid")')
    op.execute('CREATE INDEX "ix_agentsession_agent_id" ON "agentsession" ("agent_id")')
    op.execute('CREATE INDEX "ix_agentsession_created_at" ON "agentsession" ("created_at")')
    op.execute('CREATE INDEX "ix_agentsession_last_activity_at" ON "agentsession" ("last_activity_at")')
    op.execute('CREATE UNIQUE INDEX "ix_agentsession_session_id" ON "agentsession" ("session_id")')
    op.execute('CREATE INDEX "ix_agentsession_status" ON "agentsession" ("status")')
    op.execute('CREATE TABLE "agentinstruction" (\n    "id" SERIAL NOT NULL,\n    "instruction_id" uuid NOT NULL DEFAULT gen_random_uuid(),\n    "session_id" character varying NOT NULL,\n    "agent_id" character varying NOT NULL,\n    "instruction_type" character varying NOT NULL,\n    "payload" jsonb,\n    "sequence_number" integer,\n    "priority" character varying NOT NULL DEFAULT \'normal\',\n    "status" character varying NOT NULL DEFAULT \'pending\',\n    "created_at" timestamp without time zone NOT NULL DEFAULT now(),\n    "sent_at" timestamp without time zone,\n    "acknowledged_at" timestamp without time zone,\n    "expires_at" timestamp without time zone,\n    "retry_count" integer NOT NULL DEFAULT 0,\n    "max_retries" integer NOT NULL DEFAULT 3,\n    "instruction_metadata" jsonb,\n    CONSTRAINT "agentinstruction_pkey" PRIMARY KEY ("id"),\n    CONSTRAINT "agentinstruction_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "agentsession" ("session_id")\n)')
    op.execute('CREATE INDEX "ix_agentinstruction_acknowledged_at" ON "agentinstruction" ("acknowledged_at")')
    op.execute('CREATE INDEX "ix_agentinstruction_agent_id" ON "agentinstruction" ("agent_id")')
    op.execute('CREATE INDEX "ix_agentinstruction_created_at" ON "agentinstruction" ("created_at")')
    op.execute('CREATE INDEX "ix_agentinstruction_expires_at" ON "agentinstruction" ("expires_at")')
    op.execute('CREATE UNIQUE INDEX "ix_agentinstruction_instruction_id" ON "agentinstruction" ("instruction_id")')
    op.execute('CREATE INDEX "ix_agentinstruction_instruction_type" ON "agentinstruction" ("instruction_type")')
    op.execute('CREATE INDEX "ix_agentinstruction_priority" ON "agentinstruction" ("priority")')
    op.execute('CREATE INDEX "ix_agentinstruction_sent_at" ON "agentinstruction" ("sent_at")')
    op.execute('CREATE INDEX "ix_agentinstruction_sequence_number" ON "agentinstruction" ("sequence_number")')
    op.execute('CREATE INDEX "ix_agentinstruction_session_id" ON "agentinstruction" ("session_id")')
    op.execute('CREATE INDEX "ix_agentinstruction_status" ON "agentinstruction" ("status")')
    op.execute('CREATE TABLE "agentconnection" (\n    "id" SERIAL NOT NULL,\n    "connection_id" character varying NOT NULL,\n    "session_id" character varying NOT NULL,\n    "agent_id" character varying NOT NULL,\n    "connection_type" character varying NOT NULL DEFAULT \'sse\',\n    "client_info" jsonb,\n    "status" character varying NOT NULL DEFAULT \'active\',\n    "created_at" timestamp without time zone NOT NULL DEFAULT now(),\n    "last_heartbeat_at" timestamp without time zone NOT NULL DEFAULT now(),\n    "closed_at" timestamp without time zone,\n    "close_reason" character varying,\n    CONSTRAINT "agentconnection_pkey" PRIMARY KEY ("id"),\n    CONSTRAINT "agentconnection_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "agentsession" ("session_id")\n)')
    op.execute('CREATE INDEX "ix_agentconnection_agent_id" ON "agentconnection" ("agent_id")')
    op.execute('CREATE UNIQUE INDEX "ix_agentconnection_connection_id" ON "agentconnection" ("connection_id")')
    op.execute('CREATE INDEX "ix_agentconnection_created_at" ON "agentconnection" ("created_at")')
    op.execute('CREATE INDEX "ix_agentconnection_last_heartbeat_at" ON "agentconnection" ("last_heartbeat_at")')
    op.execute('CREATE INDEX "ix_agentconnection_session_id" ON "agentconnection" ("session_id")')
    op.execute('CREATE INDEX "ix_agentconnection_status" ON "agentconnection" ("status")')
    op.execute('CREATE TABLE "agentinstructionacknowledgement" (\n    "acknowledgement_id" uuid NOT NULL DEFAULT gen_random_uuid(),\n    "instruction_id" uuid NOT NULL,\n    "agent_id" character varying NOT NULL,\n    "session_id" character varying NOT NULL,\n    "status" character varying NOT NULL,\n    "result" character varying,\n    "error_message" character varying,\n    "processing_time_ms" integer,\n    "acknowledgement_metadata" jsonb,\n    "created_at" timestamp without time zone NOT NULL DEFAULT now(),\n    "processed_at" timestamp without time zone,\n    CONSTRAINT "agentinstructionacknowledgement_pkey" PRIMARY KEY ("acknowledgement_id"),\n    CONSTRAINT "agentinstructionacknowledgement_instruction_id_fkey" FOREIGN KEY ("instruction_id") REFERENCES "agentinstruction" ("instruction_id")\n)')
    op.execute('CREATE INDEX "ix_agentinstructionacknowledgement_agent_id" ON "agentinstructionacknowledgement" ("agent_id")')
    op.execute('CREATE INDEX "ix_agentinstructionacknowledgement_created_at" ON "agentinstructionacknowledgement" ("created_at")')
    op.execute('CREATE INDEX "ix_agentinstructionacknowledgement_instruction_id" ON "agentinstructionacknowledgement" ("instruction_id")')
    op.execute('CREATE INDEX "ix_agentinstructionacknowledgement_processed_at" ON "agentinstructionacknowledgement" ("processed_at")')
    op.execute('CREATE INDEX "ix_agentinstructionacknowledgement_session_id" ON "agentinstructionacknowledgement" ("session_id")')
    op.execute('CREATE INDEX "ix_agentinstructionacknowledgement_status" ON "agentinstructionacknowledgement" ("status")')


def downgrade():
    op.execute('DROP TABLE "agentinstructionacknowledgement"')
    op.execute('DROP TABLE "agentconnection"')
    op.execute('DROP TABLE "agentinstruction"')
    op.execute('DROP TABLE "agentsession"')

"""Add agent log table"""
from alembic import op

revision = '491fd967853b'
down_revision = '96709a25dff7'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE TABLE "agentlog" (\n    "id" SERIAL NOT NULL,\n    "agent_id" character varying NOT NULL,\n    "session_id" character varying NOT NULL,\n    "timestamp" timestamp without time zone NOT NULL,\n    "level" character varying NOT NULL,\n    "logger_name" character varying NOT NULL,\n    "message" character varying NOT NULL,\n    "created_at" timestamp without time zone NOT NULL,\n    CONSTRAINT "agentlog_pkey" PRIMARY KEY ("id")\n)')
    op.execute('CREATE INDEX "ix_agentlog_agent_id" ON "agentlog" ("agent_id")')
    op.execute('CREATE INDEX "ix_agentlog_agent_id_id" ON "agentlog" ("agent_id", "id")')
    op.execute('CREATE INDEX "ix_agentlog_level" ON "agentlog" ("level")')
    op.execute('CREATE INDEX "ix_agentlog_session_id" ON "agentlog" ("session_id")')
    op.execute('CREATE INDEX "ix_agentlog_timestamp" ON "agentlog" ("timestamp")')


def downgrade():
    op.execute('DROP TABLE "agentlog"')

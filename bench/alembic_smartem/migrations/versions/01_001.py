"""Add user preferences table"""
from alembic import op

revision = '001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE TABLE "user_preferences" (\n    "id" SERIAL NOT NULL,\n    "user_id" character varying NOT NULL,\n    "preference_key" character varying(255) NOT NULL,\n    "preference_value" jsonb,\n    "created_at" timestamp without time zone NOT NULL DEFAULT now(),\n    "updated_at" timestamp without time zone NOT NULL DEFAULT now(),\n    CONSTRAINT "user_preferences_pkey" PRIMARY KEY ("id"),\n    CONSTRAINT "uq_user_preference_key" UNIQUE ("user_id", "preference_key")\n)')
    op.execute('CREATE INDEX "idx_user_preferences_user_id" ON "user_preferences" ("user_id")')
    op.execute('CREATE INDEX "idx_user_preferences_key" ON "user_preferences" ("preference_key")')


def downgrade():
    op.execute('DROP INDEX "idx_user_preferences_key"')
    op.execute('DROP INDEX "idx_user_preferences_user_id"')
    op.execute('DROP TABLE "user_preferences"')

"""Add updated_at to micrographs"""
from alembic import op

revision = '1024768377a7'
down_revision = '491fd967853b'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('ALTER TABLE "micrograph" ADD COLUMN "updated_at" timestamp without time zone')
    op.execute('CREATE INDEX "ix_micrograph_updated_at" ON "micrograph" ("updated_at")')


def downgrade():
    op.execute('DROP INDEX "ix_micrograph_updated_at"')
    op.execute('ALTER TABLE "micrograph" DROP COLUMN "updated_at"')

"""Add capability flags to quality prediction models"""
from alembic import op

revision = '8667c96f0385'
down_revision = '1024768377a7'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('ALTER TABLE "qualitypredictionmodel" ADD COLUMN "can_train" boolean NOT NULL DEFAULT false')
    op.execute('ALTER TABLE "qualitypredictionmodel" ADD COLUMN "can_infer" boolean NOT NULL DEFAULT true')
    op.execute('ALTER TABLE "qualitypredictionmodel" ADD COLUMN "can_update" boolean NOT NULL DEFAULT false')


def downgrade():
    op.execute('ALTER TABLE "qualitypredictionmodel" DROP COLUMN "can_update"')
    op.execute('ALTER TABLE "qualitypredictionmodel" DROP COLUMN "can_infer"')
    op.execute('ALTER TABLE "qualitypredictionmodel" DROP COLUMN "can_train"')

"""Add prediction value and quality score to model weights"""
from alembic import op

revision = '9316ff1d4c29'
down_revision = 'e5b5c1dc8f64'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('ALTER TABLE "qualitypredictionmodelweight" ADD COLUMN "prediction_value" double precision')
    op.execute('ALTER TABLE "qualitypredictionmodelweight" ADD COLUMN "quality_score" double precision')


def downgrade():
    op.execute('ALTER TABLE "qualitypredictionmodelweight" DROP COLUMN "quality_score"')
    op.execute('ALTER TABLE "qualitypredictionmodelweight" DROP COLUMN "prediction_value"')

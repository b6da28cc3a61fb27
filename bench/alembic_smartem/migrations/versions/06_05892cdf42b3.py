"""Add quality metrics and per-grid metric statistics"""
from alembic import op

revision = '05892cdf42b3'
down_revision = '004'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE TABLE "qualitymetric" (\n    "name" character varying NOT NULL,\n    "description" character varying NOT NULL,\n    CONSTRAINT "qualitymetric_pkey" PRIMARY KEY ("name")\n)')
    op.execute('CREATE TABLE "qualitymetricstatistics" (\n    "name" character varying NOT NULL,\n    "grid_uuid" character varying NOT NULL,\n    "count" integer NOT NULL,\n    "value_sum" double precision NOT NULL,\n    "squared_value_sum" double precision NOT NULL,\n    CONSTRAINT "qualitymetricstatistics_pkey" PRIMARY KEY ("name", "grid_uuid"),\n    CONSTRAINT "qualitymetricstatistics_grid_uuid_fkey" FOREIGN KEY ("grid_uuid") REFERENCES "grid" ("uuid"),\n    CONSTRAINT "qualitymetricstatistics_name_fkey" FOREIGN KEY ("name") REFERENCES "qualitymetric" ("name")\n)')
    op.execute('ALTER TABLE "qualityprediction" ADD COLUMN "metric_name" character varying')
    op.execute('ALTER TABLE "qualityprediction" ADD CONSTRAINT "qualityprediction_metric_name_fkey" FOREIGN KEY ("metric_name") REFERENCES "qualitymetric" ("name")')
    op.execute('ALTER TABLE "qualitypredictionmodelparameter" ADD COLUMN "metric_name" character varying')
    op.execute('ALTER TABLE "qualitypredictionmodelparameter" ADD CONSTRAINT "qualitypredictionmodelparameter_metric_name_fkey" FOREIGN KEY ("metric_name") REFERENCES "qualitymetric" ("name")')
    op.execute('ALTER TABLE "qualitypredictionmodelweight" ADD COLUMN "metric_name" character varying')
    op.execute('ALTER TABLE "qualitypredictionmodelweight" ADD CONSTRAINT "qualitypredictionmodelweight_metric_name_fkey" FOREIGN KEY ("metric_name") REFERENCES "qualitymetric" ("name")')


def downgrade():
    op.execute('ALTER TABLE "qualitypredictionmodelweight" DROP CONSTRAINT "qualitypredictionmodelweight_metric_name_fkey"')
    op.execute('ALTER TABLE "qualitypredictionmodelweight" DROP COLUMN "metric_name"')
    op.execute('ALTER TABLE "qualitypredictionmodelparameter" DROP CONSTRAINT "qualitypredictionmodelparameter_metric_name_fkey"')
    op.execute('ALTER TABLE "qualitypredictionmodelparameter" DROP COLUMN "metric_name"')
    op.execute('ALTER TABLE "qualityprediction" DROP CONSTRAINT "qualityprediction_metric_name_fkey"')
    op.execute('ALTER TABLE "qualityprediction" DROP COLUMN "metric_name"')
    op.execute('DROP TABLE "qualitymetricstatistics"')
    op.execute('DROP TABLE "qualitymetric"')

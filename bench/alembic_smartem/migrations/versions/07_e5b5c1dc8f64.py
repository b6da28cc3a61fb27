"""Add current and overall quality prediction tables"""
from alembic import op

revision = 'e5b5c1dc8f64'
down_revision = '05892cdf42b3'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE TABLE "currentqualityprediction" (\n    "id" SERIAL NOT NULL,\n    "grid_uuid" character varying NOT NULL,\n    "value" double precision NOT NULL,\n    "prediction_model_name" character varying NOT NULL,\n    "metric_name" character varying,\n    "foilhole_uuid" character varying,\n    "gridsquare_uuid" character varying,\n    CONSTRAINT "currentqualityprediction_pkey" PRIMARY KEY ("id"),\n    CONSTRAINT "currentqualityprediction_foilhole_uuid_fkey" FOREIGN KEY ("foilhole_uuid") REFERENCES "foilhole" ("uuid"),\n    CONSTRAINT "currentqualityprediction_grid_uuid_fkey" FOREIGN KEY ("grid_uuid") REFERENCES "grid" ("uuid"),\n    CONSTRAINT "currentqualityprediction_gridsquare_uuid_fkey" FOREIGN KEY ("gridsquare_uuid") REFERENCES "gridsquare" ("uuid"),\n    CONSTRAINT "currentqualityprediction_metric_name_fkey" FOREIGN KEY ("metric_name") REFERENCES "qualitymetric" ("name"),\n    CONSTRAINT "currentqualityprediction_prediction_model_name_fkey" FOREIGN KEY ("prediction_model_name") REFERENCES "qualitypredictionmodel" ("name")\n)')
    op.execute('CREATE TABLE "currentqualitypredictionmodelweight" (\n    "id" SERIAL NOT NULL,\n    "grid_uuid" character varying NOT NULL,\n    "prediction_model_name" character varying NOT NULL,\n    "metric_name" character varying,\n    "weight" double precision NOT NULL,\n    CONSTRAINT "currentqualitypredictionmodelweight_pkey" PRIMARY KEY ("id"),\n    CONSTRAINT "currentqualitypredictionmodelweight_grid_uuid_fkey" FOREIGN KEY ("grid_uuid") REFERENCES "grid" ("uuid"),\n    CONSTRAINT "currentqualitypredictionmodelweight_metric_name_fkey" FOREIGN KEY ("metric_name") REFERENCES "qualitymetric" ("name"),\n    CONSTRAINT "currentqualitypredictionmodelweight_prediction_model_name_fkey" FOREIGN KEY ("prediction_model_name") REFERENCES "qualitypredictionmodel" ("name")\n)')
    op.execute('CREATE TABLE "overallqualityprediction" (\n    "id" SERIAL NOT NULL,\n    "value" double precision NOT NULL,\n    "foilhole_uuid" character varying NOT NULL,\n    "grid_uuid" character varying NOT NULL,\n    "gridsquare_uuid" character varying NOT NULL,\n    "suggested_acquisition_index" integer NOT NULL,\n    CONSTRAINT "overallqualityprediction_pkey" PRIMARY KEY ("id"),\n    CONSTRAINT "overallqualityprediction_foilhole_uuid_fkey" FOREIGN KEY ("foilhole_uuid") REFERENCES "foilhole" ("uuid"),\n    CONSTRAINT "overallqualityprediction_grid_uuid_fkey" FOREIGN KEY ("grid_uuid") REFERENCES "grid" ("uuid"),\n    CONSTRAINT "overallqualityprediction_gridsquare_uuid_fkey" FOREIGN KEY ("gridsquare_uuid") REFERENCES "gridsquare" ("uuid")\n)')


def downgrade():
    op.execute('DROP TABLE "overallqualityprediction"')
    op.execute('DROP TABLE "currentqualitypredictionmodelweight"')
    op.execute('DROP TABLE "currentqualityprediction"')

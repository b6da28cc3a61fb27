"""Add quality predictions for foil hole groups"""
from alembic import op

revision = 'e2671094928d'
down_revision = 'b571fe41f1d9'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE TABLE "qualitygroupprediction" (\n    "id" SERIAL NOT NULL,\n    "timestamp" timestamp without time zone NOT NULL,\n    "group_uuid" character varying NOT NULL,\n    "grid_uuid" character varying NOT NULL,\n    "value" double precision NOT NULL,\n    "prediction_model_name" character varying NOT NULL,\n    "metric_name" character varying,\n    CONSTRAINT "qualitygroupprediction_pkey" PRIMARY KEY ("id"),\n    CONSTRAINT "qualitygroupprediction_grid_uuid_fkey" FOREIGN KEY ("grid_uuid") REFERENCES "grid" ("uuid"),\n    CONSTRAINT "qualitygroupprediction_group_uuid_fkey" FOREIGN KEY ("group_uuid") REFERENCES "foilholegroup" ("uuid"),\n    CONSTRAINT "qualitygroupprediction_metric_name_fkey" FOREIGN KEY ("metric_name") REFERENCES "qualitymetric" ("name"),\n    CONSTRAINT "qualitygroupprediction_prediction_model_name_fkey" FOREIGN KEY ("prediction_model_name") REFERENCES "qualitypredictionmodel" ("name")\n)')
    op.execute('CREATE TABLE "currentqualitygroupprediction" (\n    "id" SERIAL NOT NULL,\n    "group_uuid" character varying NOT NULL,\n    "grid_uuid" character varying NOT NULL,\n    "value" double precision NOT NULL,\n    "prediction_model_name" character varying NOT NULL,\n    "metric_name" character varying,\n    CONSTRAINT "currentqualitygroupprediction_pkey" PRIMARY KEY ("id"),\n    CONSTRAINT "currentqualitygroupprediction_grid_uuid_fkey" FOREIGN KEY ("grid_uuid") REFERENCES "grid" ("uuid"),\n    CONSTRAINT "currentqualitygroupprediction_group_uuid_fkey" FOREIGN KEY ("group_uuid") REFERENCES "foilholegroup" ("uuid"),\n    CONSTRAINT "currentqualitygroupprediction_metric_name_fkey" FOREIGN KEY ("metric_name") REFERENCES "qualitymetric" ("name"),\n    CONSTRAINT "currentqualitygroupprediction_prediction_model_name_fkey" FOREIGN KEY ("prediction_model_name") REFERENCES "qualitypredictionmodel" ("name")\n)')


def downgrade():
    op.execute('DROP TABLE "currentqualitygroupprediction"')
    op.execute('DROP TABLE "qualitygroupprediction"')

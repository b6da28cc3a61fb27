"""Add foil hole groups"""
from alembic import op

revision = 'b571fe41f1d9'
down_revision = '9316ff1d4c29'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE TABLE "foilholegroup" (\n    "uuid" character varying NOT NULL,\n    "grid_uuid" character varying NOT NULL,\n    "name" character varying,\n    CONSTRAINT "foilholegroup_pkey" PRIMARY KEY ("uuid"),\n    CONSTRAINT "foilholegroup_grid_uuid_fkey" FOREIGN KEY ("grid_uuid") REFERENCES "grid" ("uuid")\n)')
    op.execute('CREATE TABLE "foilholegroupmembership" (\n    "group_uuid" character varying NOT NULL,\n    "foilhole_uuid" character varying NOT NULL,\n    CONSTRAINT "foilholegroupmembership_pkey" PRIMARY KEY ("group_uuid", "foilhole_uuid"),\n    CONSTRAINT "foilholegroupmembership_foilhole_uuid_fkey" FOREIGN KEY ("foilhole_uuid") REFERENCES "foilhole" ("uuid"),\n    CONSTRAINT "foilholegroupmembership_group_uuid_fkey" FOREIGN KEY ("group_uuid") REFERENCES "foilholegroup" ("uuid")\n)')


def downgrade():
    op.execute('DROP TABLE "foilholegroupmembership"')
    op.execute('DROP TABLE "foilholegroup"')

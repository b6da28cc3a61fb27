"""Add composite index for acquisition datetime queries"""
from alembic import op

revision = '002'
down_revision = '6e6302f1ccb6'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE INDEX "idx_gridsquare_acquisition_datetime_status" ON "gridsquare" USING "btree" ("acquisition_datetime", "status")')
    op.execute('CREATE INDEX "idx_micrograph_acquisition_datetime" ON "micrograph" USING "btree" ("acquisition_datetime")')


def downgrade():
    op.execute('DROP INDEX "idx_micrograph_acquisition_datetime"')
    op.execute('DROP INDEX "idx_gridsquare_acquisition_datetime_status"')

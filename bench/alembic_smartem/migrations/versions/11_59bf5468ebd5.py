"""Add is_near_grid_bar flag to foil holes"""
from alembic import op

revision = '59bf5468ebd5'
down_revision = 'e2671094928d'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('ALTER TABLE "foilhole" ADD COLUMN "is_near_grid_bar" boolean NOT NULL DEFAULT false')


def downgrade():
    op.execute('ALTER TABLE "foilhole" DROP COLUMN "is_near_grid_bar"')

"""Add applied_defocus to grid squares"""
from alembic import op

revision = '96709a25dff7'
down_revision = '59bf5468ebd5'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('ALTER TABLE "gridsquare" ADD COLUMN "applied_defocus" double precision')


def downgrade():
    op.execute('ALTER TABLE "gridsquare" DROP COLUMN "applied_defocus"')

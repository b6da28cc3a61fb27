"""Seed system configuration defaults"""
from alembic import op

revision = '003'
down_revision = '002'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('INSERT INTO "user_preferences" ("preference_key", "preference_value", "user_id") VALUES\n    (\'default_acquisition_settings\', \'{"clustering_mode"\\:"auto","clustering_radius"\\:"2.0","default_magnification"\\:165000,"default_pixel_size"\\:0.8}\', \'system\'),\n    (\'quality_thresholds\', \'{"min_foilhole_quality"\\:0.3,"min_ctf_resolution"\\:4.0,"max_total_motion"\\:50.0}\', \'system\'),\n    (\'ui_defaults\', \'{"grid_view_columns"\\:["name","status","scan_start_time"],"default_page_size"\\:50,"auto_refresh_interval"\\:30}\', \'system\')')


def downgrade():
    op.execute('DELETE FROM "user_preferences" WHERE ("preference_key" = \'default_acquisition_settings\' AND "user_id" = \'system\')\n    OR ("preference_key" = \'quality_thresholds\' AND "user_id" = \'system\')\n    OR ("preference_key" = \'ui_defaults\' AND "user_id" = \'system\')')

//! Seeds the system-wide defaults into `user_preferences` (data only, no schema
//! change). The downgrade removes exactly these rows and leaves user rows alone.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("003")
    .revises(&["002"])
    .message("Seed system configuration defaults")
    .created("2025-01-12 16:05:00");

pub fn upgrade(op: &mut Ops) {
    op.bulk_insert(
        "user_preferences",
        json!([
            {
                "user_id": "system",
                "preference_key": "default_acquisition_settings",
                "preference_value": {
                    "clustering_mode": "auto",
                    "clustering_radius": "2.0",
                    "default_magnification": 165000,
                    "default_pixel_size": 0.8
                }
            },
            {
                "user_id": "system",
                "preference_key": "quality_thresholds",
                "preference_value": {
                    "min_foilhole_quality": 0.3,
                    "min_ctf_resolution": 4.0,
                    "max_total_motion": 50.0
                }
            },
            {
                "user_id": "system",
                "preference_key": "ui_defaults",
                "preference_value": {
                    "grid_view_columns": ["name", "status", "scan_start_time"],
                    "default_page_size": 50,
                    "auto_refresh_interval": 30
                }
            }
        ]),
    );
}

pub fn downgrade(op: &mut Ops) {
    op.bulk_delete(
        "user_preferences",
        json!([
            { "user_id": "system", "preference_key": "default_acquisition_settings" },
            { "user_id": "system", "preference_key": "quality_thresholds" },
            { "user_id": "system", "preference_key": "ui_defaults" }
        ]),
    );
}

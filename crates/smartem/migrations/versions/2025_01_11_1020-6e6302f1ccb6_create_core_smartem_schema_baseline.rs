//! The core SmartEM schema as it stood when revisions were first kept: the five
//! status enum types and the acquisition, grid, atlas, foil-hole, micrograph and
//! quality-prediction tables.

use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("6e6302f1ccb6")
    .revises(&["001"])
    .message("Create core SmartEM schema baseline")
    .created("2025-01-11 10:20:00");

pub fn upgrade(op: &mut Ops) {
    op.create_enum(
        "acquisitionstatus",
        ["PLANNED", "STARTED", "COMPLETED", "PAUSED", "ABANDONED"],
    );
    op.create_enum("foilholestatus", ["NONE", "MICROGRAPHS_DETECTED"]);
    op.create_enum(
        "gridsquarestatus",
        [
            "NONE",
            "FOIL_HOLES_DECISION_STARTED",
            "FOIL_HOLES_DECISION_COMPLETED",
        ],
    );
    op.create_enum(
        "gridstatus",
        [
            "NONE",
            "SCAN_STARTED",
            "SCAN_COMPLETED",
            "GRID_SQUARES_DECISION_STARTED",
            "GRID_SQUARES_DECISION_COMPLETED",
        ],
    );
    op.create_enum(
        "micrographstatus",
        [
            "NONE",
            "MOTION_CORRECTION_STARTED",
            "MOTION_CORRECTION_COMPLETED",
            "CTF_STARTED",
            "CTF_COMPLETED",
            "PARTICLE_PICKING_STARTED",
            "PARTICLE_PICKING_COMPLETED",
            "PARTICLE_SELECTION_STARTED",
            "PARTICLE_SELECTION_COMPLETED",
        ],
    );

    op.create_table("acquisition")
        .column(col("uuid", varchar()).primary_key())
        .column(col("id", varchar()))
        .column(col("name", varchar()).not_null().default_text("Unknown"))
        .column(col("status", enum_type("acquisitionstatus")).default_text("PLANNED"))
        .column(col("start_time", timestamp()))
        .column(col("end_time", timestamp()))
        .column(col("paused_time", timestamp()))
        .column(col("storage_path", varchar()))
        .column(col("atlas_path", varchar()))
        .column(col("clustering_mode", varchar()))
        .column(col("clustering_radius", varchar()))
        .column(col("instrument_model", varchar()))
        .column(col("instrument_id", varchar()))
        .column(col("computer_name", varchar()));

    op.create_table("grid")
        .column(col("uuid", varchar()).primary_key())
        .column(col("acquisition_uuid", varchar()).references("acquisition.uuid"))
        .column(col("status", enum_type("gridstatus")).default_text("NONE"))
        .column(col("name", varchar()).not_null())
        .column(col("data_dir", varchar()))
        .column(col("atlas_dir", varchar()))
        .column(col("scan_start_time", timestamp()))
        .column(col("scan_end_time", timestamp()))
        .column(col("prediction_updated_time", timestamp()).not_null());

    op.create_table("atlas")
        .column(col("uuid", varchar()).primary_key())
        .column(col("atlas_id", varchar()).not_null().default_text(""))
        .column(col("grid_uuid", varchar()).references("grid.uuid"))
        .column(col("acquisition_date", timestamp()))
        .column(col("storage_folder", varchar()))
        .column(col("description", varchar()))
        .column(col("name", varchar()).not_null().default_text(""));

    op.create_table("atlastile")
        .column(col("uuid", varchar()).primary_key())
        .column(col("atlas_uuid", varchar()).references("atlas.uuid"))
        .column(col("tile_id", varchar()).not_null().default_text(""))
        .column(col("position_x", integer()))
        .column(col("position_y", integer()))
        .column(col("size_x", integer()))
        .column(col("size_y", integer()))
        .column(col("file_format", varchar()))
        .column(col("base_filename", varchar()));

    op.create_table("gridsquare")
        .column(col("uuid", varchar()).primary_key())
        .column(col("grid_uuid", varchar()).references("grid.uuid"))
        .column(col("status", enum_type("gridsquarestatus")).default_text("NONE"))
        .column(col("gridsquare_id", varchar()).not_null().default_text(""))
        .column(col("data_dir", varchar()))
        .column(col("atlas_node_id", integer()))
        .column(col("state", varchar()))
        .column(col("rotation", double()))
        .column(col("image_path", varchar()))
        .column(col("selected", boolean()))
        .column(col("unusable", boolean()))
        .column(col("stage_position_x", double()))
        .column(col("stage_position_y", double()))
        .column(col("stage_position_z", double()))
        .column(col("center_x", integer()))
        .column(col("center_y", integer()))
        .column(col("physical_x", double()))
        .column(col("physical_y", double()))
        .column(col("size_width", integer()))
        .column(col("size_height", integer()))
        .column(col("acquisition_datetime", timestamp()))
        .column(col("defocus", double()))
        .column(col("magnification", double()))
        .column(col("pixel_size", double()))
        .column(col("detector_name", varchar()));

    op.create_table("atlastilegridsquareposition")
        .column(
            col("atlastile_uuid", varchar())
                .primary_key()
                .references("atlastile.uuid"),
        )
        .column(
            col("gridsquare_uuid", varchar())
                .primary_key()
                .references("gridsquare.uuid"),
        )
        .column(col("center_x", integer()).not_null())
        .column(col("center_y", integer()).not_null())
        .column(col("size_width", integer()).not_null())
        .column(col("size_height", integer()).not_null());

    op.create_table("foilhole")
        .column(col("uuid", varchar()).primary_key())
        .column(col("foilhole_id", varchar()).not_null().default_text(""))
        .column(col("gridsquare_uuid", varchar()).references("gridsquare.uuid"))
        .column(col("gridsquare_id", varchar()))
        .column(col("status", enum_type("foilholestatus")).default_text("NONE"))
        .column(col("center_x", double()))
        .column(col("center_y", double()))
        .column(col("quality", double()))
        .column(col("rotation", double()))
        .column(col("size_width", double()))
        .column(col("size_height", double()))
        .column(col("x_location", integer()))
        .column(col("y_location", integer()))
        .column(col("x_stage_position", double()))
        .column(col("y_stage_position", double()))
        .column(col("diameter", integer()));

    op.create_table("micrograph")
        .column(col("uuid", varchar()).primary_key())
        .column(col("micrograph_id", varchar()).not_null().default_text(""))
        .column(col("foilhole_uuid", varchar()).references("foilhole.uuid"))
        .column(col("foilhole_id", varchar()).not_null().default_text(""))
        .column(col("location_id", varchar()))
        .column(col("status", enum_type("micrographstatus")).default_text("NONE"))
        .column(col("high_res_path", varchar()))
        .column(col("manifest_file", varchar()))
        .column(col("acquisition_datetime", timestamp()))
        .column(col("defocus", double()))
        .column(col("detector_name", varchar()))
        .column(col("energy_filter", boolean()))
        .column(col("phase_plate", boolean()))
        .column(col("image_size_x", integer()))
        .column(col("image_size_y", integer()))
        .column(col("binning_x", integer()))
        .column(col("binning_y", integer()))
        .column(col("total_motion", double()))
        .column(col("average_motion", double()))
        .column(col("ctf_max_resolution_estimate", double()))
        .column(col("number_of_particles_selected", integer()))
        .column(col("number_of_particles_rejected", integer()))
        .column(col("selection_distribution", varchar()))
        .column(col("number_of_particles_picked", integer()))
        .column(col("pick_distribution", varchar()));

    op.create_table("qualitypredictionmodel")
        .column(col("name", varchar()).primary_key())
        .column(col("description", varchar()).not_null().default_text(""))
        .column(col("level", varchar()));

    op.create_table("qualitypredictionmodelparameter")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(
            col("grid_uuid", varchar())
                .not_null()
                .references("grid.uuid"),
        )
        .column(col("timestamp", timestamp()).not_null())
        .column(
            col("prediction_model_name", varchar())
                .not_null()
                .references("qualitypredictionmodel.name"),
        )
        .column(col("key", varchar()).not_null())
        .column(col("value", double()).not_null())
        .column(col("group", varchar()).not_null().default_text(""));

    op.create_table("qualitypredictionmodelweight")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(
            col("grid_uuid", varchar())
                .not_null()
                .references("grid.uuid"),
        )
        .column(col("micrograph_uuid", varchar()).references("micrograph.uuid"))
        .column(col("micrograph_quality", boolean()))
        .column(col("timestamp", timestamp()).not_null())
        .column(
            col("prediction_model_name", varchar())
                .not_null()
                .references("qualitypredictionmodel.name"),
        )
        .column(col("weight", double()).not_null());

    op.create_table("qualityprediction")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("timestamp", timestamp()).not_null())
        .column(col("value", double()).not_null())
        .column(
            col("prediction_model_name", varchar())
                .not_null()
                .references("qualitypredictionmodel.name"),
        )
        .column(col("foilhole_uuid", varchar()).references("foilhole.uuid"))
        .column(col("gridsquare_uuid", varchar()).references("gridsquare.uuid"));
}

pub fn downgrade(op: &mut Ops) {
    op.drop_table("qualityprediction");
    op.drop_table("qualitypredictionmodelweight");
    op.drop_table("qualitypredictionmodelparameter");
    op.drop_table("qualitypredictionmodel");
    op.drop_table("micrograph");
    op.drop_table("foilhole");
    op.drop_table("atlastilegridsquareposition");
    op.drop_table("gridsquare");
    op.drop_table("atlastile");
    op.drop_table("atlas");
    op.drop_table("grid");
    op.drop_table("acquisition");

    op.drop_enum("micrographstatus");
    op.drop_enum("gridstatus");
    op.drop_enum("gridsquarestatus");
    op.drop_enum("foilholestatus");
    op.drop_enum("acquisitionstatus");
}

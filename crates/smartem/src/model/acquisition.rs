//! Acquisitions and the hierarchy of things imaged in them: grids, grid squares,
//! foil holes and micrographs, with the status enum type of each level.

use chrono::NaiveDateTime;
use stratum::model::{DbEnum, Table};

/// Where an acquisition session stands.
#[derive(DbEnum, sqlx::Type, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[sqlx(type_name = "acquisitionstatus", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AcquisitionStatus {
    /// Set up, not started.
    Planned,
    /// Collecting data.
    Started,
    /// Finished normally.
    Completed,
    /// Halted for now.
    Paused,
    /// Stopped for good before completion.
    Abandoned,
}

/// Progress of a grid through scanning and square selection.
#[derive(DbEnum, sqlx::Type, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[sqlx(type_name = "gridstatus", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GridStatus {
    /// Nothing has happened yet.
    None,
    /// The atlas scan is running.
    ScanStarted,
    /// The atlas scan has finished.
    ScanCompleted,
    /// Grid squares are being chosen.
    GridSquaresDecisionStarted,
    /// Grid squares have been chosen.
    GridSquaresDecisionCompleted,
}

/// Progress of a grid square through foil-hole selection.
#[derive(DbEnum, sqlx::Type, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[sqlx(type_name = "gridsquarestatus", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GridSquareStatus {
    /// Nothing has happened yet.
    None,
    /// Foil holes are being chosen.
    FoilHolesDecisionStarted,
    /// Foil holes have been chosen.
    FoilHolesDecisionCompleted,
}

/// Whether micrographs have been seen for a foil hole.
#[derive(DbEnum, sqlx::Type, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[sqlx(type_name = "foilholestatus", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FoilHoleStatus {
    /// No micrographs yet.
    None,
    /// At least one micrograph was detected.
    MicrographsDetected,
}

/// Progress of a micrograph through the processing pipeline.
#[derive(DbEnum, sqlx::Type, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[sqlx(type_name = "micrographstatus", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MicrographStatus {
    /// Nothing has happened yet.
    None,
    /// Motion correction is running.
    MotionCorrectionStarted,
    /// Motion correction has finished.
    MotionCorrectionCompleted,
    /// CTF estimation is running.
    CtfStarted,
    /// CTF estimation has finished.
    CtfCompleted,
    /// Particle picking is running.
    ParticlePickingStarted,
    /// Particle picking has finished.
    ParticlePickingCompleted,
    /// Particle selection is running.
    ParticleSelectionStarted,
    /// Particle selection has finished.
    ParticleSelectionCompleted,
}

/// One microscope session.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct Acquisition {
    /// Primary key.
    #[column(primary_key)]
    pub uuid: String,
    /// Identifier given by the acquisition software.
    pub id: Option<String>,
    /// Display name.
    #[column(default_value = "Unknown")]
    pub name: String,
    /// Session state.
    #[column(enum_type, default_value = "PLANNED")]
    pub status: Option<AcquisitionStatus>,
    /// When the session started.
    pub start_time: Option<NaiveDateTime>,
    /// When the session ended.
    pub end_time: Option<NaiveDateTime>,
    /// When the session was last paused.
    pub paused_time: Option<NaiveDateTime>,
    /// Where the session's data is stored.
    pub storage_path: Option<String>,
    /// Where the atlas is stored.
    pub atlas_path: Option<String>,
    /// Clustering mode of the session.
    pub clustering_mode: Option<String>,
    /// Clustering radius of the session.
    pub clustering_radius: Option<String>,
    /// Microscope model.
    pub instrument_model: Option<String>,
    /// Microscope identifier.
    pub instrument_id: Option<String>,
    /// Host that ran the acquisition software.
    pub computer_name: Option<String>,
}

/// One grid loaded during an acquisition.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct Grid {
    /// Primary key.
    #[column(primary_key)]
    pub uuid: String,
    /// The acquisition the grid belongs to.
    #[column(foreign_key = "acquisition.uuid")]
    pub acquisition_uuid: Option<String>,
    /// Grid state.
    #[column(enum_type, default_value = "NONE")]
    pub status: Option<GridStatus>,
    /// Display name.
    pub name: String,
    /// Data directory.
    pub data_dir: Option<String>,
    /// Atlas directory.
    pub atlas_dir: Option<String>,
    /// When the atlas scan started.
    pub scan_start_time: Option<NaiveDateTime>,
    /// When the atlas scan ended.
    pub scan_end_time: Option<NaiveDateTime>,
    /// When predictions for the grid were last updated.
    pub prediction_updated_time: NaiveDateTime,
}

/// One square of a grid.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(index(
    name = "idx_gridsquare_acquisition_datetime_status",
    columns("acquisition_datetime", "status"),
    using = "btree"
))]
pub struct GridSquare {
    /// Primary key.
    #[column(primary_key)]
    pub uuid: String,
    /// The grid the square is on.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: Option<String>,
    /// Square state.
    #[column(enum_type, default_value = "NONE")]
    pub status: Option<GridSquareStatus>,
    /// Identifier given by the acquisition software.
    #[column(default_value = "")]
    pub gridsquare_id: String,
    /// Data directory.
    pub data_dir: Option<String>,
    /// Node of the atlas the square belongs to.
    pub atlas_node_id: Option<i32>,
    /// State reported by the acquisition software.
    pub state: Option<String>,
    /// Rotation.
    pub rotation: Option<f64>,
    /// Path of the square's image.
    pub image_path: Option<String>,
    /// Selected for acquisition.
    pub selected: Option<bool>,
    /// Marked unusable.
    pub unusable: Option<bool>,
    /// Stage position, x.
    pub stage_position_x: Option<f64>,
    /// Stage position, y.
    pub stage_position_y: Option<f64>,
    /// Stage position, z.
    pub stage_position_z: Option<f64>,
    /// Center on the atlas, x.
    pub center_x: Option<i32>,
    /// Center on the atlas, y.
    pub center_y: Option<i32>,
    /// Physical position, x.
    pub physical_x: Option<f64>,
    /// Physical position, y.
    pub physical_y: Option<f64>,
    /// Width.
    pub size_width: Option<i32>,
    /// Height.
    pub size_height: Option<i32>,
    /// When the square was imaged.
    pub acquisition_datetime: Option<NaiveDateTime>,
    /// Defocus.
    pub defocus: Option<f64>,
    /// Magnification.
    pub magnification: Option<f64>,
    /// Pixel size.
    pub pixel_size: Option<f64>,
    /// Detector used.
    pub detector_name: Option<String>,
    /// Defocus applied.
    pub applied_defocus: Option<f64>,
}

/// One hole in the foil of a grid square.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct FoilHole {
    /// Primary key.
    #[column(primary_key)]
    pub uuid: String,
    /// Identifier given by the acquisition software.
    #[column(default_value = "")]
    pub foilhole_id: String,
    /// The grid square the hole is in.
    #[column(foreign_key = "gridsquare.uuid")]
    pub gridsquare_uuid: Option<String>,
    /// The grid square's identifier given by the acquisition software.
    pub gridsquare_id: Option<String>,
    /// Hole state.
    #[column(enum_type, default_value = "NONE")]
    pub status: Option<FoilHoleStatus>,
    /// Center, x.
    pub center_x: Option<f64>,
    /// Center, y.
    pub center_y: Option<f64>,
    /// Quality estimate.
    pub quality: Option<f64>,
    /// Rotation.
    pub rotation: Option<f64>,
    /// Width.
    pub size_width: Option<f64>,
    /// Height.
    pub size_height: Option<f64>,
    /// Location on the square image, x.
    pub x_location: Option<i32>,
    /// Location on the square image, y.
    pub y_location: Option<i32>,
    /// Stage position, x.
    pub x_stage_position: Option<f64>,
    /// Stage position, y.
    pub y_stage_position: Option<f64>,
    /// Diameter.
    pub diameter: Option<i32>,
    /// Whether the hole lies near a grid bar.
    #[column(default_value = false)]
    pub is_near_grid_bar: bool,
}

/// One micrograph taken in a foil hole.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(index(
    name = "idx_micrograph_acquisition_datetime",
    columns("acquisition_datetime"),
    using = "btree"
))]
pub struct Micrograph {
    /// Primary key.
    #[column(primary_key)]
    pub uuid: String,
    /// Identifier given by the acquisition software.
    #[column(default_value = "")]
    pub micrograph_id: String,
    /// The foil hole the micrograph was taken in.
    #[column(foreign_key = "foilhole.uuid")]
    pub foilhole_uuid: Option<String>,
    /// The foil hole's identifier given by the acquisition software.
    #[column(default_value = "")]
    pub foilhole_id: String,
    /// Location identifier.
    pub location_id: Option<String>,
    /// Processing state.
    #[column(enum_type, default_value = "NONE")]
    pub status: Option<MicrographStatus>,
    /// Path of the high-resolution image.
    pub high_res_path: Option<String>,
    /// Manifest file.
    pub manifest_file: Option<String>,
    /// When the micrograph was taken.
    pub acquisition_datetime: Option<NaiveDateTime>,
    /// Defocus.
    pub defocus: Option<f64>,
    /// Detector used.
    pub detector_name: Option<String>,
    /// Energy filter in use.
    pub energy_filter: Option<bool>,
    /// Phase plate in use.
    pub phase_plate: Option<bool>,
    /// Image width.
    pub image_size_x: Option<i32>,
    /// Image height.
    pub image_size_y: Option<i32>,
    /// Binning, x.
    pub binning_x: Option<i32>,
    /// Binning, y.
    pub binning_y: Option<i32>,
    /// Total motion from motion correction.
    pub total_motion: Option<f64>,
    /// Average motion from motion correction.
    pub average_motion: Option<f64>,
    /// Maximum resolution estimated by CTF.
    pub ctf_max_resolution_estimate: Option<f64>,
    /// Particles selected.
    pub number_of_particles_selected: Option<i32>,
    /// Particles rejected.
    pub number_of_particles_rejected: Option<i32>,
    /// Distribution of selected particles.
    pub selection_distribution: Option<String>,
    /// Particles picked.
    pub number_of_particles_picked: Option<i32>,
    /// Distribution of picked particles.
    pub pick_distribution: Option<String>,
    /// Last update.
    #[column(index)]
    pub updated_at: Option<NaiveDateTime>,
}

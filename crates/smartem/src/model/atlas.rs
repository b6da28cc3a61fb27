//! Atlases: the overview images of a grid, their tiles and where grid squares lie
//! on each tile.

use chrono::NaiveDateTime;
use stratum::model::Table;

/// The overview image of a grid.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct Atlas {
    /// Primary key.
    #[column(primary_key)]
    pub uuid: String,
    /// Identifier given by the acquisition software.
    #[column(default_value = "")]
    pub atlas_id: String,
    /// The grid the atlas shows.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: Option<String>,
    /// When the atlas was taken.
    pub acquisition_date: Option<NaiveDateTime>,
    /// Where the atlas is stored.
    pub storage_folder: Option<String>,
    /// Free-text description.
    pub description: Option<String>,
    /// Display name.
    #[column(default_value = "")]
    pub name: String,
}

/// One tile of an atlas.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct AtlasTile {
    /// Primary key.
    #[column(primary_key)]
    pub uuid: String,
    /// The atlas the tile belongs to.
    #[column(foreign_key = "atlas.uuid")]
    pub atlas_uuid: Option<String>,
    /// Identifier given by the acquisition software.
    #[column(default_value = "")]
    pub tile_id: String,
    /// Position, x.
    pub position_x: Option<i32>,
    /// Position, y.
    pub position_y: Option<i32>,
    /// Width.
    pub size_x: Option<i32>,
    /// Height.
    pub size_y: Option<i32>,
    /// Image file format.
    pub file_format: Option<String>,
    /// Image file name without extension.
    pub base_filename: Option<String>,
}

/// Where a grid square appears on an atlas tile.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(primary_key("atlastile_uuid", "gridsquare_uuid"))]
pub struct AtlasTileGridSquarePosition {
    /// The tile.
    #[column(foreign_key = "atlastile.uuid")]
    pub atlastile_uuid: String,
    /// The grid square.
    #[column(foreign_key = "gridsquare.uuid")]
    pub gridsquare_uuid: String,
    /// Center on the tile, x.
    pub center_x: i32,
    /// Center on the tile, y.
    pub center_y: i32,
    /// Width on the tile.
    pub size_width: i32,
    /// Height on the tile.
    pub size_height: i32,
}

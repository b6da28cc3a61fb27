//! The SmartEM data model, one module per area. [`target_schema`] is the schema the
//! head of the revision chain must build.
//!
//! Every table struct also derives [`sqlx::FromRow`]; the status enums derive
//! [`sqlx::Type`] for PostgreSQL (their database labels are the variant names in
//! upper snake case, as `#[derive(DbEnum)]` declares them).

pub mod acquisition;
pub mod agent;
pub mod atlas;
pub mod preferences;
pub mod quality;

pub use acquisition::{
    Acquisition, AcquisitionStatus, FoilHole, FoilHoleStatus, Grid, GridSquare, GridSquareStatus,
    GridStatus, Micrograph, MicrographStatus,
};
pub use agent::{
    AgentConnection, AgentInstruction, AgentInstructionAcknowledgement, AgentLog, AgentSession,
};
pub use atlas::{Atlas, AtlasTile, AtlasTileGridSquarePosition};
pub use preferences::UserPreference;
pub use quality::{
    CurrentQualityGroupPrediction, CurrentQualityPrediction, CurrentQualityPredictionModelWeight,
    FoilHoleGroup, FoilHoleGroupMembership, OverallQualityPrediction, QualityGroupPrediction,
    QualityMetric, QualityMetricStatistics, QualityPrediction, QualityPredictionModel,
    QualityPredictionModelParameter, QualityPredictionModelWeight,
};

use stratum::model::SchemaBuilder;
use stratum::schema::Schema;

/// Every SmartEM model, in one builder.
pub fn models() -> SchemaBuilder {
    SchemaBuilder::new()
        // acquisition and the imaging hierarchy
        .model::<Acquisition>()
        .model::<Grid>()
        .model::<GridSquare>()
        .model::<FoilHole>()
        .model::<Micrograph>()
        // atlases
        .model::<Atlas>()
        .model::<AtlasTile>()
        .model::<AtlasTileGridSquarePosition>()
        // quality metrics and predictions
        .model::<QualityMetric>()
        .model::<QualityMetricStatistics>()
        .model::<QualityPredictionModel>()
        .model::<QualityPredictionModelParameter>()
        .model::<QualityPredictionModelWeight>()
        .model::<QualityPrediction>()
        .model::<CurrentQualityPrediction>()
        .model::<CurrentQualityPredictionModelWeight>()
        .model::<OverallQualityPrediction>()
        .model::<FoilHoleGroup>()
        .model::<FoilHoleGroupMembership>()
        .model::<QualityGroupPrediction>()
        .model::<CurrentQualityGroupPrediction>()
        // agent communication
        .model::<AgentSession>()
        .model::<AgentInstruction>()
        .model::<AgentConnection>()
        .model::<AgentInstructionAcknowledgement>()
        .model::<AgentLog>()
        // user preferences
        .model::<UserPreference>()
}

/// The schema the SmartEM models declare, in normal form: what the database must
/// look like at the head of the revision chain.
pub fn target_schema() -> Schema {
    models().build()
}

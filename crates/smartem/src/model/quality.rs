//! Quality metrics and prediction models: their parameters and weights, the
//! predictions they make for grid squares, foil holes and groups of foil holes, and
//! the latest ("current") and combined ("overall") predictions.

use chrono::NaiveDateTime;
use stratum::model::Table;

/// A named quality metric.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct QualityMetric {
    /// Primary key.
    #[column(primary_key)]
    pub name: String,
    /// What the metric measures.
    pub description: String,
}

/// Running statistics of a metric over one grid.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(primary_key("name", "grid_uuid"))]
pub struct QualityMetricStatistics {
    /// The metric.
    #[column(foreign_key = "qualitymetric.name")]
    pub name: String,
    /// The grid.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: String,
    /// Number of values seen.
    pub count: i32,
    /// Sum of the values.
    pub value_sum: f64,
    /// Sum of the squared values.
    pub squared_value_sum: f64,
}

/// A prediction model and what it can do.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct QualityPredictionModel {
    /// Primary key.
    #[column(primary_key)]
    pub name: String,
    /// What the model predicts.
    #[column(default_value = "")]
    pub description: String,
    /// The level the model works at (grid square, foil hole, ...).
    pub level: Option<String>,
    /// The model can be trained.
    #[column(default_value = false)]
    pub can_train: bool,
    /// The model can make predictions.
    #[column(default_value = true)]
    pub can_infer: bool,
    /// The model can be updated.
    #[column(default_value = false)]
    pub can_update: bool,
}

/// A parameter value of a prediction model for one grid, at one time.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct QualityPredictionModelParameter {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// The grid.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: String,
    /// When the value was set.
    pub timestamp: NaiveDateTime,
    /// The model.
    #[column(foreign_key = "qualitypredictionmodel.name")]
    pub prediction_model_name: String,
    /// Parameter name.
    pub key: String,
    /// Parameter value.
    pub value: f64,
    /// Parameter group.
    #[column(default_value = "")]
    pub group: String,
    /// The metric the parameter applies to.
    #[column(foreign_key = "qualitymetric.name")]
    pub metric_name: Option<String>,
}

/// The weight of a prediction model for one grid, at one time.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct QualityPredictionModelWeight {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// The grid.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: String,
    /// The micrograph that caused the update.
    #[column(foreign_key = "micrograph.uuid")]
    pub micrograph_uuid: Option<String>,
    /// Whether that micrograph was judged good.
    pub micrograph_quality: Option<bool>,
    /// When the weight was set.
    pub timestamp: NaiveDateTime,
    /// The model.
    #[column(foreign_key = "qualitypredictionmodel.name")]
    pub prediction_model_name: String,
    /// The weight.
    pub weight: f64,
    /// The metric the weight applies to.
    #[column(foreign_key = "qualitymetric.name")]
    pub metric_name: Option<String>,
    /// The model's prediction for that micrograph.
    pub prediction_value: Option<f64>,
    /// The measured quality score.
    pub quality_score: Option<f64>,
}

/// A prediction for a foil hole or grid square, at one time.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct QualityPrediction {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// When the prediction was made.
    pub timestamp: NaiveDateTime,
    /// Predicted value.
    pub value: f64,
    /// The model.
    #[column(foreign_key = "qualitypredictionmodel.name")]
    pub prediction_model_name: String,
    /// The foil hole predicted for.
    #[column(foreign_key = "foilhole.uuid")]
    pub foilhole_uuid: Option<String>,
    /// The grid square predicted for.
    #[column(foreign_key = "gridsquare.uuid")]
    pub gridsquare_uuid: Option<String>,
    /// The metric predicted.
    #[column(foreign_key = "qualitymetric.name")]
    pub metric_name: Option<String>,
}

/// The latest prediction for a foil hole or grid square.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct CurrentQualityPrediction {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// The grid.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: String,
    /// Predicted value.
    pub value: f64,
    /// The model.
    #[column(foreign_key = "qualitypredictionmodel.name")]
    pub prediction_model_name: String,
    /// The metric predicted.
    #[column(foreign_key = "qualitymetric.name")]
    pub metric_name: Option<String>,
    /// The foil hole predicted for.
    #[column(foreign_key = "foilhole.uuid")]
    pub foilhole_uuid: Option<String>,
    /// The grid square predicted for.
    #[column(foreign_key = "gridsquare.uuid")]
    pub gridsquare_uuid: Option<String>,
}

/// The latest weight of a prediction model for one grid.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct CurrentQualityPredictionModelWeight {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// The grid.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: String,
    /// The model.
    #[column(foreign_key = "qualitypredictionmodel.name")]
    pub prediction_model_name: String,
    /// The metric the weight applies to.
    #[column(foreign_key = "qualitymetric.name")]
    pub metric_name: Option<String>,
    /// The weight.
    pub weight: f64,
}

/// The combined prediction for a foil hole, with its suggested place in the
/// acquisition order.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct OverallQualityPrediction {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// Combined value.
    pub value: f64,
    /// The foil hole.
    #[column(foreign_key = "foilhole.uuid")]
    pub foilhole_uuid: String,
    /// The grid.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: String,
    /// The grid square.
    #[column(foreign_key = "gridsquare.uuid")]
    pub gridsquare_uuid: String,
    /// Position in the suggested acquisition order.
    pub suggested_acquisition_index: i32,
}

/// A named group of foil holes on one grid.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct FoilHoleGroup {
    /// Primary key.
    #[column(primary_key)]
    pub uuid: String,
    /// The grid.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: String,
    /// Display name.
    pub name: Option<String>,
}

/// A foil hole's membership of a group.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(primary_key("group_uuid", "foilhole_uuid"))]
pub struct FoilHoleGroupMembership {
    /// The group.
    #[column(foreign_key = "foilholegroup.uuid")]
    pub group_uuid: String,
    /// The foil hole.
    #[column(foreign_key = "foilhole.uuid")]
    pub foilhole_uuid: String,
}

/// A prediction for a group of foil holes, at one time.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct QualityGroupPrediction {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// When the prediction was made.
    pub timestamp: NaiveDateTime,
    /// The group.
    #[column(foreign_key = "foilholegroup.uuid")]
    pub group_uuid: String,
    /// The grid.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: String,
    /// Predicted value.
    pub value: f64,
    /// The model.
    #[column(foreign_key = "qualitypredictionmodel.name")]
    pub prediction_model_name: String,
    /// The metric predicted.
    #[column(foreign_key = "qualitymetric.name")]
    pub metric_name: Option<String>,
}

/// The latest prediction for a group of foil holes.
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct CurrentQualityGroupPrediction {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// The group.
    #[column(foreign_key = "foilholegroup.uuid")]
    pub group_uuid: String,
    /// The grid.
    #[column(foreign_key = "grid.uuid")]
    pub grid_uuid: String,
    /// Predicted value.
    pub value: f64,
    /// The model.
    #[column(foreign_key = "qualitypredictionmodel.name")]
    pub prediction_model_name: String,
    /// The metric predicted.
    #[column(foreign_key = "qualitymetric.name")]
    pub metric_name: Option<String>,
}

//! Per-user settings, stored as JSON values under a key.

use chrono::NaiveDateTime;
use stratum::model::Table;

/// One setting of one user (`user_id = 'system'` holds installation defaults).
#[derive(Table, sqlx::FromRow, Debug, Clone, PartialEq)]
#[table(
    name = "user_preferences",
    unique(name = "uq_user_preference_key", columns("user_id", "preference_key")),
    index(name = "idx_user_preferences_user_id", columns("user_id")),
    index(name = "idx_user_preferences_key", columns("preference_key"))
)]
pub struct UserPreference {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// The user the setting belongs to.
    pub user_id: String,
    /// The setting's name.
    #[column(ty = "varchar(255)")]
    pub preference_key: String,
    /// The setting's value.
    pub preference_value: Option<serde_json::Value>,
    /// When the row was created.
    #[column(default_now)]
    pub created_at: NaiveDateTime,
    /// When the row was last changed.
    #[column(default_now)]
    pub updated_at: NaiveDateTime,
}

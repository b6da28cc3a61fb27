//! A data change to existing rows chosen by a filter: an `UPDATE` of some
//! columns or a `DELETE`. Plain runs send one statement; online runs on
//! PostgreSQL walk the primary key in batches.

use serde::{Deserialize, Serialize};

/// What a [`RowChange`] does to the rows it selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// `UPDATE ... SET column = expression, ...`: (column, SQL expression) pairs.
    Update(Vec<(String, String)>),
    /// `DELETE`.
    Delete,
}

/// An `UPDATE` or `DELETE` of the rows of `table` that match `filter` (every
/// row without one), for [`Op::ChangeRows`](super::Op::ChangeRows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowChange {
    /// Table name.
    pub table: String,
    /// Update or delete.
    pub action: RowAction,
    /// SQL condition choosing the rows (`WHERE` without the keyword).
    pub filter: Option<String>,
    /// The change that undoes this one, when the revision gives it; without
    /// it the op is irreversible.
    pub reverse: Option<Box<RowChange>>,
}

impl RowChange {
    /// Whether the change updates (rather than deletes) rows.
    pub fn is_update(&self) -> bool {
        matches!(self.action, RowAction::Update(_))
    }
}

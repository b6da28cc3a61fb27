//! The builder that revisions call, in the spirit of Alembic's `op`:
//!
//! ```
//! use stratum_core::prelude::*;
//!
//! let mut op = Ops::new();
//! op.create_table("user_preferences")
//!     .column(col("id", integer()).primary_key().autoincrement())
//!     .column(col("user_id", varchar()).not_null())
//!     .column(col("preference_value", jsonb()));
//! op.create_index("idx_user_preferences_user_id", "user_preferences", ["user_id"]);
//! assert_eq!(op.len(), 2);
//! ```

mod column;
mod constraints;
mod data;
mod enums;
mod row_change;
mod sequences;
mod table;
pub mod types;

pub use column::{AlterColumnBuilder, ColumnDef, col};
pub use constraints::{
    DropIndexBuilder, ForeignKeyBuilder, ForeignKeyDef, IndexBuilder, IndexDef, NotValidBuilder,
    foreign_key, index,
};
pub use data::ExecuteBuilder;
pub use enums::EnumValueBuilder;
pub use row_change::RowChangeBuilder;
pub use table::TableBuilder;

use super::Op;

/// The ops a revision records, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ops {
    ops: Vec<Op>,
    /// Indexes of data ops a squash may leave out (see `Ops::droppable_in_squash`).
    pub(super) droppable: Vec<usize>,
}

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl Ops {
    /// No ops yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The recorded ops.
    pub fn as_slice(&self) -> &[Op] {
        &self.ops
    }

    /// The recorded ops, by value.
    pub fn into_vec(self) -> Vec<Op> {
        self.ops
    }

    /// Number of recorded ops.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Records an op value as it is.
    pub fn push(&mut self, op: Op) {
        self.ops.push(op);
    }

    fn last_mut(&mut self) -> &mut Op {
        self.ops.last_mut().expect("an op was just pushed")
    }
}

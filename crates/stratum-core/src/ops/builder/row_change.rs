//! Updates and deletes of existing rows: `update_rows`, `delete_rows`.

use super::Ops;
use crate::ops::{Op, RowAction, RowChange};

impl Ops {
    /// Updates the existing rows of `table`: name the columns with
    /// [`RowChangeBuilder::set`] and choose the rows with
    /// [`RowChangeBuilder::filter`] (every row without one). Online runs on
    /// PostgreSQL update the rows in batches by primary key.
    ///
    /// ```
    /// # use stratum_core::ops::Ops;
    /// let mut op = Ops::new();
    /// op.update_rows("grid")
    ///     .set("status", "'archived'")
    ///     .filter("status = 'old'")
    ///     .undo_set("status", "'old'")
    ///     .undo_filter("status = 'archived'");
    /// assert_eq!(op.as_slice()[0].to_string(), "update status of grid where status = 'old'");
    /// ```
    pub fn update_rows(&mut self, table: impl Into<String>) -> RowChangeBuilder<'_> {
        self.push_row_change(table.into(), RowAction::Update(Vec::new()))
    }

    /// Deletes the existing rows of `table` that [`RowChangeBuilder::filter`]
    /// chooses (every row without one); irreversible. Online runs on
    /// PostgreSQL delete the rows in batches by primary key.
    pub fn delete_rows(&mut self, table: impl Into<String>) -> RowChangeBuilder<'_> {
        self.push_row_change(table.into(), RowAction::Delete)
    }

    fn push_row_change(&mut self, table: String, action: RowAction) -> RowChangeBuilder<'_> {
        self.ops.push(Op::ChangeRows(RowChange {
            table,
            action,
            filter: None,
            reverse: None,
        }));
        match self.last_mut() {
            Op::ChangeRows(change) => RowChangeBuilder { change },
            _ => unreachable!(),
        }
    }
}

/// Sets the columns, the filter and the undoing update of a row change.
#[derive(Debug)]
pub struct RowChangeBuilder<'a> {
    change: &'a mut RowChange,
}

impl RowChangeBuilder<'_> {
    /// Sets `column` to the SQL expression `expr` (an update only).
    pub fn set(self, column: impl Into<String>, expr: impl Into<String>) -> Self {
        if let RowAction::Update(set) = &mut self.change.action {
            set.push((column.into(), expr.into()));
        }
        self
    }

    /// The SQL condition choosing the rows (`WHERE` without the keyword).
    pub fn filter(self, sql: impl Into<String>) -> Self {
        self.change.filter = Some(sql.into());
        self
    }

    /// Makes the change reversible: its reverse sets `column` to `expr` on the
    /// same table (the rows [`RowChangeBuilder::undo_filter`] chooses).
    pub fn undo_set(self, column: impl Into<String>, expr: impl Into<String>) -> Self {
        let table = self.change.table.clone();
        let rev = self.change.reverse.get_or_insert_with(|| {
            Box::new(RowChange {
                table,
                action: RowAction::Update(Vec::new()),
                filter: None,
                reverse: None,
            })
        });
        if let RowAction::Update(set) = &mut rev.action {
            set.push((column.into(), expr.into()));
        }
        self
    }

    /// The condition choosing the rows the reverse update changes; call
    /// after [`RowChangeBuilder::undo_set`].
    pub fn undo_filter(self, sql: impl Into<String>) -> Self {
        if let Some(rev) = &mut self.change.reverse {
            rev.filter = Some(sql.into());
        }
        self
    }
}

//! Marks on recorded ops that only `squash` reads: a data op the baseline may leave
//! out (rows a later revision deletes again, a one-off backfill). Data ops that are
//! not marked (seed rows, for instance) are carried into the baseline.

use super::Ops;

impl Ops {
    /// Marks the op recorded last as droppable in a squash. Only data ops
    /// (`bulk_insert`, `bulk_delete`, `execute`) can be marked: a schema change
    /// is always part of the baseline's schema.
    ///
    /// ```
    /// use stratum_core::prelude::*;
    /// let mut op = Ops::new();
    /// op.bulk_insert("audit", serde_json::json!([{"note": "backfilled"}]));
    /// op.droppable_in_squash();
    /// assert!(op.is_droppable_in_squash(0));
    /// ```
    pub fn droppable_in_squash(&mut self) -> &mut Self {
        if let Some(last) = self.len().checked_sub(1)
            && self.as_slice()[last].is_data_change()
            && !self.droppable.contains(&last)
        {
            self.droppable.push(last);
        }
        self
    }

    /// Whether the op at `index` was marked with [`Ops::droppable_in_squash`].
    pub fn is_droppable_in_squash(&self, index: usize) -> bool {
        self.droppable.contains(&index)
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn only_the_last_data_op_is_marked() {
        let mut op = Ops::new();
        op.droppable_in_squash();
        op.create_table("t")
            .column(col("id", integer()).primary_key());
        op.droppable_in_squash();
        op.bulk_insert("t", serde_json::json!([{"id": 1}]));
        op.bulk_insert("t", serde_json::json!([{"id": 2}]));
        op.droppable_in_squash();
        assert!(!op.is_droppable_in_squash(0), "a schema change stays");
        assert!(!op.is_droppable_in_squash(1));
        assert!(op.is_droppable_in_squash(2));
    }
}

//! Sequences, and the rows of bulk data ops.

use super::Result;
use super::error::SimulateError;
use super::require::*;
use crate::ops::Rows;
use crate::schema::{Schema, Sequence};

pub(super) fn create_sequence(schema: &mut Schema, seq: &Sequence) -> Result<()> {
    if schema.sequences.contains_key(&seq.name) {
        return Err(SimulateError::SequenceExists {
            name: seq.name.clone(),
        });
    }
    require_free_name(schema, &seq.name)?;
    if seq.increment == 0 {
        return Err(SimulateError::ZeroIncrement {
            name: seq.name.clone(),
        });
    }
    schema.sequences.insert(seq.name.clone(), seq.clone());
    Ok(())
}

pub(super) fn drop_sequence(schema: &mut Schema, name: &str) -> Result<()> {
    schema
        .sequences
        .remove(name)
        .map(|_| ())
        .ok_or_else(|| SimulateError::NoSuchSequence {
            name: name.to_string(),
        })
}

/// A change to existing rows: the table and every column it sets must exist.
pub(super) fn check_row_change(schema: &Schema, change: &crate::ops::RowChange) -> Result<()> {
    let t = get_table(schema, &change.table)?;
    match &change.action {
        crate::ops::RowAction::Update(set) => {
            set.iter().try_for_each(|(c, _)| require_column(t, c))
        }
        crate::ops::RowAction::Delete => Ok(()),
    }
}

pub(super) fn check_rows(schema: &Schema, table: &str, rows: &Rows) -> Result<()> {
    let t = get_table(schema, table)?;
    rows.columns().iter().try_for_each(|c| require_column(t, c))
}

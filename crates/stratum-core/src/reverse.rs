//! Reversal: the ops that undo an op, given the schema before it.

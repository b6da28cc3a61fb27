//! The simulator: what a schema looks like after an op.

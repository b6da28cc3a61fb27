//! proptest strategies for schemas and ops.

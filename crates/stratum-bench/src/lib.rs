//! Benchmark programs of the engine. Nothing here is part of the test suite: the
//! `bench/run` script at the workspace root builds these binaries in release mode
//! and times them side by side with other tools.
//!
//! - `bench-bulk-migrate`: the engine's CLI over a two-revision chain that creates
//!   table `bulk` and inserts `BENCH_BULK_ROWS` rows (default 1,000,000) with one
//!   `bulk_insert` op.
//! - `bench-introspect-diff URL`: introspects the database twice and diffs the two
//!   schemas (the work of a drift check on a schema without models).
//! - `cargo bench -p stratum-bench --bench revision_map`: revision-graph timings on
//!   10,000 revisions.

/// The bulk chain's revisions, compiled in.
pub mod bulk {
    include!(concat!(env!("OUT_DIR"), "/stratum_versions.rs"));
}

/// Number of rows the bulk revision inserts: `BENCH_BULK_ROWS`, default 1,000,000.
pub fn bulk_rows() -> usize {
    std::env::var("BENCH_BULK_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

//! Command-line interface: a generic `run(app)` for any application crate.

//! The SmartEM Decisions database: its data model as Rust types and the chain of
//! revisions that builds it.

pub mod migrations;
pub mod model;

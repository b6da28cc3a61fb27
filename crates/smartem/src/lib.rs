//! The SmartEM Decisions database: its data model as Rust types and the chain of
//! revisions that builds it.

pub mod migrations;
pub mod model;

/// The `smartem-migrate` application: SmartEM's revisions, models and names.
pub fn cli_app() -> stratum::cli::App {
    stratum::cli::App {
        name: "smartem-migrate",
        revisions: migrations::REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions"),
        target_schema: Some(model::target_schema),
        names: stratum::config::AppNames::SMARTEM,
    }
}

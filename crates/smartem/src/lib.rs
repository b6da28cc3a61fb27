//! The SmartEM Decisions database: its data model as Rust types and the chain of
//! revisions that builds it.

pub mod migrations;
pub mod model;

/// SmartEM's names: `smartem-migrate.toml`, `SMARTEM_ENV`, `smartem.db`.
pub const NAMES: stratum_cli::config::AppNames = stratum_cli::config::AppNames {
    config_file: "smartem-migrate.toml",
    env_selector: "SMARTEM_ENV",
    default_sqlite_file: "smartem.db",
};

/// The `smartem-migrate` application: SmartEM's revisions, models and names.
pub fn cli_app() -> stratum_cli::App {
    stratum_cli::App {
        name: "smartem-migrate",
        revisions: migrations::REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions"),
        target_schema: Some(model::target_schema),
        names: NAMES,
    }
}

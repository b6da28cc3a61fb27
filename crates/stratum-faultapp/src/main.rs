//! `faultapp-migrate`: the engine's CLI over the fault-case chain.

include!(concat!(env!("OUT_DIR"), "/good/stratum_versions.rs"));

fn main() -> std::process::ExitCode {
    stratum_cli::run(stratum_cli::App {
        name: "faultapp-migrate",
        revisions: REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions"),
        target_schema: None,
        names: stratum_cli::config::AppNames {
            config_file: "faultapp-migrate.toml",
            env_selector: "FAULTAPP_ENV",
            default_sqlite_file: "faultapp.db",
        },
    })
}

//! `faultapp-filling-migrate`: the engine's CLI over the chain whose second
//! revision writes megabytes (for a disk that fills up).

include!(concat!(env!("OUT_DIR"), "/filling/stratum_versions.rs"));

fn main() -> std::process::ExitCode {
    stratum_cli::run(stratum_cli::App {
        name: "faultapp-filling-migrate",
        revisions: REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/filling"),
        target_schema: None,
        names: stratum_cli::config::AppNames {
            config_file: "faultapp-migrate.toml",
            env_selector: "FAULTAPP_ENV",
            default_sqlite_file: "faultapp.db",
        },
    })
}

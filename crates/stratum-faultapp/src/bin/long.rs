//! `faultapp-long-migrate`: the engine's CLI over the generated chain of 100
//! revisions (for kills at random moments).

include!(concat!(env!("OUT_DIR"), "/long/stratum_versions.rs"));

fn main() -> std::process::ExitCode {
    stratum_cli::run(stratum_cli::App {
        name: "faultapp-long-migrate",
        revisions: REVISIONS,
        versions_dir: concat!(env!("OUT_DIR"), "/long_versions"),
        target_schema: None,
        names: stratum_cli::config::AppNames {
            config_file: "faultapp-migrate.toml",
            env_selector: "FAULTAPP_ENV",
            default_sqlite_file: "faultapp.db",
        },
    })
}

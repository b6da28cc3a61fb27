//! `faultapp-slow-migrate`: the engine's CLI over a one-revision chain whose
//! middle statement sleeps (MariaDB/MySQL), to kill a run between statements.

include!(concat!(env!("OUT_DIR"), "/slow/stratum_versions.rs"));

fn main() -> std::process::ExitCode {
    stratum_cli::run(stratum_cli::App {
        name: "faultapp-slow-migrate",
        revisions: REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/slow"),
        target_schema: None,
        names: stratum_cli::config::AppNames {
            config_file: "faultapp-migrate.toml",
            env_selector: "FAULTAPP_ENV",
            default_sqlite_file: "faultapp.db",
        },
    })
}

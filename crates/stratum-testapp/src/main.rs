//! `testapp-migrate`: the engine's CLI over a small branched chain, for tests.

include!(concat!(env!("OUT_DIR"), "/stratum_versions.rs"));

mod models;

fn main() -> std::process::ExitCode {
    stratum_cli::run(stratum_cli::App {
        name: "testapp-migrate",
        revisions: REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions"),
        target_schema: Some(models::target_schema),
        names: stratum_cli::config::AppNames {
            config_file: "testapp-migrate.toml",
            env_selector: "TESTAPP_ENV",
            default_sqlite_file: "testapp.db",
        },
    })
}

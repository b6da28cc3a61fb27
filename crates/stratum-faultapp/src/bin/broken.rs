//! `faultapp-broken-migrate`: the fault-case chain before its fifth revision was
//! fixed (its second statement is invalid SQL).

include!(concat!(env!("OUT_DIR"), "/broken/stratum_versions.rs"));

fn main() -> std::process::ExitCode {
    stratum_cli::run(stratum_cli::App {
        name: "faultapp-broken-migrate",
        revisions: REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/broken"),
        target_schema: None,
        names: stratum_cli::config::AppNames {
            config_file: "faultapp-migrate.toml",
            env_selector: "FAULTAPP_ENV",
            default_sqlite_file: "faultapp.db",
        },
    })
}

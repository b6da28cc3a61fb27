//! `pyapp-migrate`: the engine's CLI over a chain whose models are not Rust: they
//! are the SQLAlchemy/SQLModel classes of `tests/python/pyfixture`, read with
//! `--models python:pyfixture.models:SQLModel.metadata`.

include!(concat!(env!("OUT_DIR"), "/stratum_versions.rs"));

fn main() -> std::process::ExitCode {
    stratum_cli::run(stratum_cli::App {
        name: "pyapp-migrate",
        revisions: REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions"),
        target_schema: None,
        names: stratum_cli::config::AppNames {
            config_file: "pyapp-migrate.toml",
            env_selector: "PYAPP_ENV",
            default_sqlite_file: "pyapp.db",
        },
    })
}

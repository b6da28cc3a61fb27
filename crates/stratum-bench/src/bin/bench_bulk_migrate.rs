//! The engine's CLI over the bulk-data benchmark chain.

fn main() -> std::process::ExitCode {
    stratum_cli::run(stratum_cli::App {
        name: "bench-bulk-migrate",
        revisions: stratum_bench::bulk::REVISIONS,
        versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions"),
        target_schema: None,
        names: stratum_cli::config::AppNames {
            config_file: "bench-bulk-migrate.toml",
            env_selector: "BENCH_ENV",
            default_sqlite_file: "bench-bulk.db",
        },
    })
}

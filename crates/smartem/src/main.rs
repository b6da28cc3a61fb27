//! `smartem-migrate`: versions the SmartEM Decisions database.
//!
//! With nothing configured it works on a SQLite file `smartem.db` in the working
//! directory; `DATABASE_URL`, the `POSTGRES_*` variables or `smartem-migrate.toml`
//! point it at PostgreSQL.

fn main() -> std::process::ExitCode {
    stratum_cli::run(smartem::cli_app())
}

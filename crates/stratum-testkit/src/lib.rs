//! Test harness: a fresh PostgreSQL database or SQLite file for each test.
//!
//! [`TestDb::postgres`] finds a PostgreSQL server in this order:
//!
//! 1. `TEST_DATABASE_URL`, a URL to an administrative database of a running server
//!    (for example `postgres://postgres@127.0.0.1:5432/postgres`);
//! 2. a throwaway cluster started once per test process from local PostgreSQL
//!    binaries (`initdb` and `pg_ctl` on `PATH` or under `/usr/lib/postgresql/*/bin`),
//!    in a temporary directory, listening on 127.0.0.1 on a free port, and removed
//!    when the test process exits;
//! 3. none: the test is skipped with a message, unless `CI=true`, in which case a
//!    missing server fails the test.
//!
//! Each [`TestDb`] is a database of its own (`stratum_t_<random>`), dropped with
//! `WITH (FORCE)` when the value is dropped. [`TestDb::sqlite`] gives a file in a
//! temporary directory. [`TestDb::mysql`] gives a database on the MariaDB/MySQL
//! server of `TEST_MYSQL_URL` (skipping without it, failing under `CI=true`).
//! [`each_backend`] runs one test body on SQLite and PostgreSQL, [`each_database`]
//! on those and MariaDB.
//!
//! `STRATUM_TEST_DATABASES` (a comma list such as `postgres` or `sqlite,mariadb`)
//! narrows a run to some databases: the others are skipped silently, even under
//! `CI=true` (see [`selection`]).
//!
//! The kit hands out URLs and does its administrative work with sqlx directly; tests
//! open their own connections.

mod app_crate;
mod cluster;
mod mysql;
mod restartable;
mod schema;
pub mod secure;
pub mod selection;
pub mod writers;

pub use app_crate::{AppCrate, build_crate, copy_dir};
pub use mysql::{MARIADB_CLIENT_SKIP_MESSAGE, MYSQL_SKIP_MESSAGE, MYSQL_URL_ENV};
pub use restartable::RestartableCluster;
pub use schema::{create_ops, schema_differences, schema_report};
pub use selection::{DATABASES_ENV, selected_databases};
pub use writers::{WriterLoad, WriterReport, Writers};

use sqlx::{AssertSqlSafe, Connection as _, PgConnection};
use std::fmt;

/// The environment variable naming an administrative PostgreSQL URL.
pub const DATABASE_URL_ENV: &str = "TEST_DATABASE_URL";

/// Environment variables that would point a migration binary of this workspace at
/// another database or environment than the one a test gives it (the selector
/// variables of each application, `DATABASE_URL`, SmartEM's `POSTGRES_*`): clear them
/// when running a binary.
pub const REDIRECTING_ENV: &[&str] = &[
    "DATABASE_URL",
    "SMARTEM_ENV",
    "STRATUM_ENV",
    "TESTAPP_ENV",
    "FAULTAPP_ENV",
    "PGPASSWORD",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_PASSWORD_FILE",
    "POSTGRES_HOST",
    "POSTGRES_PORT",
    "POSTGRES_DB",
];

/// A command running the migration binary `program` in `dir`, as tests run it:
/// `NO_COLOR=1`, and every variable of [`REDIRECTING_ENV`] removed, so that nothing
/// from the caller's environment (a `DATABASE_URL`, a selector such as
/// `STRATUM_ENV`, `PGPASSWORD`, SmartEM's `POSTGRES_*`) points it elsewhere. Callers
/// add their own arguments (`--url`) and variables; `assert_cmd` users wrap it with
/// `assert_cmd::Command::from_std`.
pub fn migrate_command(
    program: impl AsRef<std::ffi::OsStr>,
    dir: &std::path::Path,
) -> std::process::Command {
    let mut cmd = std::process::Command::new(program);
    cmd.current_dir(dir).env("NO_COLOR", "1");
    for v in REDIRECTING_ENV {
        cmd.env_remove(v);
    }
    cmd
}

/// `password` percent-encoded for the user-info part of a test URL: `%`, `@`, `:`
/// and `/`, the characters the tests' passwords use, and nothing else.
pub fn encode_password(password: &str) -> String {
    password
        .replace('%', "%25")
        .replace('@', "%40")
        .replace(':', "%3A")
        .replace('/', "%2F")
}

/// The message printed when a PostgreSQL test is skipped.
pub const SKIP_MESSAGE: &str = "skipped: no PostgreSQL (set TEST_DATABASE_URL)";

/// The kind of database a [`TestDb`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
    /// MariaDB or MySQL.
    Mysql,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Postgres => "postgresql",
            Backend::Sqlite => "sqlite",
            Backend::Mysql => "mariadb",
        })
    }
}

/// A fresh, empty database for one test, removed when dropped.
#[derive(Debug)]
pub struct TestDb {
    url: String,
    backend: Backend,
    name: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    /// Drop the database through the administrative URL.
    Postgres { admin_url: String },
    /// Drop the database on the MariaDB/MySQL server.
    Mysql { server_url: String },
    /// Removing the directory removes the file.
    Sqlite { _dir: tempfile::TempDir },
}

impl TestDb {
    /// A fresh PostgreSQL database, or `None` (after printing [`SKIP_MESSAGE`]) when
    /// no server can be found. With `CI=true` a missing server panics instead, so
    /// that a CI run cannot pass by skipping. `None` also when
    /// `STRATUM_TEST_DATABASES` leaves PostgreSQL out.
    ///
    /// # Panics
    ///
    /// When a server was found but the database cannot be created, or when no
    /// server was found and `CI=true`.
    pub async fn postgres() -> Option<TestDb> {
        if !selection::selected(Backend::Postgres) {
            return None;
        }
        let admin_url = match admin_url() {
            Some(url) => url,
            None => {
                if is_ci() {
                    panic!("{SKIP_MESSAGE}: CI=true requires a PostgreSQL server for every test");
                }
                eprintln!("{SKIP_MESSAGE}");
                return None;
            }
        };
        Some(TestDb::postgres_at(&admin_url).await)
    }

    /// A fresh database on the server of `admin_url` (for example a
    /// [`RestartableCluster`]'s), dropped through that URL.
    ///
    /// # Panics
    ///
    /// When the database cannot be created.
    pub async fn postgres_at(admin_url: &str) -> TestDb {
        let admin_url = admin_url.to_string();
        let name = format!("stratum_t_{:016x}", rand::random::<u64>());
        let mut admin = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!(
                "cannot connect to the PostgreSQL admin database {}: {e}",
                redact(&admin_url)
            )
        });
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let _ = admin.close().await;
        let url = database_url(&admin_url, &name)
            .unwrap_or_else(|e| panic!("bad admin URL {}: {e}", redact(&admin_url)));
        TestDb {
            url,
            backend: Backend::Postgres,
            name,
            cleanup: Cleanup::Postgres { admin_url },
        }
    }

    /// A fresh SQLite database file in a temporary directory (created on first
    /// connection), whatever `STRATUM_TEST_DATABASES` says ([`TestDb::new`] and
    /// the runners over every database honour it).
    ///
    /// # Panics
    ///
    /// When no temporary directory can be created.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::Builder::new()
            .prefix("stratum_t_")
            .tempdir()
            .expect("cannot create a temporary directory for a SQLite test database");
        let path = dir.path().join("test.db");
        TestDb {
            url: format!("sqlite://{}", path.display()),
            backend: Backend::Sqlite,
            name: path.display().to_string(),
            cleanup: Cleanup::Sqlite { _dir: dir },
        }
    }

    /// A fresh database on the MariaDB/MySQL server of `TEST_MYSQL_URL`, or `None`
    /// (after printing [`MYSQL_SKIP_MESSAGE`]) without the variable. With `CI=true`
    /// a missing server panics instead. `None` also when `STRATUM_TEST_DATABASES`
    /// leaves MariaDB out.
    ///
    /// # Panics
    ///
    /// When the database cannot be created, or when there is no server and
    /// `CI=true`.
    pub async fn mysql() -> Option<TestDb> {
        if !selection::selected(Backend::Mysql) {
            return None;
        }
        let Some(server_url) = mysql::server_url() else {
            if is_ci() {
                panic!("{MYSQL_SKIP_MESSAGE}: CI=true requires a MariaDB server for every test");
            }
            eprintln!("{MYSQL_SKIP_MESSAGE}");
            return None;
        };
        let name = format!("stratum_t_{:016x}", rand::random::<u64>());
        mysql::admin(&server_url, format!("CREATE DATABASE `{name}`"))
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "cannot create test database {name} on {}: {e}",
                    redact(&server_url)
                )
            });
        let url = database_url(&server_url, &name)
            .unwrap_or_else(|e| panic!("bad server URL {}: {e}", redact(&server_url)));
        Some(TestDb {
            url,
            backend: Backend::Mysql,
            name,
            cleanup: Cleanup::Mysql { server_url },
        })
    }

    /// A fresh database of the given backend, or `None` when a server is asked
    /// for and unavailable (see [`TestDb::postgres`] and [`TestDb::mysql`]), or
    /// when `STRATUM_TEST_DATABASES` leaves the backend out.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Postgres => TestDb::postgres().await,
            Backend::Sqlite => selection::selected(Backend::Sqlite).then(TestDb::sqlite),
            Backend::Mysql => TestDb::mysql().await,
        }
    }

    /// The `mariadb` (or `mysql`) command-line client connected to this MariaDB
    /// database, for a test to add arguments or feed a script on stdin; `None`
    /// (after printing [`MARIADB_CLIENT_SKIP_MESSAGE`]) when no client is
    /// installed.
    ///
    /// # Panics
    ///
    /// When this is not a MariaDB/MySQL database, or when no client is installed
    /// and `CI=true`.
    pub fn mariadb_client(&self) -> Option<std::process::Command> {
        assert_eq!(
            self.backend,
            Backend::Mysql,
            "a MariaDB client for {self:?}"
        );
        let Some(program) = mysql::client_program() else {
            if is_ci() {
                panic!("{MARIADB_CLIENT_SKIP_MESSAGE}: CI=true requires it");
            }
            eprintln!("{MARIADB_CLIENT_SKIP_MESSAGE}");
            return None;
        };
        Some(
            mysql::client_command(program, &self.url)
                .unwrap_or_else(|e| panic!("bad MariaDB URL {}: {e}", redact(&self.url))),
        )
    }

    /// The URL of this database, for `Connection::connect`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The kind of database.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The database name (PostgreSQL) or file path (SQLite).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Mysql { server_url } = &self.cleanup {
            let sql = format!("DROP DATABASE IF EXISTS `{}`", self.name);
            let server_url = server_url.clone();
            let outcome = std::thread::spawn(move || -> Result<(), String> {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| e.to_string())?
                    .block_on(mysql::admin(&server_url, sql))
            })
            .join();
            if !matches!(outcome, Ok(Ok(()))) {
                eprintln!("warning: could not drop test database {}", self.name);
            }
            return;
        }
        let Cleanup::Postgres { admin_url } = &self.cleanup else {
            return;
        };
        // Drop cannot be async, and it may run on a runtime's thread: do the work on
        // a thread of its own with its own runtime and wait for it.
        let admin_url = admin_url.clone();
        let name = self.name.clone();
        let outcome = std::thread::spawn(move || -> Result<(), String> {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                let mut admin = PgConnection::connect(&admin_url)
                    .await
                    .map_err(|e| e.to_string())?;
                sqlx::raw_sql(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await
                .map_err(|e| e.to_string())?;
                let _ = admin.close().await;
                Ok(())
            })
        })
        .join();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("warning: could not drop test database {}: {e}", self.name),
            Err(_) => eprintln!("warning: dropping test database {} panicked", self.name),
        }
    }
}

/// Runs `body` once on a fresh SQLite database and once on a fresh PostgreSQL
/// database (when one is available; see [`TestDb::postgres`]), printing which
/// backend runs so that a failure names it.
pub async fn each_backend(body: impl AsyncFnMut(TestDb)) {
    run_on(&[Backend::Sqlite, Backend::Postgres], body).await;
}

/// Runs `body` once on a fresh database of each kind: SQLite, PostgreSQL and
/// MariaDB, in that order. A server database is skipped when its server is
/// missing (a failure under `CI=true`, see [`TestDb::new`]); any database is
/// skipped when `STRATUM_TEST_DATABASES` leaves it out.
pub async fn each_database(body: impl AsyncFnMut(TestDb)) {
    run_on(&selection::ALL_DATABASES, body).await;
}

async fn run_on(backends: &[Backend], mut body: impl AsyncFnMut(TestDb)) {
    for &backend in backends {
        if let Some(db) = TestDb::new(backend).await {
            eprintln!("-- running on {backend}");
            body(db).await;
        }
    }
}

/// The environment variable naming the directory of shared fixtures.
pub const SHARED_DIR_ENV: &str = "STRATUM_SHARED_DIR";

/// The path of `relative` inside the shared fixtures directory: `STRATUM_SHARED_DIR`
/// when set, else the `shared/` directory beside the repository checkout (or beside
/// the nearest ancestor directory that has one).
///
/// # Panics
///
/// When the file cannot be found; the message says how to point at it.
pub fn shared_path(relative: &str) -> std::path::PathBuf {
    let mut candidates = Vec::new();
    if let Some(dir) = std::env::var_os(SHARED_DIR_ENV) {
        candidates.push(std::path::PathBuf::from(dir));
    }
    candidates.push(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").into());
    candidates.extend(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared")),
    );
    candidates
        .iter()
        .map(|d| d.join(relative))
        .find(|p| p.exists())
        .unwrap_or_else(|| {
            panic!(
                "shared file {relative} not found: set {SHARED_DIR_ENV} to the shared/ directory"
            )
        })
}

/// Whether `CI=true` (or `CI=1`) is set.
pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// The administrative URL: `TEST_DATABASE_URL`, else a throwaway cluster's.
fn admin_url() -> Option<String> {
    if let Ok(url) = std::env::var(DATABASE_URL_ENV)
        && !url.trim().is_empty()
    {
        return Some(url);
    }
    cluster::admin_url()
}

/// The admin URL with its database replaced by `name`.
fn database_url(admin_url: &str, name: &str) -> Result<String, url::ParseError> {
    let mut url = url::Url::parse(admin_url)?;
    url.set_path(&format!("/{name}"));
    Ok(url.to_string())
}

/// The URL with any password masked, for messages.
fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "<unparsable URL>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_replaces_only_the_path() {
        assert_eq!(
            database_url("postgres://u:p@h:5433/postgres?sslmode=disable", "x_1").unwrap(),
            "postgres://u:p@h:5433/x_1?sslmode=disable"
        );
    }

    #[test]
    fn encode_password_encodes_percent_first() {
        assert_eq!(encode_password("p@ss:w%rd/42"), "p%40ss%3Aw%25rd%2F42");
    }

    #[test]
    fn redact_masks_the_password() {
        let r = redact("postgres://u:s3cret@h/db");
        assert!(!r.contains("s3cret"), "{r}");
        assert!(r.contains("u:***@h"), "{r}");
    }

    #[test]
    #[should_panic(expected = "not found")]
    fn shared_path_names_a_missing_file() {
        shared_path("no/such/file.sql");
    }

    #[tokio::test]
    async fn sqlite_file_is_removed_on_drop() {
        let db = TestDb::sqlite();
        let path = std::path::PathBuf::from(db.name());
        std::fs::write(&path, b"").unwrap();
        assert!(db.url().starts_with("sqlite://"));
        drop(db);
        assert!(!path.exists());
    }

    #[tokio::test]
    async fn postgres_database_exists_until_drop() {
        let Some(db) = TestDb::postgres().await else {
            return;
        };
        let Cleanup::Postgres { admin_url } = &db.cleanup else {
            panic!("a PostgreSQL TestDb must clean up through the admin URL");
        };
        let admin_url = admin_url.clone();
        let name = db.name().to_string();
        let mut conn = PgConnection::connect(db.url()).await.unwrap();
        sqlx::raw_sql("CREATE TABLE t (id integer)")
            .execute(&mut conn)
            .await
            .unwrap();
        // Still connected: the drop must force the connection out.
        drop(db);
        let mut admin = PgConnection::connect(&admin_url).await.unwrap();
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .unwrap();
        assert_eq!(count, 0, "database {name} still exists after drop");
    }

    #[tokio::test]
    async fn each_backend_runs_sqlite_and_postgres_when_available() {
        let chosen = selected_databases();
        let mut seen = Vec::new();
        each_backend(async |db: TestDb| seen.push(db.backend())).await;
        let mut expected = Vec::new();
        if chosen.contains(&Backend::Sqlite) {
            expected.push(Backend::Sqlite);
        }
        if chosen.contains(&Backend::Postgres) && admin_url().is_some() {
            expected.push(Backend::Postgres);
        }
        assert_eq!(seen, expected);
    }

    #[tokio::test]
    async fn each_database_adds_mariadb_when_available() {
        let chosen = selected_databases();
        let mut seen = Vec::new();
        each_database(async |db: TestDb| {
            assert!(db.url().starts_with(match db.backend() {
                Backend::Sqlite => "sqlite://",
                Backend::Postgres => "postgres",
                Backend::Mysql => "mysql://",
            }));
            seen.push(db.backend())
        })
        .await;
        let available = |b: &Backend| match b {
            Backend::Sqlite => true,
            Backend::Postgres => admin_url().is_some(),
            Backend::Mysql => mysql::server_url().is_some(),
        };
        let expected: Vec<Backend> = selection::ALL_DATABASES
            .into_iter()
            .filter(|b| chosen.contains(b) && available(b))
            .collect();
        assert_eq!(seen, expected);
    }
}

//! URL scheme → backend: with the per-database folders, the only code that names
//! a concrete database.

use super::mysql::Mysql;
use super::postgres::Postgres;
use super::sqlite::Sqlite;
use super::{Backend, ErrorKind};

/// The file database's checks and lock file, under the names generic code uses.
pub use super::sqlite::LOCK_FILE_SUFFIX;
pub use super::sqlite::file_check::{Access, DatabaseFileError, check_database_file};
use crate::db::DbError;
use stratum_core::dialect::Dialect;

static POSTGRES: Postgres = Postgres;
static SQLITE: Sqlite = Sqlite;
static MYSQL: Mysql = Mysql;

/// Every backend, in the order their schemes are tried.
pub fn all() -> [&'static dyn Backend; 3] {
    [&POSTGRES, &SQLITE, &MYSQL]
}

/// The backend serving URLs with this scheme (the text before the first `:`).
pub fn for_scheme(scheme: &str) -> Option<&'static dyn Backend> {
    match scheme {
        "postgres" | "postgresql" => Some(&POSTGRES),
        "sqlite" => Some(&SQLITE),
        "mysql" | "mariadb" => Some(&MYSQL),
        _ => None,
    }
}

/// The backend serving `url`.
pub fn for_url(url: &str) -> Result<&'static dyn Backend, DbError> {
    let scheme = url.split(':').next().unwrap_or_default();
    for_scheme(scheme).ok_or_else(|| DbError::UnsupportedScheme(scheme.to_string()))
}

/// The backend whose statements are rendered in `dialect`.
pub fn for_dialect(dialect: Dialect) -> &'static dyn Backend {
    match dialect {
        Dialect::Postgres => &POSTGRES,
        Dialect::Sqlite => &SQLITE,
        Dialect::Mysql => &MYSQL,
    }
}

/// The engine's kind for an error of any backend (each backend classifies only
/// its own errors).
pub fn classify(error: &DbError) -> ErrorKind {
    all()
        .into_iter()
        .map(|b| b.classify(error))
        .find(|k| *k != ErrorKind::Other)
        .unwrap_or(ErrorKind::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_dialects_find_their_backend() {
        assert_eq!(
            for_scheme("postgresql").unwrap().dialect(),
            Dialect::Postgres
        );
        assert_eq!(for_scheme("postgres").unwrap().dialect(), Dialect::Postgres);
        assert_eq!(for_scheme("sqlite").unwrap().dialect(), Dialect::Sqlite);
        assert_eq!(for_scheme("mysql").unwrap().dialect(), Dialect::Mysql);
        assert_eq!(for_scheme("mariadb").unwrap().dialect(), Dialect::Mysql);
        assert!(matches!(
            for_url("oracle://x"),
            Err(DbError::UnsupportedScheme(s)) if s == "oracle"
        ));
        for b in all() {
            assert_eq!(for_dialect(b.dialect()).name(), b.name());
        }
    }
}

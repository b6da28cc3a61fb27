//! Which databases the tests of a run use: `STRATUM_TEST_DATABASES`.
//!
//! Unset or empty, every database is used (a server database without its server is
//! skipped, or fails under `CI=true`). Set to a comma-separated list of names
//! (`postgres`, `sqlite`, `mariadb`; also `postgresql`, `pg`, `mysql`), only those
//! are: a database left out is skipped (with a line on stderr, never a failure),
//! even under `CI=true`, because leaving it out is a choice, not a missing
//! server. An unknown name panics, so that a misspelt list cannot skip everything
//! unnoticed.

use crate::Backend;

/// The environment variable listing the databases tests use.
pub const DATABASES_ENV: &str = "STRATUM_TEST_DATABASES";

/// Every database, in the order [`each_database`](crate::each_database) runs them.
pub const ALL_DATABASES: [Backend; 3] = [Backend::Sqlite, Backend::Postgres, Backend::Mysql];

/// The databases a value of `STRATUM_TEST_DATABASES` selects: every database for
/// no value or a blank one, else the named ones, each once, in [`ALL_DATABASES`]
/// order. Names are case-insensitive and may be padded with spaces.
///
/// # Errors
///
/// An unknown name, or a list naming no database (`","`), is an error naming the
/// accepted names.
pub fn parse_databases(value: Option<&str>) -> Result<Vec<Backend>, String> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Ok(ALL_DATABASES.to_vec());
    };
    let mut named = Vec::new();
    for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let backend = match name.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Backend::Postgres,
            "sqlite" => Backend::Sqlite,
            "mariadb" | "mysql" => Backend::Mysql,
            _ => {
                return Err(format!(
                    "{DATABASES_ENV}: unknown database {name:?} (known: postgres, sqlite, mariadb)"
                ));
            }
        };
        named.push(backend);
    }
    if named.is_empty() {
        return Err(format!(
            "{DATABASES_ENV}={value:?} names no database (known: postgres, sqlite, mariadb)"
        ));
    }
    Ok(ALL_DATABASES
        .into_iter()
        .filter(|b| named.contains(b))
        .collect())
}

/// The databases of this run (see the module documentation).
///
/// # Panics
///
/// When `STRATUM_TEST_DATABASES` is set to something [`parse_databases`] refuses.
pub fn selected_databases() -> Vec<Backend> {
    let value = std::env::var(DATABASES_ENV).ok();
    parse_databases(value.as_deref()).unwrap_or_else(|e| panic!("{e}"))
}

/// Whether this run uses `backend`; prints why not when it does not.
pub(crate) fn selected(backend: Backend) -> bool {
    let chosen = selected_databases().contains(&backend);
    if !chosen {
        eprintln!("skipped: {backend} is not in {DATABASES_ENV}");
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use Backend::{Mysql, Postgres, Sqlite};

    #[test]
    fn no_value_or_a_blank_one_selects_every_database() {
        assert_eq!(parse_databases(None).unwrap(), [Sqlite, Postgres, Mysql]);
        assert_eq!(
            parse_databases(Some("")).unwrap(),
            [Sqlite, Postgres, Mysql]
        );
        assert_eq!(
            parse_databases(Some("  ")).unwrap(),
            [Sqlite, Postgres, Mysql]
        );
    }

    #[test]
    fn a_list_selects_its_databases_in_the_usual_order() {
        assert_eq!(parse_databases(Some("postgres")).unwrap(), [Postgres]);
        assert_eq!(
            parse_databases(Some("mariadb, sqlite")).unwrap(),
            [Sqlite, Mysql]
        );
        assert_eq!(
            parse_databases(Some("PostgreSQL,MySQL,,pg")).unwrap(),
            [Postgres, Mysql]
        );
        assert_eq!(
            parse_databases(Some("sqlite,postgres,mariadb")).unwrap(),
            [Sqlite, Postgres, Mysql]
        );
    }

    #[test]
    fn unknown_names_and_empty_lists_are_refused() {
        let e = parse_databases(Some("postgres,oracle")).unwrap_err();
        assert!(e.contains("\"oracle\"") && e.contains(DATABASES_ENV), "{e}");
        let e = parse_databases(Some(" , ")).unwrap_err();
        assert!(e.contains("names no database"), "{e}");
    }
}

//! Scratch databases on a MariaDB/MySQL server (verify), each guarded by a
//! `GET_LOCK` named lock: named locks are the server's, not a database's, so
//! another verify sees the guard from any database.

use stratum_core::dialect::Dialect;

const SQL: Dialect = Dialect::Mysql;

/// How long taking a guard lock may wait, in seconds (a year). The name is
/// fresh, so the lock is free and taken at once.
const GUARD_WAIT_SECONDS: u32 = 365 * 24 * 3600;

/// The named lock guarding the scratch database of guard key `guard` (a
/// non-negative `i64`: the name stays well under the 64 characters allowed).
fn guard_name(guard: i64) -> String {
    SQL.quote_literal(&format!("stratum_verify_guard_{guard}"))
}

/// Takes the guard lock `guard` (waiting for it up to a year: MariaDB refuses
/// the negative timeout that means no bound on MySQL) and creates database
/// `name`.
pub(super) fn create_sql(name: &str, guard: i64) -> Vec<String> {
    vec![
        format!(
            "SELECT GET_LOCK({}, {GUARD_WAIT_SECONDS})",
            guard_name(guard)
        ),
        format!("CREATE DATABASE {}", SQL.quote_ident(name)),
    ]
}

/// Drops database `name`. These servers drop a database that has sessions:
/// `force` changes nothing.
pub(super) fn drop_sql(name: &str, _force: bool) -> String {
    format!("DROP DATABASE IF EXISTS {}", SQL.quote_ident(name))
}

/// The databases whose name starts with `prefix`, in order.
pub(super) fn list_sql(prefix: &str) -> String {
    let pattern = super::super::like_prefix_pattern(prefix);
    format!(
        "SELECT CAST(schema_name AS CHAR) FROM information_schema.schemata \
         WHERE schema_name LIKE {} ORDER BY schema_name",
        SQL.quote_literal(&pattern)
    )
}

/// Counts the sessions holding the guard lock `guard` (at most one) and those
/// whose current database is `name`, as text.
pub(super) fn in_use_sql(name: &str, guard: i64) -> String {
    format!(
        "SELECT CAST((IS_USED_LOCK({}) IS NOT NULL) \
         + (SELECT count(*) FROM information_schema.processlist WHERE db = {}) AS CHAR)",
        guard_name(guard),
        SQL.quote_literal(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_of_a_scratch_database() {
        assert_eq!(
            create_sql("stratum_verify_1_ab", 42),
            [
                "SELECT GET_LOCK('stratum_verify_guard_42', 31536000)",
                "CREATE DATABASE `stratum_verify_1_ab`"
            ]
        );
        assert_eq!(drop_sql("a`b", true), "DROP DATABASE IF EXISTS `a``b`");
        assert_eq!(
            in_use_sql("stratum_verify_1_ab", i64::MAX),
            "SELECT CAST((IS_USED_LOCK('stratum_verify_guard_9223372036854775807') IS NOT NULL) \
             + (SELECT count(*) FROM information_schema.processlist \
             WHERE db = 'stratum_verify_1_ab') AS CHAR)"
        );
    }

    /// `_` matches any character in `LIKE`: the prefix is matched literally, its
    /// backslashes written in a literal that does not depend on the SQL mode.
    #[test]
    fn the_prefix_is_matched_literally() {
        assert_eq!(
            list_sql("stratum_verify_"),
            "SELECT CAST(schema_name AS CHAR) FROM information_schema.schemata \
             WHERE schema_name LIKE _utf8mb4 X'7374726174756D5C5F7665726966795C5F25' \
             ORDER BY schema_name"
        );
    }
}

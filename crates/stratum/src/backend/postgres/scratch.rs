//! Scratch databases on a PostgreSQL server, each guarded by a session-level
//! advisory lock (advisory locks of every database show in `pg_locks`).

use stratum_core::dialect::{Dialect, quote_ident, quote_literal};

/// Takes the guard lock `guard` (waiting for it) and creates database `name`.
pub(super) fn create_sql(name: &str, guard: i64) -> Vec<String> {
    vec![
        format!("SELECT pg_advisory_lock({guard})"),
        format!("CREATE DATABASE {}", quote_ident(name)),
    ]
}

/// Drops database `name`; with `force`, ending the sessions connected to it.
pub(super) fn drop_sql(name: &str, force: bool) -> String {
    let with = if force { " WITH (FORCE)" } else { "" };
    format!("DROP DATABASE IF EXISTS {}{with}", quote_ident(name))
}

/// The databases whose name starts with `prefix`, in order.
pub(super) fn list_sql(prefix: &str) -> String {
    let pattern = super::super::like_prefix_pattern(prefix);
    format!(
        "SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE {} ORDER BY datname",
        quote_literal(&pattern, Dialect::Postgres)
    )
}

/// Counts the sessions holding the guard lock `guard` and those connected to
/// database `name`, as text.
pub(super) fn in_use_sql(name: &str, guard: i64) -> String {
    let bits = guard as u64;
    let (hi, lo) = (bits >> 32, bits & 0xffff_ffff);
    format!(
        "SELECT CAST((SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
         AND objsubid = 1 AND CAST(classid AS BIGINT) = {hi} \
         AND CAST(objid AS BIGINT) = {lo}) \
         + (SELECT count(*) FROM pg_stat_activity WHERE datname = {}) AS TEXT)",
        quote_literal(name, Dialect::Postgres)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_is_matched_literally() {
        assert_eq!(
            list_sql("stratum_verify_"),
            "SELECT CAST(datname AS TEXT) FROM pg_database WHERE datname LIKE \
             E'stratum\\\\_verify\\\\_%' ORDER BY datname"
        );
        assert_eq!(
            drop_sql("a\"b", true),
            "DROP DATABASE IF EXISTS \"a\"\"b\" WITH (FORCE)"
        );
    }
}

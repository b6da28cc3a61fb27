//! MariaDB sequences (10.3 and later): their names from `information_schema`,
//! then their start and step from the sequences themselves, all of them in one
//! `UNION ALL` query (MariaDB 10.x has no catalog view of sequence settings).
//! MySQL has no sequences and nothing is asked there.

use super::text;
use crate::introspect::{Ignored, IntrospectError, IntrospectStats};
use sqlx::MySqlConnection;
use sqlx::Row as _;
use stratum_core::dialect::SqlDialect as _;
use stratum_core::dialect::mysql::{DEFAULT, Flavour};
use stratum_core::schema::{Schema, Sequence};

/// The sequences of the current database.
const NAMES_QUERY: &str = "SELECT CAST(TABLE_NAME AS CHAR) AS name \
     FROM information_schema.TABLES \
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SEQUENCE' \
     ORDER BY TABLE_NAME";

/// One query that reads the start and step of every sequence in `names`.
fn settings_query(names: &[String]) -> String {
    names
        .iter()
        .map(|n| {
            format!(
                "SELECT CAST({} AS CHAR) AS name, CAST(start_value AS CHAR) AS start_value, \
                 CAST(increment AS CHAR) AS increment FROM {}",
                DEFAULT.quote_literal(n),
                DEFAULT.quote_ident(n)
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Adds the sequences of the current database (none on MySQL): one query for
/// their names, and one more for their settings when there are any.
pub(super) async fn add(
    conn: &mut MySqlConnection,
    flavour: Flavour,
    schema: &mut Schema,
    ignored: &Ignored,
    stats: &mut IntrospectStats,
) -> Result<(), IntrospectError> {
    if flavour != Flavour::MariaDb {
        return Ok(());
    }
    let query = "sequences";
    stats.queries += 1;
    let rows = sqlx::query(NAMES_QUERY)
        .fetch_all(&mut *conn)
        .await
        .map_err(|source| IntrospectError::Query { query, source })?;
    let mut names = Vec::new();
    for row in &rows {
        if let Some(name) = text(row, query, "name")?
            && !ignored.contains(&name)
        {
            names.push(name);
        }
    }
    if names.is_empty() {
        return Ok(());
    }
    stats.queries += 1;
    let sql = settings_query(&names);
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await
        .map_err(|source| IntrospectError::Query { query, source })?;
    for row in &rows {
        let number = |col: &str| -> Result<i64, IntrospectError> {
            let t = text(row, query, col)?.unwrap_or_default();
            t.parse().map_err(|_| IntrospectError::Unreadable {
                table: row.try_get::<String, _>("name").unwrap_or_default(),
                detail: format!("sequence {col} {t:?} is not an integer"),
            })
        };
        let name = text(row, query, "name")?.unwrap_or_default();
        let seq = Sequence {
            name: name.clone(),
            start: number("start_value")?,
            increment: number("increment")?,
        };
        schema.sequences.insert(name, seq);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_query_reads_every_sequence() {
        assert_eq!(
            settings_query(&["a".into(), "it's".into()]),
            "SELECT CAST('a' AS CHAR) AS name, CAST(start_value AS CHAR) AS start_value, \
             CAST(increment AS CHAR) AS increment FROM `a` UNION ALL \
             SELECT CAST('it''s' AS CHAR) AS name, CAST(start_value AS CHAR) AS start_value, \
             CAST(increment AS CHAR) AS increment FROM `it's`"
        );
    }
}

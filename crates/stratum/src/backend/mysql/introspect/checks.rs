//! The checks query: CHECK constraints of the current database (MariaDB 10.2
//! and MySQL 8.0.16 have `information_schema.CHECK_CONSTRAINTS`).
//!
//! MariaDB reports a column-level check (`LEVEL = 'Column'`) under the column's
//! name; a `json_valid` column check is the mark of a JSON column, not a
//! constraint of the model. The servers print a check's keywords in lowercase;
//! they are read in uppercase, as the dialect's stored form has them.

use super::text;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{Ignored, IntrospectError};
use sqlx::mysql::MySqlRow;
use std::collections::BTreeSet;
use stratum_core::dialect::mysql::{Flavour, check_from_mysql_catalog, uppercase_keywords};
use stratum_core::schema::{CheckConstraint, Schema};

/// Every check of the current database with its table, each
/// `information_schema` table in its own derived table (see the module's
/// documentation).
///
/// A check's name is unique in its table on MariaDB (a column-level check is
/// named after its column, so every JSON column named `payload` has a check
/// `payload`), and in its schema on MySQL, whose `CHECK_CONSTRAINTS` has no
/// `TABLE_NAME`. The table is therefore matched in `/*M! .. */` comments, which
/// only MariaDB executes: matching by name alone there paired every such check
/// with every table that had one of the same name.
const CHECKS_QUERY: &str = r#"
SELECT CAST(tc.TABLE_NAME AS CHAR) AS table_name,
       CAST(cc.CONSTRAINT_NAME AS CHAR) AS constraint_name,
       CAST(cc.CHECK_CLAUSE AS CHAR) AS check_clause
FROM (SELECT TABLE_NAME, CONSTRAINT_NAME
      FROM information_schema.TABLE_CONSTRAINTS
      WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'CHECK'
      LIMIT 18446744073709551615) tc
JOIN (SELECT CONSTRAINT_NAME, CHECK_CLAUSE /*M!, TABLE_NAME */
      FROM information_schema.CHECK_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE()
      LIMIT 18446744073709551615) cc
  ON cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME /*M! AND cc.TABLE_NAME = tc.TABLE_NAME */
ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME
"#;

/// One row of [`CHECKS_QUERY`].
pub(super) struct CheckRow {
    table: String,
    name: String,
    clause: String,
}

impl CatalogRow<MySqlRow> for CheckRow {
    const NAME: &'static str = "checks";
    const SQL: &'static str = CHECKS_QUERY;

    fn decode(row: &MySqlRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table: text(row, Self::NAME, "table_name")?.unwrap_or_default(),
            name: text(row, Self::NAME, "constraint_name")?.unwrap_or_default(),
            clause: text(row, Self::NAME, "check_clause")?.unwrap_or_default(),
        })
    }
}

impl CheckRow {
    /// The column this row marks as JSON: a check `json_valid(`c`)` named `c`
    /// (`json_valid("c")` under `ANSI_QUOTES`).
    fn json_column(&self) -> Option<(String, String)> {
        let inner = self
            .clause
            .trim()
            .strip_prefix("json_valid(")?
            .strip_suffix(')')?
            .trim()
            .trim_matches(|c| c == '`' || c == '"');
        (inner == self.name).then(|| (self.table.clone(), self.name.clone()))
    }
}

/// The (table, column) pairs of JSON columns.
pub(super) fn json_columns(rows: &[CheckRow]) -> BTreeSet<(String, String)> {
    rows.iter().filter_map(CheckRow::json_column).collect()
}

/// Adds the checks that are not JSON marks to their tables.
pub(super) fn add(schema: &mut Schema, flavour: Flavour, rows: Vec<CheckRow>, ignored: &Ignored) {
    for r in rows {
        if ignored.contains(&r.table) || r.json_column().is_some() {
            continue;
        }
        let Some(table) = schema.tables.get_mut(&r.table) else {
            continue;
        };
        table.checks.insert(
            r.name.clone(),
            CheckConstraint {
                name: r.name,
                expression: uppercase_keywords(&match flavour {
                    Flavour::Mysql => check_from_mysql_catalog(&r.clause),
                    Flavour::MariaDb => r.clause,
                }),
            },
        );
    }
}

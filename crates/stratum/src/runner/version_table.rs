//! The version table, laid out like Alembic's `alembic_version` so that a database
//! Alembic manages is taken over as it is: one `version_num varchar(32)` row per
//! current head, primary key `<table>_pkc`.

use super::conn::{fetch_scalar, fetch_text_rows};
use super::errors::{RunError, VersionTableError};
use crate::db::Connection;
use std::collections::BTreeSet;
use stratum_core::dialect::{Dialect, quote_ident as ident, quote_literal};

/// Longest revision id the version table holds (the one revision-id rule).
pub use stratum_ids::MAX_REVISION_ID_LEN;

/// Alembic's default version table name.
pub const DEFAULT_VERSION_TABLE: &str = "alembic_version";

/// The name of a version table, checked to be usable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VersionTable {
    name: String,
}

impl Default for VersionTable {
    fn default() -> Self {
        Self {
            name: DEFAULT_VERSION_TABLE.to_string(),
        }
    }
}

impl VersionTable {
    /// A version table of that name (1 to 63 characters, no quotes or control
    /// characters).
    pub fn new(name: impl Into<String>) -> Result<Self, VersionTableError> {
        let name = name.into();
        let ok = !name.is_empty()
            && name.len() <= 63
            && !name
                .chars()
                .any(|c| c.is_control() || c == '"' || c == '\'' || c == '\\');
        if ok {
            Ok(Self { name })
        } else {
            Err(VersionTableError::InvalidName(name))
        }
    }

    /// The table name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `CREATE TABLE IF NOT EXISTS` for this table (same text for both dialects).
    pub fn create_sql(&self) -> String {
        self.create_sql_quoted(ident)
    }

    /// [`Self::create_sql`] with the names quoted for `dialect`: the form of a
    /// script run by the database's own client, outside the engine's session.
    pub fn create_sql_for(&self, dialect: Dialect) -> String {
        self.create_sql_quoted(|name| dialect.quote_ident(name))
    }

    fn create_sql_quoted(&self, quote: impl Fn(&str) -> String) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (\n    version_num VARCHAR({MAX_REVISION_ID_LEN}) NOT NULL,\n    CONSTRAINT {} PRIMARY KEY (version_num)\n)",
            quote(&self.name),
            quote(&format!("{}_pkc", self.name)),
        )
    }

    /// The statements that turn the rows `from` into `to`: a single `UPDATE` when
    /// one head moves, otherwise a `DELETE` of rows not kept and an `INSERT` of new
    /// ones. Each comes with the number of rows it must affect.
    /// Names and values are quoted for `dialect`.
    pub fn update_statements(
        &self,
        dialect: Dialect,
        from: &[String],
        to: &[String],
    ) -> Vec<(String, u64)> {
        let literal = |v: &str| quote_literal(v, dialect);
        let before: BTreeSet<&str> = from.iter().map(String::as_str).collect();
        let after: BTreeSet<&str> = to.iter().map(String::as_str).collect();
        let removed: Vec<&str> = before.difference(&after).copied().collect();
        let added: Vec<&str> = after.difference(&before).copied().collect();
        let table = dialect.quote_ident(&self.name);
        let mut out = Vec::new();
        if removed.len() == 1 && added.len() == 1 {
            out.push((
                format!(
                    "UPDATE {table} SET version_num = {} WHERE version_num = {}",
                    literal(added[0]),
                    literal(removed[0])
                ),
                1,
            ));
            return out;
        }
        if !removed.is_empty() {
            out.push((
                format!(
                    "DELETE FROM {table} WHERE version_num IN ({})",
                    removed
                        .iter()
                        .map(|v| literal(v))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                removed.len() as u64,
            ));
        }
        for id in added {
            out.push((
                format!("INSERT INTO {table} (version_num) VALUES ({})", literal(id)),
                1,
            ));
        }
        out
    }

    /// `DELETE FROM` the table (for `stamp --purge`).
    pub(crate) fn purge_sql(&self) -> String {
        format!("DELETE FROM {}", ident(&self.name))
    }

    /// Whether the table exists (in the current schema on PostgreSQL).
    pub(crate) async fn exists(&self, conn: &mut Connection) -> Result<bool, RunError> {
        table_exists(conn, &self.name).await
    }

    /// The query that reads the heads, one row each.
    pub(crate) fn heads_sql(&self, dialect: Dialect) -> String {
        format!(
            "SELECT {} FROM {}",
            dialect.sql().text_cast("version_num"),
            ident(&self.name)
        )
    }

    /// Reads the current heads: `None` when the table does not exist. Duplicate or
    /// malformed rows are refused.
    pub async fn read_heads(&self, conn: &mut Connection) -> Result<Option<Vec<String>>, RunError> {
        if !self.exists(conn).await? {
            return Ok(None);
        }
        let rows = match fetch_text_rows(conn, &self.heads_sql(conn.dialect())).await {
            Ok(rows) => rows,
            Err(e) if super::errors::WaitKind::of(&e).is_some() => {
                return Err(RunError::on_table(
                    "reading the version table",
                    &self.name,
                    e,
                ));
            }
            Err(e) => {
                return Err(VersionTableError::NotAVersionTable {
                    table: self.name.clone(),
                    message: super::conn::error_message(&e),
                }
                .into());
            }
        };
        let values = rows.into_iter().map(|r| r.into_iter().next().flatten());
        Ok(Some(self.validate_rows(values)?))
    }

    /// Checks rows read from the table and returns them sorted.
    pub(crate) fn validate_rows(
        &self,
        rows: impl IntoIterator<Item = Option<String>>,
    ) -> Result<Vec<String>, VersionTableError> {
        let mut seen = BTreeSet::new();
        for row in rows {
            let malformed = |reason| VersionTableError::Malformed {
                table: self.name.clone(),
                row: row.clone(),
                reason,
            };
            let Some(value) = row.as_deref() else {
                return Err(malformed("NULL"));
            };
            if value.trim().is_empty() {
                return Err(malformed("empty"));
            }
            if value.trim() != value {
                return Err(malformed("leading or trailing whitespace"));
            }
            if value.chars().count() > MAX_REVISION_ID_LEN {
                return Err(malformed("longer than 32 characters"));
            }
            if value
                .chars()
                .any(|c| c.is_control() || c == '\'' || c == '\\')
            {
                return Err(malformed("quote, backslash or control character"));
            }
            if !seen.insert(value.to_string()) {
                return Err(VersionTableError::Duplicate {
                    table: self.name.clone(),
                    revision: value.to_string(),
                });
            }
        }
        Ok(seen.into_iter().collect())
    }
}

/// Whether a table of that name exists (in the current schema, where the
/// database has schemas).
pub(crate) async fn table_exists(conn: &mut Connection, name: &str) -> Result<bool, RunError> {
    let sql = conn.backend().table_exists_sql(name);
    let count = fetch_scalar(conn, &sql)
        .await
        .map_err(|e| RunError::db("checking whether a table exists", e))?;
    Ok(count.as_deref().is_some_and(|c| c != "0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn ddl_matches_alembic_layout() {
        let t = VersionTable::default();
        let sql = t.create_sql();
        assert!(sql.contains("\"alembic_version\""));
        assert!(sql.contains("version_num VARCHAR(32) NOT NULL"));
        assert!(sql.contains("CONSTRAINT \"alembic_version_pkc\" PRIMARY KEY (version_num)"));
    }

    /// A script for a database's own client names the table in that database's
    /// quotes: backticks on MariaDB/MySQL, where double quotes are strings
    /// unless the session has `ANSI_QUOTES`.
    #[test]
    fn names_are_quoted_for_the_dialect() {
        let t = VersionTable::default();
        assert_eq!(t.create_sql_for(Dialect::Postgres), t.create_sql());
        assert_eq!(
            t.create_sql_for(Dialect::Mysql),
            "CREATE TABLE IF NOT EXISTS `alembic_version` (\n    version_num VARCHAR(32) NOT NULL,\n    CONSTRAINT `alembic_version_pkc` PRIMARY KEY (version_num)\n)"
        );
        let st = t.update_statements(Dialect::Mysql, &s(&["001", "002"]), &s(&["003"]));
        assert_eq!(
            st,
            vec![
                (
                    "DELETE FROM `alembic_version` WHERE version_num IN ('001', '002')".to_string(),
                    2
                ),
                (
                    "INSERT INTO `alembic_version` (version_num) VALUES ('003')".to_string(),
                    1
                )
            ]
        );
    }

    #[test]
    fn names_are_checked() {
        assert!(VersionTable::new("").is_err());
        assert!(VersionTable::new("a\"b").is_err());
        assert!(VersionTable::new("x".repeat(64)).is_err());
        assert_eq!(
            VersionTable::new("my_versions").unwrap().name(),
            "my_versions"
        );
    }

    #[test]
    fn one_head_moving_is_an_update() {
        let t = VersionTable::default();
        let st = t.update_statements(Dialect::Postgres, &s(&["001"]), &s(&["002"]));
        assert_eq!(
            st,
            vec![(
                "UPDATE \"alembic_version\" SET version_num = '002' WHERE version_num = '001'"
                    .to_string(),
                1
            )]
        );
    }

    #[test]
    fn merges_delete_and_insert() {
        let t = VersionTable::default();
        let st = t.update_statements(Dialect::Postgres, &s(&["a", "b"]), &s(&["m"]));
        assert_eq!(st.len(), 2);
        assert_eq!(
            st[0],
            (
                "DELETE FROM \"alembic_version\" WHERE version_num IN ('a', 'b')".to_string(),
                2
            )
        );
        assert_eq!(st[1].1, 1);
        assert!(st[1].0.contains("VALUES ('m')"));
        let from_base = t.update_statements(Dialect::Postgres, &[], &s(&["001"]));
        assert_eq!(from_base.len(), 1);
        assert!(from_base[0].0.starts_with("INSERT"));
        let to_base = t.update_statements(Dialect::Postgres, &s(&["001"]), &[]);
        assert!(to_base[0].0.starts_with("DELETE"));
        assert!(
            t.update_statements(Dialect::Postgres, &s(&["x"]), &s(&["x"]))
                .is_empty()
        );
    }

    #[test]
    fn malformed_and_duplicate_rows_are_refused() {
        let t = VersionTable::default();
        assert_eq!(
            t.validate_rows([Some("b".into()), Some("a".into())])
                .unwrap(),
            s(&["a", "b"])
        );
        assert!(matches!(
            t.validate_rows([Some("a".into()), Some("a".into())]),
            Err(VersionTableError::Duplicate { revision, .. }) if revision == "a"
        ));
        for bad in [
            None,
            Some(String::new()),
            Some(" a".into()),
            Some("x".repeat(33)),
        ] {
            assert!(
                matches!(
                    t.validate_rows([bad.clone()]),
                    Err(VersionTableError::Malformed { .. })
                ),
                "{bad:?}"
            );
        }
    }
}

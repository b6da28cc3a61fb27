//! Rules for objects the models do not own: tables, columns, enum types and
//! schemas that
//! `check`, `diff`, `verify`, `schema --source db` and autogenerate leave out of
//! every comparison, on both sides.
//!
//! ```toml
//! [ignore]                       # for every environment
//! tables = ["user_notes", "tmp_*"]
//! columns = ["acquisition.legacy_*", "*.etl_loaded_at"]   # TABLE.COLUMN
//! types = ["postgis_*"]
//!
//! [environments.production.ignore]   # added to the global rules
//! tables = ["legacy_report_?"]
//! schemas = ["audit"]
//! ```
//!
//! A pattern is a name, or a glob where `*` matches any run of characters and
//! `?` any one character; matching is exact otherwise (case-sensitive, as
//! quoted SQL names are).

use super::errors::ConfigError;
use serde::Deserialize;
use stratum_core::schema::Schema;

/// Names and glob patterns of objects to leave out of comparisons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreRules {
    /// Tables, by name or pattern.
    #[serde(default)]
    pub tables: Vec<String>,
    /// Columns, as `TABLE.COLUMN` (each part a name or pattern). An index,
    /// unique constraint or foreign key over an ignored column is left out
    /// with it.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Enum types, by name or pattern.
    #[serde(default)]
    pub types: Vec<String>,
    /// Schemas (PostgreSQL) whose every object is left out, by name or pattern.
    #[serde(default)]
    pub schemas: Vec<String>,
}

impl IgnoreRules {
    /// Whether no rule is set.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
            && self.columns.is_empty()
            && self.types.is_empty()
            && self.schemas.is_empty()
    }

    /// These rules followed by `other`'s.
    pub fn merged(mut self, other: &IgnoreRules) -> Self {
        for (mine, theirs) in [
            (&mut self.tables, &other.tables),
            (&mut self.columns, &other.columns),
            (&mut self.types, &other.types),
            (&mut self.schemas, &other.schemas),
        ] {
            for p in theirs {
                if !mine.contains(p) {
                    mine.push(p.clone());
                }
            }
        }
        self
    }

    /// Refuses empty patterns; `origin` says where the rules were written.
    pub fn validate(&self, origin: &str) -> Result<(), ConfigError> {
        for (kind, patterns) in [
            ("tables", &self.tables),
            ("columns", &self.columns),
            ("types", &self.types),
            ("schemas", &self.schemas),
        ] {
            if patterns.iter().any(|p| p.trim().is_empty()) {
                return Err(ConfigError::InvalidIgnore {
                    origin: origin.to_string(),
                    reason: format!(
                        "an empty pattern in `{kind}`; write a name, or a glob with * and ?"
                    ),
                });
            }
        }
        if let Some(p) = self.columns.iter().find(|p| !p.contains('.')) {
            return Err(ConfigError::InvalidIgnore {
                origin: origin.to_string(),
                reason: format!(
                    "column pattern `{p}` names no table; write TABLE.COLUMN, e.g. `*.{p}` for every table"
                ),
            });
        }
        Ok(())
    }

    /// Whether the column `column` of `table` is left out.
    pub fn ignores_column(&self, table: &str, column: &str) -> bool {
        self.columns.iter().any(|p| {
            p.split_once('.')
                .is_some_and(|(t, c)| glob_match(t, table) && glob_match(c, column))
        })
    }

    /// Whether the table `name` is left out.
    pub fn ignores_table(&self, name: &str) -> bool {
        self.tables.iter().any(|p| glob_match(p, name))
    }

    /// Whether the enum type `name` is left out.
    pub fn ignores_type(&self, name: &str) -> bool {
        self.types.iter().any(|p| glob_match(p, name))
    }

    /// Whether the schema `name` is left out.
    pub fn ignores_schema(&self, name: &str) -> bool {
        self.schemas.iter().any(|p| glob_match(p, name))
    }

    /// Removes the ignored tables and enum types from `schema` (a schema read
    /// from models or revisions, or one introspected without these rules).
    pub fn apply(&self, schema: &mut Schema) {
        if self.is_empty() {
            return;
        }
        schema.tables.retain(|name, _| !self.ignores_table(name));
        schema.enums.retain(|name, _| !self.ignores_type(name));
        if self.columns.is_empty() {
            return;
        }
        for table in schema.tables.values_mut() {
            let name = table.name.clone();
            let gone = |c: &String| self.ignores_column(&name, c);
            table
                .columns
                .retain(|c| !self.ignores_column(&name, &c.name));
            table.indexes.retain(|_, i| !i.columns.iter().any(gone));
            table.uniques.retain(|_, u| !u.columns.iter().any(gone));
            table
                .foreign_keys
                .retain(|_, f| !f.columns.iter().any(gone));
        }
    }

    /// [`IgnoreRules::apply`] on a copy.
    pub fn applied(&self, schema: &Schema) -> Schema {
        let mut s = schema.clone();
        self.apply(&mut s);
        s
    }
}

/// Whether `text` matches `pattern`, where `*` is any run of characters and `?`
/// one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with one backtracking point (the last `*`).
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use stratum_core::schema::{EnumType, Table};

    #[test]
    fn globs_match_names_exactly_or_by_pattern() {
        assert!(glob_match("user_notes", "user_notes"));
        assert!(!glob_match("user_notes", "user_notes2"));
        assert!(!glob_match("user_notes", "User_notes"));
        assert!(glob_match("tmp_*", "tmp_"));
        assert!(glob_match("tmp_*", "tmp_2024_01"));
        assert!(!glob_match("tmp_*", "xtmp_1"));
        assert!(glob_match("*_old", "orders_old"));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
        assert!(glob_match("log_?", "log_1"));
        assert!(!glob_match("log_?", "log_12"));
        assert!(glob_match("*", ""));
        assert!(!glob_match("", "x"));
    }

    #[test]
    fn rules_remove_tables_and_types_and_merge_without_repeats() {
        let global = IgnoreRules {
            tables: vec!["user_*".into()],
            ..Default::default()
        };
        let env = IgnoreRules {
            tables: vec!["user_*".into(), "audit".into()],
            types: vec!["mood".into()],
            ..Default::default()
        };
        let rules = global.merged(&env);
        assert_eq!(rules.tables, ["user_*", "audit"]);
        let mut schema = Schema::new();
        for t in ["user_notes", "audit", "grid"] {
            schema.tables.insert(t.into(), Table::new(t));
        }
        for e in ["mood", "status"] {
            schema.enums.insert(
                e.into(),
                EnumType {
                    name: e.into(),
                    values: vec!["a".into()],
                },
            );
        }
        rules.apply(&mut schema);
        assert_eq!(schema.tables.keys().collect::<Vec<_>>(), ["grid"]);
        assert_eq!(schema.enums.keys().collect::<Vec<_>>(), ["status"]);
    }

    #[test]
    fn empty_patterns_are_refused_with_where_they_are() {
        let rules = IgnoreRules {
            types: vec![" ".into()],
            ..Default::default()
        };
        let err = rules
            .validate("[ignore] in x.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("x.toml") && err.contains("types"), "{err}");
    }

    #[test]
    fn ignored_columns_leave_with_their_indexes_and_keys() {
        use stratum_core::schema::{Column, ColumnType, Index};
        let rules = IgnoreRules {
            columns: vec!["grid.legacy_*".into(), "*.etl_at".into()],
            ..Default::default()
        };
        assert!(rules.validate("x").is_ok());
        let mut table = Table::new("grid");
        for c in ["id", "legacy_code", "etl_at"] {
            table.columns.push(Column {
                name: c.into(),
                ty: ColumnType::Text,
                nullable: true,
                default: None,
                auto_increment: None,
            });
        }
        for (name, cols) in [("ix_legacy", vec!["legacy_code"]), ("ix_id", vec!["id"])] {
            table.indexes.insert(
                name.into(),
                Index {
                    name: name.into(),
                    columns: cols.into_iter().map(String::from).collect(),
                    unique: false,
                    method: None,
                    predicate: None,
                },
            );
        }
        let mut schema = Schema::new();
        schema.tables.insert("grid".into(), table);
        rules.apply(&mut schema);
        let grid = &schema.tables["grid"];
        let names: Vec<&str> = grid.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id"]);
        assert_eq!(grid.indexes.keys().collect::<Vec<_>>(), ["ix_id"]);
        assert!(rules.ignores_column("other", "etl_at"));
        assert!(!rules.ignores_column("other", "legacy_code"));
        let bad = IgnoreRules {
            columns: vec!["legacy_code".into()],
            ..Default::default()
        };
        let err = bad.validate("[ignore] of x.toml").unwrap_err().to_string();
        assert!(err.contains("TABLE.COLUMN"), "{err}");
    }
}

//! The `CREATE TABLE` text SQLite keeps in `sqlite_master`: what it says beyond
//! the pragmas (constraint names, checks, enum checks, `AUTOINCREMENT`, foreign
//! keys as written).

use super::text_fk::TextFk;
use crate::introspect::sqltext::{Token, name_list, split_commas, tokenize};
use std::collections::BTreeMap;
use stratum_core::dialect::sqlite::{parse_enum_check_expression, parse_enum_check_name};

/// What the `CREATE TABLE` text says beyond the pragmas.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct CreateTable {
    /// Per column: AUTOINCREMENT, enum type from its enum check.
    pub(super) columns: BTreeMap<String, ColumnInfo>,
    /// `CONSTRAINT name PRIMARY KEY`.
    pub(super) primary_key_name: Option<String>,
    /// Unique constraints: columns and name, if named.
    pub(super) unique_names: Vec<(Vec<String>, Option<String>)>,
    /// Foreign keys as written, in order.
    pub(super) fks: Vec<TextFk>,
    /// Check constraints (name if named, expression), not counting enum checks.
    pub(super) checks: Vec<(Option<String>, String)>,
    /// Enum columns, from their enum checks: column to enum type and labels.
    pub(super) enum_columns: BTreeMap<String, (String, Vec<String>)>,
}

#[derive(Debug, Default, PartialEq)]
pub(super) struct ColumnInfo {
    pub(super) autoincrement: bool,
}

impl CreateTable {
    /// Parses `CREATE TABLE name (...) [options]`.
    pub(crate) fn parse(sql: &str) -> Option<CreateTable> {
        let tokens = tokenize(sql)?;
        let body = tokens.iter().find_map(Token::group_inner)?;
        let items = tokenize(body)?;
        let mut ct = CreateTable::default();
        for item in split_commas(&items) {
            ct.read_item(item)?;
        }
        Some(ct)
    }

    fn read_item(&mut self, item: &[Token]) -> Option<()> {
        let first = item.first()?;
        let is_table_constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|k| first.is_kw(k));
        if is_table_constraint {
            self.read_table_constraint(item);
            return Some(());
        }
        let column = first.name()?;
        let mut info = ColumnInfo::default();
        let mut name: Option<String> = None;
        let mut i = 1;
        while i < item.len() {
            let t = &item[i];
            if t.is_kw("CONSTRAINT") {
                name = item.get(i + 1).and_then(Token::name);
                i += 2;
                continue;
            }
            if t.is_kw("AUTOINCREMENT") {
                info.autoincrement = true;
            } else if t.is_kw("PRIMARY") {
                if name.is_some() {
                    self.primary_key_name = name.take();
                }
            } else if t.is_kw("UNIQUE") {
                self.unique_names.push((vec![column.clone()], name.take()));
            } else if t.is_kw("CHECK") {
                let expr = item.get(i + 1)?.group_inner()?.trim().to_string();
                self.add_check(name.take(), expr);
                i += 1;
            } else if t.is_kw("REFERENCES") {
                let (fk, used) = TextFk::parse_references(&item[i + 1..], vec![column.clone()])?;
                self.fks.push(TextFk {
                    name: name.take(),
                    ..fk
                });
                i += used;
            }
            i += 1;
        }
        self.columns.insert(column, info);
        Some(())
    }

    /// Records a check constraint, or an enum column when the check is one that
    /// encodes an enum type.
    fn add_check(&mut self, name: Option<String>, expr: String) {
        let as_enum =
            name.as_deref()
                .and_then(parse_enum_check_name)
                .and_then(|(enum_name, column)| {
                    let (checked, values) = parse_enum_check_expression(&expr)?;
                    (checked == column).then_some((column, enum_name, values))
                });
        match as_enum {
            Some((column, enum_name, values)) => {
                self.enum_columns.insert(column, (enum_name, values));
            }
            None => self.checks.push((name, expr)),
        }
    }

    fn read_table_constraint(&mut self, item: &[Token]) {
        let (name, rest) = if item[0].is_kw("CONSTRAINT") {
            (
                item.get(1).and_then(Token::name),
                item.get(2..).unwrap_or(&[]),
            )
        } else {
            (None, item)
        };
        let Some(kind) = rest.first() else {
            return;
        };
        if kind.is_kw("PRIMARY") {
            self.primary_key_name = name;
        } else if kind.is_kw("UNIQUE") {
            if let Some(cols) = rest.get(1).and_then(name_list) {
                self.unique_names.push((cols, name));
            }
        } else if kind.is_kw("CHECK") {
            if let Some(expr) = rest.get(1).and_then(Token::group_inner) {
                self.add_check(name, expr.trim().to_string());
            }
        } else if kind.is_kw("FOREIGN") {
            // FOREIGN KEY (cols) REFERENCES t (cols) ...
            let cols = rest.get(2).and_then(name_list);
            let refs = rest.iter().position(|t| t.is_kw("REFERENCES"));
            if let (Some(cols), Some(p)) = (cols, refs)
                && let Some((fk, _)) = TextFk::parse_references(&rest[p + 1..], cols)
            {
                self.fks.push(TextFk { name, ..fk });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use stratum_core::schema::FkAction;

    #[test]
    fn reads_create_table_text() {
        let ct = CreateTable::parse(
            r#"CREATE TABLE "t" (
                "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                "a" TEXT CONSTRAINT "a_u" UNIQUE,
                "p" INTEGER REFERENCES "parent" ("id") ON DELETE CASCADE,
                CONSTRAINT "ck_pos" CHECK ("p" > 0),
                CONSTRAINT "t_pk" PRIMARY KEY ("id"),
                CONSTRAINT "fk_p" FOREIGN KEY ("a", "p") REFERENCES "other" ("x", "y") ON UPDATE SET NULL,
                UNIQUE ("a", "p")
            )"#,
        )
        .unwrap();
        assert!(ct.columns["id"].autoincrement);
        assert!(ct.enum_columns.is_empty());
        assert!(!ct.columns["a"].autoincrement);
        assert_eq!(ct.primary_key_name.as_deref(), Some("t_pk"));
        assert_eq!(
            ct.unique_names,
            [
                (vec!["a".to_string()], Some("a_u".to_string())),
                (vec!["a".to_string(), "p".to_string()], None)
            ]
        );
        assert_eq!(
            ct.checks,
            [(Some("ck_pos".to_string()), r#""p" > 0"#.to_string())]
        );
        assert_eq!(ct.fks.len(), 2);
        assert_eq!(ct.fks[0].on_delete, FkAction::Cascade);
        assert_eq!(ct.fks[0].ref_columns, ["id"]);
        assert_eq!(
            ct.fks[1],
            TextFk {
                name: Some("fk_p".to_string()),
                columns: vec!["a".to_string(), "p".to_string()],
                ref_table: "other".to_string(),
                ref_columns: vec!["x".to_string(), "y".to_string()],
                on_delete: FkAction::NoAction,
                on_update: FkAction::SetNull,
            }
        );
    }

    #[test]
    fn reads_enum_columns_from_their_checks() {
        let ct = CreateTable::parse(
            r#"CREATE TABLE "t" (
                "s" TEXT NOT NULL DEFAULT 'a' CONSTRAINT "enum:st:s" CHECK ("s" IN ('a', 'it''s')),
                "n" INTEGER CONSTRAINT "ck_n" CHECK ("n" IN (1, 2))
            )"#,
        )
        .unwrap();
        assert_eq!(
            ct.enum_columns["s"],
            ("st".to_string(), vec!["a".to_string(), "it's".to_string()])
        );
        assert_eq!(
            ct.checks,
            [(Some("ck_n".to_string()), r#""n" IN (1, 2)"#.to_string())]
        );
    }
}

//! Foreign keys as a table's `CREATE TABLE` text declares them.

use crate::introspect::sqltext::{Token, name_list};
use stratum_core::schema::{FkAction, ForeignKey};

/// A foreign key as the table's text declares it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TextFk {
    pub(super) name: Option<String>,
    pub(super) columns: Vec<String>,
    pub(super) ref_table: String,
    /// Empty when the text leaves them out (the referenced primary key).
    pub(super) ref_columns: Vec<String>,
    pub(super) on_delete: FkAction,
    pub(super) on_update: FkAction,
}

impl TextFk {
    /// Reads `t [(cols)] [ON DELETE a] [ON UPDATE a] ...` (the tokens after
    /// `REFERENCES`); returns the key and the number of tokens read.
    pub(super) fn parse_references(
        tokens: &[Token],
        columns: Vec<String>,
    ) -> Option<(TextFk, usize)> {
        let ref_table = tokens.first()?.name()?;
        let mut i = 1;
        let mut ref_columns = Vec::new();
        if let Some(g @ Token::Group(_)) = tokens.get(1) {
            ref_columns = name_list(g)?;
            i += 1;
        }
        let (mut on_delete, mut on_update) = (FkAction::NoAction, FkAction::NoAction);
        while tokens.get(i).is_some_and(|t| t.is_kw("ON")) {
            let target = tokens.get(i + 1)?;
            let first = tokens.get(i + 2)?;
            let (action, len) = if first.is_kw("SET") || first.is_kw("NO") {
                let second = tokens.get(i + 3)?;
                let word = |t: &Token| match t {
                    Token::Word(w) => w.to_ascii_uppercase(),
                    _ => String::new(),
                };
                (fk_action(&format!("{} {}", word(first), word(second))), 2)
            } else {
                match first {
                    Token::Word(w) => (fk_action(w), 1),
                    _ => return None,
                }
            };
            if target.is_kw("DELETE") {
                on_delete = action;
            } else if target.is_kw("UPDATE") {
                on_update = action;
            }
            i += 2 + len;
        }
        Some((
            TextFk {
                name: None,
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_update,
            },
            i,
        ))
    }

    /// Whether this declaration describes `fk` (as the pragma reads it).
    pub(super) fn describes(&self, fk: &ForeignKey, exactly: bool) -> bool {
        self.columns == fk.columns
            && self.ref_table.eq_ignore_ascii_case(&fk.ref_table)
            && (!exactly
                || ((self.ref_columns.is_empty() || self.ref_columns == fk.ref_columns)
                    && self.on_delete == fk.on_delete
                    && self.on_update == fk.on_update))
    }
}

/// An `ON DELETE` / `ON UPDATE` action as SQLite spells it.
pub(super) fn fk_action(s: &str) -> FkAction {
    match s.to_ascii_uppercase().as_str() {
        "RESTRICT" => FkAction::Restrict,
        "CASCADE" => FkAction::Cascade,
        "SET NULL" => FkAction::SetNull,
        "SET DEFAULT" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

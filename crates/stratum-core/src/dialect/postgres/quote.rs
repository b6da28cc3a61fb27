//! PostgreSQL quoting: the only place PostgreSQL identifiers and strings become
//! SQL text.

use crate::dialect::common::{double_quote_ident, ident_list};

/// An identifier, always double-quoted, embedded double quotes doubled.
pub(super) fn quote_ident(name: &str) -> String {
    double_quote_ident(name)
}

/// A comma-separated list of quoted identifiers.
pub(super) fn quote_ident_list<S: AsRef<str>>(names: &[S]) -> String {
    ident_list(names, quote_ident)
}

/// A string literal: embedded single quotes doubled; a string with a backslash is
/// written as an escape string (`E'a\\b'`, backslashes doubled), so its meaning does
/// not depend on `standard_conforming_strings`.
pub(super) fn quote_literal(value: &str) -> String {
    let escape_backslashes = value.contains('\\');
    let mut out = String::with_capacity(value.len() + 3);
    if escape_backslashes {
        out.push('E');
    }
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' if escape_backslashes => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

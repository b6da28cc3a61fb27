//! SQLite quoting: the only place SQLite identifiers and strings become SQL text.

use crate::dialect::common::{double_quote_ident, ident_list};

/// An identifier, always double-quoted, embedded double quotes doubled.
pub(super) fn quote_ident(name: &str) -> String {
    double_quote_ident(name)
}

/// A comma-separated list of quoted identifiers.
pub(super) fn quote_ident_list<S: AsRef<str>>(names: &[S]) -> String {
    ident_list(names, quote_ident)
}

/// A string literal: embedded single quotes doubled (SQLite never treats
/// backslashes specially).
pub(super) fn quote_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\'' {
            out.push('\'');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

//! MySQL/MariaDB quoting: the only place identifiers and strings become SQL text
//! for these servers.

use crate::dialect::common::ident_list;

/// An identifier in backticks, embedded backticks doubled.
pub(super) fn quote_ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('`');
    for c in name.chars() {
        if c == '`' {
            out.push('`');
        }
        out.push(c);
    }
    out.push('`');
    out
}

/// A comma-separated list of backtick-quoted identifiers.
pub(super) fn quote_ident_list<S: AsRef<str>>(names: &[S]) -> String {
    ident_list(names, quote_ident)
}

/// A string literal whose meaning does not depend on `sql_mode`: embedded single
/// quotes are doubled; a string with a backslash (an escape character unless
/// `NO_BACKSLASH_ESCAPES` is set) is written as a hexadecimal literal of its UTF-8
/// bytes with a character set introducer (`_utf8mb4 X'615C62'`).
pub(super) fn quote_literal(value: &str) -> String {
    if value.contains('\\') {
        let hex: String = value.bytes().map(|b| format!("{b:02X}")).collect();
        return format!("_utf8mb4 X'{hex}'");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_in_backticks() {
        assert_eq!(quote_ident("group"), "`group`");
        assert_eq!(quote_ident("a`b"), "`a``b`");
        assert_eq!(quote_ident("we\"ird"), "`we\"ird`");
        assert_eq!(quote_ident_list(&["a", "b c"]), "`a`, `b c`");
    }

    #[test]
    fn literals_never_rely_on_backslash_escapes() {
        assert_eq!(quote_literal("it's"), "'it''s'");
        assert_eq!(quote_literal(""), "''");
        assert_eq!(quote_literal("a\\b"), "_utf8mb4 X'615C62'");
        assert_eq!(quote_literal("é\\"), "_utf8mb4 X'C3A95C'");
    }
}

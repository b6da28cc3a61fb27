//! Quoting: the one place where identifiers and values become SQL text.
//!
//! Every renderer builds SQL from these functions; no identifier or value is
//! interpolated into SQL anywhere else. Identifiers are always double-quoted (so
//! reserved words such as `group` or `timestamp`, mixed case and any character are
//! safe), values are always single-quoted string literals or plain numeric and
//! boolean keywords.

use super::Dialect;
use crate::schema::ColumnType;
use thiserror::Error;

/// An identifier as SQL: always double-quoted, embedded double quotes doubled.
///
/// ```
/// use stratum_core::dialect::quote_ident;
/// assert_eq!(quote_ident("group"), "\"group\"");
/// assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
/// ```
pub fn quote_ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A comma-separated list of quoted identifiers: `"a", "b"`.
pub fn quote_ident_list<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|n| quote_ident(n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A string as an SQL string literal for that dialect.
///
/// Embedded single quotes are doubled. On PostgreSQL a string that contains a
/// backslash is written as an escape string (`E'a\\b'`, backslashes doubled), so its
/// meaning does not depend on the `standard_conforming_strings` setting; SQLite never
/// treats backslashes specially.
///
/// ```
/// use stratum_core::dialect::{quote_literal, Dialect};
/// assert_eq!(quote_literal("it's", Dialect::Postgres), "'it''s'");
/// assert_eq!(quote_literal("a\\b", Dialect::Postgres), "E'a\\\\b'");
/// assert_eq!(quote_literal("a\\b", Dialect::Sqlite), "'a\\b'");
/// ```
pub fn quote_literal(value: &str, dialect: Dialect) -> String {
    let escape_backslashes = dialect == Dialect::Postgres && value.contains('\\');
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

/// Why a value cannot be written into a column.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValueError {
    /// A JSON object or array given for a column that is not `json`/`jsonb`.
    #[error(
        "a JSON {kind} cannot be stored in a column of type {ty}; \
         declare the column json or jsonb, or pass a string"
    )]
    NestedValue {
        /// `object` or `array`.
        kind: &'static str,
        /// The column's type.
        ty: ColumnType,
    },
    /// A string with a NUL character, which PostgreSQL text cannot hold and SQLite's
    /// SQL text cannot carry.
    #[error("the value contains a NUL character, which cannot be written into SQL text; remove it")]
    NulCharacter,
}

/// A JSON-like value (of a bulk insert or delete row) as an SQL literal for a column
/// of type `ty`.
///
/// - `null` is SQL `NULL` (also in `json`/`jsonb` columns: a JSON `null` cannot be
///   told apart from a missing value in a row);
/// - in `json`/`jsonb` columns every other value is stored as its JSON text, as a
///   string literal (`{"a": 1}` → `'{"a":1}'`, `"x"` → `'"x"'`, `5` → `'5'`);
/// - elsewhere strings are string literals, numbers are written as they are,
///   booleans are `TRUE`/`FALSE`; objects and arrays are refused.
pub fn literal(
    value: &serde_json::Value,
    ty: &ColumnType,
    dialect: Dialect,
) -> Result<String, ValueError> {
    use serde_json::Value;
    let is_json = matches!(ty, ColumnType::Json | ColumnType::Jsonb);
    let text = match value {
        Value::Null => return Ok("NULL".to_string()),
        _ if is_json => value.to_string(),
        Value::Bool(true) => return Ok("TRUE".to_string()),
        Value::Bool(false) => return Ok("FALSE".to_string()),
        Value::Number(n) => return Ok(n.to_string()),
        Value::String(s) => s.clone(),
        Value::Array(_) => {
            return Err(ValueError::NestedValue {
                kind: "array",
                ty: ty.clone(),
            });
        }
        Value::Object(_) => {
            return Err(ValueError::NestedValue {
                kind: "object",
                ty: ty.clone(),
            });
        }
    };
    if text.contains('\0') {
        return Err(ValueError::NulCharacter);
    }
    Ok(quote_literal(&text, dialect))
}

/// Whether `s` is a plain decimal number (`-12`, `0.5`, `+3.25`, `.5`), safe to
/// write into SQL as it is.
pub fn is_decimal_literal(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let has_digit = !int.is_empty() || frac.is_some_and(|f| !f.is_empty());
    has_digit && digits(int) && frac.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn identifiers_are_always_quoted() {
        assert_eq!(quote_ident("t"), "\"t\"");
        assert_eq!(quote_ident("timestamp"), "\"timestamp\"");
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(quote_ident(""), "\"\"");
        assert_eq!(quote_ident_list(&["a", "b c"]), "\"a\", \"b c\"");
    }

    #[test]
    fn literals_double_quotes_and_escape_backslashes_on_postgres() {
        assert_eq!(quote_literal("O'Brien", Dialect::Sqlite), "'O''Brien'");
        assert_eq!(quote_literal("", Dialect::Postgres), "''");
        assert_eq!(quote_literal("a\\'b", Dialect::Postgres), "E'a\\\\''b'");
        assert_eq!(quote_literal("a\\'b", Dialect::Sqlite), "'a\\''b'");
    }

    #[test]
    fn values_by_column_type() {
        let pg = Dialect::Postgres;
        assert_eq!(
            literal(&json!(null), &ColumnType::Jsonb, pg).unwrap(),
            "NULL"
        );
        assert_eq!(
            literal(&json!({"a": "it's"}), &ColumnType::Jsonb, pg).unwrap(),
            "'{\"a\":\"it''s\"}'"
        );
        assert_eq!(
            literal(&json!("x"), &ColumnType::Json, pg).unwrap(),
            "'\"x\"'"
        );
        assert_eq!(literal(&json!(5), &ColumnType::Jsonb, pg).unwrap(), "'5'");
        assert_eq!(literal(&json!(5), &ColumnType::Integer, pg).unwrap(), "5");
        assert_eq!(
            literal(&json!(-0.25), &ColumnType::Double, pg).unwrap(),
            "-0.25"
        );
        assert_eq!(
            literal(&json!(true), &ColumnType::Boolean, pg).unwrap(),
            "TRUE"
        );
        assert_eq!(
            literal(&json!("a'b"), &ColumnType::Text, pg).unwrap(),
            "'a''b'"
        );
        assert_eq!(
            literal(&json!([1]), &ColumnType::Text, pg),
            Err(ValueError::NestedValue {
                kind: "array",
                ty: ColumnType::Text
            })
        );
        assert_eq!(
            literal(&json!("a\0b"), &ColumnType::Text, pg),
            Err(ValueError::NulCharacter)
        );
        assert_eq!(
            literal(&json!("a\0b"), &ColumnType::Text, Dialect::Sqlite),
            Err(ValueError::NulCharacter)
        );
    }

    #[test]
    fn decimal_literals() {
        for ok in ["0", "-12", "+3.25", "0.5", ".5", "5."] {
            assert!(is_decimal_literal(ok), "{ok}");
        }
        for bad in ["", "-", ".", "1e5", "1;DROP", "0x10", "1.2.3", " 1"] {
            assert!(!is_decimal_literal(bad), "{bad}");
        }
    }
}

//! Values as SQL: row values and decimal defaults, written the same way by every
//! dialect around the dialect's own string quoting.

use super::RenderError;
use crate::schema::ColumnType;
use thiserror::Error;

/// Why a value cannot be written into a column.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
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

/// A JSON-like value as an SQL literal for a column of type `ty`, strings quoted by
/// `quote` (see [`super::literal`]).
pub(crate) fn literal_with(
    value: &serde_json::Value,
    ty: &ColumnType,
    quote: impl Fn(&str) -> String,
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
    Ok(quote(&text))
}

/// A decimal default as SQL: the literal itself, or an error when it is no
/// decimal number.
pub(crate) fn decimal_default(column: &str, d: &str) -> Result<String, RenderError> {
    if is_decimal_literal(d) {
        Ok(d.to_string())
    } else {
        Err(RenderError::InvalidDefault {
            column: column.to_string(),
            reason: format!("{d:?} is not a decimal number; use a Text or Expr default instead"),
        })
    }
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
    use crate::dialect::{Dialect, literal, quote_literal};
    use serde_json::json;

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

//! Reading a `COLUMN_DEFAULT` back into a default value.
//!
//! MariaDB (10.2.7 and later) writes a literal default quoted (`'a'`), a number
//! bare, SQL NULL as the text `NULL` and an expression as written
//! (`current_timestamp(6)`, `uuid()`); MySQL writes literals unquoted and
//! marks expressions in `EXTRA` (`DEFAULT_GENERATED`), so a MySQL text default
//! that looks like a number reads as one.

use stratum_core::schema::{ColumnType, DefaultValue};

/// The default of a column of type `ty` whose `COLUMN_DEFAULT` is `text` (`None`
/// when it has none).
pub(crate) fn parse_default(text: &str) -> Option<DefaultValue> {
    parse_default_of(text, &ColumnType::Text)
}

/// The default of a column of type `ty`.
pub(super) fn parse_default_of(text: &str, ty: &ColumnType) -> Option<DefaultValue> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("NULL") {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("current_timestamp") || lower.starts_with("now(") {
        return Some(DefaultValue::Now);
    }
    if lower == "uuid()" {
        return Some(DefaultValue::RandomUuid);
    }
    if let Some(inner) = t.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        let value = inner.replace("''", "'").replace("\\\\", "\\");
        return Some(match ty {
            ColumnType::Boolean if value == "1" || value == "0" => DefaultValue::Bool(value == "1"),
            _ => DefaultValue::Text(value),
        });
    }
    if matches!(ty, ColumnType::Boolean) && (t == "1" || t == "0") {
        return Some(DefaultValue::Bool(t == "1"));
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(match ty {
            ColumnType::Numeric { .. } | ColumnType::Real | ColumnType::Double => {
                DefaultValue::Decimal(t.to_string())
            }
            _ => DefaultValue::Int(i),
        });
    }
    if t.parse::<f64>().is_ok() {
        return Some(DefaultValue::Decimal(t.to_string()));
    }
    Some(DefaultValue::Expr(t.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mariadb_defaults_read_back() {
        assert_eq!(parse_default("NULL"), None);
        assert_eq!(
            parse_default("'NULL'"),
            Some(DefaultValue::Text("NULL".into()))
        );
        assert_eq!(
            parse_default("current_timestamp(6)"),
            Some(DefaultValue::Now)
        );
        assert_eq!(
            parse_default("'it''s'"),
            Some(DefaultValue::Text("it's".into()))
        );
        assert_eq!(parse_default("42"), Some(DefaultValue::Int(42)));
        assert_eq!(
            parse_default_of("1", &ColumnType::Boolean),
            Some(DefaultValue::Bool(true))
        );
    }
}

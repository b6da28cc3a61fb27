//! Reading a `COLUMN_DEFAULT` back into a default value, the way each server
//! writes it.
//!
//! MariaDB (10.2.7 and later) writes a literal default quoted (`'a'`), a number
//! bare, a default of SQL NULL as the text `NULL` (so the string `'NULL'` stays
//! quoted) and an expression as written (`current_timestamp(6)`, `uuid()`).
//!
//! MySQL 8 writes a literal unquoted (`a`, `NULL` for the string, SQL NULL for
//! no default or `DEFAULT NULL`) and marks an expression default with
//! `DEFAULT_GENERATED` in `EXTRA`; there the text is the expression, with string
//! literals carrying a charset introducer (`_utf8mb4\'a\'`).

use stratum_core::dialect::mysql::Flavour;
use stratum_core::schema::{ColumnType, DefaultValue};

/// The default a MariaDB `COLUMN_DEFAULT` text names, for a text column (`None`
/// when it has none).
pub(crate) fn parse_default(text: &str) -> Option<DefaultValue> {
    parse_default_of(Flavour::MariaDb, text, "", &ColumnType::Text)
}

/// The default of a column of type `ty` whose `COLUMN_DEFAULT` is `text` and
/// whose `EXTRA` (lowercase) is `extra`, on a server of `flavour`.
pub(super) fn parse_default_of(
    flavour: Flavour,
    text: &str,
    extra: &str,
    ty: &ColumnType,
) -> Option<DefaultValue> {
    match flavour {
        Flavour::MariaDb => mariadb(text, ty),
        Flavour::Mysql if extra.contains("default_generated") => Some(mysql_expression(text, ty)),
        Flavour::Mysql => Some(literal(text, ty)),
    }
}

/// A MariaDB default: quoted literals, bare numbers, `NULL`, or an expression.
fn mariadb(text: &str, ty: &ColumnType) -> Option<DefaultValue> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("NULL") {
        return None;
    }
    if let Some(inner) = t.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        return Some(literal(&unescape(inner), ty));
    }
    if let Some(known) = known_expression(t) {
        return Some(known);
    }
    if t.parse::<f64>().is_ok() {
        return Some(number(t, ty));
    }
    Some(DefaultValue::Expr(t.to_string()))
}

/// A bare number: a boolean, a decimal for decimal and floating types, an
/// integer when it is one, else a decimal.
fn number(t: &str, ty: &ColumnType) -> DefaultValue {
    match (ty, t.parse::<i64>()) {
        (ColumnType::Boolean, _) if t == "1" || t == "0" => DefaultValue::Bool(t == "1"),
        (ColumnType::Numeric { .. } | ColumnType::Real | ColumnType::Double, _) | (_, Err(_)) => {
            DefaultValue::Decimal(t.to_string())
        }
        (_, Ok(i)) => DefaultValue::Int(i),
    }
}

/// A MySQL expression default (`DEFAULT_GENERATED`): `CURRENT_TIMESTAMP(6)`,
/// `uuid()`, a literal written in parentheses (`_utf8mb4\'a\'`, `42`), or any
/// other expression.
fn mysql_expression(text: &str, ty: &ColumnType) -> DefaultValue {
    let t = strip_outer_parentheses(text.trim());
    if let Some(known) = known_expression(t) {
        return known;
    }
    if let Some(value) = introduced_string(t) {
        return literal(&value, ty);
    }
    if t.parse::<f64>().is_ok() {
        return number(t, ty);
    }
    DefaultValue::Expr(t.to_string())
}

/// `now()` and random UUIDs, in either server's spelling.
fn known_expression(t: &str) -> Option<DefaultValue> {
    let lower = t.to_ascii_lowercase();
    if lower.starts_with("current_timestamp") || lower.starts_with("now(") {
        return Some(DefaultValue::Now);
    }
    (lower == "uuid()").then_some(DefaultValue::RandomUuid)
}

/// A literal value as the model has it for a column of type `ty`: booleans
/// from `1`/`0`, integers and decimals from numbers, text otherwise.
fn literal(value: &str, ty: &ColumnType) -> DefaultValue {
    match ty {
        ColumnType::Boolean if value == "1" || value == "0" => DefaultValue::Bool(value == "1"),
        ColumnType::Numeric { .. } | ColumnType::Real | ColumnType::Double
            if value.parse::<f64>().is_ok() =>
        {
            DefaultValue::Decimal(value.to_string())
        }
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt | ColumnType::Boolean => {
            match value.parse::<i64>() {
                Ok(i) => DefaultValue::Int(i),
                Err(_) => DefaultValue::Text(value.to_string()),
            }
        }
        _ => DefaultValue::Text(value.to_string()),
    }
}

/// The value inside a quoted literal as the server prints it: a quote doubled
/// or backslash-escaped (MariaDB escapes with backslashes in the defaults of
/// `TEXT` columns), and the backslash escapes of string literals.
fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some('Z') => out.push('\x1a'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('\'');
            }
            c => out.push(c),
        }
    }
    out
}

/// `(e)` without its parentheses when they enclose the whole text.
fn strip_outer_parentheses(t: &str) -> &str {
    let Some(inner) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) else {
        return t;
    };
    let mut depth = 0i32;
    for c in inner.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return t;
        }
    }
    if depth == 0 { inner.trim() } else { t }
}

/// The value of a string literal with an optional charset introducer, quotes
/// escaped with backslashes as MySQL's catalog shows them (`_utf8mb4\'it\'\'s\'`)
/// or plain (`'it''s'`).
fn introduced_string(t: &str) -> Option<String> {
    let body = match t.strip_prefix('_') {
        Some(rest) => {
            let start = rest.find(['\'', '\\'])?;
            if !rest[..start].chars().all(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            &rest[start..]
        }
        None => t,
    };
    let unescaped = body.replace("\\'", "'");
    let inner = unescaped.strip_prefix('\'')?.strip_suffix('\'')?;
    Some(inner.replace("''", "'").replace("\\\\", "\\"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DefaultValue::{Bool, Decimal, Expr, Int, Now, RandomUuid, Text};

    fn maria(text: &str, ty: &ColumnType) -> Option<DefaultValue> {
        parse_default_of(Flavour::MariaDb, text, "", ty)
    }

    fn mysql(text: &str, extra: &str, ty: &ColumnType) -> Option<DefaultValue> {
        parse_default_of(Flavour::Mysql, text, extra, ty)
    }

    const NUMERIC: ColumnType = ColumnType::Numeric {
        precision: Some(10),
        scale: Some(2),
    };

    #[test]
    fn mariadb_defaults_read_back() {
        let text = ColumnType::Text;
        assert_eq!(parse_default("NULL"), None);
        assert_eq!(parse_default("'NULL'"), Some(Text("NULL".into())));
        assert_eq!(parse_default("current_timestamp(6)"), Some(Now));
        assert_eq!(parse_default("uuid()"), Some(RandomUuid));
        assert_eq!(parse_default("'it''s'"), Some(Text("it's".into())));
        assert_eq!(parse_default("'a\\\\b'"), Some(Text("a\\b".into())));
        // TEXT columns: quotes escaped with a backslash.
        assert_eq!(parse_default("'o\\'k'"), Some(Text("o'k".into())));
        assert_eq!(parse_default("'a\\nb'"), Some(Text("a\nb".into())));
        assert_eq!(maria("42", &ColumnType::Integer), Some(Int(42)));
        assert_eq!(maria("-7", &ColumnType::BigInt), Some(Int(-7)));
        assert_eq!(maria("1", &ColumnType::Boolean), Some(Bool(true)));
        assert_eq!(maria("0.50", &NUMERIC), Some(Decimal("0.50".into())));
        assert_eq!(maria("'42'", &text), Some(Text("42".into())));
        assert_eq!(maria("'7'", &ColumnType::Integer), Some(Int(7)));
        assert_eq!(
            maria("char_length('x') + 1", &ColumnType::Integer),
            Some(Expr("char_length('x') + 1".into()))
        );
    }

    #[test]
    fn mysql_defaults_read_back() {
        let text = ColumnType::Varchar(Some(10));
        // SQL NULL arrives as no text at all; the text NULL is the string.
        assert_eq!(mysql("NULL", "", &text), Some(Text("NULL".into())));
        assert_eq!(mysql("it's", "", &text), Some(Text("it's".into())));
        assert_eq!(mysql("42", "", &text), Some(Text("42".into())));
        assert_eq!(mysql("42", "", &ColumnType::Integer), Some(Int(42)));
        assert_eq!(mysql("1", "", &ColumnType::Boolean), Some(Bool(true)));
        assert_eq!(mysql("0.50", "", &NUMERIC), Some(Decimal("0.50".into())));
        assert_eq!(
            mysql("CURRENT_TIMESTAMP(6)", "default_generated", &text),
            Some(Now)
        );
        assert_eq!(
            mysql(
                "CURRENT_TIMESTAMP(6)",
                "default_generated on update current_timestamp(6)",
                &text
            ),
            Some(Now)
        );
        assert_eq!(
            mysql("uuid()", "default_generated", &text),
            Some(RandomUuid)
        );
        assert_eq!(
            mysql(
                "_utf8mb4\\'it\\'\\'s\\'",
                "default_generated",
                &ColumnType::Text
            ),
            Some(Text("it's".into()))
        );
        assert_eq!(
            mysql("('x')", "default_generated", &ColumnType::Text),
            Some(Text("x".into()))
        );
        assert_eq!(
            mysql(
                "(char_length(_utf8mb4\\'ab\\') + 1)",
                "default_generated",
                &NUMERIC
            ),
            Some(Expr("char_length(_utf8mb4\\'ab\\') + 1".into()))
        );
        assert_eq!(
            mysql("1", "default_generated", &ColumnType::Boolean),
            Some(Bool(true))
        );
    }

    #[test]
    fn outer_parentheses_only_when_they_enclose_everything() {
        assert_eq!(strip_outer_parentheses("(a) + (b)"), "(a) + (b)");
        assert_eq!(strip_outer_parentheses("((a) + (b))"), "(a) + (b)");
    }
}

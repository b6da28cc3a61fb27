//! Column defaults as SQLite stores them.

use crate::introspect::sqltext::{Token, parse_string_literal, tokenize};
use stratum_core::dialect::sqlite::{NOW_DEFAULT, RANDOM_UUID_DEFAULT};
use stratum_core::schema::DefaultValue;

/// Maps a default as SQLite stores it (the text as written) to a portable default;
/// see the rendering conventions in [`stratum_core::dialect::sqlite`].
pub(crate) fn parse_default(expr: &str) -> Option<DefaultValue> {
    let s = expr.trim();
    if same_expression(s, RANDOM_UUID_DEFAULT) {
        return Some(DefaultValue::RandomUuid);
    }
    if s.eq_ignore_ascii_case(NOW_DEFAULT) {
        return Some(DefaultValue::Now);
    }
    if let Some(v) = literal_default(s) {
        return v;
    }
    // Other expressions are written in parentheses; a parenthesized literal
    // (written by hand) is the literal.
    let tokens = tokenize(s);
    let inner = match tokens.as_deref() {
        Some([group @ Token::Group(_)]) => group.group_inner().unwrap_or(s).trim(),
        _ => s,
    };
    if let Some(v) = literal_default(inner) {
        return v;
    }
    Some(DefaultValue::Expr(inner.to_string()))
}

/// Whether two expressions are equal up to whitespace and outer parentheses.
fn same_expression(a: &str, b: &str) -> bool {
    fn canon(s: &str) -> String {
        let mut s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        loop {
            let tokens = tokenize(&s);
            match tokens.as_deref() {
                Some([g @ Token::Group(_)]) => {
                    s = g.group_inner().unwrap_or_default().trim().to_string()
                }
                _ => return s,
            }
        }
    }
    canon(a) == canon(b)
}

/// `Some(default)` when `s` is a literal (`NULL` gives `Some(None)`).
fn literal_default(s: &str) -> Option<Option<DefaultValue>> {
    if s.eq_ignore_ascii_case("NULL") {
        return Some(None);
    }
    if s.eq_ignore_ascii_case("TRUE") {
        return Some(Some(DefaultValue::Bool(true)));
    }
    if s.eq_ignore_ascii_case("FALSE") {
        return Some(Some(DefaultValue::Bool(false)));
    }
    if let Some((lit, rest)) = parse_string_literal(s)
        && rest.trim().is_empty()
    {
        return Some(Some(DefaultValue::Text(lit)));
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().map(|i| Some(DefaultValue::Int(i)));
    }
    if let Some((a, b)) = digits.split_once('.')
        && !a.is_empty()
        && !b.is_empty()
        && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
    {
        return Some(Some(DefaultValue::Decimal(s.to_string())));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_defaults() {
        assert_eq!(parse_default("'x'"), Some(DefaultValue::Text("x".into())));
        assert_eq!(parse_default("CURRENT_TIMESTAMP"), Some(DefaultValue::Now));
        assert_eq!(parse_default("(-3)"), Some(DefaultValue::Int(-3)));
        assert_eq!(parse_default("-3"), Some(DefaultValue::Int(-3)));
        assert_eq!(parse_default("TRUE"), Some(DefaultValue::Bool(true)));
        assert_eq!(
            parse_default(RANDOM_UUID_DEFAULT),
            Some(DefaultValue::RandomUuid)
        );
        assert_eq!(
            parse_default("(a || 'b')"),
            Some(DefaultValue::Expr("a || 'b'".into()))
        );
        assert_eq!(
            parse_default("1.5"),
            Some(DefaultValue::Decimal("1.5".into()))
        );
        assert_eq!(parse_default("NULL"), None);
        assert_eq!(
            parse_default("(lower(hex(randomblob(16))))"),
            Some(DefaultValue::Expr("lower(hex(randomblob(16)))".into()))
        );
    }
}

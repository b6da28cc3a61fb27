//! The encoding of enum columns: the name and expression of their CHECK constraint.

use super::quote::{quote_ident, quote_literal};

/// Prefix of the name of an enum column's CHECK constraint.
pub const ENUM_CHECK_PREFIX: &str = "enum:";

fn escape_name_part(s: &str) -> String {
    s.replace('%', "%25").replace(':', "%3A")
}

fn unescape_name_part(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        let code = rest.get(pos + 1..pos + 3)?;
        out.push(match code {
            "25" => '%',
            "3A" | "3a" => ':',
            _ => return None,
        });
        rest = &rest[pos + 3..];
    }
    out.push_str(rest);
    Some(out)
}

/// The name of the CHECK constraint of an enum column: `enum:<type>:<column>`, with
/// `%` and `:` in either name written `%25` and `%3A`.
///
/// ```
/// use stratum_core::dialect::sqlite::{enum_check_name, parse_enum_check_name};
/// assert_eq!(enum_check_name("status", "state"), "enum:status:state");
/// assert_eq!(enum_check_name("a:b", "c%"), "enum:a%3Ab:c%25");
/// assert_eq!(
///     parse_enum_check_name("enum:a%3Ab:c%25"),
///     Some(("a:b".to_string(), "c%".to_string()))
/// );
/// ```
pub fn enum_check_name(enum_name: &str, column: &str) -> String {
    format!(
        "{ENUM_CHECK_PREFIX}{}:{}",
        escape_name_part(enum_name),
        escape_name_part(column)
    )
}

/// The enum type name and column name encoded in a CHECK constraint name, or `None`
/// when the name is not one written by [`enum_check_name`].
pub fn parse_enum_check_name(name: &str) -> Option<(String, String)> {
    let rest = name.strip_prefix(ENUM_CHECK_PREFIX)?;
    let (e, c) = rest.split_once(':')?;
    if c.contains(':') {
        return None;
    }
    Some((unescape_name_part(e)?, unescape_name_part(c)?))
}

/// The CHECK expression of an enum column: `"<column>" IN ('a', 'b')`.
pub fn enum_check_expression(column: &str, values: &[String]) -> String {
    format!(
        "{} IN ({})",
        quote_ident(column),
        values
            .iter()
            .map(|v| quote_literal(v))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The column and labels of an expression written by [`enum_check_expression`]
/// (surrounding whitespace and one pair of outer parentheses allowed), or `None`
/// when it is not of that form.
pub fn parse_enum_check_expression(expr: &str) -> Option<(String, Vec<String>)> {
    let mut s = expr.trim();
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')'))
        && !inner.trim_start().starts_with('\'')
    {
        s = inner.trim();
    }
    let (column, rest) = parse_quoted(s, '"')?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix("IN")
        .or_else(|| rest.strip_prefix("in"))?
        .trim_start();
    let mut rest = rest.strip_prefix('(')?.trim_start();
    let mut values = Vec::new();
    if let Some(after) = rest.strip_prefix(')') {
        return after.trim().is_empty().then_some((column, values));
    }
    loop {
        let (value, after) = parse_quoted(rest, '\'')?;
        values.push(value);
        let after = after.trim_start();
        if let Some(after) = after.strip_prefix(',') {
            rest = after.trim_start();
        } else {
            let after = after.strip_prefix(')')?;
            return after.trim().is_empty().then_some((column, values));
        }
    }
}

/// Parses a `q`-quoted token at the start of `s` (the quote doubled inside), returning
/// its content and the rest of `s`.
fn parse_quoted(s: &str, q: char) -> Option<(String, &str)> {
    let mut chars = s.char_indices();
    if chars.next()?.1 != q {
        return None;
    }
    let mut out = String::new();
    let mut pending_quote = false;
    for (i, c) in chars {
        if pending_quote {
            if c == q {
                out.push(q);
                pending_quote = false;
                continue;
            }
            return Some((out, &s[i..]));
        }
        if c == q {
            pending_quote = true;
        } else {
            out.push(c);
        }
    }
    pending_quote.then_some((out, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_check_names_round_trip() {
        for (e, c) in [
            ("status", "state"),
            ("a:b", "c"),
            ("%3A", "x:y%"),
            ("", ""),
            ("weird\"name", "timestamp"),
        ] {
            let name = enum_check_name(e, c);
            assert_eq!(name.matches(':').count(), 2, "{name}");
            assert_eq!(
                parse_enum_check_name(&name),
                Some((e.to_string(), c.to_string()))
            );
        }
        assert_eq!(parse_enum_check_name("ck_positive"), None);
        assert_eq!(parse_enum_check_name("enum:a:b:c"), None);
        assert_eq!(parse_enum_check_name("enum:a%zz:b"), None);
    }

    #[test]
    fn enum_check_expressions_round_trip() {
        let cases: Vec<(&str, Vec<String>)> = vec![
            ("status", vec!["a".into(), "b c".into()]),
            ("we\"ird", vec!["it's".into(), "".into(), "x, y)".into()]),
            ("empty", vec![]),
        ];
        for (col, values) in cases {
            let expr = enum_check_expression(col, &values);
            assert_eq!(
                parse_enum_check_expression(&expr),
                Some((col.to_string(), values.clone())),
                "{expr}"
            );
            assert_eq!(
                parse_enum_check_expression(&format!(" ({expr}) ")),
                Some((col.to_string(), values)),
            );
        }
        assert_eq!(parse_enum_check_expression("\"a\" > 0"), None);
        assert_eq!(parse_enum_check_expression("\"a\" IN ('x') OR 1"), None);
        assert_eq!(parse_enum_check_expression("\"a\" IN ('x'"), None);
    }
}

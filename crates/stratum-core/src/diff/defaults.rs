//! When two server defaults mean the same: one canonical spelling for each.

use crate::schema::DefaultValue;

/// Whether two server defaults mean the same: compared after [`canonical_default`],
/// so that `Expr("CURRENT_TIMESTAMP")` equals `Now`, `Expr("(0)")` equals `Int(0)`,
/// `Expr("'x'::character varying")` equals `Text("x")` and `DEFAULT NULL` equals no
/// default.
pub fn same_default(a: Option<&DefaultValue>, b: Option<&DefaultValue>) -> bool {
    canonical_default(a) == canonical_default(b)
}

/// One spelling for each default: raw expressions that are a literal, `now()` or
/// `gen_random_uuid()` become the matching [`DefaultValue`]; whitespace and outer
/// parentheses of other expressions are normalized; `NULL` becomes no default.
pub fn canonical_default(d: Option<&DefaultValue>) -> Option<DefaultValue> {
    let d = d?;
    let DefaultValue::Expr(e) = d else {
        return (d != &DefaultValue::Null).then(|| d.clone());
    };
    let e = strip_outer_parens(&e.split_whitespace().collect::<Vec<_>>().join(" "));
    let lower = e.to_ascii_lowercase();
    Some(match lower.as_str() {
        "null" => return None,
        "now()" | "current_timestamp" | "current_timestamp()" => DefaultValue::Now,
        "gen_random_uuid()" => DefaultValue::RandomUuid,
        "true" => DefaultValue::Bool(true),
        "false" => DefaultValue::Bool(false),
        _ => {
            let uncast = strip_cast(&e);
            if let Ok(i) = uncast.parse::<i64>() {
                DefaultValue::Int(i)
            } else if let Some(text) = string_literal(uncast) {
                DefaultValue::Text(text)
            } else {
                DefaultValue::Expr(e)
            }
        }
    })
}

fn strip_outer_parens(s: &str) -> String {
    let mut s = s.trim().to_string();
    while s.starts_with('(') && s.ends_with(')') && closes_at_end(&s) {
        s = s[1..s.len() - 1].trim().to_string();
    }
    s
}

/// Whether the `(` that opens `s` closes at its last character (quotes skipped).
fn closes_at_end(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quoted = false;
    let last = s.len() - 1;
    for (i, c) in s.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return i == last;
                }
            }
            _ => {}
        }
    }
    false
}

/// `'x'::character varying` → `'x'`; `0::integer` → `0`.
fn strip_cast(e: &str) -> &str {
    match e.rfind("::") {
        Some(i) if !e[i..].contains('\'') => e[..i].trim_end(),
        _ => e,
    }
}

/// The value of a single SQL string literal, if `e` is exactly one.
fn string_literal(e: &str) -> Option<String> {
    let inner = e.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' && chars.next() != Some('\'') {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

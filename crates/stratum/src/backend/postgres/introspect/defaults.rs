//! Column defaults as `pg_get_expr` prints them, and the sequence a `nextval`
//! default names.

use crate::introspect::sqltext::{parse_string_literal, split_qualified_name};
use stratum_core::schema::DefaultValue;

/// The sequence named by a default of the form `nextval('seq'::regclass)`.
pub(crate) fn nextval_sequence(default: &str) -> Option<String> {
    let inner = default
        .trim()
        .strip_prefix("nextval(")?
        .strip_suffix(')')?
        .trim();
    let inner = inner.strip_suffix("::regclass").unwrap_or(inner);
    let (literal, rest) = parse_string_literal(inner)?;
    if !rest.trim().is_empty() {
        return None;
    }
    split_qualified_name(&literal).pop()
}

/// The numeric types a literal's cast may name.
pub(super) const NUMERIC_CASTS: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "real",
    "double precision",
];

/// Maps a default as `pg_get_expr` prints it to a portable default.
pub(crate) fn parse_default(expr: &str) -> Option<DefaultValue> {
    let s = expr.trim();
    if s.eq_ignore_ascii_case("null") || s.starts_with("NULL::") {
        return None;
    }
    match s {
        "true" => return Some(DefaultValue::Bool(true)),
        "false" => return Some(DefaultValue::Bool(false)),
        "now()" | "CURRENT_TIMESTAMP" => return Some(DefaultValue::Now),
        "gen_random_uuid()" => return Some(DefaultValue::RandomUuid),
        _ => {}
    }
    if let Some(n) = number(s) {
        return Some(n);
    }
    // A literal with a cast: `'x'::character varying`, `'PLANNED'::status`,
    // `'-1'::integer` (negative numbers are printed this way).
    if let Some((literal, rest)) = parse_string_literal(s)
        && let Some(cast) = rest.trim().strip_prefix("::")
    {
        let cast = cast.trim();
        if !cast.contains("::") && is_type_name(cast) {
            if NUMERIC_CASTS.contains(&cast)
                && let Some(n) = number(&literal)
            {
                return Some(n);
            }
            return Some(DefaultValue::Text(literal));
        }
    }
    Some(DefaultValue::Expr(s.to_string()))
}

/// Whether `s` is a (possibly multi-word or parameterized) type name as
/// `format_type` prints it, e.g. `character varying` or `timestamp(3) with time zone`.
fn is_type_name(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '_' | '(' | ')' | ',' | '"' | '.' | '[' | ']')
    })
}

/// An integer or decimal literal.
pub(super) fn number(s: &str) -> Option<DefaultValue> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() {
        return None;
    }
    if digits.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().map(DefaultValue::Int);
    }
    let (int, frac) = digits.split_once('.')?;
    let ok = !int.is_empty()
        && !frac.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit());
    ok.then(|| DefaultValue::Decimal(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_defaults() {
        use DefaultValue::*;
        assert_eq!(
            parse_default("'Unknown'::character varying"),
            Some(Text("Unknown".into()))
        );
        assert_eq!(
            parse_default("''::character varying"),
            Some(Text(String::new()))
        );
        assert_eq!(
            parse_default("'PLANNED'::acquisitionstatus"),
            Some(Text("PLANNED".into()))
        );
        assert_eq!(parse_default("'it''s'::text"), Some(Text("it's".into())));
        assert_eq!(parse_default("now()"), Some(Now));
        assert_eq!(parse_default("CURRENT_TIMESTAMP"), Some(Now));
        assert_eq!(parse_default("gen_random_uuid()"), Some(RandomUuid));
        assert_eq!(parse_default("false"), Some(Bool(false)));
        assert_eq!(parse_default("true"), Some(Bool(true)));
        assert_eq!(parse_default("3"), Some(Int(3)));
        assert_eq!(parse_default("'-1'::integer"), Some(Int(-1)));
        assert_eq!(parse_default("0.5"), Some(Decimal("0.5".into())));
        assert_eq!(
            parse_default("'-2.25'::numeric"),
            Some(Decimal("-2.25".into()))
        );
        assert_eq!(parse_default("'7'::text"), Some(Text("7".into())));
        assert_eq!(parse_default("NULL::character varying"), None);
        assert_eq!(parse_default("NULL"), None);
        assert_eq!(
            parse_default("timezone('utc'::text, now())"),
            Some(Expr("timezone('utc'::text, now())".into()))
        );
        assert_eq!(
            parse_default("('a'::text || 'b'::text)"),
            Some(Expr("('a'::text || 'b'::text)".into()))
        );
    }

    #[test]
    fn finds_the_sequence_of_a_nextval_default() {
        assert_eq!(
            nextval_sequence("nextval('agentlog_id_seq'::regclass)").as_deref(),
            Some("agentlog_id_seq")
        );
        assert_eq!(
            nextval_sequence(r#"nextval('"Odd ""seq"""'::regclass)"#).as_deref(),
            Some(r#"Odd "seq""#)
        );
        assert_eq!(
            nextval_sequence("nextval('other.s'::regclass)").as_deref(),
            Some("s")
        );
        assert_eq!(nextval_sequence("now()"), None);
    }
}

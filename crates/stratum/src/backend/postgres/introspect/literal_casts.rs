//! Casts PostgreSQL adds to literals when it prints a stored expression.

use super::defaults::{NUMERIC_CASTS, number};
use crate::introspect::sqltext::{Token, parse_string_literal, tokenize_spans_pg};

/// Type names of more than one word, as PostgreSQL prints them in casts.
const MULTI_WORD_TYPES: &[&[&str]] = &[
    &["character", "varying"],
    &["double", "precision"],
    &["timestamp", "without", "time", "zone"],
    &["timestamp", "with", "time", "zone"],
    &["time", "without", "time", "zone"],
    &["time", "with", "time", "zone"],
    &["bit", "varying"],
];

/// Removes the casts PostgreSQL adds to literals when it prints a stored
/// expression, so that a check or predicate reads back as it was written:
/// `(0)::numeric` and `'-1'::integer` become `0` and `-1`, `'x'::text` becomes
/// `'x'`. A literal means the same without the cast, because PostgreSQL coerces it
/// to the type its context requires. Casts of anything but a literal, and casts to
/// array types, are kept.
pub(crate) fn strip_literal_casts(expr: &str) -> String {
    let Some(tokens) = tokenize_spans_pg(expr) else {
        return expr.to_string();
    };
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    while i < tokens.len() {
        let (tok, span) = &tokens[i];
        if let Some((replacement, end, consumed)) = literal_cast(expr, &tokens[i..]) {
            out.push_str(&expr[last..span.start]);
            out.push_str(&replacement);
            last = end;
            i += consumed;
            continue;
        }
        if let Some(inner) = tok.group_inner() {
            out.push_str(&expr[last..span.start]);
            out.push('(');
            out.push_str(&strip_literal_casts(inner));
            out.push(')');
            last = span.end;
        }
        i += 1;
    }
    out.push_str(&expr[last..]);
    out
}

/// If `tokens` starts with `literal::type`, the literal without the cast, the byte
/// offset where the cast ends, and the number of tokens it spans.
fn literal_cast(
    expr: &str,
    tokens: &[(Token, std::ops::Range<usize>)],
) -> Option<(String, usize, usize)> {
    let (first, first_span) = tokens.first()?;
    let (Token::Punct(':'), c1) = tokens.get(1)? else {
        return None;
    };
    let (Token::Punct(':'), c2) = tokens.get(2)? else {
        return None;
    };
    if c1.start != first_span.end || c2.start != c1.end {
        return None;
    }
    let words: Vec<String> = tokens[3..]
        .iter()
        .map_while(|(t, _)| match t {
            Token::Word(w) => Some(w.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let type_len = MULTI_WORD_TYPES
        .iter()
        .find(|m| words.len() >= m.len() && words.iter().zip(m.iter()).all(|(w, t)| w == t))
        .map(|m| m.len())
        .or_else(|| match tokens.get(3) {
            Some((Token::Word(_) | Token::Quoted(_), _)) => Some(1),
            _ => None,
        })?;
    let mut end_index = 3 + type_len;
    // A type modifier such as `(10)` belongs to the type.
    if let Some((Token::Group(_), _)) = tokens.get(end_index) {
        end_index += 1;
    }
    if let Some((Token::Punct('['), _)) = tokens.get(end_index) {
        return None;
    }
    let end = tokens[end_index - 1].1.end;
    let type_name = words[..type_len.min(words.len())].join(" ");
    let numeric_type = NUMERIC_CASTS.contains(&type_name.as_str());
    let replacement = match first {
        Token::Str(raw) => {
            let (value, _) = parse_string_literal(raw)?;
            match number(&value) {
                Some(_) if numeric_type => value,
                _ => raw.clone(),
            }
        }
        Token::Group(_) | Token::Word(_) if numeric_type => {
            let text = first
                .group_inner()
                .unwrap_or(&expr[first_span.clone()])
                .trim();
            number(text)?;
            text.to_string()
        }
        _ => return None,
    };
    Some((replacement, end, end_index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_casts_from_literals_only() {
        assert_eq!(strip_literal_casts("(price > (0)::numeric)"), "(price > 0)");
        assert_eq!(strip_literal_casts("qty > '-1'::integer"), "qty > -1");
        assert_eq!(strip_literal_casts("note <> ''::text"), "note <> ''");
        assert_eq!(
            strip_literal_casts(
                "((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"
            ),
            "((s)::text = ANY ((ARRAY['a', 'b'])::text[]))"
        );
        assert_eq!(
            strip_literal_casts("at > '2020-01-01 00:00:00'::timestamp without time zone"),
            "at > '2020-01-01 00:00:00'"
        );
        assert_eq!(strip_literal_casts("'7'::text = code"), "'7' = code");
        assert_eq!(
            strip_literal_casts("x = '{1}'::integer[]"),
            "x = '{1}'::integer[]"
        );
        assert_eq!(
            strip_literal_casts("lower((code)::text)"),
            "lower((code)::text)"
        );
    }
}

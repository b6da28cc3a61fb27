//! One entry point to the readers of SQL text found in catalogs, so that they can
//! be fuzzed without a database: each backend's readers of stored definitions,
//! declared or formatted types, defaults and check definitions.

use super::sqltext::{
    Span, Token, parse_string_literal, split_qualified_name, tokenize_spans, tokenize_spans_pg,
};
use crate::backend::registry;

/// Reads `sql` with every catalog text reader and describes what each understood
/// (one line per reader). Panics if the tokenizer's byte ranges are out of order,
/// out of bounds, off character boundaries, or do not match their tokens' text.
#[doc(hidden)]
pub fn read_catalog_text(sql: &str) -> String {
    for spans in [tokenize_spans(sql), tokenize_spans_pg(sql)]
        .into_iter()
        .flatten()
    {
        check_spans(sql, &spans);
    }
    let mut lines: Vec<String> = registry::all()
        .iter()
        .flat_map(|backend| backend.read_catalog_text(sql))
        .collect();
    lines.push(format!("{:?}", split_qualified_name(sql)));
    lines.push(format!("{:?}", parse_string_literal(sql)));
    lines.join("\n")
}

fn check_spans(sql: &str, spans: &[(Token, Span)]) {
    let mut end = 0;
    for (token, span) in spans {
        assert!(
            end <= span.start && span.start < span.end && span.end <= sql.len(),
            "token {token:?} at {span:?} after byte {end} in {} bytes",
            sql.len()
        );
        let text = sql
            .get(span.clone())
            .unwrap_or_else(|| panic!("token {token:?} at {span:?} splits a character"));
        match token {
            Token::Word(t) | Token::Str(t) | Token::Group(t) => {
                assert_eq!(t, text, "token text and its range differ")
            }
            Token::Punct(c) => assert_eq!(text, c.to_string()),
            Token::Quoted(_) => {}
        }
        end = span.end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_what_each_reader_understood() {
        let text = read_catalog_text("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)");
        assert!(text.contains("autoincrement: true"), "{text}");
        let default = read_catalog_text("'it''s'::text");
        assert!(default.contains("Text(\"it's\")"), "{default}");
    }
}

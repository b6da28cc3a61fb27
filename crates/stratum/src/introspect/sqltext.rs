//! Small readers for SQL text found in catalogs: string literals, quoted names, and
//! a tokenizer for the `CREATE TABLE` statements SQLite keeps in `sqlite_master`.

/// Parses a single-quoted SQL string literal at the start of `s` (doubling `''`
/// escapes a quote). Returns the value and the text after the closing quote.
pub(crate) fn parse_string_literal(s: &str) -> Option<(String, &str)> {
    let rest = s.strip_prefix('\'')?;
    let mut value = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if let Some((_, '\'')) = chars.peek() {
                chars.next();
                value.push('\'');
            } else {
                return Some((value, &rest[i + 1..]));
            }
        } else {
            value.push(c);
        }
    }
    None
}

/// Splits a possibly qualified, possibly quoted name (`a.b`, `"A"."b c"`) into
/// its parts, unquoted.
pub(crate) fn split_qualified_name(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            }
            '"' => quoted = true,
            '.' if !quoted => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts
}

/// One token of SQL text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// A bare word: keyword, unquoted name or number.
    Word(String),
    /// A quoted name (`"x"`, `` `x` ``, `[x]`), unquoted.
    Quoted(String),
    /// A string literal, as written (with its quotes).
    Str(String),
    /// A parenthesized group, as written (with its parentheses).
    Group(String),
    /// Any other character (`,`, `.`, operators).
    Punct(char),
}

impl Token {
    /// Whether this is the bare word `kw` (any case).
    pub(crate) fn is_kw(&self, kw: &str) -> bool {
        matches!(self, Token::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    /// The name this token spells, if it is a bare word, quoted name or string.
    pub(crate) fn name(&self) -> Option<String> {
        match self {
            Token::Word(w) => Some(w.clone()),
            Token::Quoted(q) => Some(q.clone()),
            Token::Str(s) => parse_string_literal(s).map(|(v, _)| v),
            _ => None,
        }
    }

    /// The text inside a group's parentheses.
    pub(crate) fn group_inner(&self) -> Option<&str> {
        match self {
            Token::Group(g) => Some(&g[1..g.len() - 1]),
            _ => None,
        }
    }
}

/// Splits SQL text into tokens; parenthesized groups stay whole. Returns `None`
/// on unbalanced quotes or parentheses.
pub(crate) fn tokenize(s: &str) -> Option<Vec<Token>> {
    Some(tokenize_spans(s)?.into_iter().map(|(t, _)| t).collect())
}

/// A byte range of SQL text.
pub(crate) type Span = std::ops::Range<usize>;

/// Like [`tokenize`], with each token's byte range in `s`.
pub(crate) fn tokenize_spans(s: &str) -> Option<Vec<(Token, Span)>> {
    tokenize_with(s, true)
}

/// Like [`tokenize_spans`], for PostgreSQL text: `[` and `]` are punctuation
/// (array brackets), not quotes.
pub(crate) fn tokenize_spans_pg(s: &str) -> Option<Vec<(Token, Span)>> {
    tokenize_with(s, false)
}

fn tokenize_with(s: &str, brackets_quote: bool) -> Option<Vec<(Token, Span)>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let c = b[i] as char;
        let token = if c.is_ascii_whitespace() {
            i += 1;
            None
        } else if c == '-' && b.get(i + 1) == Some(&b'-') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            None
        } else if c == '/' && b.get(i + 1) == Some(&b'*') {
            i += 2 + s[i + 2..].find("*/")? + 2;
            None
        } else if c == '\'' {
            i = skip_quoted(b, i, b'\'')?;
            Some(Token::Str(s[start..i].to_string()))
        } else if c == '"' || c == '`' {
            i = skip_quoted(b, i, b[i])?;
            let q = c.to_string();
            Some(Token::Quoted(
                s[start + 1..i - 1].replace(&format!("{q}{q}"), &q),
            ))
        } else if c == '[' && brackets_quote {
            i = s[i..].find(']')? + i + 1;
            Some(Token::Quoted(s[start + 1..i - 1].to_string()))
        } else if c == '(' {
            i = skip_group(b, i)?;
            Some(Token::Group(s[start..i].to_string()))
        } else if c == ')' {
            return None;
        } else if c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii() {
            while i < b.len()
                && ((b[i] as char).is_ascii_alphanumeric()
                    || b[i] == b'_'
                    || b[i] == b'$'
                    || !b[i].is_ascii()
                    || (b[i] == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            Some(Token::Word(s[start..i].to_string()))
        } else {
            i += 1;
            Some(Token::Punct(c))
        };
        if let Some(t) = token {
            out.push((t, start..i));
        }
    }
    Some(out)
}

/// The index just past the quoted text starting at `start` (doubled quotes escape).
fn skip_quoted(b: &[u8], start: usize, q: u8) -> Option<usize> {
    let mut i = start + 1;
    while i < b.len() {
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// The index just past the group opened at `start`.
fn skip_group(b: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' | b'`' => {
                i = skip_quoted(b, i, b[i])?;
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Splits tokens at top-level commas.
pub(crate) fn split_commas(tokens: &[Token]) -> Vec<&[Token]> {
    tokens
        .split(|t| *t == Token::Punct(','))
        .filter(|p| !p.is_empty())
        .collect()
}

/// The names in a parenthesized, comma-separated list such as `(a, "b")`; ordering
/// words (`ASC`, `DESC`, `COLLATE x`) after a name are skipped.
pub(crate) fn name_list(group: &Token) -> Option<Vec<String>> {
    let toks = tokenize(group.group_inner()?)?;
    split_commas(&toks)
        .into_iter()
        .map(|item| item.first().and_then(Token::name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_string_literals() {
        assert_eq!(
            parse_string_literal("'it''s'::text"),
            Some(("it's".to_string(), "::text"))
        );
        assert_eq!(parse_string_literal("'open"), None);
        assert_eq!(parse_string_literal("x"), None);
    }

    #[test]
    fn splits_qualified_names() {
        assert_eq!(split_qualified_name("a.b"), ["a", "b"]);
        assert_eq!(
            split_qualified_name(r#""A.x"."b ""c""""#),
            ["A.x", r#"b "c""#]
        );
    }

    #[test]
    fn tokenizes_create_table_bodies() {
        let t = tokenize(
            r#"id INTEGER NOT NULL, "na,me" TEXT DEFAULT 'a,b', CHECK (x IN ('(', ')')) -- c"#,
        )
        .unwrap();
        let items = split_commas(&t);
        assert_eq!(items.len(), 3);
        assert_eq!(items[1][0], Token::Quoted("na,me".into()));
        assert_eq!(items[1][3], Token::Str("'a,b'".into()));
        assert_eq!(items[2][1].group_inner(), Some("x IN ('(', ')')"));
        assert_eq!(tokenize("a (b"), None);
    }

    #[test]
    fn reads_name_lists() {
        let g = Token::Group(r#"(a, "b c" DESC, [d])"#.into());
        assert_eq!(name_list(&g).unwrap(), ["a", "b c", "d"]);
    }
}

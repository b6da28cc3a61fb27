//! CHECK expressions as the server keeps them: MariaDB and MySQL print the
//! keywords of a stored check in lowercase (`a is not null`), so keywords are
//! compared in one case, uppercase, on both sides.

/// The keywords the servers reprint in lowercase.
const KEYWORDS: &[&str] = &[
    "and", "between", "case", "distinct", "else", "end", "escape", "exists", "false", "in", "is",
    "like", "not", "null", "or", "regexp", "then", "true", "when", "xor",
];

/// `expr` with its keywords in uppercase, leaving quoted text and quoted names
/// alone.
pub fn uppercase_keywords(expr: &str) -> String {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = String::with_capacity(expr.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '\'' | '"' | '`') {
            let mut j = i + 1;
            while j < chars.len() {
                if chars[j] == '\\' && c == '\'' {
                    j += 2;
                    continue;
                }
                if chars[j] == c {
                    if chars.get(j + 1) == Some(&c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            let end = (j + 1).min(chars.len());
            out.extend(&chars[i..end]);
            i = end;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_alphanumeric() || matches!(chars[j], '_' | '$'))
            {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let lower = word.to_ascii_lowercase();
            if KEYWORDS.contains(&lower.as_str()) {
                out.push_str(&word.to_ascii_uppercase());
            } else {
                out.push_str(&word);
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_up_names_and_text_alone() {
        assert_eq!(
            uppercase_keywords("lras1 is not null and `in` in ('is', \"not\")"),
            "lras1 IS NOT NULL AND `in` IN ('is', \"not\")"
        );
        assert_eq!(uppercase_keywords("island > 0"), "island > 0");
        assert_eq!(uppercase_keywords("a = 'it''s not'"), "a = 'it''s not'");
    }
}

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

/// A MySQL check clause in the form the model writes: MySQL prints names in
/// backticks, string literals with a charset introducer and backslash-escaped
/// quotes (`` (`a` <> _utf8mb4\'it\'\'s\') ``); MariaDB prints the clause much
/// as written and is read as it is.
pub fn check_from_mysql_catalog(clause: &str) -> String {
    let chars: Vec<char> = clause.chars().collect();
    let mut out = String::with_capacity(clause.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            let mut name = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == '`' {
                    if chars.get(i + 1) == Some(&'`') {
                        name.push('`');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                name.push(chars[i]);
                i += 1;
            }
            if crate::expr::is_plain_identifier(&name) {
                out.push_str(&name);
            } else {
                out.push('"');
                out.push_str(&name.replace('"', "\"\""));
                out.push('"');
            }
        } else if c == '_' && introducer_at(&chars, i).is_some() {
            i = introducer_at(&chars, i).unwrap_or(i);
        } else if c == '\\' && chars.get(i + 1) == Some(&'\'') {
            // A quote the catalog escaped with a backslash.
            out.push('\'');
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The index past a charset introducer (`_utf8mb4`) that stands right before a
/// quote (escaped or not) at `i`.
fn introducer_at(chars: &[char], i: usize) -> Option<usize> {
    if i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '_') {
        return None;
    }
    let mut j = i + 1;
    while j < chars.len() && chars[j].is_ascii_alphanumeric() {
        j += 1;
    }
    let quote = chars.get(j) == Some(&'\'')
        || (chars.get(j) == Some(&'\\') && chars.get(j + 1) == Some(&'\''));
    (j > i + 1 && quote).then_some(j)
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

    #[test]
    fn mysql_check_clauses_read_as_written() {
        assert_eq!(check_from_mysql_catalog("(`qty` < 1000)"), "(qty < 1000)");
        assert_eq!(
            check_from_mysql_catalog("((`status` <> _utf8mb4\\'x\\') and (`we``ird` is not null))"),
            "((status <> 'x') and (\"we`ird\" is not null))"
        );
        assert_eq!(
            check_from_mysql_catalog("(`select` = _latin1'a')"),
            "(\"select\" = 'a')"
        );
        assert_eq!(
            check_from_mysql_catalog("(char_length(`name`) > 0)"),
            "(char_length(name) > 0)"
        );
        // An underscore inside a name is not an introducer.
        assert_eq!(check_from_mysql_catalog("(`a_b` = a_b)"), "(a_b = a_b)");
    }
}

//! A small scanner for SQL expressions (check constraints, index predicates): finds
//! and rewrites identifiers while leaving string literals, numbers and operators
//! alone. It does not parse SQL; it only knows what an identifier token looks like.

/// Words that cannot be used as bare identifiers in PostgreSQL or SQLite (the
/// reserved words of both, plus a few that are reserved in one of them).
const RESERVED: &[&str] = &[
    "abort",
    "action",
    "add",
    "after",
    "all",
    "alter",
    "always",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "attach",
    "autoincrement",
    "before",
    "begin",
    "between",
    "binary",
    "both",
    "by",
    "cascade",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "commit",
    "conflict",
    "constraint",
    "create",
    "cross",
    "current",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "database",
    "default",
    "deferrable",
    "deferred",
    "delete",
    "desc",
    "detach",
    "distinct",
    "do",
    "drop",
    "each",
    "else",
    "end",
    "escape",
    "except",
    "exclude",
    "exclusive",
    "exists",
    "explain",
    "fail",
    "false",
    "fetch",
    "filter",
    "first",
    "following",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "generated",
    "glob",
    "grant",
    "group",
    "groups",
    "having",
    "if",
    "ignore",
    "ilike",
    "immediate",
    "in",
    "index",
    "indexed",
    "initially",
    "inner",
    "insert",
    "instead",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "key",
    "last",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "match",
    "materialized",
    "natural",
    "no",
    "not",
    "nothing",
    "notnull",
    "null",
    "nulls",
    "of",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "others",
    "outer",
    "over",
    "overlaps",
    "partition",
    "placing",
    "plan",
    "pragma",
    "preceding",
    "primary",
    "query",
    "raise",
    "range",
    "recursive",
    "references",
    "regexp",
    "reindex",
    "release",
    "rename",
    "replace",
    "restrict",
    "returning",
    "right",
    "rollback",
    "row",
    "rows",
    "savepoint",
    "select",
    "session_user",
    "set",
    "similar",
    "some",
    "symmetric",
    "table",
    "temp",
    "temporary",
    "then",
    "ties",
    "to",
    "trailing",
    "transaction",
    "trigger",
    "true",
    "unbounded",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "vacuum",
    "values",
    "variadic",
    "verbose",
    "view",
    "virtual",
    "when",
    "where",
    "window",
    "with",
    "without",
];

/// Whether `word` is reserved in PostgreSQL or SQLite (case-insensitive).
pub fn is_reserved(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    RESERVED.binary_search(&lower.as_str()).is_ok()
}

/// Whether `name` can be written without quotes and mean itself: a lowercase
/// identifier that is not a reserved word.
pub fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    first_ok
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !is_reserved(name)
}

/// `name` as it must be written in an expression: bare when plain, else quoted.
fn spell(name: &str) -> String {
    if is_plain_identifier(name) {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Rebuilds `expr`, letting `f` replace identifiers. `f` gets the identifier's
/// meaning (bare ones folded to lowercase, quoted ones unquoted) and whether it was
/// quoted; it returns the replacement text, or `None` to keep the token as written.
pub fn map_identifiers(expr: &str, mut f: impl FnMut(&str, bool) -> Option<String>) -> String {
    let chars: Vec<char> = expr.chars().collect();
    let mut out = String::with_capacity(expr.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let end = quoted_end(&chars, i, '\'');
            out.extend(&chars[i..end]);
            i = end;
        } else if c == '"' {
            let end = quoted_end(&chars, i, '"');
            let raw: String = chars[i..end].iter().collect();
            let inner = raw
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(&raw[1..])
                .replace("\"\"", "\"");
            out.push_str(&f(&inner, true).unwrap_or(raw));
            i = end;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let end = word_end(&chars, i);
            let raw: String = chars[i..end].iter().collect();
            if is_type_or_function(&chars, i, end) {
                out.push_str(&raw);
            } else {
                out.push_str(&f(&raw.to_ascii_lowercase(), false).unwrap_or(raw));
            }
            i = end;
        } else if c.is_ascii_digit() {
            let end = word_end(&chars, i);
            out.extend(&chars[i..end]);
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether the bare word at `start..end` names a type (after `::`) or a function
/// (followed by `(`) rather than a column.
fn is_type_or_function(chars: &[char], start: usize, end: usize) -> bool {
    let before: String = chars[..start]
        .iter()
        .rev()
        .skip_while(|c| c.is_whitespace())
        .take(2)
        .collect();
    let after = chars[end..].iter().find(|c| !c.is_whitespace());
    before == "::" || after == Some(&'(')
}

/// Index just past the quoted token that starts at `start` (doubled quotes escape).
fn quoted_end(chars: &[char], start: usize, q: char) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        if chars[i] == q {
            if chars.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    chars.len()
}

/// Index just past the word (identifier or number) that starts at `start`.
fn word_end(chars: &[char], start: usize) -> usize {
    let mut i = start;
    while i < chars.len()
        && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '$')
    {
        i += 1;
    }
    i
}

/// Whether `expr` mentions the identifier `name`.
pub fn mentions(expr: &str, name: &str) -> bool {
    let mut found = false;
    map_identifiers(expr, |ident, _| {
        found |= ident == name;
        None
    });
    found
}

/// `expr` with every mention of identifier `from` replaced by `to`.
pub fn rename_identifier(expr: &str, from: &str, to: &str) -> String {
    map_identifiers(expr, |ident, _| (ident == from).then(|| spell(to)))
}

/// `expr` with quotes removed from identifiers that do not need them.
pub fn unquote_plain_identifiers(expr: &str) -> String {
    map_identifiers(expr, |ident, quoted| {
        (quoted && is_plain_identifier(ident)).then(|| ident.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_list_is_sorted_for_binary_search() {
        assert!(RESERVED.windows(2).all(|w| w[0] < w[1]));
        assert!(is_reserved("SELECT"));
        assert!(!is_reserved("status"));
    }

    #[test]
    fn finds_identifiers_outside_strings() {
        assert!(mentions("\"qty\" > 0", "qty"));
        assert!(mentions("QTY > 0", "qty"));
        assert!(!mentions("name = 'qty'", "qty"));
        assert!(!mentions("qty2 > 0", "qty"));
    }

    #[test]
    fn skips_types_and_functions() {
        assert!(!mentions("x = 'a'::status", "status"));
        assert!(!mentions("length (x) > 0", "length"));
        assert!(mentions("length(status) > 0", "status"));
        assert_eq!(
            rename_identifier("status = 'a'::status", "status", "state"),
            "state = 'a'::status"
        );
    }

    #[test]
    fn renames_bare_and_quoted() {
        assert_eq!(
            rename_identifier("a > 0 AND \"a\" < 9", "a", "b"),
            "b > 0 AND b < 9"
        );
        assert_eq!(
            rename_identifier("a > 'a'", "a", "select"),
            "\"select\" > 'a'"
        );
    }

    #[test]
    fn unquotes_only_when_safe() {
        assert_eq!(unquote_plain_identifiers("\"qty\" > 0"), "qty > 0");
        assert_eq!(unquote_plain_identifiers("\"Qty\" > 0"), "\"Qty\" > 0");
        assert_eq!(unquote_plain_identifiers("\"order\" > 0"), "\"order\" > 0");
        assert_eq!(unquote_plain_identifiers("x = '\"y\"'"), "x = '\"y\"'");
    }
}

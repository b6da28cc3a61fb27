//! Quoting for the SQL the runner writes itself (version table, history table,
//! session settings). Every identifier and literal of that SQL goes through here.

/// Quotes an identifier with double quotes, doubling embedded quotes.
pub(crate) fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Quotes a string literal with single quotes, doubling embedded quotes. Control
/// characters and backslashes are dropped, so the result means the same under
/// PostgreSQL (whatever `standard_conforming_strings` says) and SQLite.
pub(crate) fn literal(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .filter(|c| !c.is_control() && *c != '\\')
        .collect();
    format!("'{}'", cleaned.replace('\'', "''"))
}

/// A comma-separated list of literals.
pub(crate) fn literal_list<S: AsRef<str>>(values: &[S]) -> String {
    values
        .iter()
        .map(|v| literal(v.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_double_embedded_quotes() {
        assert_eq!(ident("alembic_version"), "\"alembic_version\"");
        assert_eq!(ident("we\"ird"), "\"we\"\"ird\"");
    }

    #[test]
    fn literals_double_quotes_and_drop_backslashes() {
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal("a\\b\nc"), "'abc'");
        assert_eq!(literal_list(&["a", "b"]), "'a', 'b'");
    }
}

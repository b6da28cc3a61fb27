//! The `CREATE INDEX` text SQLite keeps in `sqlite_master`.

use crate::introspect::sqltext::{Token, tokenize_spans};

/// Columns (or key expressions) and predicate of a `CREATE INDEX` statement.
#[derive(Debug)]
pub(crate) struct CreateIndex {
    pub(super) columns: Vec<String>,
    pub(super) predicate: Option<String>,
}

/// Reads the columns and predicate of a `CREATE INDEX` statement's text.
pub(crate) fn parse_create_index(sql: &str) -> Option<CreateIndex> {
    let tokens = tokenize_spans(sql)?;
    let on = tokens.iter().position(|(t, _)| t.is_kw("ON"))?;
    let group_at = on
        + tokens[on..]
            .iter()
            .position(|(t, _)| matches!(t, Token::Group(_)))?;
    let (group, group_span) = &tokens[group_at];
    let inner = group.group_inner()?;
    let inner_start = group_span.start + 1;
    let inner_tokens = tokenize_spans(inner)?;
    let columns = inner_tokens
        .split(|(t, _)| *t == Token::Punct(','))
        .filter(|item| !item.is_empty())
        .map(|item| match item {
            [(single, _)] if single.name().is_some() => single.name().unwrap_or_default(),
            _ => {
                let (first, last) = (&item[0].1, &item[item.len() - 1].1);
                sql[inner_start + first.start..inner_start + last.end].to_string()
            }
        })
        .collect();
    let predicate = tokens[group_at + 1..]
        .iter()
        .position(|(t, _)| t.is_kw("WHERE"))
        .and_then(|p| tokens.get(group_at + 2 + p))
        .map(|(_, span)| sql[span.start..].trim().to_string());
    Some(CreateIndex { columns, predicate })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_create_index_text() {
        let ix = parse_create_index(
            r#"CREATE INDEX "ix" ON "t" ("a", lower("b")) WHERE "a" IS NOT NULL"#,
        )
        .unwrap();
        assert_eq!(ix.columns, ["a", r#"lower("b")"#]);
        assert_eq!(ix.predicate.as_deref(), Some(r#""a" IS NOT NULL"#));
    }
}

//! SQL that more than one database writes the same way: standard identifier
//! quoting, constraint clauses, and the choice of a raw SQL variant. Each database's
//! renderer calls these with itself, so that every identifier is still quoted by the
//! database's own [`SqlDialect::quote_ident`].

use super::{RenderError, SqlDialect, Statement};
use crate::ops::RawSql;
use crate::schema::{CheckConstraint, FkAction, ForeignKey, PrimaryKey, UniqueConstraint};

/// An identifier in standard SQL double quotes, embedded double quotes doubled, so
/// that reserved words, mixed case and any character are safe.
pub(crate) fn double_quote_ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A comma-separated list of identifiers, each quoted by `quote`: `"a", "b"`.
pub(crate) fn ident_list<S: AsRef<str>>(names: &[S], quote: impl Fn(&str) -> String) -> String {
    names
        .iter()
        .map(|n| quote(n.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CONSTRAINT "n" PRIMARY KEY ("a", ...)`.
pub(crate) fn primary_key_sql(d: &dyn SqlDialect, pk: &PrimaryKey) -> String {
    format!(
        "CONSTRAINT {} PRIMARY KEY ({})",
        d.quote_ident(&pk.name),
        ident_list(&pk.columns, |n| d.quote_ident(n))
    )
}

/// `CONSTRAINT "n" UNIQUE ("a", ...)`.
pub(crate) fn unique_sql(d: &dyn SqlDialect, u: &UniqueConstraint) -> String {
    format!(
        "CONSTRAINT {} UNIQUE ({})",
        d.quote_ident(&u.name),
        ident_list(&u.columns, |n| d.quote_ident(n))
    )
}

/// `CONSTRAINT "n" CHECK (<expression>)`.
pub(crate) fn check_sql(d: &dyn SqlDialect, c: &CheckConstraint) -> String {
    format!(
        "CONSTRAINT {} CHECK ({})",
        d.quote_ident(&c.name),
        c.expression
    )
}

/// `CONSTRAINT "n" FOREIGN KEY (..) REFERENCES "t" (..) [ON DELETE ..] [ON UPDATE ..]`.
pub(crate) fn foreign_key_sql(d: &dyn SqlDialect, fk: &ForeignKey) -> String {
    let list = |cols: &[String]| ident_list(cols, |n| d.quote_ident(n));
    let mut out = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        d.quote_ident(&fk.name),
        list(&fk.columns),
        d.quote_ident(&fk.ref_table),
        list(&fk.ref_columns)
    );
    if fk.on_delete != FkAction::NoAction {
        out.push_str(" ON DELETE ");
        out.push_str(fk.on_delete.sql());
    }
    if fk.on_update != FkAction::NoAction {
        out.push_str(" ON UPDATE ");
        out.push_str(fk.on_update.sql());
    }
    out
}

/// The statements of a [`RawSql`] on `d`: its own variant, else `any`. No statement
/// when only other dialects have SQL (the op does nothing here); an error when it
/// has no SQL at all.
pub(crate) fn raw_sql(d: &dyn SqlDialect, raw: &RawSql) -> Result<Vec<Statement>, RenderError> {
    match raw.sql_for(d.dialect()) {
        Some(sql) => Ok(vec![Statement::new(sql)]),
        None if raw.has_variants() => Ok(Vec::new()),
        None => Err(RenderError::InvalidOp {
            op: "execute",
            reason: "it has no SQL for any dialect".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{quote_ident, quote_ident_list};

    #[test]
    fn identifiers_are_always_quoted() {
        assert_eq!(quote_ident("t"), "\"t\"");
        assert_eq!(quote_ident("timestamp"), "\"timestamp\"");
        assert_eq!(quote_ident("we\"ird"), "\"we\"\"ird\"");
        assert_eq!(quote_ident(""), "\"\"");
        assert_eq!(quote_ident_list(&["a", "b c"]), "\"a\", \"b c\"");
        assert_eq!(double_quote_ident("a\"b"), "\"a\"\"b\"");
    }
}

//! Keys and indexes over `TEXT`/`BLOB`/`JSON` columns, which InnoDB indexes
//! only by a prefix of each value.
//!
//! A plain index indexes the first [`PREFIX`] characters of such a column (the
//! prefix is a storage detail: introspection reads the index as on the column).
//! A unique key over such a column is MariaDB's hash-backed unique key (10.4+,
//! not with an `AUTO_INCREMENT` column);
//! MySQL would only compare prefixes and refuses it here. A primary key or a
//! foreign key over such a column is refused on both: use `varchar(n)`.

use super::Mysql;
use super::quote::{quote_ident, quote_ident_list};
use super::render::unsupported;
use super::types::is_blob_like;
use crate::dialect::RenderError;
use crate::schema::{Index, Schema, Table};

/// Characters of a text value that a plain index keeps (191 four-byte
/// characters stay under InnoDB's 767-byte limit of old row formats).
pub const PREFIX: u32 = 191;

/// Whether column `name` of `t` is stored as text or bytes.
fn blob_like(t: &Table, name: &str) -> bool {
    t.column(name).is_some_and(|c| is_blob_like(&c.ty))
}

/// Unique keys over long values exist (MariaDB 10.4+, by a hidden hash).
fn long_unique(m: &Mysql) -> bool {
    m.server.flavour == super::Flavour::MariaDb && m.server.version.at_least(10, 4, 0)
}

/// The column list of index `index` of table `t`: text columns of a plain
/// index by their prefix.
pub(super) fn index_columns(t: Option<&Table>, index: &Index) -> String {
    index
        .columns
        .iter()
        .map(|c| match t {
            _ if is_expression(c) => c.clone(),
            Some(t) if !index.unique && blob_like(t, c) => {
                format!("{}({PREFIX})", quote_ident(c))
            }
            _ => quote_ident(c),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether an index column is an expression key part: written in parentheses,
/// `(lower(name))` (a functional index, MySQL 8.0.13+).
pub(super) fn is_expression(column: &str) -> bool {
    column.starts_with('(') && column.ends_with(')')
}

/// Refuses an index with expression key parts where the server has no
/// functional indexes.
pub(super) fn check_functional(
    m: &Mysql,
    op: &'static str,
    index: &Index,
) -> Result<(), RenderError> {
    match index.columns.iter().find(|c| is_expression(c)) {
        Some(e) if !m.server.functional_indexes() => Err(unsupported(
            m,
            op,
            &format!(
                "index {:?} has the expression key part {e} and functional indexes need \
                 MySQL 8.0.13; index a generated column instead",
                index.name
            ),
        )),
        _ => Ok(()),
    }
}

/// Refuses a key of kind `what` over `columns` of `t` that the server cannot
/// hold whole.
fn refuse_text(
    m: &Mysql,
    op: &'static str,
    t: &Table,
    columns: &[String],
    what: &str,
) -> Result<(), RenderError> {
    match columns.iter().find(|c| blob_like(t, c)) {
        Some(c) => Err(unsupported(
            m,
            op,
            &format!(
                "{what} over {}.{c}, a TEXT/BLOB/JSON column, would compare only a prefix \
                 of each value; make the column varchar(n)",
                t.name
            ),
        )),
        None => Ok(()),
    }
}

/// Checks that every key of `t` (primary, unique, foreign, unique index) can
/// be created on the server; `schema` holds the tables foreign keys reference.
pub(super) fn check_table(
    m: &Mysql,
    op: &'static str,
    t: &Table,
    schema: &Schema,
) -> Result<(), RenderError> {
    if let Some(pk) = &t.primary_key {
        refuse_text(m, op, t, &pk.columns, "the primary key")?;
    }
    for u in t.uniques.values() {
        check_unique(m, op, t, &u.columns)?;
    }
    for i in t.indexes.values().filter(|i| i.unique) {
        check_unique(m, op, t, &i.columns)?;
    }
    for fk in t.foreign_keys.values() {
        check_foreign_key(
            m,
            op,
            t,
            &fk.columns,
            &fk.ref_table,
            &fk.ref_columns,
            schema,
        )?;
    }
    Ok(())
}

/// A unique key over text is MariaDB's long unique key, refused on MySQL.
pub(super) fn check_unique(
    m: &Mysql,
    op: &'static str,
    t: &Table,
    columns: &[String],
) -> Result<(), RenderError> {
    if !long_unique(m) {
        return refuse_text(m, op, t, columns, "a unique key");
    }
    // A hash key cannot hold an AUTO_INCREMENT column.
    let hashed = columns.iter().any(|c| blob_like(t, c));
    let auto = columns
        .iter()
        .find(|c| t.column(c).is_some_and(|col| col.auto_increment.is_some()));
    match auto {
        Some(a) if hashed => Err(unsupported(
            m,
            op,
            &format!(
                "a unique key over text columns of {} is a hash key, which cannot hold \
                 the AUTO_INCREMENT column {a}; make the text columns varchar(n)",
                t.name
            ),
        )),
        _ => Ok(()),
    }
}

/// A primary key over text is refused.
pub(super) fn check_primary_key(
    m: &Mysql,
    op: &'static str,
    t: &Table,
    columns: &[String],
) -> Result<(), RenderError> {
    refuse_text(m, op, t, columns, "the primary key")
}

/// A foreign key from or to text columns is refused.
pub(super) fn check_foreign_key(
    m: &Mysql,
    op: &'static str,
    t: &Table,
    columns: &[String],
    ref_table: &str,
    ref_columns: &[String],
    schema: &Schema,
) -> Result<(), RenderError> {
    refuse_text(m, op, t, columns, "a foreign key")?;
    match schema.tables.get(ref_table) {
        Some(r) => refuse_text(m, op, r, ref_columns, "a foreign key"),
        // A self-reference of a table being created.
        None if ref_table == t.name => refuse_text(m, op, t, ref_columns, "a foreign key"),
        None => Ok(()),
    }
}

/// The clauses that restate the indexes and unique keys of `after` over
/// `column` whose type changes between stored whole and by prefix (from
/// `before`): dropped and added again, in the `ALTER TABLE` of the change.
pub(super) fn restated_keys(
    m: &Mysql,
    op: &'static str,
    before: &Table,
    after: &Table,
    old_name: &str,
    column: &str,
) -> Result<Vec<String>, RenderError> {
    if blob_like(before, old_name) == blob_like(after, column) {
        return Ok(Vec::new());
    }
    let on_column = |cols: &[String]| cols.iter().any(|c| c == column);
    if let Some(pk) = after
        .primary_key
        .as_ref()
        .filter(|pk| on_column(&pk.columns))
    {
        check_primary_key(m, op, after, &pk.columns)?;
    }
    for fk in after
        .foreign_keys
        .values()
        .filter(|fk| on_column(&fk.columns))
    {
        refuse_text(m, op, after, &fk.columns, "a foreign key")?;
    }
    let mut out = Vec::new();
    for u in after.uniques.values().filter(|u| on_column(&u.columns)) {
        check_unique(m, op, after, &u.columns)?;
        out.push(format!("DROP INDEX {}", quote_ident(&u.name)));
        out.push(format!(
            "ADD CONSTRAINT {} UNIQUE ({})",
            quote_ident(&u.name),
            quote_ident_list(&u.columns)
        ));
    }
    for i in after.indexes.values().filter(|i| on_column(&i.columns)) {
        if i.unique {
            check_unique(m, op, after, &i.columns)?;
        }
        out.push(format!("DROP INDEX {}", quote_ident(&i.name)));
        out.push(format!(
            "ADD {}INDEX {} ({})",
            if i.unique { "UNIQUE " } else { "" },
            quote_ident(&i.name),
            index_columns(Some(after), i)
        ));
    }
    Ok(out)
}

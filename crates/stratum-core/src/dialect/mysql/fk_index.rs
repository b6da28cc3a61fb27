//! The index InnoDB needs under each foreign key.
//!
//! A foreign key needs an index whose leading columns are its own, in order. When
//! the table has none, InnoDB creates one named after the key; when an index that
//! serves arrives later, InnoDB drops its own. So the key's own index exists
//! exactly when nothing of the model (primary key, unique key, index) serves it,
//! and introspection leaves it out (it is named after the key, on its columns).
//!
//! The renderers keep that state true whatever the op: dropping the last index
//! that serves a key adds the key's own index in the same `ALTER TABLE` (the
//! server refuses to drop it otherwise), dropping a key drops its own index with
//! it, and dropping a column first drops the keys over it and then, with the
//! column, every index, key and check the column takes with it in the model
//! (the server would keep a multi-column index with the other columns). A
//! change of a column's type is wrapped in dropping and adding back the keys
//! over the column, which InnoDB requires.

use super::Mysql;
use super::quote::{quote_ident, quote_ident_list};
use crate::dialect::{Statement, common};
use crate::schema::{ConstraintKind, ForeignKey, Schema, Table};

/// Whether a key over `key` serves a foreign key over `fk`.
fn leads(key: &[String], fk: &[String]) -> bool {
    !fk.is_empty() && key.len() >= fk.len() && key[..fk.len()] == *fk
}

/// Whether something of the model in `t` serves a foreign key over `fk`.
pub(super) fn served(t: &Table, fk: &[String]) -> bool {
    t.primary_key.iter().any(|pk| leads(&pk.columns, fk))
        || t.uniques.values().any(|u| leads(&u.columns, fk))
        || t.indexes
            .values()
            .any(|i| i.predicate.is_none() && leads(&i.columns, fk))
}

/// `ADD INDEX` clauses for the foreign keys of `after` that something of
/// `before` served and nothing of `after` does: the keys' own indexes, to add
/// in the statement that drops what served them.
pub(super) fn keep_indexes(before: &Table, after: &Table) -> Vec<String> {
    after
        .foreign_keys
        .values()
        .filter(|fk| served(before, &fk.columns) && !served(after, &fk.columns))
        .map(|fk| {
            format!(
                "ADD INDEX {} ({})",
                quote_ident(&fk.name),
                quote_ident_list(&fk.columns)
            )
        })
        .collect()
}

/// The name the server gave the own index of a foreign key made without a
/// name: such a key is called `<table>_ibfk_<n>` and its index is named after
/// its first column. `None` for a key with a name of its own, whose index has
/// the key's name.
pub fn unnamed_key_index<'a>(table: &str, fk: &str, columns: &'a [String]) -> Option<&'a str> {
    let unnamed = fk
        .strip_prefix(table)
        .and_then(|rest| rest.strip_prefix("_ibfk_"))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if unnamed {
        columns.first().map(String::as_str)
    } else {
        None
    }
}

/// `DROP FOREIGN KEY`, with `DROP INDEX` of the key's own index when it has one
/// (nothing of `t` serves it); `IF EXISTS` where the server has it (MariaDB), in
/// case the key was made elsewhere and its index named otherwise. The own index
/// of a key made without a name is named after its first column (see
/// [`unnamed_key_index`]); it is dropped by that name, unless the model has an
/// index or key of that name (then the server named its own otherwise, and it
/// stays).
pub(super) fn drop_foreign_key(m: &Mysql, t: &Table, fk: &ForeignKey) -> String {
    let q = quote_ident(&fk.name);
    if served(t, &fk.columns) {
        return format!("DROP FOREIGN KEY {q}");
    }
    let index = match unnamed_key_index(&t.name, &fk.name, &fk.columns) {
        Some(column) if model_names(t, column) => return format!("DROP FOREIGN KEY {q}"),
        Some(column) => quote_ident(column),
        None => q.clone(),
    };
    if m.server.if_exists() {
        format!("DROP FOREIGN KEY {q}, DROP INDEX IF EXISTS {index}")
    } else {
        format!("DROP FOREIGN KEY {q}, DROP INDEX {index}")
    }
}

/// Whether an index or key of the model in `t` is called `name`.
fn model_names(t: &Table, name: &str) -> bool {
    t.indexes.contains_key(name)
        || t.uniques.contains_key(name)
        || t.foreign_keys.contains_key(name)
}

/// The clauses that drop what dropping column `column` removes from `before`
/// (giving `after`), besides the foreign keys (dropped first, by
/// [`drop_foreign_key`]): indexes, unique keys, the primary key and checks.
pub(super) fn dropped_with_column(
    before: &Table,
    after: &Table,
    drop_check: impl Fn(&str) -> String,
) -> Vec<String> {
    let mut out = Vec::new();
    if before.primary_key.is_some() && after.primary_key.is_none() {
        out.push("DROP PRIMARY KEY".to_string());
    }
    for name in before.uniques.keys().chain(before.indexes.keys()) {
        if !after.uniques.contains_key(name) && !after.indexes.contains_key(name) {
            out.push(format!("DROP INDEX {}", quote_ident(name)));
        }
    }
    for name in before.checks.keys() {
        if !after.checks.contains_key(name) {
            out.push(drop_check(name));
        }
    }
    out
}

/// The foreign keys of `before` that `after` no longer has.
pub(super) fn dropped_foreign_keys<'a>(before: &'a Table, after: &Table) -> Vec<&'a ForeignKey> {
    before
        .foreign_keys
        .values()
        .filter(|fk| !after.foreign_keys.contains_key(&fk.name))
        .collect()
}

/// Whether the constraint kind is one whose index may serve a foreign key.
pub(super) fn may_serve(kind: ConstraintKind) -> bool {
    matches!(kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
}

/// The foreign keys of `schema` over one of `columns` ((table, column) pairs),
/// on either end, as (table, key).
fn keys_over<'a>(
    schema: &'a Schema,
    columns: &[(String, String)],
) -> Vec<(&'a str, &'a ForeignKey)> {
    let has = |t: &str, cols: &[String]| {
        cols.iter()
            .any(|c| columns.iter().any(|(ct, cc)| ct == t && cc == c))
    };
    schema
        .tables
        .values()
        .flat_map(|t| t.foreign_keys.values().map(move |fk| (t.name.as_str(), fk)))
        .filter(|(t, fk)| has(t, &fk.columns) || has(&fk.ref_table, &fk.ref_columns))
        .collect()
}

/// `statements`, which change the type of `columns`, between dropping the
/// foreign keys over those columns (InnoDB refuses to change the type of a
/// column a key uses) and adding them back as `after` has them. A key's own
/// index stays meanwhile, and serves it again.
pub(super) fn around_type_change(
    m: &Mysql,
    before: &Schema,
    after: &Schema,
    columns: &[(String, String)],
    statements: Vec<Statement>,
) -> Vec<Statement> {
    let keys = keys_over(before, columns);
    if keys.is_empty() {
        return statements;
    }
    let mut out: Vec<Statement> = keys
        .iter()
        .map(|(t, fk)| {
            Statement::new(format!(
                "ALTER TABLE {} DROP FOREIGN KEY {}",
                quote_ident(t),
                quote_ident(&fk.name)
            ))
        })
        .collect();
    out.extend(statements);
    for (t, fk) in keys {
        if let Some(fk) = after
            .tables
            .get(t)
            .and_then(|t| t.foreign_keys.get(&fk.name))
        {
            out.push(Statement::new(format!(
                "ALTER TABLE {} ADD {}",
                quote_ident(t),
                common::foreign_key_sql(m, fk)
            )));
        }
    }
    out
}

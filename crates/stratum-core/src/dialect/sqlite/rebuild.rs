//! Table rebuilds: what `ALTER TABLE` cannot do in SQLite.

use super::quote::quote_ident;
use super::table::{create_index_sql, create_table_sql};
use crate::dialect::{RenderError, Statement, apply, table};
use crate::ops::Op;
use crate::schema::{Column, Schema, Table};

/// Prefix of the temporary table of a rebuild: `_stratum_new_<table>`.
pub const REBUILD_PREFIX: &str = "_stratum_new_";

/// The schema after `op`, from the simulator.
pub(super) fn after(op: &Op, before: &Schema) -> Result<Schema, RenderError> {
    let mut s = before.clone();
    apply(&mut s, op)?;
    Ok(s)
}

/// Rebuilds table `name` into its definition in `after`. `source` gives, for a
/// column of the rebuilt table, the expression over the old table that fills it
/// (`None`: the column is new and takes its default).
pub(super) fn rebuild(
    name: &str,
    before: &Schema,
    after: &Schema,
    source: impl Fn(&Column) -> Option<String>,
) -> Result<Vec<Statement>, RenderError> {
    table(before, name)?;
    let new_table = table(after, name)?;
    let temp = format!("{REBUILD_PREFIX}{name}");
    let (qt, qtemp) = (quote_ident(name), quote_ident(&temp));
    let mut out = vec![Statement::new(create_table_sql(&temp, new_table, after)?)];
    let (cols, exprs): (Vec<String>, Vec<String>) = new_table
        .columns
        .iter()
        .filter_map(|c| source(c).map(|e| (quote_ident(&c.name), e)))
        .unzip();
    if !cols.is_empty() {
        out.push(Statement::new(format!(
            "INSERT INTO {qtemp} ({}) SELECT {} FROM {qt}",
            cols.join(", "),
            exprs.join(", ")
        )));
    }
    out.push(Statement::new(format!("DROP TABLE {qt}")));
    out.push(Statement::new(format!(
        "ALTER TABLE {qtemp} RENAME TO {qt}"
    )));
    out.extend(
        new_table
            .indexes
            .values()
            .map(|i| create_index_sql(name, i)),
    );
    Ok(out)
}

/// A rebuild that copies every column the old table also has, under the same name.
pub(super) fn rebuild_same_columns(
    name: &str,
    before: &Schema,
    after: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let old = table(before, name)?;
    rebuild(name, before, after, |c| {
        old.column(&c.name).map(|_| quote_ident(&c.name))
    })
}

/// Whether `expr` may mention `column` (conservative: any occurrence of the name).
fn mentions(expr: &str, column: &str) -> bool {
    expr.to_lowercase().contains(&column.to_lowercase())
}

/// Whether SQLite's `ALTER TABLE DROP COLUMN` accepts dropping `column`.
pub(super) fn can_drop_natively(table: &Table, column: &str) -> bool {
    let in_cols = |cols: &[String]| cols.iter().any(|c| c == column);
    !(table
        .primary_key
        .as_ref()
        .is_some_and(|pk| in_cols(&pk.columns))
        || table.uniques.values().any(|u| in_cols(&u.columns))
        || table.foreign_keys.values().any(|f| in_cols(&f.columns))
        || table.indexes.values().any(|i| {
            in_cols(&i.columns) || i.predicate.as_deref().is_some_and(|p| mentions(p, column))
        })
        || table
            .checks
            .values()
            .any(|c| mentions(&c.expression, column)))
}

//! Data changes every dialect writes the same way: bulk inserts and bulk deletes,
//! shaped by the dialect's capabilities and written with its quoting and literals.

use super::common::ident_list;
use super::{RenderError, SqlDialect, Statement, ValueError, column, table};
use crate::ops::{RowRef, Rows};
use crate::schema::{ColumnType, Schema, Table};

/// Rows per `INSERT` statement.
pub const INSERT_CHUNK: usize = 1000;
/// Rows per `DELETE` statement (each row is one `OR` term; SQLite limits expression
/// depth to 1000).
pub const DELETE_CHUNK: usize = 100;

pub(crate) fn column_type<'a>(table: &'a Table, name: &str) -> Result<&'a ColumnType, RenderError> {
    column(table, name).map(|c| &c.ty)
}

/// The error for a value that column `column` of `table` cannot take.
pub(crate) fn invalid_value(table: &Table, column: &str, source: ValueError) -> RenderError {
    RenderError::InvalidValue {
        table: table.name.clone(),
        column: column.to_string(),
        source,
    }
}

/// `value` as a SQL literal for a column of type `ty`.
fn value_sql(
    d: &dyn SqlDialect,
    table: &Table,
    column: &str,
    ty: &ColumnType,
    value: &serde_json::Value,
) -> Result<String, RenderError> {
    d.literal(value, ty)
        .map_err(|source| invalid_value(table, column, source))
}

/// `INSERT` statements for the rows, in order.
///
/// Where `DEFAULT` may stand in `VALUES` ([`super::Capabilities::default_in_values`],
/// PostgreSQL): the columns are the union of the rows' keys, sorted; a row without a
/// key gets `DEFAULT` there. Elsewhere (SQLite), consecutive rows with the same keys
/// share a statement instead. Rows with no keys at all become
/// [`SqlDialect::insert_defaults_sql`] (`INSERT ... DEFAULT VALUES`). At most [`INSERT_CHUNK`] rows per statement.
pub(crate) fn bulk_insert(
    d: &dyn SqlDialect,
    table_name: &str,
    rows: &Rows,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let table = table(before, table_name)?;
    // Runs of rows sharing a statement, each with the slots (column positions)
    // its statement names.
    let mut runs: Vec<(Vec<usize>, Vec<RowRef>)> = Vec::new();
    let width = rows.columns().len();
    if d.capabilities().default_in_values {
        // The columns any row names (a row that names none of them gets
        // `DEFAULT VALUES` below only when no row names any column).
        let slots: Vec<usize> = (0..width)
            .filter(|&i| rows.iter().any(|r| r.slots()[i].is_some()))
            .collect();
        runs.push((slots, rows.iter().collect()));
    } else {
        for row in rows {
            let slots: Vec<usize> = (0..width).filter(|&i| row.slots()[i].is_some()).collect();
            match runs.last_mut() {
                Some((last, members)) if *last == slots => members.push(row),
                _ => runs.push((slots, vec![row])),
            }
        }
    }
    let mut out = Vec::new();
    let qt = d.quote_ident(table_name);
    for (slots, members) in runs {
        if members.is_empty() {
            continue;
        }
        if slots.is_empty() {
            out.extend(
                members
                    .iter()
                    .map(|_| Statement::new(d.insert_defaults_sql(&qt))),
            );
            continue;
        }
        let cols: Vec<&String> = slots.iter().map(|&i| &rows.columns()[i]).collect();
        let types = cols
            .iter()
            .map(|col| column_type(table, col))
            .collect::<Result<Vec<_>, _>>()?;
        for chunk in members.chunks(INSERT_CHUNK) {
            let mut tuples = Vec::with_capacity(chunk.len());
            for row in chunk {
                let mut vals = Vec::with_capacity(cols.len());
                for ((&slot, col), ty) in slots.iter().zip(&cols).zip(&types) {
                    vals.push(match &row.slots()[slot] {
                        Some(v) => value_sql(d, table, col, ty, v)?,
                        None => "DEFAULT".to_string(),
                    });
                }
                tuples.push(format!("    ({})", vals.join(", ")));
            }
            out.push(Statement::new(format!(
                "INSERT INTO {qt} ({}) VALUES\n{}",
                ident_list(&cols, |n| d.quote_ident(n)),
                tuples.join(",\n")
            )));
        }
    }
    Ok(out)
}

/// `DELETE` statements removing exactly the rows that equal one of `rows` on every
/// column the row names: `(a = 1 AND b IS NULL) OR (...)`, at most [`DELETE_CHUNK`]
/// rows per statement.
///
/// Each value is compared by [`SqlDialect::value_equals`]: JSON values compare as
/// JSON on PostgreSQL, and as the compact JSON text that a bulk insert stores on
/// SQLite.
pub(crate) fn bulk_delete(
    d: &dyn SqlDialect,
    table_name: &str,
    rows: &Rows,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let table = table(before, table_name)?;
    let mut terms = Vec::with_capacity(rows.len());
    for row in rows.iter() {
        if row.is_empty() {
            return Err(RenderError::InvalidOp {
                op: "bulk_delete",
                reason: format!(
                    "a row for table {table_name:?} names no column and would delete every row; \
                     give the values that identify the row"
                ),
            });
        }
        let mut conds = Vec::with_capacity(row.len());
        for (col, value) in row.iter() {
            let ty = column_type(table, col)?;
            let qc = d.quote_ident(col);
            let cond = if value.is_null() {
                format!("{qc} IS NULL")
            } else {
                let lit = value_sql(d, table, col, ty, value)?;
                d.value_equals(&qc, &lit, ty)
            };
            conds.push(cond);
        }
        terms.push(format!("({})", conds.join(" AND ")));
    }
    let qt = d.quote_ident(table_name);
    Ok(terms
        .chunks(DELETE_CHUNK)
        .map(|chunk| {
            Statement::new(format!(
                "DELETE FROM {qt} WHERE {}",
                chunk.join("\n    OR ")
            ))
        })
        .collect())
}

//! Data changes shared by both dialects: bulk inserts and bulk deletes.

use super::quote::{ValueError, literal, quote_ident, quote_ident_list};
use super::{Dialect, RenderError, Statement, column, table};
use crate::ops::{RowRef, Rows};
use crate::schema::{ColumnType, Schema, Table};

/// Rows per `INSERT` statement.
pub const INSERT_CHUNK: usize = 1000;
/// On PostgreSQL, a bulk insert of more rows than this becomes one
/// `COPY ... FROM STDIN` (when every row names the same columns and every value
/// reads the same through COPY as through `INSERT`); smaller ones stay readable
/// `INSERT` statements.
pub const COPY_MIN_ROWS: usize = INSERT_CHUNK;
/// Rows per `DELETE` statement (each row is one `OR` term; SQLite limits expression
/// depth to 1000).
pub const DELETE_CHUNK: usize = 100;

fn column_type<'a>(table: &'a Table, name: &str) -> Result<&'a ColumnType, RenderError> {
    column(table, name).map(|c| &c.ty)
}

/// The error for a value that column `column` of `table` cannot take.
fn invalid_value(table: &Table, column: &str, source: ValueError) -> RenderError {
    RenderError::InvalidValue {
        table: table.name.clone(),
        column: column.to_string(),
        source,
    }
}

/// `value` as a SQL literal for a column of type `ty`.
fn value_sql(
    dialect: Dialect,
    table: &Table,
    column: &str,
    ty: &ColumnType,
    value: &serde_json::Value,
) -> Result<String, RenderError> {
    literal(value, ty, dialect).map_err(|source| invalid_value(table, column, source))
}

/// `INSERT` statements for the rows, in order.
///
/// PostgreSQL: the columns are the union of the rows' keys, sorted; a row without a
/// key gets `DEFAULT` there. SQLite has no `DEFAULT` in `VALUES`, so consecutive rows
/// with the same keys share a statement instead. Rows with no keys at all become
/// `INSERT ... DEFAULT VALUES`. At most [`INSERT_CHUNK`] rows per statement.
pub fn bulk_insert(
    dialect: Dialect,
    table_name: &str,
    rows: &Rows,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let table = table(before, table_name)?;
    if dialect == Dialect::Postgres
        && rows.len() > COPY_MIN_ROWS
        && let Some(statement) = copy_insert(table, rows)?
    {
        return Ok(vec![statement]);
    }
    // Runs of rows sharing a statement, each with the slots (column positions)
    // its statement names.
    let mut runs: Vec<(Vec<usize>, Vec<RowRef>)> = Vec::new();
    let width = rows.columns().len();
    match dialect {
        Dialect::Postgres => {
            // The columns any row names (a row that names none of them gets
            // `DEFAULT VALUES` below only when no row names any column).
            let slots: Vec<usize> = (0..width)
                .filter(|&i| rows.iter().any(|r| r.slots()[i].is_some()))
                .collect();
            runs.push((slots, rows.iter().collect()));
        }
        Dialect::Sqlite => {
            for row in rows {
                let slots: Vec<usize> = (0..width).filter(|&i| row.slots()[i].is_some()).collect();
                match runs.last_mut() {
                    Some((last, members)) if *last == slots => members.push(row),
                    _ => runs.push((slots, vec![row])),
                }
            }
        }
    }
    let mut out = Vec::new();
    let qt = quote_ident(table_name);
    for (slots, members) in runs {
        if members.is_empty() {
            continue;
        }
        if slots.is_empty() {
            out.extend(
                members
                    .iter()
                    .map(|_| Statement::new(format!("INSERT INTO {qt} DEFAULT VALUES"))),
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
                        Some(v) => value_sql(dialect, table, col, ty, v)?,
                        None => "DEFAULT".to_string(),
                    });
                }
                tuples.push(format!("    ({})", vals.join(", ")));
            }
            out.push(Statement::new(format!(
                "INSERT INTO {qt} ({}) VALUES\n{}",
                quote_ident_list(&cols),
                tuples.join(",\n")
            )));
        }
    }
    Ok(out)
}

/// One `COPY "t" (...) FROM STDIN` with every row, when that inserts exactly what
/// `INSERT` would: every row names the same columns (COPY has no `DEFAULT`), and
/// no value would be read differently (a JSON boolean into a column that is not
/// boolean becomes `true` through `INSERT` but `t` through COPY; a number into a
/// boolean column is refused by `INSERT`). `None` when the rows do not qualify.
/// A value that `INSERT` could not take either is an error here too.
fn copy_insert(table: &Table, rows: &Rows) -> Result<Option<Statement>, RenderError> {
    use serde_json::Value;
    let cols: Vec<&String> = rows.columns().iter().collect();
    if cols.is_empty() || rows.is_empty() || rows.iter().any(|r| r.slots().contains(&None)) {
        return Ok(None);
    }
    let types = cols
        .iter()
        .map(|col| column_type(table, col))
        .collect::<Result<Vec<_>, _>>()?;
    let mut data = String::with_capacity(rows.len() * 16 * cols.len());
    for row in rows.iter() {
        for (i, ((col, ty), value)) in cols.iter().zip(&types).zip(row.slots()).enumerate() {
            if i > 0 {
                data.push('\t');
            }
            let Some(value) = value else {
                return Ok(None);
            };
            let invalid = |source| invalid_value(table, col, source);
            let is_json = matches!(ty, ColumnType::Json | ColumnType::Jsonb);
            let is_bool = matches!(ty, ColumnType::Boolean);
            match value {
                Value::Null => data.push_str("\\N"),
                _ if is_json => push_copy_text(&mut data, &value.to_string()),
                Value::Bool(_) if !is_bool => return Ok(None),
                Value::Number(_) if is_bool => return Ok(None),
                Value::Bool(b) => data.push(if *b { 't' } else { 'f' }),
                Value::Number(n) => data.push_str(&n.to_string()),
                Value::String(s) if s.contains('\0') => {
                    return Err(invalid(ValueError::NulCharacter));
                }
                Value::String(s) => push_copy_text(&mut data, s),
                Value::Array(_) | Value::Object(_) => {
                    let kind = if value.is_array() { "array" } else { "object" };
                    return Err(invalid(ValueError::NestedValue {
                        kind,
                        ty: (*ty).clone(),
                    }));
                }
            }
        }
        data.push('\n');
    }
    let sql = format!(
        "COPY {} ({}) FROM STDIN",
        quote_ident(&table.name),
        quote_ident_list(&cols)
    );
    Ok(Some(Statement::copy_from_stdin(sql, data)))
}

/// Appends `s` escaped for COPY text format: backslash, tab, newline and carriage
/// return become backslash sequences.
fn push_copy_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// `DELETE` statements removing exactly the rows that equal one of `rows` on every
/// column the row names: `(a = 1 AND b IS NULL) OR (...)`, at most [`DELETE_CHUNK`]
/// rows per statement.
///
/// JSON values compare as JSON on PostgreSQL (`"c" = '{..}'::jsonb`, and
/// `"c"::jsonb = '{..}'::jsonb` for `json` columns, which have no equality); on
/// SQLite as the compact JSON text that a bulk insert stores.
pub fn bulk_delete(
    dialect: Dialect,
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
            let qc = quote_ident(col);
            let cond = if value.is_null() {
                format!("{qc} IS NULL")
            } else {
                let lit = value_sql(dialect, table, col, ty, value)?;
                match (dialect, ty) {
                    (Dialect::Postgres, ColumnType::Jsonb) => format!("{qc} = {lit}::jsonb"),
                    (Dialect::Postgres, ColumnType::Json) => {
                        format!("{qc}::jsonb = {lit}::jsonb")
                    }
                    _ => format!("{qc} = {lit}"),
                }
            };
            conds.push(cond);
        }
        terms.push(format!("({})", conds.join(" AND ")));
    }
    let qt = quote_ident(table_name);
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

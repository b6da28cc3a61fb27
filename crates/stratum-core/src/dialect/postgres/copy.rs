//! Bulk inserts through `COPY ... FROM STDIN`.

use crate::dialect::common::ident_list;
use crate::dialect::data::{INSERT_CHUNK, column_type, invalid_value};
use crate::dialect::{RenderError, Statement, ValueError};
use crate::ops::Rows;
use crate::schema::{ColumnType, Table};

use super::quote::quote_ident;

/// On PostgreSQL, a bulk insert of more rows than this becomes one
/// `COPY ... FROM STDIN` (when every row names the same columns and every value
/// reads the same through COPY as through `INSERT`); smaller ones stay readable
/// `INSERT` statements.
pub const COPY_MIN_ROWS: usize = INSERT_CHUNK;

/// One `COPY "t" (...) FROM STDIN` with every row, when that inserts exactly what
/// `INSERT` would: every row names the same columns (COPY has no `DEFAULT`), and
/// no value would be read differently (a JSON boolean into a column that is not
/// boolean becomes `true` through `INSERT` but `t` through COPY; a number into a
/// boolean column is refused by `INSERT`). `None` when the rows do not qualify.
/// A value that `INSERT` could not take either is an error here too.
pub(super) fn copy_insert(table: &Table, rows: &Rows) -> Result<Option<Statement>, RenderError> {
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
        ident_list(&cols, quote_ident)
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

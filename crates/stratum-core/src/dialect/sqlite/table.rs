//! SQLite table and index definitions.

use super::enum_check::{enum_check_expression, enum_check_name};
use super::quote::{quote_ident, quote_ident_list};
use super::types::{default_sql, type_sql};
use super::{D, Sqlite};
use crate::dialect::common::{check_sql, foreign_key_sql, primary_key_sql, unique_sql};
use crate::dialect::{RenderError, Statement};
use crate::schema::{Column, ColumnType, Index, Schema, Table};

pub(super) fn enum_values<'a>(schema: &'a Schema, name: &str) -> Result<&'a [String], RenderError> {
    schema
        .enums
        .get(name)
        .map(|e| e.values.as_slice())
        .ok_or_else(|| RenderError::MissingEnum {
            name: name.to_string(),
        })
}

/// A column definition. `inline_pk` is the primary key name when the column carries
/// it inline (`INTEGER PRIMARY KEY AUTOINCREMENT`).
pub(super) fn column_sql(
    table: &Table,
    col: &Column,
    schema: &Schema,
    for_add_column: bool,
) -> Result<String, RenderError> {
    let mut out = quote_ident(&col.name);
    let pk = table.primary_key.as_ref();
    let in_pk = pk.is_some_and(|pk| pk.columns.contains(&col.name));
    if col.auto_increment.is_some() {
        let reason = if !col.ty.is_integer() {
            Some("it must be an integer column")
        } else if for_add_column {
            Some(
                "SQLite cannot add a primary key column to an existing table; create the table with it",
            )
        } else if !pk.is_some_and(|pk| pk.columns.len() == 1 && in_pk) {
            Some("SQLite only autoincrements a table's single-column INTEGER PRIMARY KEY")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(RenderError::AutoIncrement {
                table: table.name.clone(),
                column: col.name.clone(),
                dialect: D,
                reason: reason.to_string(),
            });
        }
        let pk_name = pk.map(|pk| pk.name.as_str()).unwrap_or_default();
        out.push_str(&format!(
            " INTEGER NOT NULL CONSTRAINT {} PRIMARY KEY AUTOINCREMENT",
            quote_ident(pk_name)
        ));
    } else {
        out.push(' ');
        out.push_str(&type_sql(&col.ty));
        if !col.nullable || in_pk {
            out.push_str(" NOT NULL");
        }
        if let Some(d) = &col.default {
            out.push_str(" DEFAULT ");
            out.push_str(&default_sql(&col.name, d)?);
        }
    }
    if let ColumnType::Enum(name) = &col.ty {
        out.push_str(&format!(
            " CONSTRAINT {} CHECK ({})",
            quote_ident(&enum_check_name(name, &col.name)),
            enum_check_expression(&col.name, enum_values(schema, name)?)
        ));
    }
    Ok(out)
}

fn has_inline_pk(table: &Table) -> bool {
    table.columns.iter().any(|c| c.auto_increment.is_some())
}

/// `CREATE TABLE "<name>" (...)` for `table` (whose enums are looked up in `schema`).
pub(super) fn create_table_sql(
    name: &str,
    table: &Table,
    schema: &Schema,
) -> Result<String, RenderError> {
    if table.columns.is_empty() {
        return Err(RenderError::Unsupported {
            op: "create_table",
            dialect: D,
            server: D.to_string(),
            reason: format!("table {:?} would have no columns", table.name),
        });
    }
    let mut items = Vec::new();
    for col in &table.columns {
        items.push(column_sql(table, col, schema, false)?);
    }
    if let Some(pk) = &table.primary_key
        && !has_inline_pk(table)
    {
        items.push(primary_key_sql(&Sqlite, pk));
    }
    items.extend(table.uniques.values().map(|u| unique_sql(&Sqlite, u)));
    items.extend(table.checks.values().map(|c| check_sql(&Sqlite, c)));
    items.extend(
        table
            .foreign_keys
            .values()
            .map(|fk| foreign_key_sql(&Sqlite, fk)),
    );
    Ok(format!(
        "CREATE TABLE {} (\n    {}\n)",
        quote_ident(name),
        items.join(",\n    ")
    ))
}

pub(super) fn create_index_sql(table: &str, index: &Index) -> Statement {
    let mut sql = String::from("CREATE ");
    if index.unique {
        sql.push_str("UNIQUE ");
    }
    sql.push_str(&format!(
        "INDEX {} ON {} ({})",
        quote_ident(&index.name),
        quote_ident(table),
        quote_ident_list(&index.columns)
    ));
    if let Some(pred) = &index.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(pred);
    }
    Statement::new(sql)
}

pub(super) fn create_table(table: &Table, schema: &Schema) -> Result<Vec<Statement>, RenderError> {
    let mut out = vec![Statement::new(create_table_sql(
        &table.name,
        table,
        schema,
    )?)];
    out.extend(
        table
            .indexes
            .values()
            .map(|i| create_index_sql(&table.name, i)),
    );
    Ok(out)
}

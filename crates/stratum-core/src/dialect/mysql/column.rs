//! Column definitions, written whole: `CREATE TABLE`, `ADD COLUMN` and the
//! `MODIFY`/`CHANGE` of a column change all restate every property of the column.

use super::quote::quote_ident;
use super::types::{default_sql, json_check, type_sql};
use super::version::Server;
use crate::dialect::RenderError;
use crate::schema::{Column, ColumnType, Schema};

/// `` `c` <type> [CHECK (json_valid(`c`))] NOT NULL|NULL [DEFAULT ..] [AUTO_INCREMENT] ``.
///
/// Nullability is always written (`NULL` too), so that a `timestamp` column never
/// takes the server's implicit `NOT NULL` of old `explicit_defaults_for_timestamp`
/// settings. Every kind of autoincrement is `AUTO_INCREMENT` (the column must be an
/// integer; the table must have a key starting with it, as the primary key is).
pub(super) fn column_sql(
    server: Server,
    table: &str,
    col: &Column,
    schema: &Schema,
    in_primary_key: bool,
) -> Result<String, RenderError> {
    if let ColumnType::Enum(name) = &col.ty
        && !schema.enums.contains_key(name)
    {
        return Err(RenderError::MissingEnum { name: name.clone() });
    }
    let mut out = format!(
        "{} {}",
        quote_ident(&col.name),
        type_sql(server, &col.ty, Some(schema))
    );
    if !col.nullable || in_primary_key || col.auto_increment.is_some() {
        out.push_str(" NOT NULL");
    } else {
        out.push_str(" NULL");
    }
    if col.auto_increment.is_some() {
        if !col.ty.is_integer() {
            return Err(RenderError::InvalidOp {
                op: "autoincrement",
                reason: format!(
                    "column {table}.{} is {} and an AUTO_INCREMENT column must be \
                     smallint, integer or bigint",
                    col.name, col.ty
                ),
            });
        }
        out.push_str(" AUTO_INCREMENT");
    } else if let Some(d) = &col.default {
        out.push_str(" DEFAULT ");
        out.push_str(&default_sql(server, &col.name, &col.ty, d)?);
    }
    if matches!(col.ty, ColumnType::Json | ColumnType::Jsonb)
        && !server.native_json()
        && server.check_constraints()
    {
        out.push(' ');
        out.push_str(&json_check(&col.name));
    }
    Ok(out)
}

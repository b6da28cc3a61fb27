//! PostgreSQL types and defaults.

use super::quote::{quote_ident, quote_literal};
use crate::dialect::RenderError;
use crate::dialect::value::decimal_default;
use crate::schema::{ColumnType, DefaultValue};

/// The PostgreSQL spelling of a column type.
pub fn type_sql(ty: &ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "smallint".into(),
        ColumnType::Integer => "integer".into(),
        ColumnType::BigInt => "bigint".into(),
        ColumnType::Real => "real".into(),
        ColumnType::Double => "double precision".into(),
        ColumnType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => format!("numeric({p},{s})"),
        ColumnType::Numeric {
            precision: Some(p),
            scale: None,
        } => format!("numeric({p})"),
        ColumnType::Numeric { .. } => "numeric".into(),
        ColumnType::Text => "text".into(),
        ColumnType::Varchar(Some(n)) => format!("character varying({n})"),
        ColumnType::Varchar(None) => "character varying".into(),
        ColumnType::Boolean => "boolean".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Time => "time without time zone".into(),
        ColumnType::Timestamp { tz: false } => "timestamp without time zone".into(),
        ColumnType::Timestamp { tz: true } => "timestamp with time zone".into(),
        ColumnType::Uuid => "uuid".into(),
        ColumnType::Json => "json".into(),
        ColumnType::Jsonb => "jsonb".into(),
        ColumnType::Bytes => "bytea".into(),
        ColumnType::Enum(name) => quote_ident(name),
        ColumnType::Custom(s) => s.clone(),
    }
}

/// The PostgreSQL expression of a default.
pub fn default_sql(column: &str, default: &DefaultValue) -> Result<String, RenderError> {
    Ok(match default {
        DefaultValue::Now => "now()".into(),
        DefaultValue::RandomUuid => "gen_random_uuid()".into(),
        DefaultValue::Null => "NULL".into(),
        DefaultValue::Bool(true) => "true".into(),
        DefaultValue::Bool(false) => "false".into(),
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Decimal(d) => decimal_default(column, d)?,
        DefaultValue::Text(s) => quote_literal(s),
        DefaultValue::Expr(e) => e.clone(),
    })
}

//! SQLite declared types and defaults.

use super::quote::quote_literal;
use crate::dialect::RenderError;
use crate::dialect::value::decimal_default;
use crate::schema::{ColumnType, DefaultValue};

/// The default expression written for [`DefaultValue::RandomUuid`], exactly as it
/// appears in the table's SQL (introspection maps this text back).
pub const RANDOM_UUID_DEFAULT: &str = "(lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))))";

/// The default expression written for [`DefaultValue::Now`].
pub const NOW_DEFAULT: &str = "CURRENT_TIMESTAMP";

/// The declared type written for a column type (enum columns are `TEXT`).
pub fn type_sql(ty: &ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "SMALLINT".into(),
        ColumnType::Integer => "INTEGER".into(),
        ColumnType::BigInt => "BIGINT".into(),
        ColumnType::Real => "REAL".into(),
        ColumnType::Double => "DOUBLE PRECISION".into(),
        ColumnType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => format!("NUMERIC({p},{s})"),
        ColumnType::Numeric {
            precision: Some(p),
            scale: None,
        } => format!("NUMERIC({p})"),
        ColumnType::Numeric { .. } => "NUMERIC".into(),
        ColumnType::Text | ColumnType::Enum(_) => "TEXT".into(),
        ColumnType::Varchar(Some(n)) => format!("VARCHAR({n})"),
        ColumnType::Varchar(None) => "VARCHAR".into(),
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::Date => "DATE".into(),
        ColumnType::Time => "TIME".into(),
        ColumnType::Timestamp { tz: false } => "TIMESTAMP".into(),
        ColumnType::Timestamp { tz: true } => "TIMESTAMPTZ".into(),
        ColumnType::Uuid => "UUID".into(),
        ColumnType::Json => "JSON".into(),
        ColumnType::Jsonb => "JSONB".into(),
        ColumnType::Bytes => "BLOB".into(),
        ColumnType::Custom(s) => s.clone(),
    }
}

/// The SQLite expression of a default.
pub fn default_sql(column: &str, default: &DefaultValue) -> Result<String, RenderError> {
    Ok(match default {
        DefaultValue::Now => NOW_DEFAULT.into(),
        DefaultValue::RandomUuid => RANDOM_UUID_DEFAULT.into(),
        DefaultValue::Null => "NULL".into(),
        DefaultValue::Bool(true) => "TRUE".into(),
        DefaultValue::Bool(false) => "FALSE".into(),
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Decimal(d) => decimal_default(column, d)?,
        DefaultValue::Text(s) => quote_literal(s),
        DefaultValue::Expr(e) => format!("({e})"),
    })
}

/// Whether `ALTER TABLE ADD COLUMN` accepts the default (a constant).
pub(super) fn is_constant_default(d: &DefaultValue) -> bool {
    !matches!(
        d,
        DefaultValue::Now | DefaultValue::RandomUuid | DefaultValue::Expr(_)
    )
}

//! Portable column types and server defaults.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A column type that every dialect can map to its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ColumnType {
    /// 16-bit integer.
    SmallInt,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    BigInt,
    /// Single-precision float (`real`).
    Real,
    /// Double-precision float.
    Double,
    /// Exact numeric with optional precision and scale.
    Numeric {
        /// Total digits.
        precision: Option<u32>,
        /// Digits after the point.
        scale: Option<u32>,
    },
    /// Unbounded text.
    Text,
    /// `varchar`, optionally with a length limit.
    Varchar(Option<u32>),
    /// Boolean.
    Boolean,
    /// Calendar date.
    Date,
    /// Time of day (without time zone).
    Time,
    /// Timestamp, with or without time zone.
    Timestamp {
        /// `with time zone`.
        tz: bool,
    },
    /// UUID.
    Uuid,
    /// JSON stored as text.
    Json,
    /// Binary JSON (PostgreSQL `jsonb`).
    Jsonb,
    /// Binary data (`bytea` / `BLOB`).
    Bytes,
    /// A named enum type of the schema.
    Enum(String),
    /// Any other type, spelled as the database spells it.
    Custom(String),
}

impl ColumnType {
    /// Whether values of this type are integers (candidates for autoincrement).
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt
        )
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::SmallInt => f.write_str("smallint"),
            ColumnType::Integer => f.write_str("integer"),
            ColumnType::BigInt => f.write_str("bigint"),
            ColumnType::Real => f.write_str("real"),
            ColumnType::Double => f.write_str("double precision"),
            ColumnType::Numeric {
                precision: Some(p),
                scale: Some(s),
            } => write!(f, "numeric({p},{s})"),
            ColumnType::Numeric {
                precision: Some(p),
                scale: None,
            } => write!(f, "numeric({p})"),
            ColumnType::Numeric { .. } => f.write_str("numeric"),
            ColumnType::Text => f.write_str("text"),
            ColumnType::Varchar(Some(n)) => write!(f, "varchar({n})"),
            ColumnType::Varchar(None) => f.write_str("varchar"),
            ColumnType::Boolean => f.write_str("boolean"),
            ColumnType::Date => f.write_str("date"),
            ColumnType::Time => f.write_str("time"),
            ColumnType::Timestamp { tz: false } => f.write_str("timestamp"),
            ColumnType::Timestamp { tz: true } => f.write_str("timestamptz"),
            ColumnType::Uuid => f.write_str("uuid"),
            ColumnType::Json => f.write_str("json"),
            ColumnType::Jsonb => f.write_str("jsonb"),
            ColumnType::Bytes => f.write_str("bytes"),
            ColumnType::Enum(name) => write!(f, "enum {name}"),
            ColumnType::Custom(s) => f.write_str(s),
        }
    }
}

/// A server-side default, portable across dialects.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DefaultValue {
    /// The current timestamp (`now()` / `CURRENT_TIMESTAMP`).
    Now,
    /// A random UUID (`gen_random_uuid()`; an equivalent expression on SQLite).
    RandomUuid,
    /// `NULL`.
    Null,
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// A decimal literal, kept as written (`0.5`) so that equality is exact.
    Decimal(String),
    /// A string literal (also used for enum labels).
    Text(String),
    /// Any other expression, as SQL, used verbatim.
    Expr(String),
}

impl fmt::Display for DefaultValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefaultValue::Now => f.write_str("now()"),
            DefaultValue::RandomUuid => f.write_str("random uuid"),
            DefaultValue::Null => f.write_str("NULL"),
            DefaultValue::Bool(b) => write!(f, "{b}"),
            DefaultValue::Int(i) => write!(f, "{i}"),
            DefaultValue::Decimal(d) => f.write_str(d),
            DefaultValue::Text(s) => write!(f, "'{}'", s.replace('\'', "''")),
            DefaultValue::Expr(e) => f.write_str(e),
        }
    }
}

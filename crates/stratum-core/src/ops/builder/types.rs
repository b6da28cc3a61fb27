//! Type constructors that read well in revisions: `col("id", integer())`.

use crate::schema::ColumnType;

/// `smallint`.
pub fn small_integer() -> ColumnType {
    ColumnType::SmallInt
}
/// `integer`.
pub fn integer() -> ColumnType {
    ColumnType::Integer
}
/// `bigint`.
pub fn big_integer() -> ColumnType {
    ColumnType::BigInt
}
/// `real`.
pub fn real() -> ColumnType {
    ColumnType::Real
}
/// `double precision`.
pub fn double() -> ColumnType {
    ColumnType::Double
}
/// `numeric(precision, scale)`.
pub fn numeric(precision: u32, scale: u32) -> ColumnType {
    ColumnType::Numeric {
        precision: Some(precision),
        scale: Some(scale),
    }
}
/// `numeric(precision)` (scale 0).
pub fn numeric_precision(precision: u32) -> ColumnType {
    ColumnType::Numeric {
        precision: Some(precision),
        scale: None,
    }
}
/// `numeric` without precision or scale.
pub fn numeric_unconstrained() -> ColumnType {
    ColumnType::Numeric {
        precision: None,
        scale: None,
    }
}
/// `text`.
pub fn text() -> ColumnType {
    ColumnType::Text
}
/// `varchar` without a length limit.
pub fn varchar() -> ColumnType {
    ColumnType::Varchar(None)
}
/// `varchar(n)`.
pub fn varchar_n(n: u32) -> ColumnType {
    ColumnType::Varchar(Some(n))
}
/// `boolean`.
pub fn boolean() -> ColumnType {
    ColumnType::Boolean
}
/// `date`.
pub fn date() -> ColumnType {
    ColumnType::Date
}
/// `time`.
pub fn time() -> ColumnType {
    ColumnType::Time
}
/// `timestamp without time zone`.
pub fn timestamp() -> ColumnType {
    ColumnType::Timestamp { tz: false }
}
/// `timestamp with time zone`.
pub fn timestamptz() -> ColumnType {
    ColumnType::Timestamp { tz: true }
}
/// `uuid`.
pub fn uuid() -> ColumnType {
    ColumnType::Uuid
}
/// `json`.
pub fn json() -> ColumnType {
    ColumnType::Json
}
/// `jsonb`.
pub fn jsonb() -> ColumnType {
    ColumnType::Jsonb
}
/// `bytea` / `BLOB`.
pub fn bytes() -> ColumnType {
    ColumnType::Bytes
}
/// A named enum type.
pub fn enum_type(name: impl Into<String>) -> ColumnType {
    ColumnType::Enum(name.into())
}
/// A type spelled as the database spells it.
pub fn custom(sql: impl Into<String>) -> ColumnType {
    ColumnType::Custom(sql.into())
}

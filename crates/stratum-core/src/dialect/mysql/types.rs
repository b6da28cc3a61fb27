//! MySQL/MariaDB types and defaults.

use super::quote::{quote_ident, quote_literal};
use super::version::Server;
use crate::dialect::RenderError;
use crate::dialect::value::decimal_default;
use crate::schema::{ColumnType, DefaultValue, Schema};

/// Fractional-second digits of every time, datetime and timestamp column (and of
/// `CURRENT_TIMESTAMP` defaults, which must match their column).
pub const FSP: u32 = 6;

/// The length an unbounded varchar gets: these servers have no unbounded
/// `varchar`, and `longtext` cannot be a primary key, the target of a foreign key
/// or (without a prefix length) indexed. 255 characters of `utf8mb4` keep three
/// such columns within the 3072-byte key of InnoDB; use `text` for longer strings.
pub const UNBOUNDED_VARCHAR_LENGTH: u32 = 255;

/// The spelling of a column type on `server`. An enum column lists its labels
/// inline (`enum('a','b')`), taken from `schema`; without the type there (or without
/// a schema) it is an error at render time, and [`type_sql`] writes `enum()`.
pub fn type_sql(server: Server, ty: &ColumnType, schema: Option<&Schema>) -> String {
    match ty {
        ColumnType::SmallInt => "smallint".into(),
        ColumnType::Integer => "int".into(),
        ColumnType::BigInt => "bigint".into(),
        ColumnType::Real => "float".into(),
        ColumnType::Double => "double".into(),
        ColumnType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => format!("decimal({p},{s})"),
        ColumnType::Numeric {
            precision: Some(p),
            scale: None,
        } => format!("decimal({p},0)"),
        // `decimal` alone is decimal(10,0); an unbounded numeric gets the widest.
        ColumnType::Numeric { .. } => "decimal(65,30)".into(),
        ColumnType::Text => "longtext".into(),
        ColumnType::Varchar(None) => format!("varchar({UNBOUNDED_VARCHAR_LENGTH})"),
        ColumnType::Varchar(Some(n)) => format!("varchar({n})"),
        ColumnType::Boolean => "tinyint(1)".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Time => format!("time({FSP})"),
        ColumnType::Timestamp { tz: false } => format!("datetime({FSP})"),
        ColumnType::Timestamp { tz: true } => format!("timestamp({FSP})"),
        ColumnType::Uuid if server.uuid_type() => "uuid".into(),
        ColumnType::Uuid => "char(36)".into(),
        ColumnType::Json | ColumnType::Jsonb if server.native_json() => "json".into(),
        ColumnType::Json | ColumnType::Jsonb => "longtext".into(),
        ColumnType::Bytes => "longblob".into(),
        ColumnType::Enum(name) => {
            let labels = schema
                .and_then(|s| s.enums.get(name))
                .map(|e| {
                    e.values
                        .iter()
                        .map(|v| quote_literal(v))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default();
            format!("enum({labels})")
        }
        ColumnType::Custom(s) => s.clone(),
    }
}

/// Whether a column of this type is stored as `TEXT`/`BLOB`/`JSON`, whose
/// literal defaults MySQL only takes in parentheses.
pub(super) fn is_blob_like(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::Text | ColumnType::Bytes | ColumnType::Json | ColumnType::Jsonb
    )
}

/// The expression of a default of column `column` (of type `ty`) on `server`.
///
/// `now()` is `CURRENT_TIMESTAMP(6)`; a random UUID is `(uuid())`, which needs
/// expression defaults; booleans are `1`/`0`; other expressions are written in
/// parentheses where the server takes expression defaults, verbatim elsewhere.
/// On MySQL a literal default of a `TEXT`, `BLOB` or `JSON` column is written in
/// parentheses, the only form MySQL accepts there.
pub fn default_sql(
    server: Server,
    column: &str,
    ty: &ColumnType,
    default: &DefaultValue,
) -> Result<String, RenderError> {
    let expression = |e: String| -> Result<String, RenderError> {
        if server.expression_defaults() {
            Ok(format!("({e})"))
        } else {
            Err(RenderError::InvalidDefault {
                column: column.to_string(),
                reason: format!(
                    "{server} takes no expression defaults; use a literal default, or set \
                     the value in the application"
                ),
            })
        }
    };
    let literal = |l: String| -> Result<String, RenderError> {
        if server.text_default_needs_parentheses() && is_blob_like(ty) {
            expression(l)
        } else {
            Ok(l)
        }
    };
    match default {
        DefaultValue::Now => Ok(format!("CURRENT_TIMESTAMP({FSP})")),
        DefaultValue::RandomUuid => expression("uuid()".into()),
        DefaultValue::Null => Ok("NULL".into()),
        DefaultValue::Bool(b) => literal(if *b { "1" } else { "0" }.into()),
        DefaultValue::Int(i) => literal(i.to_string()),
        DefaultValue::Decimal(d) => literal(decimal_default(column, d)?),
        DefaultValue::Text(s) => literal(quote_literal(s)),
        DefaultValue::Expr(e) => expression(e.clone()),
    }
}

/// The `CHECK (json_valid(..))` that MariaDB's JSON columns carry.
pub(super) fn json_check(column: &str) -> String {
    format!("CHECK (json_valid({}))", quote_ident(column))
}

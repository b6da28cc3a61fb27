//! Column types as `format_type` prints them.

use stratum_core::schema::ColumnType;

/// Maps `format_type` output to a portable type; anything unknown is kept as
/// [`ColumnType::Custom`].
pub(crate) fn parse_type(formatted: &str) -> ColumnType {
    let s = formatted.trim();
    let simple = match s {
        "smallint" => Some(ColumnType::SmallInt),
        "integer" => Some(ColumnType::Integer),
        "bigint" => Some(ColumnType::BigInt),
        "real" => Some(ColumnType::Real),
        "double precision" => Some(ColumnType::Double),
        "numeric" => Some(ColumnType::Numeric {
            precision: None,
            scale: None,
        }),
        "text" => Some(ColumnType::Text),
        "character varying" => Some(ColumnType::Varchar(None)),
        "boolean" => Some(ColumnType::Boolean),
        "date" => Some(ColumnType::Date),
        "time without time zone" => Some(ColumnType::Time),
        "timestamp without time zone" => Some(ColumnType::Timestamp { tz: false }),
        "timestamp with time zone" => Some(ColumnType::Timestamp { tz: true }),
        "uuid" => Some(ColumnType::Uuid),
        "json" => Some(ColumnType::Json),
        "jsonb" => Some(ColumnType::Jsonb),
        "bytea" => Some(ColumnType::Bytes),
        _ => None,
    };
    if let Some(t) = simple {
        return t;
    }
    if let Some(args) = type_args(s, "character varying")
        && let [n] = args[..]
    {
        return ColumnType::Varchar(Some(n));
    }
    if let Some(args) = type_args(s, "numeric") {
        match args[..] {
            [p] => {
                return ColumnType::Numeric {
                    precision: Some(p),
                    scale: None,
                };
            }
            [p, sc] => {
                return ColumnType::Numeric {
                    precision: Some(p),
                    scale: Some(sc),
                };
            }
            _ => {}
        }
    }
    ColumnType::Custom(s.to_string())
}

/// The integer arguments of `name(a, b)`, if `s` has that form.
fn type_args(s: &str, name: &str) -> Option<Vec<u32>> {
    let inner = s
        .strip_prefix(name)?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    inner.split(',').map(|a| a.trim().parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_formatted_types() {
        assert_eq!(
            parse_type("character varying(255)"),
            ColumnType::Varchar(Some(255))
        );
        assert_eq!(parse_type("character varying"), ColumnType::Varchar(None));
        assert_eq!(
            parse_type("timestamp without time zone"),
            ColumnType::Timestamp { tz: false }
        );
        assert_eq!(
            parse_type("timestamp with time zone"),
            ColumnType::Timestamp { tz: true }
        );
        assert_eq!(parse_type("double precision"), ColumnType::Double);
        assert_eq!(
            parse_type("numeric(12,4)"),
            ColumnType::Numeric {
                precision: Some(12),
                scale: Some(4)
            }
        );
        assert_eq!(parse_type("bytea"), ColumnType::Bytes);
        assert_eq!(
            parse_type("integer[]"),
            ColumnType::Custom("integer[]".into())
        );
        assert_eq!(
            parse_type("character(3)"),
            ColumnType::Custom("character(3)".into())
        );
    }
}

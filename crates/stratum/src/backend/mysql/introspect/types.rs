//! Reading a `COLUMN_TYPE` (`int(11)`, `varchar(20)`, `decimal(10,2)`) back into
//! the model's types.

use stratum_core::schema::ColumnType;

/// The model's type of a column of type `column_type` (lowercase, as
/// `information_schema.columns` has it). Enums are read by the columns query.
pub(crate) fn parse_type(column_type: &str) -> ColumnType {
    let t = column_type.trim().to_ascii_lowercase();
    let (base, args) = match t.split_once('(') {
        Some((b, rest)) => (b.trim(), rest.split(')').next().unwrap_or("")),
        None => (t.split_whitespace().next().unwrap_or(""), ""),
    };
    let nums: Vec<u32> = args
        .split(',')
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    match base {
        "tinyint" if args == "1" => ColumnType::Boolean,
        "bool" | "boolean" => ColumnType::Boolean,
        "smallint" => ColumnType::SmallInt,
        "int" | "integer" | "mediumint" => ColumnType::Integer,
        "bigint" => ColumnType::BigInt,
        "float" => ColumnType::Real,
        "double" | "real" => ColumnType::Double,
        "decimal" | "numeric" => ColumnType::Numeric {
            precision: nums.first().copied(),
            scale: nums.get(1).copied(),
        },
        "longtext" | "text" | "mediumtext" => ColumnType::Text,
        "varchar" => ColumnType::Varchar(nums.first().copied()),
        "date" => ColumnType::Date,
        "time" => ColumnType::Time,
        "datetime" => ColumnType::Timestamp { tz: false },
        "timestamp" => ColumnType::Timestamp { tz: true },
        "uuid" => ColumnType::Uuid,
        "char" if nums.first() == Some(&36) => ColumnType::Uuid,
        "json" => ColumnType::Json,
        "longblob" | "blob" | "mediumblob" => ColumnType::Bytes,
        _ => ColumnType::Custom(t.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_types_read_back() {
        assert_eq!(parse_type("tinyint(1)"), ColumnType::Boolean);
        assert_eq!(parse_type("int(11)"), ColumnType::Integer);
        assert_eq!(parse_type("bigint(20) unsigned"), ColumnType::BigInt);
        assert_eq!(parse_type("varchar(20)"), ColumnType::Varchar(Some(20)));
        assert_eq!(
            parse_type("decimal(10,2)"),
            ColumnType::Numeric {
                precision: Some(10),
                scale: Some(2)
            }
        );
        assert_eq!(
            parse_type("datetime(6)"),
            ColumnType::Timestamp { tz: false }
        );
        assert_eq!(parse_type("char(36)"), ColumnType::Uuid);
        // MySQL 8.0.19 and later write no display widths but tinyint(1)'s.
        assert_eq!(parse_type("int"), ColumnType::Integer);
        assert_eq!(parse_type("bigint unsigned"), ColumnType::BigInt);
        assert_eq!(parse_type("smallint(6)"), ColumnType::SmallInt);
        assert_eq!(parse_type("json"), ColumnType::Json);
        assert_eq!(
            parse_type("timestamp(6)"),
            ColumnType::Timestamp { tz: true }
        );
        assert_eq!(
            parse_type("tinyint(4)"),
            ColumnType::Custom("tinyint(4)".into())
        );
        assert_eq!(
            parse_type("geometry"),
            ColumnType::Custom("geometry".into())
        );
    }
}

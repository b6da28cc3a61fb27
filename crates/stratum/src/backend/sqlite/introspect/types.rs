//! Declared column types.

use stratum_core::schema::ColumnType;

/// Maps a declared column type to a portable type.
pub(crate) fn parse_type(declared: &str) -> ColumnType {
    let upper = declared.trim().to_ascii_uppercase();
    let (base, args) = match upper.split_once('(') {
        Some((b, a)) => (
            b.trim().to_string(),
            a.trim_end_matches(')')
                .split(',')
                .map(|x| x.trim().parse::<u32>().ok())
                .collect::<Option<Vec<u32>>>(),
        ),
        None => (upper.clone(), Some(Vec::new())),
    };
    match (base.as_str(), args.as_deref()) {
        ("SMALLINT", Some([])) => ColumnType::SmallInt,
        ("INTEGER" | "INT", Some([])) => ColumnType::Integer,
        ("BIGINT", Some([])) => ColumnType::BigInt,
        ("REAL", Some([])) => ColumnType::Real,
        ("DOUBLE" | "DOUBLE PRECISION" | "FLOAT", Some([])) => ColumnType::Double,
        ("NUMERIC" | "DECIMAL", Some(a)) if a.len() <= 2 => ColumnType::Numeric {
            precision: a.first().copied(),
            scale: a.get(1).copied(),
        },
        ("TEXT", Some([])) => ColumnType::Text,
        ("VARCHAR", Some([])) => ColumnType::Varchar(None),
        ("VARCHAR", Some([n])) => ColumnType::Varchar(Some(*n)),
        ("BOOLEAN", Some([])) => ColumnType::Boolean,
        ("DATE", Some([])) => ColumnType::Date,
        ("TIME", Some([])) => ColumnType::Time,
        ("TIMESTAMP" | "DATETIME", Some([])) => ColumnType::Timestamp { tz: false },
        ("TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE", Some([])) => {
            ColumnType::Timestamp { tz: true }
        }
        ("UUID", Some([])) => ColumnType::Uuid,
        ("JSON", Some([])) => ColumnType::Json,
        ("JSONB", Some([])) => ColumnType::Jsonb,
        ("BLOB" | "BYTEA", Some([])) => ColumnType::Bytes,
        _ => ColumnType::Custom(declared.trim().to_string()),
    }
}

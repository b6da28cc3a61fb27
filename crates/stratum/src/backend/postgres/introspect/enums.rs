//! The enums query: enum types with their labels.

use super::fetch;
use crate::introspect::{IntrospectError, IntrospectStats, get};
use sqlx::PgConnection;
use sqlx::postgres::PgRow;
use stratum_core::schema::{EnumType, Schema};

const NAME: &str = "enums";

/// Enum types with their labels in sort order; an enum without labels yields one
/// row with a NULL label.
pub(crate) const ENUMS_QUERY: &str = r#"
SELECT t.typname::text AS enum_name, e.enumlabel::text AS label
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = current_schema() AND t.typtype = 'e'
ORDER BY t.typname, e.enumsortorder
"#;

/// One row of [`ENUMS_QUERY`]: an enum type and one of its labels, if any.
pub(super) struct EnumRow {
    enum_name: String,
    label: Option<String>,
}

impl EnumRow {
    fn decode(row: &PgRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            enum_name: get(row, NAME, "enum_name")?,
            label: get(row, NAME, "label")?,
        })
    }
}

/// Runs [`ENUMS_QUERY`].
pub(super) async fn read(
    conn: &mut PgConnection,
    stats: &mut IntrospectStats,
) -> Result<Vec<EnumRow>, IntrospectError> {
    let rows = fetch(conn, NAME, ENUMS_QUERY, stats).await?;
    rows.iter().map(EnumRow::decode).collect()
}

/// Adds the enum types with their labels in order.
pub(super) fn add(schema: &mut Schema, rows: Vec<EnumRow>) {
    for row in rows {
        let name = row.enum_name;
        let e = schema.enums.entry(name.clone()).or_insert(EnumType {
            name,
            values: Vec::new(),
        });
        e.values.extend(row.label);
    }
}

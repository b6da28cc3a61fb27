//! The enums query: enum types with their labels.

use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{IntrospectError, get};
use sqlx::postgres::PgRow;
use stratum_core::schema::{EnumType, Schema};

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

impl CatalogRow<PgRow> for EnumRow {
    const NAME: &'static str = "enums";
    const SQL: &'static str = ENUMS_QUERY;

    fn decode(row: &PgRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            enum_name: get(row, Self::NAME, "enum_name")?,
            label: get(row, Self::NAME, "label")?,
        })
    }
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

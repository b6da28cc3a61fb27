//! The sequences query: sequences with the column that owns each.

use super::columns::RawDefaults;
use super::defaults::nextval_sequence;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{Ignored, IntrospectError, get};
use sqlx::postgres::PgRow;
use stratum_core::schema::{AutoIncrement, Schema, Sequence};

/// Sequences, with the column that owns each (`a`: `OWNED BY`, as for serial
/// columns; `i`: an identity column's internal sequence).
pub(crate) const SEQUENCES_QUERY: &str = r#"
SELECT c.relname::text AS sequence_name,
       s.seqstart AS start_value,
       s.seqincrement AS increment,
       d.deptype::text AS dependency,
       ot.relname::text AS owner_table,
       oa.attname::text AS owner_column
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class ot ON ot.oid = d.refobjid
LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
WHERE n.nspname = current_schema()
ORDER BY c.relname
"#;

/// One row of [`SEQUENCES_QUERY`].
pub(super) struct SequenceRow {
    name: String,
    start: i64,
    increment: i64,
    dependency: Option<String>,
    owner_table: Option<String>,
    owner_column: Option<String>,
}

impl CatalogRow<PgRow> for SequenceRow {
    const NAME: &'static str = "sequences";
    const SQL: &'static str = SEQUENCES_QUERY;

    fn decode(row: &PgRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            name: get(row, Self::NAME, "sequence_name")?,
            start: get(row, Self::NAME, "start_value")?,
            increment: get(row, Self::NAME, "increment")?,
            dependency: get(row, Self::NAME, "dependency")?,
            owner_table: get(row, Self::NAME, "owner_table")?,
            owner_column: get(row, Self::NAME, "owner_column")?,
        })
    }
}

/// Adds the sequences. A sequence owned by a column whose default (as written,
/// `raw_defaults`) is its `nextval` makes that column `Serial` instead; an
/// identity column's sequence and those of ignored tables are left out.
pub(super) fn add(
    schema: &mut Schema,
    rows: Vec<SequenceRow>,
    ignored: &Ignored,
    raw_defaults: &RawDefaults,
) {
    for row in rows {
        let name = row.name;
        match (row.dependency.as_deref(), row.owner_table, row.owner_column) {
            // An identity column's own sequence: the column says it all.
            (Some("i"), _, _) => continue,
            (Some("a"), Some(t), Some(c)) => {
                if ignored.contains(&t) {
                    continue;
                }
                let is_serial_default = raw_defaults
                    .get(&(t.clone(), c.clone()))
                    .is_some_and(|d| nextval_sequence(d).as_deref() == Some(name.as_str()));
                if is_serial_default
                    && let Some(col) = schema.table_mut(&t).and_then(|tb| tb.column_mut(&c))
                {
                    col.auto_increment = Some(AutoIncrement::Serial);
                    col.default = None;
                    continue;
                }
            }
            _ => {}
        }
        schema.sequences.insert(
            name.clone(),
            Sequence {
                name,
                start: row.start,
                increment: row.increment,
            },
        );
    }
}

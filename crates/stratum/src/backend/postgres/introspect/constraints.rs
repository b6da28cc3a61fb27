//! The constraints query: primary key, foreign key, unique and check
//! constraints.

use super::check_text::check_expression;
use super::literal_casts::strip_literal_casts;
use crate::introspect::catalog_row::CatalogRow;
use crate::introspect::{Ignored, IntrospectError, get};
use sqlx::postgres::PgRow;
use stratum_core::schema::{
    CheckConstraint, FkAction, ForeignKey, PrimaryKey, Schema, UniqueConstraint,
};

/// Primary key, foreign key, unique and check constraints, with their column lists
/// resolved to names in key order.
pub(crate) const CONSTRAINTS_QUERY: &str = r#"
SELECT cl.relname::text AS table_name,
       con.conname::text AS name,
       con.contype::text AS kind,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       fcl.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS ref_columns,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update,
       pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
LEFT JOIN pg_class fcl ON fcl.oid = con.confrelid
WHERE n.nspname = current_schema()
  AND con.contype IN ('p', 'f', 'u', 'c')
ORDER BY cl.relname, con.conname
"#;

/// One row of [`CONSTRAINTS_QUERY`].
pub(super) struct ConstraintRow {
    table_name: String,
    name: String,
    /// `p`, `u`, `f` or `c`.
    kind: String,
    columns: Vec<String>,
    ref_table: Option<String>,
    ref_columns: Vec<String>,
    on_delete: Option<String>,
    on_update: Option<String>,
    definition: String,
}

impl CatalogRow<PgRow> for ConstraintRow {
    const NAME: &'static str = "constraints";
    const SQL: &'static str = CONSTRAINTS_QUERY;

    fn decode(row: &PgRow) -> Result<Self, IntrospectError> {
        Ok(Self {
            table_name: get(row, Self::NAME, "table_name")?,
            name: get(row, Self::NAME, "name")?,
            kind: get(row, Self::NAME, "kind")?,
            columns: get(row, Self::NAME, "columns")?,
            ref_table: get(row, Self::NAME, "ref_table")?,
            ref_columns: get(row, Self::NAME, "ref_columns")?,
            on_delete: get(row, Self::NAME, "on_delete")?,
            on_update: get(row, Self::NAME, "on_update")?,
            definition: get(row, Self::NAME, "definition")?,
        })
    }
}

/// Adds the constraints to the tables already read (not the ignored ones).
pub(super) fn add(
    schema: &mut Schema,
    rows: Vec<ConstraintRow>,
    ignored: &Ignored,
) -> Result<(), IntrospectError> {
    for row in rows {
        let table_name = row.table_name;
        if ignored.contains(&table_name) {
            continue;
        }
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        let (name, columns) = (row.name, row.columns);
        match row.kind.as_str() {
            "p" => table.primary_key = Some(PrimaryKey { name, columns }),
            "u" => {
                table
                    .uniques
                    .insert(name.clone(), UniqueConstraint { name, columns });
            }
            "f" => {
                let ref_table = row.ref_table.ok_or_else(|| IntrospectError::Unreadable {
                    table: table_name.clone(),
                    detail: format!("foreign key `{name}` references no table"),
                })?;
                table.foreign_keys.insert(
                    name.clone(),
                    ForeignKey {
                        name,
                        columns,
                        ref_table,
                        ref_columns: row.ref_columns,
                        on_delete: fk_action(row.on_delete.as_deref()),
                        on_update: fk_action(row.on_update.as_deref()),
                    },
                );
            }
            "c" => {
                table.checks.insert(
                    name.clone(),
                    CheckConstraint {
                        name,
                        expression: strip_literal_casts(&check_expression(&row.definition)),
                    },
                );
            }
            _ => {}
        }
    }
    Ok(())
}

/// `confdeltype` / `confupdtype` codes.
fn fk_action(code: Option<&str>) -> FkAction {
    match code {
        Some("r") => FkAction::Restrict,
        Some("c") => FkAction::Cascade,
        Some("n") => FkAction::SetNull,
        Some("d") => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

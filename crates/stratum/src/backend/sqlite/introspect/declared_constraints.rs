//! Unique and check constraints, read from the tables' text (other than the
//! checks that encode enum columns).

use super::tables::ParsedTables;
use stratum_core::naming;
use stratum_core::schema::{CheckConstraint, Schema, UniqueConstraint};

/// Adds the unique and check constraints the tables' text declares; unnamed ones
/// get the default names.
pub(super) fn add(schema: &mut Schema, parsed: &ParsedTables) {
    for (table_name, ct) in parsed {
        if let Some(t) = schema.tables.get_mut(table_name) {
            for (columns, name) in &ct.unique_names {
                let name = name
                    .clone()
                    .unwrap_or_else(|| naming::unique(table_name, columns));
                t.uniques.insert(
                    name.clone(),
                    UniqueConstraint {
                        name,
                        columns: columns.clone(),
                    },
                );
            }
            for (i, (name, expression)) in ct.checks.iter().enumerate() {
                let name = name
                    .clone()
                    .unwrap_or_else(|| format!("{table_name}_check{}", i + 1));
                t.checks.insert(
                    name.clone(),
                    CheckConstraint {
                        name,
                        expression: expression.clone(),
                    },
                );
            }
        }
    }
}

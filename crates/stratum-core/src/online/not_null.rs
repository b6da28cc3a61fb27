//! `SET NOT NULL` without a scan under an exclusive lock: a `NOT VALID` check,
//! validated while writers go on, lets PostgreSQL (12 and later) skip the scan.

use super::catalog;
use super::step::{OnlineStep, StepKind};
use crate::dialect::quote_ident;

/// PostgreSQL's identifier limit, in bytes.
const MAX_IDENT: usize = 63;

/// The name of the helper check for a column: `<table>_<column>_not_null`,
/// shortened to fit an identifier.
pub fn helper_check_name(table: &str, column: &str) -> String {
    let suffix = "_not_null";
    let mut base = format!("{table}_{column}");
    let max = MAX_IDENT - suffix.len();
    if base.len() > max {
        let mut cut = max;
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        base.truncate(cut);
    }
    format!("{base}{suffix}")
}

/// The three steps that make `column` NOT NULL.
pub fn not_null_steps(table: &str, column: &str) -> Vec<OnlineStep> {
    let check = helper_check_name(table, column);
    let t = quote_ident(table);
    let c = quote_ident(column);
    let k = quote_ident(&check);
    let not_null = catalog::column_not_null(table, column);
    vec![
        OnlineStep::tx(
            StepKind::AddNotValid,
            format!("add check {k} ({c} IS NOT NULL) on {t} NOT VALID"),
            vec![format!(
                "ALTER TABLE {t} ADD CONSTRAINT {k} CHECK ({c} IS NOT NULL) NOT VALID"
            )],
        )
        .done_when(format!(
            "{} OR ({})",
            catalog::constraint_exists(table, &check),
            not_null
        )),
        OnlineStep::tx(
            StepKind::Validate,
            format!("validate check {k} on {t}"),
            vec![format!("ALTER TABLE {t} VALIDATE CONSTRAINT {k}")],
        )
        .done_when(format!(
            "{} OR ({})",
            catalog::constraint_validated(table, &check),
            not_null
        )),
        OnlineStep::tx(
            StepKind::SetNotNull,
            format!("set {t}.{c} NOT NULL using the validated check, then drop the check"),
            vec![
                format!("ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL"),
                format!("ALTER TABLE {t} DROP CONSTRAINT {k}"),
            ],
        )
        .done_when(catalog::column_not_null_without(table, column, &check)),
    ]
}

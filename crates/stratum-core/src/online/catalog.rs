//! Catalog queries that tell whether a step's effect is already in the
//! database. Each returns exactly one boolean row.

use crate::dialect::{Dialect, quote_ident, quote_literal};

fn lit(s: &str) -> String {
    quote_literal(s, Dialect::Postgres)
}

/// `to_regclass('"name"')`: the relation's oid, NULL when it does not exist.
fn regclass(name: &str) -> String {
    format!("to_regclass({})", lit(&quote_ident(name)))
}

/// True when the index exists and is valid (a finished concurrent build).
pub fn index_valid(name: &str) -> String {
    format!(
        "SELECT COALESCE((SELECT indisvalid FROM pg_index WHERE indexrelid = {}), false)",
        regclass(name)
    )
}

/// True when the index exists, valid or not.
pub fn index_exists(name: &str) -> String {
    format!("SELECT {} IS NOT NULL", regclass(name))
}

/// True when no relation of that name exists.
pub fn index_absent(name: &str) -> String {
    format!("SELECT {} IS NULL", regclass(name))
}

fn constraint_where(table: &str, name: &str) -> String {
    format!("conrelid = {} AND conname = {}", regclass(table), lit(name))
}

/// True when the table has a constraint of that name.
pub fn constraint_exists(table: &str, name: &str) -> String {
    format!(
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE {})",
        constraint_where(table, name)
    )
}

/// True when the table has a validated constraint of that name.
pub fn constraint_validated(table: &str, name: &str) -> String {
    format!(
        "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE {} AND convalidated)",
        constraint_where(table, name)
    )
}

fn not_null(table: &str, column: &str) -> String {
    format!(
        "COALESCE((SELECT attnotnull FROM pg_attribute WHERE attrelid = {} AND attname = {} AND NOT attisdropped), false)",
        regclass(table),
        lit(column)
    )
}

/// True when the column is `NOT NULL` already (the helper check is then useless).
pub fn column_not_null(table: &str, column: &str) -> String {
    format!("SELECT {}", not_null(table, column))
}

/// True when the column is `NOT NULL` and the helper check is gone.
pub fn column_not_null_without(table: &str, column: &str, check: &str) -> String {
    format!(
        "SELECT {} AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE {})",
        not_null(table, column),
        constraint_where(table, check)
    )
}

/// True when the table has the column.
pub fn column_exists(table: &str, column: &str) -> String {
    format!(
        "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = {} AND attname = {} AND NOT attisdropped)",
        regclass(table),
        lit(column)
    )
}

/// True when the column exists and has a default.
pub fn column_has_default(table: &str, column: &str) -> String {
    format!(
        "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = {} AND attname = {} AND NOT attisdropped AND atthasdef)",
        regclass(table),
        lit(column)
    )
}

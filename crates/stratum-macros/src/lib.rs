//! Derive macros that declare database tables and enum types as Rust types.
//!
//! The generated code refers to the engine as `::stratum::...`, so a crate that uses
//! these derives depends on `stratum` (which re-exports them as
//! `stratum::model::{Table, DbEnum}`).
//!
//! - `#[derive(Table)]` on a struct with named fields implements
//!   `stratum::model::TableModel`: one column per field, constraints and indexes
//!   from `#[table(...)]` and `#[column(...)]` attributes.
//! - `#[derive(DbEnum)]` on a fieldless enum implements `stratum::model::DbEnum`
//!   and `stratum::model::SqlType`, plus `as_str`, `Display` and `FromStr`.
//!
//! See the `stratum::model` documentation for the full attribute reference.

mod db_enum;
mod sql;
mod table;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Declares a table: implements `stratum::model::TableModel` for a struct with
/// named fields. Attributes: `#[table(...)]` on the struct, `#[column(...)]` on fields.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    table::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Declares a database enum type: implements `stratum::model::DbEnum` and
/// `stratum::model::SqlType` for a fieldless enum. Attributes: `#[db_enum(name = "...")]`
/// on the enum, `#[db_enum(rename = "...")]` on variants.
#[proc_macro_derive(DbEnum, attributes(db_enum))]
pub fn derive_db_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    db_enum::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

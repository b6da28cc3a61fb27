//! The models of the test application: what its chain builds at head. The binary
//! reads no rows, so the fields are declarations only.

#![allow(dead_code)]

use stratum::model::{DbEnum, SchemaBuilder, Table};
use stratum::schema::Schema;

/// What an account stands for.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountKind {
    /// A person.
    Person,
    /// A service.
    Service,
}

/// An account.
#[derive(Table, Debug, Clone)]
pub struct Account {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// Display name.
    #[column(ty = "varchar(100)")]
    pub name: String,
    /// What the account stands for.
    #[column(enum_type, default_value = "PERSON")]
    pub kind: AccountKind,
    /// When it was created.
    #[column(ty = "timestamp", default_now)]
    pub created_at: String,
    /// Email address, unique when given.
    #[column(index, unique)]
    pub email: Option<String>,
}

/// A note written by an account.
#[derive(Table, Debug, Clone)]
pub struct Note {
    /// Primary key.
    #[column(primary_key, autoincrement)]
    pub id: i32,
    /// The author; notes go with their account.
    #[column(foreign_key = "account.id", on_delete = "cascade")]
    pub account_id: i32,
    /// The text.
    #[column(ty = "text")]
    pub body: String,
    /// Free-form metadata.
    #[column(ty = "jsonb")]
    pub meta: Option<String>,
}

/// The schema the models declare.
pub fn target_schema() -> Schema {
    SchemaBuilder::new()
        .model::<Account>()
        .model::<Note>()
        .build()
}

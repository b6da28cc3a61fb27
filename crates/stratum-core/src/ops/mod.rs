//! The op vocabulary: every schema or data change a revision can make, as plain
//! values. Revisions record ops through the builder in [`builder`]; nothing here
//! talks to a database.

pub mod builder;
mod describe;
mod raw_sql;
mod row_change;
mod rows;
mod squash;

pub use builder::{ColumnDef, Ops};
pub use raw_sql::RawSql;
pub use row_change::{RowAction, RowChange};
pub use rows::{RowLengthError, RowRef, Rows};

use crate::schema::{
    CheckConstraint, Column, ColumnType, ConstraintKind, DefaultValue, EnumType, ForeignKey, Index,
    PrimaryKey, Sequence, Table, UniqueConstraint,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One row of a bulk insert or delete: column name to JSON-like value.
pub type Row = BTreeMap<String, serde_json::Value>;

/// A change to one column. Fields left `None` are unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ColumnChange {
    /// New type.
    pub ty: Option<ColumnType>,
    /// PostgreSQL `USING` expression for the type change.
    pub using: Option<String>,
    /// New nullability.
    pub nullable: Option<bool>,
    /// New default: `Some(None)` drops the default.
    pub default: Option<Option<DefaultValue>>,
    /// New name.
    pub rename: Option<String>,
    /// MariaDB/MySQL `ALGORITHM=` and `LOCK=` for the change (other databases
    /// ignore them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mysql: Option<crate::dialect::mysql::MysqlAlter>,
}

impl ColumnChange {
    /// Whether the change changes nothing.
    pub fn is_empty(&self) -> bool {
        self.ty.is_none()
            && self.nullable.is_none()
            && self.default.is_none()
            && self.rename.is_none()
    }
}

/// One schema or data change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Op {
    /// `CREATE TYPE name AS ENUM (...)`.
    CreateEnum(EnumType),
    /// `DROP TYPE name`.
    DropEnum {
        /// Type name.
        name: String,
    },
    /// `ALTER TYPE name ADD VALUE 'v' [BEFORE|AFTER 'w']`.
    AddEnumValue {
        /// Type name.
        enum_name: String,
        /// The new label.
        value: String,
        /// Place the label before this one (else at the end, or after `after`).
        before: Option<String>,
        /// Place the label after this one.
        after: Option<String>,
    },
    /// `ALTER TYPE name RENAME VALUE 'a' TO 'b'`.
    RenameEnumValue {
        /// Type name.
        enum_name: String,
        /// Old label.
        from: String,
        /// New label.
        to: String,
    },
    /// `CREATE TABLE` with its columns, constraints and indexes.
    CreateTable(Table),
    /// `DROP TABLE`.
    DropTable {
        /// Table name.
        name: String,
    },
    /// `ALTER TABLE a RENAME TO b`.
    RenameTable {
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `ALTER TABLE t ADD COLUMN`.
    AddColumn {
        /// Table name.
        table: String,
        /// The new column.
        column: Column,
    },
    /// `ALTER TABLE t DROP COLUMN`.
    DropColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// Type, nullability, default or name change of a column.
    AlterColumn {
        /// Table name.
        table: String,
        /// Column name (before any rename).
        column: String,
        /// What changes.
        change: ColumnChange,
    },
    /// `CREATE [UNIQUE] INDEX [CONCURRENTLY]`.
    CreateIndex {
        /// Table name.
        table: String,
        /// The index.
        index: Index,
        /// Build without blocking writes (PostgreSQL; cannot run in a transaction).
        concurrently: bool,
    },
    /// `DROP INDEX [CONCURRENTLY]`.
    DropIndex {
        /// Table that holds the index, when known; found from the schema otherwise.
        table: Option<String>,
        /// Index name.
        name: String,
        /// Drop without blocking (PostgreSQL; cannot run in a transaction).
        concurrently: bool,
    },
    /// `ALTER TABLE t ADD CONSTRAINT ... FOREIGN KEY`.
    AddForeignKey {
        /// Referencing table.
        table: String,
        /// The foreign key.
        foreign_key: ForeignKey,
        /// Add as `NOT VALID` (PostgreSQL), to validate later.
        not_valid: bool,
    },
    /// `ALTER TABLE t ADD CONSTRAINT ... UNIQUE`.
    AddUnique {
        /// Table name.
        table: String,
        /// The constraint.
        unique: UniqueConstraint,
    },
    /// `ALTER TABLE t ADD CONSTRAINT ... CHECK`.
    AddCheck {
        /// Table name.
        table: String,
        /// The constraint.
        check: CheckConstraint,
        /// Add as `NOT VALID` (PostgreSQL), to validate later.
        not_valid: bool,
    },
    /// `ALTER TABLE t ADD CONSTRAINT ... PRIMARY KEY`.
    AddPrimaryKey {
        /// Table name.
        table: String,
        /// The key.
        primary_key: PrimaryKey,
    },
    /// `ALTER TABLE t VALIDATE CONSTRAINT name` (PostgreSQL; no schema change).
    ValidateConstraint {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
    },
    /// `ALTER TABLE t DROP CONSTRAINT name`.
    DropConstraint {
        /// Table name.
        table: String,
        /// Constraint name.
        name: String,
        /// Kind, when known; found from the schema otherwise.
        kind: Option<ConstraintKind>,
    },
    /// `CREATE SEQUENCE`.
    CreateSequence(Sequence),
    /// `DROP SEQUENCE`.
    DropSequence {
        /// Sequence name.
        name: String,
    },
    /// Insert rows (a data change; no schema change).
    BulkInsert {
        /// Table name.
        table: String,
        /// Rows to insert.
        rows: Rows,
    },
    /// Delete exactly the rows that match each given row on all its columns.
    BulkDelete {
        /// Table name.
        table: String,
        /// Rows to delete.
        rows: Rows,
    },
    /// Raw SQL; the simulator assumes it changes no schema.
    Execute(RawSql),
    /// Update or delete the existing rows a filter selects (a data change; no
    /// schema change). Online runs on PostgreSQL change them in batches.
    ChangeRows(RowChange),
}

impl Op {
    /// Every value [`Op::kind_name`] can return, one per op kind, for tests and
    /// tooling that must cover them all.
    pub const KIND_NAMES: &'static [&'static str] = &[
        "create_enum",
        "drop_enum",
        "add_enum_value",
        "rename_enum_value",
        "create_table",
        "drop_table",
        "rename_table",
        "add_column",
        "drop_column",
        "alter_column",
        "create_index",
        "drop_index",
        "add_foreign_key",
        "add_unique",
        "add_check",
        "add_primary_key",
        "validate_constraint",
        "drop_constraint",
        "create_sequence",
        "drop_sequence",
        "bulk_insert",
        "bulk_delete",
        "execute",
        "change_rows",
    ];

    /// A short name of the op's kind, for messages and lint findings.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Op::CreateEnum(_) => "create_enum",
            Op::DropEnum { .. } => "drop_enum",
            Op::AddEnumValue { .. } => "add_enum_value",
            Op::RenameEnumValue { .. } => "rename_enum_value",
            Op::CreateTable(_) => "create_table",
            Op::DropTable { .. } => "drop_table",
            Op::RenameTable { .. } => "rename_table",
            Op::AddColumn { .. } => "add_column",
            Op::DropColumn { .. } => "drop_column",
            Op::AlterColumn { .. } => "alter_column",
            Op::CreateIndex { .. } => "create_index",
            Op::DropIndex { .. } => "drop_index",
            Op::AddForeignKey { .. } => "add_foreign_key",
            Op::AddUnique { .. } => "add_unique",
            Op::AddCheck { .. } => "add_check",
            Op::AddPrimaryKey { .. } => "add_primary_key",
            Op::ValidateConstraint { .. } => "validate_constraint",
            Op::DropConstraint { .. } => "drop_constraint",
            Op::CreateSequence(_) => "create_sequence",
            Op::DropSequence { .. } => "drop_sequence",
            Op::BulkInsert { .. } => "bulk_insert",
            Op::BulkDelete { .. } => "bulk_delete",
            Op::Execute(_) => "execute",
            Op::ChangeRows(_) => "change_rows",
        }
    }

    /// Whether the op changes data rather than structure.
    pub fn is_data_change(&self) -> bool {
        matches!(
            self,
            Op::BulkInsert { .. } | Op::BulkDelete { .. } | Op::Execute(_) | Op::ChangeRows(_)
        )
    }

    /// Whether the op cannot run inside a transaction (PostgreSQL `CONCURRENTLY`).
    pub fn requires_no_transaction(&self) -> bool {
        matches!(
            self,
            Op::CreateIndex {
                concurrently: true,
                ..
            } | Op::DropIndex {
                concurrently: true,
                ..
            }
        )
    }
}

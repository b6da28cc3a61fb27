//! Indexes and constraints: create, validate and drop them, and the definitions
//! that `create_table` takes ([`foreign_key`], [`index`]).

use super::{Ops, strings};
use crate::naming;
use crate::ops::Op;
use crate::schema::{
    CheckConstraint, ConstraintKind, FkAction, ForeignKey, Index, PrimaryKey, UniqueConstraint,
};

impl Ops {
    /// `CREATE INDEX name ON table (columns)`.
    pub fn create_index<I, S>(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
        columns: I,
    ) -> IndexBuilder<'_>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ops.push(Op::CreateIndex {
            table: table.into(),
            index: Index {
                name: name.into(),
                columns: strings(columns),
                unique: false,
                method: None,
                predicate: None,
            },
            concurrently: false,
        });
        match self.last_mut() {
            Op::CreateIndex {
                index,
                concurrently,
                ..
            } => IndexBuilder {
                index,
                concurrently,
            },
            _ => unreachable!(),
        }
    }

    /// `DROP INDEX name`.
    pub fn drop_index(&mut self, name: impl Into<String>) -> DropIndexBuilder<'_> {
        self.ops.push(Op::DropIndex {
            table: None,
            name: name.into(),
            concurrently: false,
        });
        match self.last_mut() {
            Op::DropIndex {
                table,
                concurrently,
                ..
            } => DropIndexBuilder {
                table,
                concurrently,
            },
            _ => unreachable!(),
        }
    }

    /// `ALTER TABLE table ADD CONSTRAINT name FOREIGN KEY (columns) REFERENCES
    /// ref_table (ref_columns)`.
    pub fn create_foreign_key<I, S, J, T>(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
        ref_table: impl Into<String>,
        columns: I,
        ref_columns: J,
    ) -> ForeignKeyBuilder<'_>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
        J: IntoIterator<Item = T>,
        T: Into<String>,
    {
        self.ops.push(Op::AddForeignKey {
            table: table.into(),
            foreign_key: ForeignKey {
                name: name.into(),
                columns: strings(columns),
                ref_table: ref_table.into(),
                ref_columns: strings(ref_columns),
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
            },
            not_valid: false,
        });
        match self.last_mut() {
            Op::AddForeignKey {
                foreign_key,
                not_valid,
                ..
            } => ForeignKeyBuilder {
                foreign_key,
                not_valid,
            },
            _ => unreachable!(),
        }
    }

    /// `ALTER TABLE table ADD CONSTRAINT name UNIQUE (columns)`.
    pub fn create_unique_constraint<I, S>(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
        columns: I,
    ) where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ops.push(Op::AddUnique {
            table: table.into(),
            unique: UniqueConstraint {
                name: name.into(),
                columns: strings(columns),
            },
        });
    }

    /// `ALTER TABLE table ADD CONSTRAINT name CHECK (expression)`; call
    /// `.not_valid()` on the result to skip validating existing rows.
    pub fn create_check_constraint(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
        expression: impl Into<String>,
    ) -> NotValidBuilder<'_> {
        self.ops.push(Op::AddCheck {
            table: table.into(),
            check: CheckConstraint {
                name: name.into(),
                expression: expression.into(),
            },
            not_valid: false,
        });
        match self.last_mut() {
            Op::AddCheck { not_valid, .. } => NotValidBuilder { not_valid },
            _ => unreachable!(),
        }
    }

    /// `ALTER TABLE table ADD CONSTRAINT name PRIMARY KEY (columns)`.
    pub fn create_primary_key<I, S>(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
        columns: I,
    ) where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ops.push(Op::AddPrimaryKey {
            table: table.into(),
            primary_key: PrimaryKey {
                name: name.into(),
                columns: strings(columns),
            },
        });
    }

    /// `ALTER TABLE table VALIDATE CONSTRAINT name`.
    pub fn validate_constraint(&mut self, table: impl Into<String>, name: impl Into<String>) {
        self.ops.push(Op::ValidateConstraint {
            table: table.into(),
            name: name.into(),
        });
    }

    /// `ALTER TABLE table DROP CONSTRAINT name`.
    pub fn drop_constraint(&mut self, name: impl Into<String>, table: impl Into<String>) {
        self.ops.push(Op::DropConstraint {
            table: table.into(),
            name: name.into(),
            kind: None,
        });
    }

    /// `ALTER TABLE table DROP CONSTRAINT name`, stating its kind.
    pub fn drop_constraint_of_kind(
        &mut self,
        name: impl Into<String>,
        table: impl Into<String>,
        kind: ConstraintKind,
    ) {
        self.ops.push(Op::DropConstraint {
            table: table.into(),
            name: name.into(),
            kind: Some(kind),
        });
    }
}

/// A foreign key for [`TableBuilder::foreign_key`]; see [`foreign_key`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyDef {
    name: Option<String>,
    columns: Vec<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    on_delete: FkAction,
    on_update: FkAction,
}

/// A foreign key from `columns` to `ref_table (ref_columns)`.
pub fn foreign_key<I, S, J, T>(
    columns: I,
    ref_table: impl Into<String>,
    ref_columns: J,
) -> ForeignKeyDef
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
    J: IntoIterator<Item = T>,
    T: Into<String>,
{
    ForeignKeyDef {
        name: None,
        columns: strings(columns),
        ref_table: ref_table.into(),
        ref_columns: strings(ref_columns),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
    }
}

impl ForeignKeyDef {
    /// Names the constraint (default: `<table>_<columns>_fkey`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets ON DELETE.
    pub fn on_delete(mut self, action: FkAction) -> Self {
        self.on_delete = action;
        self
    }

    /// Sets ON UPDATE.
    pub fn on_update(mut self, action: FkAction) -> Self {
        self.on_update = action;
        self
    }

    /// The foreign key of a table of that name.
    pub fn build(self, table: &str) -> ForeignKey {
        ForeignKey {
            name: self
                .name
                .unwrap_or_else(|| naming::foreign_key(table, &self.columns)),
            columns: self.columns,
            ref_table: self.ref_table,
            ref_columns: self.ref_columns,
            on_delete: self.on_delete,
            on_update: self.on_update,
        }
    }
}

/// An index for [`TableBuilder::index`]; see [`index`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDef(pub(super) Index);

/// An index of that name over `columns`.
pub fn index<I, S>(name: impl Into<String>, columns: I) -> IndexDef
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    IndexDef(Index {
        name: name.into(),
        columns: strings(columns),
        unique: false,
        method: None,
        predicate: None,
    })
}

impl IndexDef {
    /// A unique index.
    pub fn unique(mut self) -> Self {
        self.0.unique = true;
        self
    }

    /// Access method (`btree`, `gin`, `hash`, ...).
    pub fn using(mut self, method: impl Into<String>) -> Self {
        self.0.method = Some(method.into());
        self
    }

    /// Partial index predicate.
    pub fn where_(mut self, predicate: impl Into<String>) -> Self {
        self.0.predicate = Some(predicate.into());
        self
    }
}

/// Sets options of a `create_index`.
#[derive(Debug)]
pub struct IndexBuilder<'a> {
    index: &'a mut Index,
    concurrently: &'a mut bool,
}

impl IndexBuilder<'_> {
    /// A unique index.
    pub fn unique(self) -> Self {
        self.index.unique = true;
        self
    }

    /// Access method (`btree`, `gin`, `hash`, ...).
    pub fn using(self, method: impl Into<String>) -> Self {
        self.index.method = Some(method.into());
        self
    }

    /// Partial index predicate.
    pub fn where_(self, predicate: impl Into<String>) -> Self {
        self.index.predicate = Some(predicate.into());
        self
    }

    /// `CONCURRENTLY` (PostgreSQL): the revision must be non-transactional.
    pub fn concurrently(self) -> Self {
        *self.concurrently = true;
        self
    }
}

/// Sets options of a `drop_index`.
#[derive(Debug)]
pub struct DropIndexBuilder<'a> {
    table: &'a mut Option<String>,
    concurrently: &'a mut bool,
}

impl DropIndexBuilder<'_> {
    /// The table that holds the index.
    pub fn table(self, table: impl Into<String>) -> Self {
        *self.table = Some(table.into());
        self
    }

    /// `CONCURRENTLY` (PostgreSQL): the revision must be non-transactional.
    pub fn concurrently(self) -> Self {
        *self.concurrently = true;
        self
    }
}

/// Sets options of a `create_foreign_key`.
#[derive(Debug)]
pub struct ForeignKeyBuilder<'a> {
    foreign_key: &'a mut ForeignKey,
    not_valid: &'a mut bool,
}

impl ForeignKeyBuilder<'_> {
    /// Sets ON DELETE.
    pub fn on_delete(self, action: FkAction) -> Self {
        self.foreign_key.on_delete = action;
        self
    }

    /// Sets ON UPDATE.
    pub fn on_update(self, action: FkAction) -> Self {
        self.foreign_key.on_update = action;
        self
    }

    /// `NOT VALID` (PostgreSQL): existing rows are checked later by
    /// `validate_constraint`.
    pub fn not_valid(self) -> Self {
        *self.not_valid = true;
        self
    }
}

/// Sets `NOT VALID` on a check constraint.
#[derive(Debug)]
pub struct NotValidBuilder<'a> {
    not_valid: &'a mut bool,
}

impl NotValidBuilder<'_> {
    /// `NOT VALID` (PostgreSQL): existing rows are checked later.
    pub fn not_valid(self) -> Self {
        *self.not_valid = true;
        self
    }
}

//! The builder that revisions call, in the spirit of Alembic's `op`:
//!
//! ```
//! use stratum_core::prelude::*;
//!
//! let mut op = Ops::new();
//! op.create_table("user_preferences")
//!     .column(col("id", integer()).primary_key().autoincrement())
//!     .column(col("user_id", varchar()).not_null())
//!     .column(col("preference_value", jsonb()));
//! op.create_index("idx_user_preferences_user_id", "user_preferences", ["user_id"]);
//! assert_eq!(op.len(), 2);
//! ```

use super::{ColumnChange, Op, RawSql, Rows};
use crate::dialect::Dialect;
use crate::naming;
use crate::schema::{
    AutoIncrement, CheckConstraint, Column, ColumnType, ConstraintKind, DefaultValue, EnumType,
    FkAction, ForeignKey, Index, PrimaryKey, Sequence, Table, UniqueConstraint,
};

/// The ops a revision records, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ops {
    ops: Vec<Op>,
    /// Indexes of data ops a squash may leave out (see `Ops::droppable_in_squash`).
    pub(super) droppable: Vec<usize>,
}

fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

impl Ops {
    /// No ops yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The recorded ops.
    pub fn as_slice(&self) -> &[Op] {
        &self.ops
    }

    /// The recorded ops, by value.
    pub fn into_vec(self) -> Vec<Op> {
        self.ops
    }

    /// Number of recorded ops.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Records an op value as it is.
    pub fn push(&mut self, op: Op) {
        self.ops.push(op);
    }

    fn last_mut(&mut self) -> &mut Op {
        self.ops.last_mut().expect("an op was just pushed")
    }

    /// `CREATE TABLE`: add columns and constraints on the returned builder.
    pub fn create_table(&mut self, name: impl Into<String>) -> TableBuilder<'_> {
        self.ops.push(Op::CreateTable(Table::new(name)));
        match self.last_mut() {
            Op::CreateTable(table) => TableBuilder { table },
            _ => unreachable!(),
        }
    }

    /// `DROP TABLE`.
    pub fn drop_table(&mut self, name: impl Into<String>) {
        self.ops.push(Op::DropTable { name: name.into() });
    }

    /// `ALTER TABLE from RENAME TO to`.
    pub fn rename_table(&mut self, from: impl Into<String>, to: impl Into<String>) {
        self.ops.push(Op::RenameTable {
            from: from.into(),
            to: to.into(),
        });
    }

    /// `ALTER TABLE table ADD COLUMN`; a column marked `unique`, `index` or
    /// `references` also records the matching constraint or index.
    pub fn add_column(&mut self, table: impl Into<String>, column: ColumnDef) {
        let table = table.into();
        let extras = column.table_extras(&table);
        self.ops.push(Op::AddColumn {
            table: table.clone(),
            column: column.column,
        });
        for extra in extras {
            self.ops.push(match extra {
                Extra::Unique(unique) => Op::AddUnique {
                    table: table.clone(),
                    unique,
                },
                Extra::Index(index) => Op::CreateIndex {
                    table: table.clone(),
                    index,
                    concurrently: false,
                },
                Extra::ForeignKey(foreign_key) => Op::AddForeignKey {
                    table: table.clone(),
                    foreign_key,
                    not_valid: false,
                },
            });
        }
    }

    /// `ALTER TABLE table DROP COLUMN column`.
    pub fn drop_column(&mut self, table: impl Into<String>, column: impl Into<String>) {
        self.ops.push(Op::DropColumn {
            table: table.into(),
            column: column.into(),
        });
    }

    /// Changes a column's type, nullability, default or name.
    pub fn alter_column(
        &mut self,
        table: impl Into<String>,
        column: impl Into<String>,
    ) -> AlterColumnBuilder<'_> {
        self.ops.push(Op::AlterColumn {
            table: table.into(),
            column: column.into(),
            change: ColumnChange::default(),
        });
        match self.last_mut() {
            Op::AlterColumn { change, .. } => AlterColumnBuilder { change },
            _ => unreachable!(),
        }
    }

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

    /// `CREATE TYPE name AS ENUM (values)`.
    pub fn create_enum<I, S>(&mut self, name: impl Into<String>, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ops.push(Op::CreateEnum(EnumType {
            name: name.into(),
            values: strings(values),
        }));
    }

    /// `DROP TYPE name`.
    pub fn drop_enum(&mut self, name: impl Into<String>) {
        self.ops.push(Op::DropEnum { name: name.into() });
    }

    /// `ALTER TYPE name ADD VALUE 'value'`; place it with `.before()` / `.after()`.
    pub fn add_enum_value(
        &mut self,
        enum_name: impl Into<String>,
        value: impl Into<String>,
    ) -> EnumValueBuilder<'_> {
        self.ops.push(Op::AddEnumValue {
            enum_name: enum_name.into(),
            value: value.into(),
            before: None,
            after: None,
        });
        match self.last_mut() {
            Op::AddEnumValue { before, after, .. } => EnumValueBuilder { before, after },
            _ => unreachable!(),
        }
    }

    /// `ALTER TYPE name RENAME VALUE 'from' TO 'to'`.
    pub fn rename_enum_value(
        &mut self,
        enum_name: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
    ) {
        self.ops.push(Op::RenameEnumValue {
            enum_name: enum_name.into(),
            from: from.into(),
            to: to.into(),
        });
    }

    /// `CREATE SEQUENCE name START start INCREMENT increment`.
    pub fn create_sequence(&mut self, name: impl Into<String>, start: i64, increment: i64) {
        self.ops.push(Op::CreateSequence(Sequence {
            name: name.into(),
            start,
            increment,
        }));
    }

    /// `DROP SEQUENCE name`.
    pub fn drop_sequence(&mut self, name: impl Into<String>) {
        self.ops.push(Op::DropSequence { name: name.into() });
    }

    /// Inserts rows. `rows` is a JSON array of objects (or one object).
    pub fn bulk_insert(&mut self, table: impl Into<String>, rows: serde_json::Value) {
        self.ops.push(Op::BulkInsert {
            table: table.into(),
            rows: json_rows(rows),
        });
    }

    /// Inserts rows given as values in column order, one list per row: the form
    /// for large data, which stores the column names once.
    ///
    /// ```
    /// # use stratum_core::ops::Ops;
    /// # use serde_json::json;
    /// let mut op = Ops::new();
    /// op.bulk_insert_rows("t", ["id", "name"], (0..3).map(|i| [json!(i), json!(format!("n{i}"))]));
    /// assert_eq!(op.as_slice()[0].to_string(), "insert 3 row(s) into t");
    /// ```
    ///
    /// # Panics
    ///
    /// When a row does not have one value per column; the message names the table
    /// and the row.
    pub fn bulk_insert_rows<C, S, R, V>(&mut self, table: impl Into<String>, columns: C, rows: R)
    where
        C: IntoIterator<Item = S>,
        S: Into<String>,
        R: IntoIterator<Item = V>,
        V: IntoIterator<Item = serde_json::Value>,
    {
        let table = table.into();
        let mut all = Rows::new(columns);
        let rows = rows.into_iter();
        all.reserve(rows.size_hint().0);
        for row in rows {
            if let Err(e) = all.push(row) {
                panic!("bulk_insert_rows into {table}: {e}");
            }
        }
        self.ops.push(Op::BulkInsert { table, rows: all });
    }

    /// Deletes exactly the rows that match each given object on all its keys.
    pub fn bulk_delete(&mut self, table: impl Into<String>, rows: serde_json::Value) {
        self.ops.push(Op::BulkDelete {
            table: table.into(),
            rows: json_rows(rows),
        });
    }

    /// Raw SQL for every dialect; add per-dialect variants on the result.
    pub fn execute(&mut self, sql: impl Into<String>) -> ExecuteBuilder<'_> {
        self.ops.push(Op::Execute(RawSql::any(sql)));
        match self.last_mut() {
            Op::Execute(raw) => ExecuteBuilder { raw },
            _ => unreachable!(),
        }
    }

    /// Raw SQL for some dialects only (set them on the result); dialects without a
    /// variant run nothing.
    pub fn execute_per_dialect(&mut self) -> ExecuteBuilder<'_> {
        self.ops.push(Op::Execute(RawSql::default()));
        match self.last_mut() {
            Op::Execute(raw) => ExecuteBuilder { raw },
            _ => unreachable!(),
        }
    }
}

/// Turns a JSON array of objects (or one object) into rows; anything else is no row.
fn json_rows(value: serde_json::Value) -> Rows {
    let objects = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    objects
        .into_iter()
        .filter_map(|v| match v {
            serde_json::Value::Object(map) => Some(map.into_iter().collect()),
            _ => None,
        })
        .collect()
}

/// Builds the table of a `create_table`.
#[derive(Debug)]
pub struct TableBuilder<'a> {
    table: &'a mut Table,
}

impl TableBuilder<'_> {
    /// Adds a column (and the constraints or index its flags ask for).
    pub fn column(self, column: ColumnDef) -> Self {
        let name = self.table.name.clone();
        let primary_key = column.primary_key;
        let col_name = column.column.name.clone();
        for extra in column.table_extras(&name) {
            match extra {
                Extra::Unique(u) => {
                    self.table.uniques.insert(u.name.clone(), u);
                }
                Extra::Index(i) => {
                    self.table.indexes.insert(i.name.clone(), i);
                }
                Extra::ForeignKey(fk) => {
                    self.table.foreign_keys.insert(fk.name.clone(), fk);
                }
            }
        }
        let mut col = column.column;
        if primary_key {
            col.nullable = false;
            let pk = self.table.primary_key.get_or_insert_with(|| PrimaryKey {
                name: naming::primary_key(&name),
                columns: Vec::new(),
            });
            pk.columns.push(col_name);
        }
        self.table.columns.push(col);
        self
    }

    /// Sets a (composite) primary key with the default name `<table>_pkey`.
    pub fn primary_key<I, S>(self, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let name = naming::primary_key(&self.table.name);
        self.primary_key_named(name, columns)
    }

    /// Sets a (composite) primary key with a name of your choice.
    pub fn primary_key_named<I, S>(self, name: impl Into<String>, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let columns = strings(columns);
        for c in &columns {
            if let Some(col) = self.table.column_mut(c) {
                col.nullable = false;
            }
        }
        self.table.primary_key = Some(PrimaryKey {
            name: name.into(),
            columns,
        });
        self
    }

    /// Adds a foreign key.
    pub fn foreign_key(self, fk: ForeignKeyDef) -> Self {
        let fk = fk.build(&self.table.name);
        self.table.foreign_keys.insert(fk.name.clone(), fk);
        self
    }

    /// Adds a unique constraint.
    pub fn unique<I, S>(self, name: impl Into<String>, columns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let u = UniqueConstraint {
            name: name.into(),
            columns: strings(columns),
        };
        self.table.uniques.insert(u.name.clone(), u);
        self
    }

    /// Adds a check constraint.
    pub fn check(self, name: impl Into<String>, expression: impl Into<String>) -> Self {
        let c = CheckConstraint {
            name: name.into(),
            expression: expression.into(),
        };
        self.table.checks.insert(c.name.clone(), c);
        self
    }

    /// Adds an index, created with the table.
    pub fn index(self, index: IndexDef) -> Self {
        let i = index.0;
        self.table.indexes.insert(i.name.clone(), i);
        self
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
pub struct IndexDef(Index);

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

/// Places a new enum value.
#[derive(Debug)]
pub struct EnumValueBuilder<'a> {
    before: &'a mut Option<String>,
    after: &'a mut Option<String>,
}

impl EnumValueBuilder<'_> {
    /// Place the new value before this one.
    pub fn before(self, value: impl Into<String>) -> Self {
        *self.before = Some(value.into());
        *self.after = None;
        self
    }

    /// Place the new value after this one.
    pub fn after(self, value: impl Into<String>) -> Self {
        *self.after = Some(value.into());
        *self.before = None;
        self
    }
}

/// Sets per-dialect variants of raw SQL.
#[derive(Debug)]
pub struct ExecuteBuilder<'a> {
    raw: &'a mut RawSql,
}

impl ExecuteBuilder<'_> {
    /// SQL to run on PostgreSQL instead.
    pub fn postgres(self, sql: impl Into<String>) -> Self {
        self.raw.set_variant(Dialect::Postgres, sql);
        self
    }

    /// SQL to run on SQLite instead.
    pub fn sqlite(self, sql: impl Into<String>) -> Self {
        self.raw.set_variant(Dialect::Sqlite, sql);
        self
    }
}

/// Changes of an `alter_column`.
#[derive(Debug)]
pub struct AlterColumnBuilder<'a> {
    change: &'a mut ColumnChange,
}

impl AlterColumnBuilder<'_> {
    /// New type.
    pub fn set_type(self, ty: ColumnType) -> Self {
        self.change.ty = Some(ty);
        self
    }

    /// PostgreSQL `USING` expression for the type change.
    pub fn using(self, expression: impl Into<String>) -> Self {
        self.change.using = Some(expression.into());
        self
    }

    /// `SET NOT NULL`.
    pub fn set_not_null(self) -> Self {
        self.change.nullable = Some(false);
        self
    }

    /// `DROP NOT NULL`.
    pub fn drop_not_null(self) -> Self {
        self.change.nullable = Some(true);
        self
    }

    /// `SET DEFAULT`.
    pub fn set_default(self, default: DefaultValue) -> Self {
        self.change.default = Some(Some(default));
        self
    }

    /// `DROP DEFAULT`.
    pub fn drop_default(self) -> Self {
        self.change.default = Some(None);
        self
    }

    /// `RENAME COLUMN ... TO new_name`.
    pub fn rename_to(self, new_name: impl Into<String>) -> Self {
        self.change.rename = Some(new_name.into());
        self
    }
}

/// A column with the table-level extras its flags ask for; see [`col`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    /// The column itself.
    pub column: Column,
    /// Part of the primary key.
    pub primary_key: bool,
    /// Has a single-column unique constraint `<table>_<col>_key`.
    pub unique: bool,
    /// Has a single-column index `ix_<table>_<col>` (unique when `unique` is set,
    /// in which case no unique constraint is made).
    pub index: bool,
    /// References `table.column`.
    pub references: Option<(String, String)>,
    /// ON DELETE of the reference.
    pub on_delete: FkAction,
}

enum Extra {
    Unique(UniqueConstraint),
    Index(Index),
    ForeignKey(ForeignKey),
}

impl ColumnDef {
    fn table_extras(&self, table: &str) -> Vec<Extra> {
        let name = &self.column.name;
        let mut out = Vec::new();
        if self.index {
            out.push(Extra::Index(Index {
                name: naming::index(table, std::slice::from_ref(name)),
                columns: vec![name.clone()],
                unique: self.unique,
                method: None,
                predicate: None,
            }));
        } else if self.unique {
            out.push(Extra::Unique(UniqueConstraint {
                name: naming::unique(table, std::slice::from_ref(name)),
                columns: vec![name.clone()],
            }));
        }
        if let Some((ref_table, ref_col)) = &self.references {
            out.push(Extra::ForeignKey(ForeignKey {
                name: naming::foreign_key(table, std::slice::from_ref(name)),
                columns: vec![name.clone()],
                ref_table: ref_table.clone(),
                ref_columns: vec![ref_col.clone()],
                on_delete: self.on_delete,
                on_update: FkAction::NoAction,
            }));
        }
        out
    }

    /// NOT NULL.
    pub fn not_null(mut self) -> Self {
        self.column.nullable = false;
        self
    }

    /// NULL allowed (the default).
    pub fn nullable(mut self) -> Self {
        self.column.nullable = true;
        self
    }

    /// Part of the table's primary key (implies NOT NULL).
    pub fn primary_key(mut self) -> Self {
        self.primary_key = true;
        self.column.nullable = false;
        self
    }

    /// SERIAL-style autoincrement (SQLite: `INTEGER PRIMARY KEY AUTOINCREMENT`).
    pub fn autoincrement(mut self) -> Self {
        self.column.auto_increment = Some(AutoIncrement::Serial);
        self.column.nullable = false;
        self
    }

    /// `GENERATED BY DEFAULT AS IDENTITY` (or `ALWAYS` when `always`).
    pub fn identity(mut self, always: bool) -> Self {
        self.column.auto_increment = Some(if always {
            AutoIncrement::IdentityAlways
        } else {
            AutoIncrement::IdentityByDefault
        });
        self.column.nullable = false;
        self
    }

    /// A server default.
    pub fn default(mut self, default: DefaultValue) -> Self {
        self.column.default = Some(default);
        self
    }

    /// `DEFAULT now()`.
    pub fn default_now(self) -> Self {
        self.default(DefaultValue::Now)
    }

    /// A random UUID default.
    pub fn default_random_uuid(self) -> Self {
        self.default(DefaultValue::RandomUuid)
    }

    /// A string (or enum label) default.
    pub fn default_text(self, value: impl Into<String>) -> Self {
        self.default(DefaultValue::Text(value.into()))
    }

    /// An integer default.
    pub fn default_int(self, value: i64) -> Self {
        self.default(DefaultValue::Int(value))
    }

    /// A boolean default.
    pub fn default_bool(self, value: bool) -> Self {
        self.default(DefaultValue::Bool(value))
    }

    /// A unique constraint on this column alone (with `.index()`: a unique index).
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// An index on this column alone, named `ix_<table>_<column>`.
    pub fn index(mut self) -> Self {
        self.index = true;
        self
    }

    /// A foreign key to `"table.column"`.
    pub fn references(mut self, target: &str) -> Self {
        let (t, c) = target.split_once('.').unwrap_or((target, "id"));
        self.references = Some((t.to_string(), c.to_string()));
        self
    }

    /// ON DELETE of the reference.
    pub fn on_delete(mut self, action: FkAction) -> Self {
        self.on_delete = action;
        self
    }
}

/// A nullable column of that name and type; chain flags on it.
pub fn col(name: impl Into<String>, ty: ColumnType) -> ColumnDef {
    ColumnDef {
        column: Column::new(name, ty),
        primary_key: false,
        unique: false,
        index: false,
        references: None,
        on_delete: FkAction::NoAction,
    }
}

/// Type constructors that read well in revisions: `col("id", integer())`.
pub mod types {
    use crate::schema::ColumnType;

    /// `smallint`.
    pub fn small_integer() -> ColumnType {
        ColumnType::SmallInt
    }
    /// `integer`.
    pub fn integer() -> ColumnType {
        ColumnType::Integer
    }
    /// `bigint`.
    pub fn big_integer() -> ColumnType {
        ColumnType::BigInt
    }
    /// `real`.
    pub fn real() -> ColumnType {
        ColumnType::Real
    }
    /// `double precision`.
    pub fn double() -> ColumnType {
        ColumnType::Double
    }
    /// `numeric(precision, scale)`.
    pub fn numeric(precision: u32, scale: u32) -> ColumnType {
        ColumnType::Numeric {
            precision: Some(precision),
            scale: Some(scale),
        }
    }
    /// `numeric(precision)` (scale 0).
    pub fn numeric_precision(precision: u32) -> ColumnType {
        ColumnType::Numeric {
            precision: Some(precision),
            scale: None,
        }
    }
    /// `numeric` without precision or scale.
    pub fn numeric_unconstrained() -> ColumnType {
        ColumnType::Numeric {
            precision: None,
            scale: None,
        }
    }
    /// `text`.
    pub fn text() -> ColumnType {
        ColumnType::Text
    }
    /// `varchar` without a length limit.
    pub fn varchar() -> ColumnType {
        ColumnType::Varchar(None)
    }
    /// `varchar(n)`.
    pub fn varchar_n(n: u32) -> ColumnType {
        ColumnType::Varchar(Some(n))
    }
    /// `boolean`.
    pub fn boolean() -> ColumnType {
        ColumnType::Boolean
    }
    /// `date`.
    pub fn date() -> ColumnType {
        ColumnType::Date
    }
    /// `time`.
    pub fn time() -> ColumnType {
        ColumnType::Time
    }
    /// `timestamp without time zone`.
    pub fn timestamp() -> ColumnType {
        ColumnType::Timestamp { tz: false }
    }
    /// `timestamp with time zone`.
    pub fn timestamptz() -> ColumnType {
        ColumnType::Timestamp { tz: true }
    }
    /// `uuid`.
    pub fn uuid() -> ColumnType {
        ColumnType::Uuid
    }
    /// `json`.
    pub fn json() -> ColumnType {
        ColumnType::Json
    }
    /// `jsonb`.
    pub fn jsonb() -> ColumnType {
        ColumnType::Jsonb
    }
    /// `bytea` / `BLOB`.
    pub fn bytes() -> ColumnType {
        ColumnType::Bytes
    }
    /// A named enum type.
    pub fn enum_type(name: impl Into<String>) -> ColumnType {
        ColumnType::Enum(name.into())
    }
    /// A type spelled as the database spells it.
    pub fn custom(sql: impl Into<String>) -> ColumnType {
        ColumnType::Custom(sql.into())
    }
}

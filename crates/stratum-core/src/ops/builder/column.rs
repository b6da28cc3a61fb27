//! Column ops (`add_column`, `drop_column`, `alter_column`) and the column
//! definitions of [`col`].

use super::Ops;
use crate::naming;
use crate::ops::{ColumnChange, Op};
use crate::schema::{
    AutoIncrement, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Index, UniqueConstraint,
};

impl Ops {
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

    /// MariaDB/MySQL: carry out the change with `ALGORITHM=algorithm` (the
    /// server refuses the change when it cannot); other databases ignore it.
    pub fn mysql_algorithm(self, algorithm: crate::dialect::mysql::MysqlAlgorithm) -> Self {
        self.change
            .mysql
            .get_or_insert_with(Default::default)
            .algorithm = Some(algorithm);
        self
    }

    /// MariaDB/MySQL: hold at most `LOCK=lock` during the change (the server
    /// refuses the change when it needs more); other databases ignore it.
    pub fn mysql_lock(self, lock: crate::dialect::mysql::MysqlLock) -> Self {
        self.change.mysql.get_or_insert_with(Default::default).lock = Some(lock);
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

pub(super) enum Extra {
    Unique(UniqueConstraint),
    Index(Index),
    ForeignKey(ForeignKey),
}

impl ColumnDef {
    pub(super) fn table_extras(&self, table: &str) -> Vec<Extra> {
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

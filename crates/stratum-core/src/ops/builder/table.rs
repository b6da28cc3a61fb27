//! `create_table`, `drop_table`, `rename_table` and the [`TableBuilder`].

use super::column::Extra;
use super::{ColumnDef, ForeignKeyDef, IndexDef};
use super::{Ops, strings};
use crate::naming;
use crate::ops::Op;
use crate::schema::{CheckConstraint, PrimaryKey, Table, UniqueConstraint};

impl Ops {
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

//! Questions asked of a schema by the simulator, the differ, the reverser and the
//! generators: what holds a name, which keys exist, which foreign keys depend on them.

use super::{Column, ColumnType, ForeignKey, Schema, Table};
use crate::expr;
use std::collections::BTreeSet;

impl Schema {
    /// What holds `name` in the namespace shared by tables, indexes (including those
    /// of primary keys and unique constraints), sequences and types, if anything.
    pub(crate) fn name_holder(&self, name: &str) -> Option<String> {
        if self.tables.contains_key(name) {
            return Some("table".into());
        }
        if self.enums.contains_key(name) {
            return Some("enum type".into());
        }
        if self.sequences.contains_key(name) {
            return Some("sequence".into());
        }
        self.tables.values().find_map(|t| t.index_like_holder(name))
    }

    /// Foreign keys of any table (as `(table, fk)`) that reference `table`.
    pub(crate) fn fks_referencing<'a>(
        &'a self,
        table: &'a str,
    ) -> impl Iterator<Item = (&'a Table, &'a ForeignKey)> + 'a {
        self.tables.values().flat_map(move |t| {
            t.foreign_keys
                .values()
                .filter(move |fk| fk.ref_table == table)
                .map(move |fk| (t, fk))
        })
    }

    /// Foreign keys of any table (as `(table, fk)`, in [`Schema::fks_referencing`]
    /// order) that reference exactly the column set `columns` of `table`: the ones
    /// that rely on a key over those columns.
    pub(crate) fn fks_referencing_key<'a>(
        &'a self,
        table: &'a str,
        columns: &'a [String],
    ) -> impl Iterator<Item = (&'a Table, &'a ForeignKey)> + 'a {
        let set: BTreeSet<&String> = columns.iter().collect();
        self.fks_referencing(table)
            .filter(move |(_, fk)| same_column_set(&fk.ref_columns, &set))
    }

    /// The first column (as `(table, column)`) whose type is the enum `name`.
    pub(crate) fn enum_user(&self, name: &str) -> Option<(&Table, &Column)> {
        self.tables.values().find_map(|t| {
            t.columns
                .iter()
                .find(|c| c.ty == ColumnType::Enum(name.to_string()))
                .map(|c| (t, c))
        })
    }
}

impl Table {
    fn index_like_holder(&self, name: &str) -> Option<String> {
        let t = &self.name;
        if self.indexes.contains_key(name) {
            Some(format!("an index on {t}"))
        } else if self.uniques.contains_key(name)
            || self.primary_key.as_ref().is_some_and(|pk| pk.name == name)
        {
            Some(format!("a constraint on {t}"))
        } else {
            None
        }
    }

    /// Whether the table has a key (primary key, unique constraint or non-partial
    /// unique index) on exactly the column set `columns`, not counting the key named
    /// `except`.
    pub(crate) fn has_key(&self, columns: &[String], except: Option<&str>) -> bool {
        let want: BTreeSet<&String> = columns.iter().collect();
        let same = |cols: &[String]| same_column_set(cols, &want);
        let kept = |name: &str| except != Some(name);
        self.primary_key
            .iter()
            .any(|pk| kept(&pk.name) && same(&pk.columns))
            || self
                .uniques
                .values()
                .any(|u| kept(&u.name) && same(&u.columns))
            || self
                .indexes
                .values()
                .any(|i| kept(&i.name) && i.unique && i.predicate.is_none() && same(&i.columns))
    }

    /// Removes what PostgreSQL drops along with a column: the primary key, foreign
    /// keys, indexes and unique constraints that list it, and the checks and
    /// partial-index predicates that mention it.
    pub(crate) fn remove_dependents(&mut self, column: &str) {
        let lists = |cols: &[String]| cols.iter().any(|c| c == column);
        if self
            .primary_key
            .as_ref()
            .is_some_and(|pk| lists(&pk.columns))
        {
            self.primary_key = None;
        }
        self.foreign_keys.retain(|_, fk| !lists(&fk.columns));
        self.uniques.retain(|_, u| !lists(&u.columns));
        self.checks
            .retain(|_, c| !expr::mentions(&c.expression, column));
        self.indexes.retain(|_, i| {
            !lists(&i.columns)
                && !i
                    .predicate
                    .as_deref()
                    .is_some_and(|p| expr::mentions(p, column))
        });
    }
}

/// Whether `cols` name the column set `set`: as many columns, each one in it
/// (in any order).
fn same_column_set(cols: &[String], set: &BTreeSet<&String>) -> bool {
    cols.len() == set.len() && cols.iter().all(|c| set.contains(c))
}

//! The hazards of MariaDB and MySQL in a revision's ops, for the linter
//! ([`crate::lint::lint_revision_for`]).
//!
//! - `not-null-column-implicit-default`: a NOT NULL column without a default added
//!   to an existing table is not refused, as on PostgreSQL: every existing row gets
//!   the type's implicit default (0, `''`, a zero date, the first enum label).
//! - `enum-values-removed-or-reordered`: an enum column of an existing table changed
//!   to a type whose labels do not start with the old ones in the same order. A row
//!   holding a removed label fails the `ALTER` (strict mode, the server's default)
//!   or becomes `''`; an order change changes `ORDER BY` and the stored ordinals.
//! - `set-not-null-implicit-default`: a nullable column of an existing table made
//!   NOT NULL. The server does not check the rows first: in strict mode (the
//!   default) the `ALTER` fails at the first NULL, after the revision's earlier
//!   DDL has committed; without it every NULL silently becomes the type's implicit
//!   default.
//! - `table-copy`: the `ALTER TABLE` forms InnoDB (MariaDB 10.11) cannot do in place
//!   and runs with `ALGORITHM=COPY`, blocking writes for the whole copy: a column
//!   type change (other than one that keeps the spelled type, widens a `varchar`
//!   within the same length-byte size or appends enum labels), dropping a primary
//!   key, adding a foreign key (`foreign_key_checks` is on), an enum label added
//!   anywhere but last or renamed, and raw SQL that converts a character set,
//!   changes a column's character set or collation or asks for `ALGORITHM=COPY`.
//! - `ddl-commits-implicitly`: structure and data changes in one revision; each DDL
//!   statement commits, so a failure half-way leaves the earlier changes committed.
//!
//! The generic rules written for PostgreSQL's locks and transactions are left out
//! ([`LEFT_OUT`]).

use super::types::type_sql;
use super::version::Server;
use crate::dialect::Dialect;
use crate::lint::{Hazard, Rule, mixes_structure_and_data};
use crate::ops::Op;
use crate::schema::{ColumnType, ConstraintKind, Schema};
use std::collections::BTreeSet;

/// The generic rules that do not hold on MariaDB/MySQL: the NOT NULL, type change
/// and mixed-revision rules have their own form here; `SET NOT NULL`, `NOT VALID`,
/// `CONCURRENTLY` and enum values added in a transaction are PostgreSQL's.
pub(super) const LEFT_OUT: &[Rule] = &[
    Rule::AddNotNullColumnWithoutDefault,
    Rule::SetNotNull,
    Rule::ForeignKeyWithoutNotValid,
    Rule::CreateIndexNotConcurrently,
    Rule::ConcurrentlyInTransaction,
    Rule::ChangeColumnType,
    Rule::EnumValueUsedInSameRevision,
    Rule::MixedStructureAndData,
];

const COPY_WHY: &str = "InnoDB cannot do this in place (ALGORITHM=COPY): the table is copied row by row, writes to it wait until the copy ends, and the copy needs as much free disk as the table";
const COPY_FIX: &str = "run it in a quiet period, or add a new column or table, backfill it in batches and switch the code over; acknowledge when the table is small";

/// The varchar lengths (in characters) stored with a one-byte length prefix in
/// utf8mb4 (up to 255 bytes of 4-byte characters).
const ONE_BYTE_LENGTH_CHARS: u32 = 63;

/// The hazards of `upgrade` on `server`, `before` being the schema before it.
pub(super) fn hazards(server: Server, upgrade: &[Op], before: &Schema) -> Vec<Hazard> {
    let mut out = Vec::new();
    let mut schema = before.clone();
    // Tables with rows: those that existed before the revision, under their names now.
    let mut existing: BTreeSet<String> = before.tables.keys().cloned().collect();
    for (i, op) in upgrade.iter().enumerate() {
        let mut push = |rule: Rule, message: String, why: String, fix: &str| {
            out.push(Hazard {
                op_index: Some(i),
                rule,
                message,
                why,
                fix: fix.to_string(),
            });
        };
        op_hazards(server, op, &schema, &existing, &mut push);
        match op {
            Op::RenameTable { from, to } if existing.remove(from) => {
                existing.insert(to.clone());
            }
            Op::DropTable { name } => {
                existing.remove(name);
            }
            _ => {}
        }
        // An op the simulation refuses leaves the schema as it was; the checks
        // after it read what is known.
        let _ = crate::simulate::apply(&mut schema, op);
    }
    if mixes_structure_and_data(upgrade) {
        out.push(Hazard {
            op_index: None,
            rule: Rule::DdlCommitsImplicitly,
            message: "the revision changes both structure and data, and every DDL statement commits on its own".to_string(),
            why: "MariaDB and MySQL cannot run the revision as one transaction: each DDL statement commits what came before it, so when a later statement fails the earlier data and structure changes stay committed while the revision is not recorded as applied, and nothing rolls them back".to_string(),
            fix: "put the data changes in a revision of their own, so that a failed revision leaves one kind of change to repair by hand".to_string(),
        });
    }
    out
}

type Push<'a> = dyn FnMut(Rule, String, String, &str) + 'a;

fn op_hazards(
    server: Server,
    op: &Op,
    schema: &Schema,
    existing: &BTreeSet<String>,
    push: &mut Push<'_>,
) {
    match op {
        Op::AddColumn { table, column }
            if existing.contains(table)
                && !column.nullable
                && column.default.is_none()
                && column.auto_increment.is_none() =>
        {
            push(
                Rule::NotNullColumnImplicitDefault,
                format!(
                    "column {table}.{} is added NOT NULL without a default",
                    column.name
                ),
                format!(
                    "MariaDB and MySQL do not refuse it (PostgreSQL does when the table has rows): every existing row silently gets {}",
                    implicit_default(&column.ty, schema)
                ),
                "give it a server default that is right for the existing rows, or add it nullable, backfill it, then make it NOT NULL in a later revision",
            );
        }
        Op::AlterColumn {
            table,
            column,
            change,
        } if existing.contains(table) => {
            let Some(current) = schema.tables.get(table).and_then(|t| t.column(column)) else {
                return;
            };
            if change.nullable == Some(false) && current.nullable {
                let ty = change.ty.as_ref().unwrap_or(&current.ty);
                push(
                    Rule::SetNotNullImplicitDefault,
                    format!("column {table}.{column} is made NOT NULL"),
                    format!(
                        "MariaDB and MySQL do not check the existing rows first: in strict mode (the default) the ALTER fails at the first NULL (error 1265), after the revision's earlier DDL has committed; without strict mode every NULL silently becomes {}",
                        implicit_default(ty, schema)
                    ),
                    "fill the NULLs (an UPDATE in an earlier revision) and make sure none remain before making the column NOT NULL; acknowledge when the column holds no NULL",
                );
            }
            let Some(new) = &change.ty else { return };
            type_change(server, table, column, &current.ty, new, schema, push);
        }
        Op::DropConstraint { table, name, kind }
            if existing.contains(table)
                && (*kind == Some(ConstraintKind::PrimaryKey)
                    || schema
                        .tables
                        .get(table)
                        .and_then(|t| t.primary_key.as_ref())
                        .is_some_and(|pk| pk.name == *name)) =>
        {
            push(
                Rule::TableCopy,
                format!("the primary key of table {table} is dropped, which copies the table"),
                format!(
                    "{COPY_WHY}; a primary key can be dropped in place only in the statement that adds the new one"
                ),
                COPY_FIX,
            );
        }
        Op::AddForeignKey {
            table, foreign_key, ..
        } if existing.contains(table) => push(
            Rule::TableCopy,
            format!(
                "foreign key {} is added to existing table {table}, which copies the table",
                foreign_key.name
            ),
            format!(
                "{COPY_WHY}; InnoDB adds a foreign key in place only with foreign_key_checks off, and migrations run with it on"
            ),
            COPY_FIX,
        ),
        Op::AddEnumValue {
            enum_name,
            value,
            before,
            after,
        } => {
            let last = schema
                .enums
                .get(enum_name)
                .and_then(|e| e.values.last())
                .map(String::as_str);
            let appended = before.is_none() && after.as_deref().is_none_or(|a| Some(a) == last);
            if !appended {
                for (table, column) in enum_columns(schema, existing, enum_name) {
                    push(
                        Rule::TableCopy,
                        format!(
                            "enum value {enum_name}.{value} is added before the last label, which copies table {table} (column {column})"
                        ),
                        format!(
                            "{COPY_WHY}; only a label added last is added in place, and the stored ordinals of the labels after it change"
                        ),
                        "add the label last",
                    );
                }
            }
        }
        Op::RenameEnumValue {
            enum_name,
            from,
            to,
        } => {
            for (table, column) in enum_columns(schema, existing, enum_name) {
                push(
                    Rule::TableCopy,
                    format!(
                        "enum value {enum_name}.{from} is renamed to {to}, which copies table {table} (column {column})"
                    ),
                    format!(
                        "{COPY_WHY}; the rename inserts the new label after the old one, moves the rows to it, then removes the old label: the removal copies the table, and so does the insertion unless the old label is the last"
                    ),
                    COPY_FIX,
                );
            }
        }
        Op::Execute(raw) => {
            let Some(sql) = raw.sql_for(Dialect::Mysql) else {
                return;
            };
            if let Some(what) = copying_raw_sql(sql) {
                push(
                    Rule::TableCopy,
                    format!("raw SQL {what}, which copies the table"),
                    format!(
                        "{COPY_WHY}; a character set conversion, a character set or collation change of an indexed column, and an explicit ALGORITHM=COPY all copy"
                    ),
                    COPY_FIX,
                );
            }
        }
        _ => {}
    }
}

/// A column type change: the enum rule when labels are removed or reordered,
/// else the copy rule unless InnoDB changes it in place.
fn type_change(
    server: Server,
    table: &str,
    column: &str,
    old: &ColumnType,
    new: &ColumnType,
    schema: &Schema,
    push: &mut Push<'_>,
) {
    let old_sql = type_sql(server, old, Some(schema));
    let new_sql = type_sql(server, new, Some(schema));
    if old_sql == new_sql {
        return;
    }
    let labels = |ty: &ColumnType| match ty {
        ColumnType::Enum(name) => schema.enums.get(name).map(|e| e.values.clone()),
        _ => None,
    };
    if let (Some(old_labels), Some(new_labels)) = (labels(old), labels(new)) {
        if new_labels.starts_with(&old_labels) {
            return;
        }
        let removed: Vec<&str> = old_labels
            .iter()
            .filter(|l| !new_labels.contains(l))
            .map(String::as_str)
            .collect();
        let why = if removed.is_empty() {
            "the labels' order is their sort order and their stored ordinal: ORDER BY, comparisons and numeric reads of the column change meaning for every existing row".to_string()
        } else {
            format!(
                "a row holding {} fails the ALTER under strict mode (the server's default), leaving the revision half applied, or is set to '' (the error value) without it",
                quoted_list(&removed)
            )
        };
        push(
            Rule::EnumValuesRemovedOrReordered,
            format!("{table}.{column} changes from {old_sql} to {new_sql}, which copies the table"),
            why,
            "move the rows off removed labels in an earlier revision, and only add labels at the end; acknowledge when intended",
        );
        return;
    }
    if let (ColumnType::Varchar(Some(a)), ColumnType::Varchar(Some(b))) = (old, new) {
        let one_byte = |n: &u32| *n <= ONE_BYTE_LENGTH_CHARS;
        if b >= a && one_byte(a) == one_byte(b) {
            return;
        }
    }
    push(
        Rule::TableCopy,
        format!(
            "{table}.{column} changes type from {old_sql} to {new_sql}, which copies the table"
        ),
        format!(
            "{COPY_WHY}; a column type changes in place only when a varchar widens within the same length prefix (up to 63 or from 64 utf8mb4 characters) or enum labels are appended"
        ),
        COPY_FIX,
    );
}

/// What the rows of existing tables get for a new NOT NULL column of type `ty`.
fn implicit_default(ty: &ColumnType, schema: &Schema) -> String {
    match ty {
        ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::Double
        | ColumnType::Numeric { .. } => "0".into(),
        ColumnType::Boolean => "0 (false)".into(),
        ColumnType::Text | ColumnType::Varchar(_) | ColumnType::Json | ColumnType::Jsonb => {
            "'' (the empty string)".into()
        }
        ColumnType::Bytes => "an empty value".into(),
        ColumnType::Date => "the zero date '0000-00-00'".into(),
        ColumnType::Timestamp { .. } => "the zero date '0000-00-00 00:00:00'".into(),
        ColumnType::Time => "'00:00:00'".into(),
        ColumnType::Enum(name) => match schema.enums.get(name).and_then(|e| e.values.first()) {
            Some(first) => format!("the first label, '{first}'"),
            None => "the first label".into(),
        },
        ColumnType::Uuid | ColumnType::Custom(_) => "the type's implicit default".into(),
    }
}

/// The columns of existing tables whose type is the enum `name`.
fn enum_columns(schema: &Schema, existing: &BTreeSet<String>, name: &str) -> Vec<(String, String)> {
    let ty = ColumnType::Enum(name.to_string());
    schema
        .tables
        .values()
        .filter(|t| existing.contains(&t.name))
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| c.ty == ty)
                .map(|c| (t.name.clone(), c.name.clone()))
        })
        .collect()
}

/// What raw SQL does that copies the table, if anything.
fn copying_raw_sql(sql: &str) -> Option<&'static str> {
    let upper = sql
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_uppercase();
    let compact = upper.replace(' ', "");
    if !upper.contains("ALTER TABLE") {
        return None;
    }
    if upper.contains("CONVERT TO CHARACTER SET") || upper.contains("CONVERT TO CHARSET") {
        Some("converts a table's character set")
    } else if compact.contains("ALGORITHM=COPY") {
        Some("asks for ALGORITHM=COPY")
    } else if (upper.contains(" MODIFY ") || upper.contains(" CHANGE "))
        && (upper.contains("CHARACTER SET")
            || upper.contains("CHARSET")
            || upper.contains("COLLATE"))
    {
        Some("changes a column's character set or collation")
    } else {
        None
    }
}

fn quoted_list(labels: &[&str]) -> String {
    labels
        .iter()
        .map(|l| format!("'{l}'"))
        .collect::<Vec<_>>()
        .join(" or ")
}

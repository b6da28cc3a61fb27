//! MySQL/MariaDB statements of each op.

use super::Mysql;
use super::check_rules::{check_and_fk_actions, check_supported, set_null_needs_nullable};
use super::column::column_sql;
use super::fk_index;
use super::fk_types;
use super::quote::{quote_ident, quote_ident_list, quote_literal};
use super::text_keys;
use crate::dialect::{Dialect, RenderError, Statement, apply, column, common, data, table};
use crate::ops::{ColumnChange, Op};
use crate::schema::{ColumnType, ConstraintKind, Index, Schema, Table};

/// The error for an op the server cannot carry out.
pub(super) fn unsupported(m: &Mysql, op: &'static str, reason: &str) -> RenderError {
    RenderError::Unsupported {
        op,
        dialect: Dialect::Mysql,
        server: m.server.to_string(),
        reason: reason.to_string(),
    }
}

fn alter(table: &str, action: impl AsRef<str>) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} {}",
        quote_ident(table),
        action.as_ref()
    ))
}

fn create_index_sql(
    m: &Mysql,
    table: &str,
    t: Option<&Table>,
    index: &Index,
) -> Result<Statement, RenderError> {
    text_keys::check_functional(m, "create_index", index)?;
    if index.predicate.is_some() {
        return Err(unsupported(
            m,
            "create_index",
            &format!(
                "index {:?} has a WHERE predicate and there are no partial indexes; \
                 index all rows, or use raw SQL for other databases only",
                index.name
            ),
        ));
    }
    Ok(Statement::new(format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        quote_ident(&index.name),
        quote_ident(table),
        text_keys::index_columns(t, index)
    )))
}

fn create_table(m: &Mysql, t: &Table, schema: &Schema) -> Result<Vec<Statement>, RenderError> {
    text_keys::check_table(m, "create_table", t, schema)?;
    for fk in t.foreign_keys.values() {
        set_null_needs_nullable(m, "create_table", t, fk)?;
        fk_types::check_types(m, "create_table", t, fk, schema)?;
    }
    let pk_cols: &[String] = t
        .primary_key
        .as_ref()
        .map_or(&[], |pk| pk.columns.as_slice());
    let mut items = Vec::new();
    for col in &t.columns {
        items.push(column_sql(
            m.server,
            &t.name,
            col,
            schema,
            pk_cols.contains(&col.name),
        )?);
    }
    if let Some(pk) = &t.primary_key {
        items.push(common::primary_key_sql(m, pk));
    }
    items.extend(t.uniques.values().map(|u| common::unique_sql(m, u)));
    for c in t.checks.values() {
        check_supported(m, "create_table", Some(t), c)?;
        items.push(common::check_sql(m, c));
    }
    items.extend(
        t.foreign_keys
            .values()
            .map(|fk| common::foreign_key_sql(m, fk)),
    );
    let mut out = vec![Statement::new(format!(
        "CREATE TABLE {} (\n    {}\n)",
        quote_ident(&t.name),
        items.join(",\n    ")
    ))];
    for index in t.indexes.values() {
        out.push(create_index_sql(m, &t.name, Some(t), index)?);
    }
    Ok(out)
}

/// `MODIFY` (or `CHANGE`, with a rename) restating the whole column as it is after
/// the change; a rename alone is `RENAME COLUMN` where the server has it.
fn alter_column(
    m: &Mysql,
    op: &Op,
    table_name: &str,
    column_name: &str,
    change: &ColumnChange,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    column(table(before, table_name)?, column_name)?;
    let mut after = before.clone();
    apply(&mut after, op)?;
    let t = table(&after, table_name)?;
    let new_name = change.rename.as_deref().unwrap_or(column_name);
    let col = column(t, new_name)?;
    for fk in t.foreign_keys.values() {
        set_null_needs_nullable(m, "alter_column", t, fk)?;
    }
    if change.ty.is_some() {
        fk_types::check_keys_over(m, "alter_column", &after, table_name, new_name)?;
    }
    let options = alter_options(m, change)?;
    let only_rename = change.ty.is_none() && change.nullable.is_none() && change.default.is_none();
    if only_rename && change.rename.is_some() && m.server.rename_column() {
        let mut clauses = vec![format!(
            "RENAME COLUMN {} TO {}",
            quote_ident(column_name),
            quote_ident(new_name)
        )];
        clauses.extend(options);
        return Ok(vec![alter(table_name, clauses.join(", "))]);
    }
    let in_pk = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| c == new_name));
    let def = column_sql(m.server, table_name, col, &after, in_pk)?;
    let mut clauses = vec![if change.rename.is_some() {
        format!("CHANGE COLUMN {} {def}", quote_ident(column_name))
    } else {
        format!("MODIFY COLUMN {def}")
    }];
    clauses.extend(text_keys::restated_keys(
        m,
        op.kind_name(),
        table(before, table_name)?,
        t,
        column_name,
        new_name,
    )?);
    clauses.extend(options);
    let statements = vec![alter(table_name, clauses.join(", "))];
    if change.ty.is_none() {
        return Ok(statements);
    }
    Ok(fk_index::around_type_change(
        m,
        before,
        &after,
        &[(table_name.to_string(), column_name.to_string())],
        statements,
    ))
}

/// The `ALGORITHM=`/`LOCK=` clauses a column change asks for, refused where the
/// server has no such algorithm.
fn alter_options(m: &Mysql, change: &ColumnChange) -> Result<Vec<String>, RenderError> {
    use super::MysqlAlgorithm::{Instant, Nocopy};
    let Some(options) = change.mysql else {
        return Ok(Vec::new());
    };
    let missing = match options.algorithm {
        Some(Instant) if !m.server.instant_alter() => Some("ALGORITHM=INSTANT"),
        Some(Nocopy) if !m.server.nocopy_alter() => Some("ALGORITHM=NOCOPY"),
        _ => None,
    };
    match missing {
        Some(what) => Err(unsupported(
            m,
            "alter_column",
            &format!(
                "there is no {what} (INSTANT: MariaDB 10.3, MySQL 8.0.12; NOCOPY: MariaDB 10.3)"
            ),
        )),
        None => Ok(options.clauses()),
    }
}

/// Every (table, column) whose type is the enum `name`.
fn enum_columns<'a>(schema: &'a Schema, name: &str) -> Vec<(&'a Table, &'a str)> {
    schema
        .tables
        .values()
        .flat_map(|t| {
            t.columns
                .iter()
                .filter(|c| matches!(&c.ty, ColumnType::Enum(e) if e == name))
                .map(move |c| (t, c.name.as_str()))
        })
        .collect()
}

/// The (table, column) pairs of every column of enum type `name`.
fn enum_column_names(schema: &Schema, name: &str) -> Vec<(String, String)> {
    enum_columns(schema, name)
        .into_iter()
        .map(|(t, c)| (t.name.clone(), c.to_string()))
        .collect()
}

/// `MODIFY` of every column of enum type `name`, restated with the labels of
/// `labels_from`.
fn modify_enum_columns(
    m: &Mysql,
    name: &str,
    labels_from: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let mut out = Vec::new();
    for (t, col_name) in enum_columns(labels_from, name) {
        let col = column(t, col_name)?;
        let in_pk = t
            .primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.iter().any(|c| c == col_name));
        let def = column_sql(m.server, &t.name, col, labels_from, in_pk)?;
        out.push(alter(&t.name, format!("MODIFY COLUMN {def}")));
    }
    Ok(out)
}

/// Renaming a label: widen every column to both labels, move the stored values,
/// then narrow to the final labels (a `MODIFY` alone would turn stored old labels
/// into errors or empty strings).
fn rename_enum_value(
    m: &Mysql,
    op: &Op,
    enum_name: &str,
    from: &str,
    to: &str,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let mut after = before.clone();
    apply(&mut after, op)?;
    let mut widened = before.clone();
    if let Some(e) = widened.enums.get_mut(enum_name) {
        let pos = e.values.iter().position(|v| v == from).unwrap_or(0);
        e.values.insert(pos + 1, to.to_string());
    }
    let mut out = modify_enum_columns(m, enum_name, &widened)?;
    for (t, col) in enum_columns(before, enum_name) {
        out.push(Statement::new(format!(
            "UPDATE {} SET {c} = {} WHERE {c} = {}",
            quote_ident(&t.name),
            quote_literal(to),
            quote_literal(from),
            c = quote_ident(col)
        )));
    }
    out.extend(modify_enum_columns(m, enum_name, &after)?);
    Ok(out)
}

fn drop_constraint(
    m: &Mysql,
    op: &Op,
    table_name: &str,
    name: &str,
    before: &Schema,
) -> Result<Statement, RenderError> {
    let t = table(before, table_name)?;
    let kind = t
        .constraint_kind(name)
        .ok_or_else(|| RenderError::MissingConstraint {
            table: table_name.to_string(),
            name: name.to_string(),
        })?;
    if kind == ConstraintKind::PrimaryKey {
        auto_increment_keeps_a_key(m, t, name)?;
    }
    let q = quote_ident(name);
    let mut clauses = vec![match kind {
        ConstraintKind::PrimaryKey => "DROP PRIMARY KEY".to_string(),
        ConstraintKind::ForeignKey => fk_index::drop_foreign_key(m, t, &t.foreign_keys[name]),
        ConstraintKind::Unique => format!("DROP INDEX {q}"),
        ConstraintKind::Check => drop_check(m, name),
    }];
    if fk_index::may_serve(kind) {
        let after = after_op(op, before)?;
        clauses.extend(fk_index::keep_indexes(t, table(&after, table_name)?));
    }
    Ok(alter(table_name, clauses.join(", ")))
}

/// `DROP CHECK` (MySQL) or `DROP CONSTRAINT` (MariaDB).
fn drop_check(m: &Mysql, name: &str) -> String {
    if m.server.drop_check_keyword() {
        format!("DROP CHECK {}", quote_ident(name))
    } else {
        format!("DROP CONSTRAINT {}", quote_ident(name))
    }
}

/// The schema after `op`.
fn after_op(op: &Op, before: &Schema) -> Result<Schema, RenderError> {
    let mut after = before.clone();
    apply(&mut after, op)?;
    Ok(after)
}

/// The foreign keys over the column first (each with its own index), then the
/// column with every index, key and check it takes along in the model.
fn drop_column(
    m: &Mysql,
    op: &Op,
    table_name: &str,
    col: &str,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let t = table(before, table_name)?;
    column(t, col)?;
    let after = after_op(op, before)?;
    let after_t = table(&after, table_name)?;
    let mut out: Vec<Statement> = fk_index::dropped_foreign_keys(t, after_t)
        .into_iter()
        .map(|fk| alter(table_name, fk_index::drop_foreign_key(m, t, fk)))
        .collect();
    let mut clauses = fk_index::dropped_with_column(t, after_t, |n| drop_check(m, n));
    clauses.push(format!("DROP COLUMN {}", quote_ident(col)));
    clauses.extend(fk_index::keep_indexes(t, after_t));
    out.push(alter(table_name, clauses.join(", ")));
    Ok(out)
}

/// `DROP INDEX .. ON ..`, or, when the index is the last that serves a foreign
/// key, an `ALTER TABLE` that drops it and adds the key's own index.
fn drop_index(
    op: &Op,
    table_name: Option<&str>,
    name: &str,
    before: &Schema,
) -> Result<Statement, RenderError> {
    let t = match table_name {
        Some(t) => table(before, t)?,
        None => before
            .table_of_index(name)
            .ok_or_else(|| RenderError::MissingIndex {
                name: name.to_string(),
            })?,
    };
    let after = after_op(op, before)?;
    let keep = fk_index::keep_indexes(t, table(&after, &t.name)?);
    if keep.is_empty() {
        return Ok(Statement::new(format!(
            "DROP INDEX {} ON {}",
            quote_ident(name),
            quote_ident(&t.name)
        )));
    }
    Ok(alter(
        &t.name,
        format!("DROP INDEX {}, {}", quote_ident(name), keep.join(", ")),
    ))
}

/// An `AUTO_INCREMENT` column must lead some key: dropping the constraint `name`
/// is refused when it is the only key that an autoincrement column leads.
fn auto_increment_keeps_a_key(m: &Mysql, t: &Table, name: &str) -> Result<(), RenderError> {
    for col in t.columns.iter().filter(|c| c.auto_increment.is_some()) {
        let leads = |cols: &[String]| cols.first() == Some(&col.name);
        let other_key = t
            .primary_key
            .iter()
            .filter(|pk| pk.name != name)
            .any(|pk| leads(&pk.columns))
            || t.uniques
                .values()
                .any(|u| u.name != name && leads(&u.columns))
            || t.indexes.values().any(|i| leads(&i.columns));
        if !other_key {
            return Err(unsupported(
                m,
                "drop_constraint",
                &format!(
                    "{:?} is the only key of the AUTO_INCREMENT column {}.{}; drop the \
                     autoincrement first, or create an index on the column before",
                    name, t.name, col.name
                ),
            ));
        }
    }
    Ok(())
}

/// The statements of one op, given the schema before it.
pub(super) fn render(m: &Mysql, op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
    let kind = op.kind_name();
    super::names::check_lengths(op)?;
    Ok(match op {
        // Enum types live only in their columns: creating and dropping one writes
        // nothing, changing its labels restates every column of the type.
        Op::CreateEnum(_) => Vec::new(),
        Op::DropEnum { name } => {
            if !before.enums.contains_key(name) {
                return Err(RenderError::MissingEnum { name: name.clone() });
            }
            Vec::new()
        }
        Op::AddEnumValue { enum_name, .. } => {
            let mut after = before.clone();
            apply(&mut after, op)?;
            let statements = modify_enum_columns(m, enum_name, &after)?;
            fk_index::around_type_change(
                m,
                before,
                &after,
                &enum_column_names(before, enum_name),
                statements,
            )
        }
        Op::RenameEnumValue {
            enum_name,
            from,
            to,
        } => {
            let after = after_op(op, before)?;
            let statements = rename_enum_value(m, op, enum_name, from, to, before)?;
            fk_index::around_type_change(
                m,
                before,
                &after,
                &enum_column_names(before, enum_name),
                statements,
            )
        }
        Op::CreateTable(t) => create_table(m, t, before)?,
        Op::DropTable { name } => vec![Statement::new(format!("DROP TABLE {}", quote_ident(name)))],
        Op::RenameTable { from, to } => vec![Statement::new(format!(
            "RENAME TABLE {} TO {}",
            quote_ident(from),
            quote_ident(to)
        ))],
        Op::AddColumn {
            table: table_name,
            column,
        } => {
            table(before, table_name)?;
            vec![alter(
                table_name,
                format!(
                    "ADD COLUMN {}",
                    column_sql(m.server, table_name, column, before, false)?
                ),
            )]
        }
        Op::DropColumn {
            table: table_name,
            column: col,
        } => drop_column(m, op, table_name, col, before)?,
        Op::AlterColumn {
            table,
            column,
            change,
        } => alter_column(m, op, table, column, change, before)?,
        Op::CreateIndex { table, index, .. } => {
            let t = before.tables.get(table);
            if let (Some(t), true) = (t, index.unique) {
                text_keys::check_unique(m, kind, t, &index.columns)?;
            }
            vec![create_index_sql(m, table, t, index)?]
        }
        Op::DropIndex {
            table: table_name,
            name,
            ..
        } => vec![drop_index(op, table_name.as_deref(), name, before)?],
        Op::AddForeignKey {
            table: table_name,
            foreign_key,
            ..
        } => {
            for c in table(before, table_name)?.checks.values() {
                check_and_fk_actions(m, kind, c, foreign_key)?;
            }
            set_null_needs_nullable(m, kind, table(before, table_name)?, foreign_key)?;
            fk_types::check_types(m, kind, table(before, table_name)?, foreign_key, before)?;
            text_keys::check_foreign_key(
                m,
                kind,
                table(before, table_name)?,
                &foreign_key.columns,
                &foreign_key.ref_table,
                &foreign_key.ref_columns,
                before,
            )?;
            vec![alter(
                table_name,
                format!("ADD {}", common::foreign_key_sql(m, foreign_key)),
            )]
        }
        Op::AddUnique {
            table: table_name,
            unique,
        } => {
            text_keys::check_unique(m, kind, table(before, table_name)?, &unique.columns)?;
            vec![alter(
                table_name,
                format!("ADD {}", common::unique_sql(m, unique)),
            )]
        }
        Op::AddPrimaryKey {
            table: table_name,
            primary_key,
        } => {
            text_keys::check_primary_key(
                m,
                kind,
                table(before, table_name)?,
                &primary_key.columns,
            )?;
            vec![alter(
                table_name,
                format!(
                    "ADD PRIMARY KEY ({})",
                    quote_ident_list(&primary_key.columns)
                ),
            )]
        }
        Op::AddCheck { table, check, .. } => {
            check_supported(m, kind, before.tables.get(table), check)?;
            vec![alter(table, format!("ADD {}", common::check_sql(m, check)))]
        }
        // Constraints are always checked when added.
        Op::ValidateConstraint { .. } => Vec::new(),
        Op::DropConstraint { table, name, .. } => {
            vec![drop_constraint(m, op, table, name, before)?]
        }
        Op::CreateSequence(seq) => {
            if !m.server.sequences() {
                return Err(unsupported(
                    m,
                    kind,
                    "there are no sequences (MariaDB has them from 10.3); use an \
                     AUTO_INCREMENT column",
                ));
            }
            let mut sql = format!(
                "CREATE SEQUENCE {} INCREMENT BY {}",
                quote_ident(&seq.name),
                seq.increment
            );
            // The default bounds are 1.. ascending and ..-1 descending; widen the
            // bound a start value lies beyond.
            if seq.increment < 0 && seq.start > -1 {
                sql.push_str(&format!(" MAXVALUE {}", seq.start));
            } else if seq.increment > 0 && seq.start < 1 {
                sql.push_str(&format!(" MINVALUE {}", seq.start));
            }
            sql.push_str(&format!(" START WITH {}", seq.start));
            vec![Statement::new(sql)]
        }
        Op::DropSequence { name } => {
            if !m.server.sequences() {
                return Err(unsupported(
                    m,
                    kind,
                    "there are no sequences (MariaDB has them from 10.3)",
                ));
            }
            vec![Statement::new(format!(
                "DROP SEQUENCE {}",
                quote_ident(name)
            ))]
        }
        Op::BulkInsert { table, rows } => data::bulk_insert(m, table, rows, before)?,
        Op::BulkDelete { table, rows } => data::bulk_delete(m, table, rows, before)?,
        Op::Execute(raw) => common::raw_sql(m, raw)?,
        Op::ChangeRows(change) => crate::dialect::row_change::change_rows(m, change, before)?,
    })
}

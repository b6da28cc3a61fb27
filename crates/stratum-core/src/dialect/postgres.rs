//! PostgreSQL rendering.
//!
//! Types map to PostgreSQL's own spelling (`character varying(255)`, `timestamp
//! without time zone`, ...) so that the catalogs show what the model says. Every
//! statement may run in a transaction except `CREATE INDEX CONCURRENTLY` and `DROP
//! INDEX CONCURRENTLY`. `ALTER TYPE ... ADD VALUE` runs in a transaction (PostgreSQL
//! 12 and later) but the new label cannot be used before that transaction commits.
//!
//! `CREATE TABLE` carries its primary key, unique, check and foreign key constraints
//! inline (each named with `CONSTRAINT`), then its indexes follow. Two kinds of
//! constraint are added after the table instead, so that PostgreSQL keeps them as
//! the model says: a unique constraint over the same columns as the primary key or
//! an earlier unique constraint (which CREATE TABLE would silently drop), and a
//! foreign key to the table's own unique index (which does not exist yet inside
//! CREATE TABLE).
//!
//! A type change adds `USING "col"::<new type>` unless the op gives its own `USING`
//! or both types are text types; a default of the column is dropped before and set
//! again after the change; a serial column's sequence gets the new integer type as
//! well (`ALTER SEQUENCE ... AS`, found by `pg_get_serial_sequence`).

use super::data;
use super::quote::{quote_ident, quote_ident_list, quote_literal};
use super::{Dialect, RenderError, Statement, decimal_default};
use crate::ops::{ColumnChange, Op, RawSql};
use crate::schema::{
    AutoIncrement, CheckConstraint, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Index,
    PrimaryKey, Schema, Table, UniqueConstraint,
};

const D: Dialect = Dialect::Postgres;

/// The PostgreSQL spelling of a column type.
pub fn type_sql(ty: &ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "smallint".into(),
        ColumnType::Integer => "integer".into(),
        ColumnType::BigInt => "bigint".into(),
        ColumnType::Real => "real".into(),
        ColumnType::Double => "double precision".into(),
        ColumnType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => format!("numeric({p},{s})"),
        ColumnType::Numeric {
            precision: Some(p),
            scale: None,
        } => format!("numeric({p})"),
        ColumnType::Numeric { .. } => "numeric".into(),
        ColumnType::Text => "text".into(),
        ColumnType::Varchar(Some(n)) => format!("character varying({n})"),
        ColumnType::Varchar(None) => "character varying".into(),
        ColumnType::Boolean => "boolean".into(),
        ColumnType::Date => "date".into(),
        ColumnType::Time => "time without time zone".into(),
        ColumnType::Timestamp { tz: false } => "timestamp without time zone".into(),
        ColumnType::Timestamp { tz: true } => "timestamp with time zone".into(),
        ColumnType::Uuid => "uuid".into(),
        ColumnType::Json => "json".into(),
        ColumnType::Jsonb => "jsonb".into(),
        ColumnType::Bytes => "bytea".into(),
        ColumnType::Enum(name) => quote_ident(name),
        ColumnType::Custom(s) => s.clone(),
    }
}

/// The PostgreSQL expression of a default.
pub fn default_sql(column: &str, default: &DefaultValue) -> Result<String, RenderError> {
    Ok(match default {
        DefaultValue::Now => "now()".into(),
        DefaultValue::RandomUuid => "gen_random_uuid()".into(),
        DefaultValue::Null => "NULL".into(),
        DefaultValue::Bool(true) => "true".into(),
        DefaultValue::Bool(false) => "false".into(),
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Decimal(d) => decimal_default(column, d)?,
        DefaultValue::Text(s) => quote_literal(s, D),
        DefaultValue::Expr(e) => e.clone(),
    })
}

fn column_sql(table: &str, col: &Column, in_primary_key: bool) -> Result<String, RenderError> {
    let mut out = quote_ident(&col.name);
    out.push(' ');
    let auto_err = |reason: &str| RenderError::AutoIncrement {
        table: table.to_string(),
        column: col.name.clone(),
        dialect: D,
        reason: reason.to_string(),
    };
    match col.auto_increment {
        None => out.push_str(&type_sql(&col.ty)),
        Some(AutoIncrement::Serial) => out.push_str(match col.ty {
            ColumnType::SmallInt => "SMALLSERIAL",
            ColumnType::Integer => "SERIAL",
            ColumnType::BigInt => "BIGSERIAL",
            _ => {
                return Err(auto_err(
                    "serial columns must be smallint, integer or bigint",
                ));
            }
        }),
        Some(kind) => {
            if !col.ty.is_integer() {
                return Err(auto_err(
                    "identity columns must be smallint, integer or bigint",
                ));
            }
            out.push_str(&type_sql(&col.ty));
            out.push_str(if kind == AutoIncrement::IdentityAlways {
                " GENERATED ALWAYS AS IDENTITY"
            } else {
                " GENERATED BY DEFAULT AS IDENTITY"
            });
        }
    }
    if !col.nullable || in_primary_key || col.auto_increment.is_some() {
        out.push_str(" NOT NULL");
    }
    if col.auto_increment.is_none()
        && let Some(d) = &col.default
    {
        out.push_str(" DEFAULT ");
        out.push_str(&default_sql(&col.name, d)?);
    }
    Ok(out)
}

pub(super) fn primary_key_sql(pk: &PrimaryKey) -> String {
    format!(
        "CONSTRAINT {} PRIMARY KEY ({})",
        quote_ident(&pk.name),
        quote_ident_list(&pk.columns)
    )
}

pub(super) fn unique_sql(u: &UniqueConstraint) -> String {
    format!(
        "CONSTRAINT {} UNIQUE ({})",
        quote_ident(&u.name),
        quote_ident_list(&u.columns)
    )
}

pub(super) fn check_sql(c: &CheckConstraint) -> String {
    format!(
        "CONSTRAINT {} CHECK ({})",
        quote_ident(&c.name),
        c.expression
    )
}

/// `CONSTRAINT "n" FOREIGN KEY (..) REFERENCES "t" (..) [ON DELETE ..] [ON UPDATE ..]`,
/// shared with SQLite.
pub(super) fn foreign_key_sql(fk: &ForeignKey) -> String {
    let mut out = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&fk.name),
        quote_ident_list(&fk.columns),
        quote_ident(&fk.ref_table),
        quote_ident_list(&fk.ref_columns)
    );
    if fk.on_delete != FkAction::NoAction {
        out.push_str(" ON DELETE ");
        out.push_str(fk.on_delete.sql());
    }
    if fk.on_update != FkAction::NoAction {
        out.push_str(" ON UPDATE ");
        out.push_str(fk.on_update.sql());
    }
    out
}

fn create_index_sql(table: &str, index: &Index, concurrently: bool) -> Statement {
    let mut sql = String::from("CREATE ");
    if index.unique {
        sql.push_str("UNIQUE ");
    }
    sql.push_str("INDEX ");
    if concurrently {
        sql.push_str("CONCURRENTLY ");
    }
    sql.push_str(&format!(
        "{} ON {}",
        quote_ident(&index.name),
        quote_ident(table)
    ));
    if let Some(method) = &index.method {
        sql.push_str(" USING ");
        sql.push_str(&quote_ident(method));
    }
    sql.push_str(&format!(" ({})", quote_ident_list(&index.columns)));
    if let Some(pred) = &index.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(pred);
    }
    Statement {
        sql,
        transactional: !concurrently,
        copy_data: None,
    }
}

fn create_table(table: &Table) -> Result<Vec<Statement>, RenderError> {
    let pk_cols: &[String] = table
        .primary_key
        .as_ref()
        .map_or(&[], |pk| pk.columns.as_slice());
    let mut items = Vec::new();
    for col in &table.columns {
        items.push(column_sql(&table.name, col, pk_cols.contains(&col.name))?);
    }
    let mut keys: Vec<&[String]> = Vec::new();
    if let Some(pk) = &table.primary_key {
        items.push(primary_key_sql(pk));
        keys.push(&pk.columns);
    }
    // Inside CREATE TABLE, PostgreSQL silently drops a unique constraint over the
    // same columns as the primary key or an earlier unique constraint; such ones
    // are added after the table instead.
    let mut deferred_uniques = Vec::new();
    for u in table.uniques.values() {
        if keys.contains(&u.columns.as_slice()) {
            deferred_uniques.push(u);
        } else {
            items.push(unique_sql(u));
            keys.push(&u.columns);
        }
    }
    items.extend(table.checks.values().map(check_sql));
    // A foreign key to the table's own unique index can only be added once the
    // index exists, after the table.
    let (deferred, inline): (Vec<&ForeignKey>, Vec<&ForeignKey>) =
        table.foreign_keys.values().partition(|fk| {
            let key_of = |cols: &[String]| cols == fk.ref_columns.as_slice();
            fk.ref_table == table.name
                && !table
                    .primary_key
                    .as_ref()
                    .is_some_and(|pk| key_of(&pk.columns))
                && !table.uniques.values().any(|u| key_of(&u.columns))
        });
    items.extend(inline.into_iter().map(foreign_key_sql));
    let mut out = vec![Statement::new(format!(
        "CREATE TABLE {} (\n    {}\n)",
        quote_ident(&table.name),
        items.join(",\n    ")
    ))];
    out.extend(
        deferred_uniques
            .into_iter()
            .map(|u| alter(&table.name, format!("ADD {}", unique_sql(u)))),
    );
    out.extend(
        table
            .indexes
            .values()
            .map(|i| create_index_sql(&table.name, i, false)),
    );
    out.extend(
        deferred
            .into_iter()
            .map(|fk| alter(&table.name, format!("ADD {}", foreign_key_sql(fk)))),
    );
    Ok(out)
}

fn alter(table: &str, action: impl AsRef<str>) -> Statement {
    Statement::new(format!(
        "ALTER TABLE {} {}",
        quote_ident(table),
        action.as_ref()
    ))
}

fn is_string_type(ty: &ColumnType) -> bool {
    matches!(ty, ColumnType::Text | ColumnType::Varchar(_))
}

/// Gives the sequence behind a serial column the column's new integer type (an
/// identity column's sequence follows its column by itself; a serial's keeps its
/// old range). The sequence is found by `pg_get_serial_sequence`, since its name
/// is not part of the model.
fn serial_sequence_type(table: &str, column: &str, new_ty: &str) -> Statement {
    let body = format!(
        "BEGIN EXECUTE format({}, pg_get_serial_sequence({}, {})); END",
        quote_literal(&format!("ALTER SEQUENCE %s AS {new_ty}"), D),
        quote_literal(&quote_ident(table), D),
        quote_literal(column, D)
    );
    Statement::new(format!("DO {}", quote_literal(&body, D)))
}

fn alter_column(
    table: &str,
    column: &str,
    change: &ColumnChange,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let qc = quote_ident(column);
    let current = before.table(table).and_then(|t| t.column(column));
    let mut out = Vec::new();
    if let Some(ty) = &change.ty {
        let old_default = current.and_then(|c| c.default.as_ref());
        // A default of the old type may not cast to the new one: take it off for the
        // type change and put the (new or old) default back afterwards.
        let reset_default = old_default.is_some() && change.default.is_none();
        if old_default.is_some() {
            out.push(alter(table, format!("ALTER COLUMN {qc} DROP DEFAULT")));
        }
        let new_ty = type_sql(ty);
        let mut action = format!("ALTER COLUMN {qc} TYPE {new_ty}");
        match &change.using {
            Some(using) => action.push_str(&format!(" USING {using}")),
            // Between string types the implicit conversion is right (and keeps the
            // length check); elsewhere an explicit cast makes conversions such as
            // text to enum or text to integer work.
            None if current.is_some_and(|c| is_string_type(&c.ty)) && is_string_type(ty) => {}
            None => action.push_str(&format!(" USING {qc}::{new_ty}")),
        }
        out.push(alter(table, action));
        if current.is_some_and(|c| c.auto_increment == Some(AutoIncrement::Serial))
            && ty.is_integer()
        {
            out.push(serial_sequence_type(table, column, &new_ty));
        }
        if reset_default && let Some(d) = old_default {
            out.push(alter(
                table,
                format!("ALTER COLUMN {qc} SET DEFAULT {}", default_sql(column, d)?),
            ));
        }
    }
    match change.nullable {
        Some(true) => out.push(alter(table, format!("ALTER COLUMN {qc} DROP NOT NULL"))),
        Some(false) => out.push(alter(table, format!("ALTER COLUMN {qc} SET NOT NULL"))),
        None => {}
    }
    match &change.default {
        Some(Some(d)) => out.push(alter(
            table,
            format!("ALTER COLUMN {qc} SET DEFAULT {}", default_sql(column, d)?),
        )),
        Some(None) => out.push(alter(table, format!("ALTER COLUMN {qc} DROP DEFAULT"))),
        None => {}
    }
    if let Some(new_name) = &change.rename {
        out.push(alter(
            table,
            format!("RENAME COLUMN {qc} TO {}", quote_ident(new_name)),
        ));
    }
    Ok(out)
}

/// The SQL of an [`RawSql`] for `dialect`: its own variant, else `any`. `None` when
/// only other dialects have SQL (the op does nothing here); an error when it has no
/// SQL at all.
pub(super) fn raw_sql(raw: &RawSql, dialect: Dialect) -> Result<Vec<Statement>, RenderError> {
    let own = match dialect {
        Dialect::Postgres => &raw.postgres,
        Dialect::Sqlite => &raw.sqlite,
    };
    match own.as_ref().or(raw.any.as_ref()) {
        Some(sql) => Ok(vec![Statement::new(sql.clone())]),
        None if raw.postgres.is_some() || raw.sqlite.is_some() => Ok(Vec::new()),
        None => Err(RenderError::InvalidOp {
            op: "execute",
            reason: "it has no SQL for any dialect".into(),
        }),
    }
}

/// The PostgreSQL statements of one op, given the schema before it.
pub fn render(op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
    Ok(match op {
        Op::CreateEnum(e) => vec![Statement::new(format!(
            "CREATE TYPE {} AS ENUM ({})",
            quote_ident(&e.name),
            e.values
                .iter()
                .map(|v| quote_literal(v, D))
                .collect::<Vec<_>>()
                .join(", ")
        ))],
        Op::DropEnum { name } => vec![Statement::new(format!("DROP TYPE {}", quote_ident(name)))],
        Op::AddEnumValue {
            enum_name,
            value,
            before: place_before,
            after,
        } => {
            let mut sql = format!(
                "ALTER TYPE {} ADD VALUE {}",
                quote_ident(enum_name),
                quote_literal(value, D)
            );
            match (place_before, after) {
                (Some(_), Some(_)) => {
                    return Err(RenderError::InvalidOp {
                        op: op.kind_name(),
                        reason: "give either `before` or `after`, not both".into(),
                    });
                }
                (Some(b), None) => sql.push_str(&format!(" BEFORE {}", quote_literal(b, D))),
                (None, Some(a)) => sql.push_str(&format!(" AFTER {}", quote_literal(a, D))),
                (None, None) => {}
            }
            vec![Statement::new(sql)]
        }
        Op::RenameEnumValue {
            enum_name,
            from,
            to,
        } => vec![Statement::new(format!(
            "ALTER TYPE {} RENAME VALUE {} TO {}",
            quote_ident(enum_name),
            quote_literal(from, D),
            quote_literal(to, D)
        ))],
        Op::CreateTable(table) => create_table(table)?,
        Op::DropTable { name } => vec![Statement::new(format!("DROP TABLE {}", quote_ident(name)))],
        Op::RenameTable { from, to } => vec![alter(from, format!("RENAME TO {}", quote_ident(to)))],
        Op::AddColumn { table, column } => {
            vec![alter(
                table,
                format!("ADD COLUMN {}", column_sql(table, column, false)?),
            )]
        }
        Op::DropColumn { table, column } => {
            vec![alter(table, format!("DROP COLUMN {}", quote_ident(column)))]
        }
        Op::AlterColumn {
            table,
            column,
            change,
        } => alter_column(table, column, change, before)?,
        Op::CreateIndex {
            table,
            index,
            concurrently,
        } => vec![create_index_sql(table, index, *concurrently)],
        Op::DropIndex {
            name, concurrently, ..
        } => {
            let sql = if *concurrently {
                format!("DROP INDEX CONCURRENTLY {}", quote_ident(name))
            } else {
                format!("DROP INDEX {}", quote_ident(name))
            };
            vec![Statement {
                sql,
                transactional: !*concurrently,
                copy_data: None,
            }]
        }
        Op::AddForeignKey {
            table,
            foreign_key,
            not_valid,
        } => {
            let mut action = format!("ADD {}", foreign_key_sql(foreign_key));
            if *not_valid {
                action.push_str(" NOT VALID");
            }
            vec![alter(table, action)]
        }
        Op::AddUnique { table, unique } => {
            vec![alter(table, format!("ADD {}", unique_sql(unique)))]
        }
        Op::AddCheck {
            table,
            check,
            not_valid,
        } => {
            let mut action = format!("ADD {}", check_sql(check));
            if *not_valid {
                action.push_str(" NOT VALID");
            }
            vec![alter(table, action)]
        }
        Op::AddPrimaryKey { table, primary_key } => {
            vec![alter(
                table,
                format!("ADD {}", primary_key_sql(primary_key)),
            )]
        }
        Op::ValidateConstraint { table, name } => {
            vec![alter(
                table,
                format!("VALIDATE CONSTRAINT {}", quote_ident(name)),
            )]
        }
        Op::DropConstraint { table, name, .. } => {
            vec![alter(
                table,
                format!("DROP CONSTRAINT {}", quote_ident(name)),
            )]
        }
        Op::CreateSequence(seq) => {
            let mut sql = format!(
                "CREATE SEQUENCE {} INCREMENT BY {}",
                quote_ident(&seq.name),
                seq.increment
            );
            // PostgreSQL's default bounds are 1.. for ascending and ..-1 for
            // descending sequences; widen the bound a start value lies beyond.
            if seq.increment < 0 && seq.start > -1 {
                sql.push_str(&format!(" MAXVALUE {}", seq.start));
            } else if seq.increment > 0 && seq.start < 1 {
                sql.push_str(&format!(" MINVALUE {}", seq.start));
            }
            sql.push_str(&format!(" START WITH {}", seq.start));
            vec![Statement::new(sql)]
        }
        Op::DropSequence { name } => vec![Statement::new(format!(
            "DROP SEQUENCE {}",
            quote_ident(name)
        ))],
        Op::BulkInsert { table, rows } => data::bulk_insert(D, table, rows, before)?,
        Op::BulkDelete { table, rows } => data::bulk_delete(D, table, rows, before)?,
        Op::Execute(raw) => raw_sql(raw, D)?,
    })
}

//! SQLite rendering.
//!
//! # Declared types
//!
//! SQLite keeps a column's declared type as written, so each [`ColumnType`] gets a
//! declared type that names it unambiguously and that introspection maps back (see
//! [`type_sql`]): `SMALLINT`, `INTEGER`, `BIGINT`, `REAL`, `DOUBLE PRECISION`,
//! `NUMERIC(p,s)`/`NUMERIC(p)`/`NUMERIC`, `TEXT`, `VARCHAR(n)`/`VARCHAR`, `BOOLEAN`,
//! `DATE`, `TIME`, `TIMESTAMP`, `TIMESTAMPTZ`, `UUID`, `JSON`, `JSONB`, `BLOB`; a
//! custom type is written as given. An autoincrement column is always
//! `INTEGER ... PRIMARY KEY AUTOINCREMENT` (the only form SQLite accepts), so it reads
//! back as a `Serial` `Integer` whatever its declared width.
//!
//! # Enum columns
//!
//! SQLite has no enum types. An enum column is declared `TEXT` and carries a named
//! column CHECK constraint that lists the labels, in order:
//!
//! ```sql
//! "status" TEXT NOT NULL CONSTRAINT "enum:gridsquarestatus:status" CHECK ("status" IN ('none', 'registered'))
//! ```
//!
//! The constraint name is `enum:<type>:<column>` ([`enum_check_name`]), where `%` and
//! `:` inside the type and column names are written `%25` and `%3A`;
//! [`parse_enum_check_name`] reverses it. The expression is
//! `"<column>" IN ('<label>', ...)` with labels as SQL string literals
//! ([`enum_check_expression`], reversed by [`parse_enum_check_expression`]). These
//! constraints are not part of the table's [`crate::schema::Table::checks`]. The
//! column named in the constraint name is always the column the constraint is
//! attached to (renaming an enum column rebuilds the table, since SQLite's
//! `RENAME COLUMN` would not rename the constraint).
//! `CREATE TYPE`/`DROP TYPE` render nothing; adding or renaming a label rebuilds every
//! table that has a column of the type (a rename also rewrites the stored labels
//! while copying the rows).
//!
//! # Defaults
//!
//! `now()` is `CURRENT_TIMESTAMP`; a random UUID is [`RANDOM_UUID_DEFAULT`] (a
//! parenthesised expression that yields a version-4 UUID in lowercase text); booleans
//! are `TRUE`/`FALSE`; other expressions are written in parentheses.
//!
//! # Table rebuilds and foreign keys
//!
//! What `ALTER TABLE` cannot do in SQLite (changing a column's type, nullability or
//! default; adding or dropping a primary key, foreign key, unique or check
//! constraint; dropping a column that is indexed or constrained; adding a column
//! that is `NOT NULL` without a constant default, or whose default is not a constant;
//! changing an enum's labels; renaming an enum column) is done by rebuilding the
//! table:
//!
//! 1. `CREATE TABLE "_stratum_new_<t>" (...)` with the table as it is after the op;
//! 2. `INSERT INTO "_stratum_new_<t>" (...) SELECT ... FROM "<t>"`;
//! 3. `DROP TABLE "<t>"`;
//! 4. `ALTER TABLE "_stratum_new_<t>" RENAME TO "<t>"`;
//! 5. the table's indexes, created again.
//!
//! This is only correct while foreign-key enforcement is off: with it on, step 3
//! would delete (or refuse to delete) rows that other tables reference. **Contract
//! for whoever executes SQLite statements:** run `PRAGMA foreign_keys = OFF` before
//! the migration's transaction begins (the pragma does nothing inside a transaction;
//! [`script_preamble`]), and run [`foreign_key_check`] before each commit, rolling
//! back if it returns any row. Foreign keys are therefore checked once per
//! transaction rather than per statement; a foreign key added `NOT VALID` is checked
//! all the same.
//!
//! A type change's `USING` expression is PostgreSQL's and is ignored: the rebuild
//! copies the values as they are, and SQLite converts them by the new column's type
//! affinity where it can.
//!
//! Index access methods are ignored (SQLite has only b-trees), as are
//! `CONCURRENTLY` and `NOT VALID`; `VALIDATE CONSTRAINT` renders nothing. Standalone
//! sequences do not exist in SQLite and are refused.

use super::data;
use super::postgres::{check_sql, foreign_key_sql, primary_key_sql, raw_sql, unique_sql};
use super::quote::{quote_ident, quote_ident_list, quote_literal};
use super::{Dialect, RenderError, Statement, apply, column, decimal_default, table};
use crate::ops::{ColumnChange, Op};
use crate::schema::{Column, ColumnType, DefaultValue, Index, Schema, Table};

const D: Dialect = Dialect::Sqlite;

/// Prefix of the temporary table of a rebuild: `_stratum_new_<table>`.
pub const REBUILD_PREFIX: &str = "_stratum_new_";

/// Prefix of the name of an enum column's CHECK constraint.
pub const ENUM_CHECK_PREFIX: &str = "enum:";

/// The default expression written for [`DefaultValue::RandomUuid`], exactly as it
/// appears in the table's SQL (introspection maps this text back).
pub const RANDOM_UUID_DEFAULT: &str = "(lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))))";

/// The default expression written for [`DefaultValue::Now`].
pub const NOW_DEFAULT: &str = "CURRENT_TIMESTAMP";

/// Statements to run, outside any transaction, before the statements of a SQLite
/// migration: `PRAGMA foreign_keys = OFF` (see the module docs).
pub fn script_preamble() -> Vec<Statement> {
    vec![Statement::non_transactional("PRAGMA foreign_keys = OFF")]
}

/// `PRAGMA foreign_key_check`: to run before each commit; any row it returns is a
/// violated foreign key, and the transaction must be rolled back.
pub fn foreign_key_check() -> Statement {
    Statement::new("PRAGMA foreign_key_check")
}

fn escape_name_part(s: &str) -> String {
    s.replace('%', "%25").replace(':', "%3A")
}

fn unescape_name_part(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('%') {
        out.push_str(&rest[..pos]);
        let code = rest.get(pos + 1..pos + 3)?;
        out.push(match code {
            "25" => '%',
            "3A" | "3a" => ':',
            _ => return None,
        });
        rest = &rest[pos + 3..];
    }
    out.push_str(rest);
    Some(out)
}

/// The name of the CHECK constraint of an enum column: `enum:<type>:<column>`, with
/// `%` and `:` in either name written `%25` and `%3A`.
///
/// ```
/// use stratum_core::dialect::sqlite::{enum_check_name, parse_enum_check_name};
/// assert_eq!(enum_check_name("status", "state"), "enum:status:state");
/// assert_eq!(enum_check_name("a:b", "c%"), "enum:a%3Ab:c%25");
/// assert_eq!(
///     parse_enum_check_name("enum:a%3Ab:c%25"),
///     Some(("a:b".to_string(), "c%".to_string()))
/// );
/// ```
pub fn enum_check_name(enum_name: &str, column: &str) -> String {
    format!(
        "{ENUM_CHECK_PREFIX}{}:{}",
        escape_name_part(enum_name),
        escape_name_part(column)
    )
}

/// The enum type name and column name encoded in a CHECK constraint name, or `None`
/// when the name is not one written by [`enum_check_name`].
pub fn parse_enum_check_name(name: &str) -> Option<(String, String)> {
    let rest = name.strip_prefix(ENUM_CHECK_PREFIX)?;
    let (e, c) = rest.split_once(':')?;
    if c.contains(':') {
        return None;
    }
    Some((unescape_name_part(e)?, unescape_name_part(c)?))
}

/// The CHECK expression of an enum column: `"<column>" IN ('a', 'b')`.
pub fn enum_check_expression(column: &str, values: &[String]) -> String {
    format!(
        "{} IN ({})",
        quote_ident(column),
        values
            .iter()
            .map(|v| quote_literal(v, D))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The column and labels of an expression written by [`enum_check_expression`]
/// (surrounding whitespace and one pair of outer parentheses allowed), or `None`
/// when it is not of that form.
pub fn parse_enum_check_expression(expr: &str) -> Option<(String, Vec<String>)> {
    let mut s = expr.trim();
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')'))
        && !inner.trim_start().starts_with('\'')
    {
        s = inner.trim();
    }
    let (column, rest) = parse_quoted(s, '"')?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix("IN")
        .or_else(|| rest.strip_prefix("in"))?
        .trim_start();
    let mut rest = rest.strip_prefix('(')?.trim_start();
    let mut values = Vec::new();
    if let Some(after) = rest.strip_prefix(')') {
        return after.trim().is_empty().then_some((column, values));
    }
    loop {
        let (value, after) = parse_quoted(rest, '\'')?;
        values.push(value);
        let after = after.trim_start();
        if let Some(after) = after.strip_prefix(',') {
            rest = after.trim_start();
        } else {
            let after = after.strip_prefix(')')?;
            return after.trim().is_empty().then_some((column, values));
        }
    }
}

/// Parses a `q`-quoted token at the start of `s` (the quote doubled inside), returning
/// its content and the rest of `s`.
fn parse_quoted(s: &str, q: char) -> Option<(String, &str)> {
    let mut chars = s.char_indices();
    if chars.next()?.1 != q {
        return None;
    }
    let mut out = String::new();
    let mut pending_quote = false;
    for (i, c) in chars {
        if pending_quote {
            if c == q {
                out.push(q);
                pending_quote = false;
                continue;
            }
            return Some((out, &s[i..]));
        }
        if c == q {
            pending_quote = true;
        } else {
            out.push(c);
        }
    }
    pending_quote.then_some((out, ""))
}

/// The declared type written for a column type (enum columns are `TEXT`).
pub fn type_sql(ty: &ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "SMALLINT".into(),
        ColumnType::Integer => "INTEGER".into(),
        ColumnType::BigInt => "BIGINT".into(),
        ColumnType::Real => "REAL".into(),
        ColumnType::Double => "DOUBLE PRECISION".into(),
        ColumnType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => format!("NUMERIC({p},{s})"),
        ColumnType::Numeric {
            precision: Some(p),
            scale: None,
        } => format!("NUMERIC({p})"),
        ColumnType::Numeric { .. } => "NUMERIC".into(),
        ColumnType::Text | ColumnType::Enum(_) => "TEXT".into(),
        ColumnType::Varchar(Some(n)) => format!("VARCHAR({n})"),
        ColumnType::Varchar(None) => "VARCHAR".into(),
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::Date => "DATE".into(),
        ColumnType::Time => "TIME".into(),
        ColumnType::Timestamp { tz: false } => "TIMESTAMP".into(),
        ColumnType::Timestamp { tz: true } => "TIMESTAMPTZ".into(),
        ColumnType::Uuid => "UUID".into(),
        ColumnType::Json => "JSON".into(),
        ColumnType::Jsonb => "JSONB".into(),
        ColumnType::Bytes => "BLOB".into(),
        ColumnType::Custom(s) => s.clone(),
    }
}

/// The SQLite expression of a default.
pub fn default_sql(column: &str, default: &DefaultValue) -> Result<String, RenderError> {
    Ok(match default {
        DefaultValue::Now => NOW_DEFAULT.into(),
        DefaultValue::RandomUuid => RANDOM_UUID_DEFAULT.into(),
        DefaultValue::Null => "NULL".into(),
        DefaultValue::Bool(true) => "TRUE".into(),
        DefaultValue::Bool(false) => "FALSE".into(),
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Decimal(d) => decimal_default(column, d)?,
        DefaultValue::Text(s) => quote_literal(s, D),
        DefaultValue::Expr(e) => format!("({e})"),
    })
}

/// Whether `ALTER TABLE ADD COLUMN` accepts the default (a constant).
fn is_constant_default(d: &DefaultValue) -> bool {
    !matches!(
        d,
        DefaultValue::Now | DefaultValue::RandomUuid | DefaultValue::Expr(_)
    )
}

fn enum_values<'a>(schema: &'a Schema, name: &str) -> Result<&'a [String], RenderError> {
    schema
        .enums
        .get(name)
        .map(|e| e.values.as_slice())
        .ok_or_else(|| RenderError::MissingEnum {
            name: name.to_string(),
        })
}

/// A column definition. `inline_pk` is the primary key name when the column carries
/// it inline (`INTEGER PRIMARY KEY AUTOINCREMENT`).
fn column_sql(
    table: &Table,
    col: &Column,
    schema: &Schema,
    for_add_column: bool,
) -> Result<String, RenderError> {
    let mut out = quote_ident(&col.name);
    let pk = table.primary_key.as_ref();
    let in_pk = pk.is_some_and(|pk| pk.columns.contains(&col.name));
    if col.auto_increment.is_some() {
        let reason = if !col.ty.is_integer() {
            Some("it must be an integer column")
        } else if for_add_column {
            Some(
                "SQLite cannot add a primary key column to an existing table; create the table with it",
            )
        } else if !pk.is_some_and(|pk| pk.columns.len() == 1 && in_pk) {
            Some("SQLite only autoincrements a table's single-column INTEGER PRIMARY KEY")
        } else {
            None
        };
        if let Some(reason) = reason {
            return Err(RenderError::AutoIncrement {
                table: table.name.clone(),
                column: col.name.clone(),
                dialect: D,
                reason: reason.to_string(),
            });
        }
        let pk_name = pk.map(|pk| pk.name.as_str()).unwrap_or_default();
        out.push_str(&format!(
            " INTEGER NOT NULL CONSTRAINT {} PRIMARY KEY AUTOINCREMENT",
            quote_ident(pk_name)
        ));
    } else {
        out.push(' ');
        out.push_str(&type_sql(&col.ty));
        if !col.nullable || in_pk {
            out.push_str(" NOT NULL");
        }
        if let Some(d) = &col.default {
            out.push_str(" DEFAULT ");
            out.push_str(&default_sql(&col.name, d)?);
        }
    }
    if let ColumnType::Enum(name) = &col.ty {
        out.push_str(&format!(
            " CONSTRAINT {} CHECK ({})",
            quote_ident(&enum_check_name(name, &col.name)),
            enum_check_expression(&col.name, enum_values(schema, name)?)
        ));
    }
    Ok(out)
}

fn has_inline_pk(table: &Table) -> bool {
    table.columns.iter().any(|c| c.auto_increment.is_some())
}

/// `CREATE TABLE "<name>" (...)` for `table` (whose enums are looked up in `schema`).
fn create_table_sql(name: &str, table: &Table, schema: &Schema) -> Result<String, RenderError> {
    if table.columns.is_empty() {
        return Err(RenderError::Unsupported {
            op: "create_table",
            dialect: D,
            reason: format!("table {:?} would have no columns", table.name),
        });
    }
    let mut items = Vec::new();
    for col in &table.columns {
        items.push(column_sql(table, col, schema, false)?);
    }
    if let Some(pk) = &table.primary_key
        && !has_inline_pk(table)
    {
        items.push(primary_key_sql(pk));
    }
    items.extend(table.uniques.values().map(unique_sql));
    items.extend(table.checks.values().map(check_sql));
    items.extend(table.foreign_keys.values().map(foreign_key_sql));
    Ok(format!(
        "CREATE TABLE {} (\n    {}\n)",
        quote_ident(name),
        items.join(",\n    ")
    ))
}

fn create_index_sql(table: &str, index: &Index) -> Statement {
    let mut sql = String::from("CREATE ");
    if index.unique {
        sql.push_str("UNIQUE ");
    }
    sql.push_str(&format!(
        "INDEX {} ON {} ({})",
        quote_ident(&index.name),
        quote_ident(table),
        quote_ident_list(&index.columns)
    ));
    if let Some(pred) = &index.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(pred);
    }
    Statement::new(sql)
}

fn create_table(table: &Table, schema: &Schema) -> Result<Vec<Statement>, RenderError> {
    let mut out = vec![Statement::new(create_table_sql(
        &table.name,
        table,
        schema,
    )?)];
    out.extend(
        table
            .indexes
            .values()
            .map(|i| create_index_sql(&table.name, i)),
    );
    Ok(out)
}

/// The schema after `op`, from the simulator.
fn after(op: &Op, before: &Schema) -> Result<Schema, RenderError> {
    let mut s = before.clone();
    apply(&mut s, op)?;
    Ok(s)
}

/// Rebuilds table `name` into its definition in `after`. `source` gives, for a
/// column of the rebuilt table, the expression over the old table that fills it
/// (`None`: the column is new and takes its default).
fn rebuild(
    name: &str,
    before: &Schema,
    after: &Schema,
    source: impl Fn(&Column) -> Option<String>,
) -> Result<Vec<Statement>, RenderError> {
    table(before, name)?;
    let new_table = table(after, name)?;
    let temp = format!("{REBUILD_PREFIX}{name}");
    let (qt, qtemp) = (quote_ident(name), quote_ident(&temp));
    let mut out = vec![Statement::new(create_table_sql(&temp, new_table, after)?)];
    let (cols, exprs): (Vec<String>, Vec<String>) = new_table
        .columns
        .iter()
        .filter_map(|c| source(c).map(|e| (quote_ident(&c.name), e)))
        .unzip();
    if !cols.is_empty() {
        out.push(Statement::new(format!(
            "INSERT INTO {qtemp} ({}) SELECT {} FROM {qt}",
            cols.join(", "),
            exprs.join(", ")
        )));
    }
    out.push(Statement::new(format!("DROP TABLE {qt}")));
    out.push(Statement::new(format!(
        "ALTER TABLE {qtemp} RENAME TO {qt}"
    )));
    out.extend(
        new_table
            .indexes
            .values()
            .map(|i| create_index_sql(name, i)),
    );
    Ok(out)
}

/// A rebuild that copies every column the old table also has, under the same name.
fn rebuild_same_columns(
    name: &str,
    before: &Schema,
    after: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let old = table(before, name)?;
    rebuild(name, before, after, |c| {
        old.column(&c.name).map(|_| quote_ident(&c.name))
    })
}

/// Whether `expr` may mention `column` (conservative: any occurrence of the name).
fn mentions(expr: &str, column: &str) -> bool {
    expr.to_lowercase().contains(&column.to_lowercase())
}

/// Whether SQLite's `ALTER TABLE DROP COLUMN` accepts dropping `column`.
fn can_drop_natively(table: &Table, column: &str) -> bool {
    let in_cols = |cols: &[String]| cols.iter().any(|c| c == column);
    !(table
        .primary_key
        .as_ref()
        .is_some_and(|pk| in_cols(&pk.columns))
        || table.uniques.values().any(|u| in_cols(&u.columns))
        || table.foreign_keys.values().any(|f| in_cols(&f.columns))
        || table.indexes.values().any(|i| {
            in_cols(&i.columns) || i.predicate.as_deref().is_some_and(|p| mentions(p, column))
        })
        || table
            .checks
            .values()
            .any(|c| mentions(&c.expression, column)))
}

fn alter_column(
    op: &Op,
    table_name: &str,
    column_name: &str,
    change: &ColumnChange,
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let old = table(before, table_name)?;
    let current = column(old, column_name)?;
    if change.is_empty() {
        return Ok(Vec::new());
    }
    // An autoincrement column is `INTEGER` whatever its integer width.
    let only_type =
        change.nullable.is_none() && change.default.is_none() && change.rename.is_none();
    if only_type
        && current.auto_increment.is_some()
        && change.ty.as_ref().is_some_and(ColumnType::is_integer)
    {
        return Ok(Vec::new());
    }
    // `RENAME COLUMN` rewrites references to the column, but not the column name
    // inside an enum CHECK constraint's name: enum columns are rebuilt instead.
    let only_rename = change.ty.is_none()
        && change.nullable.is_none()
        && change.default.is_none()
        && !matches!(current.ty, ColumnType::Enum(_));
    if only_rename && let Some(new_name) = &change.rename {
        return Ok(vec![Statement::new(format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            quote_ident(table_name),
            quote_ident(column_name),
            quote_ident(new_name)
        ))]);
    }
    let after = after(op, before)?;
    let new_name = change.rename.as_deref().unwrap_or(column_name);
    rebuild(table_name, before, &after, |c| {
        if c.name == new_name {
            Some(quote_ident(column_name))
        } else if c.name != column_name {
            old.column(&c.name).map(|_| quote_ident(&c.name))
        } else {
            None
        }
    })
}

/// Tables with a column of enum type `enum_name`, in name order.
fn tables_using_enum<'a>(schema: &'a Schema, enum_name: &str) -> Vec<&'a Table> {
    schema
        .tables
        .values()
        .filter(|t| {
            t.columns
                .iter()
                .any(|c| matches!(&c.ty, ColumnType::Enum(n) if n == enum_name))
        })
        .collect()
}

/// The SQLite statements of one op, given the schema before it.
pub fn render(op: &Op, before: &Schema) -> Result<Vec<Statement>, RenderError> {
    Ok(match op {
        Op::CreateEnum(_) | Op::DropEnum { .. } | Op::ValidateConstraint { .. } => Vec::new(),
        Op::AddEnumValue { enum_name, .. } => {
            enum_values(before, enum_name)?;
            let after = after(op, before)?;
            let mut out = Vec::new();
            for t in tables_using_enum(before, enum_name) {
                out.extend(rebuild_same_columns(&t.name, before, &after)?);
            }
            out
        }
        Op::RenameEnumValue {
            enum_name,
            from,
            to,
        } => {
            if !enum_values(before, enum_name)?.contains(from) {
                return Err(RenderError::MissingEnumValue {
                    enum_name: enum_name.clone(),
                    value: from.clone(),
                });
            }
            let after = after(op, before)?;
            let mut out = Vec::new();
            for t in tables_using_enum(before, enum_name) {
                out.extend(rebuild(&t.name, before, &after, |c| {
                    let q = quote_ident(&c.name);
                    match &c.ty {
                        ColumnType::Enum(n) if n == enum_name => Some(format!(
                            "CASE WHEN {q} = {} THEN {} ELSE {q} END",
                            quote_literal(from, D),
                            quote_literal(to, D)
                        )),
                        _ => t.column(&c.name).map(|_| q),
                    }
                })?);
            }
            out
        }
        Op::CreateTable(t) => create_table(t, before)?,
        Op::DropTable { name } => vec![Statement::new(format!("DROP TABLE {}", quote_ident(name)))],
        Op::RenameTable { from, to } => vec![Statement::new(format!(
            "ALTER TABLE {} RENAME TO {}",
            quote_ident(from),
            quote_ident(to)
        ))],
        Op::AddColumn {
            table: table_name,
            column: col,
        } => {
            let t = table(before, table_name)?;
            let has_default = col
                .default
                .as_ref()
                .is_some_and(|d| *d != DefaultValue::Null);
            let native = col.auto_increment.is_none()
                && col.default.as_ref().is_none_or(is_constant_default)
                && (col.nullable || has_default);
            if native {
                vec![Statement::new(format!(
                    "ALTER TABLE {} ADD COLUMN {}",
                    quote_ident(table_name),
                    column_sql(t, col, before, true)?
                ))]
            } else {
                if col.auto_increment.is_some() {
                    column_sql(t, col, before, true)?;
                }
                rebuild_same_columns(table_name, before, &after(op, before)?)?
            }
        }
        Op::DropColumn {
            table: table_name,
            column: col,
        } => {
            let t = table(before, table_name)?;
            column(t, col)?;
            if t.columns.len() == 1 {
                return Err(RenderError::Unsupported {
                    op: op.kind_name(),
                    dialect: D,
                    reason: format!(
                        "{col:?} is the only column of {table_name:?} and a SQLite table needs one; \
                         drop the table instead"
                    ),
                });
            }
            if can_drop_natively(t, col) {
                vec![Statement::new(format!(
                    "ALTER TABLE {} DROP COLUMN {}",
                    quote_ident(table_name),
                    quote_ident(col)
                ))]
            } else {
                rebuild_same_columns(table_name, before, &after(op, before)?)?
            }
        }
        Op::AlterColumn {
            table,
            column,
            change,
        } => alter_column(op, table, column, change, before)?,
        Op::CreateIndex { table, index, .. } => vec![create_index_sql(table, index)],
        Op::DropIndex { name, .. } => {
            vec![Statement::new(format!("DROP INDEX {}", quote_ident(name)))]
        }
        Op::AddForeignKey { table, .. }
        | Op::AddUnique { table, .. }
        | Op::AddCheck { table, .. }
        | Op::AddPrimaryKey { table, .. } => {
            rebuild_same_columns(table, before, &after(op, before)?)?
        }
        Op::DropConstraint {
            table: table_name,
            name,
            ..
        } => {
            if !table(before, table_name)?.has_constraint(name) {
                return Err(RenderError::MissingConstraint {
                    table: table_name.clone(),
                    name: name.clone(),
                });
            }
            rebuild_same_columns(table_name, before, &after(op, before)?)?
        }
        Op::CreateSequence(_) | Op::DropSequence { .. } => {
            return Err(RenderError::Unsupported {
                op: op.kind_name(),
                dialect: D,
                reason: "SQLite has no sequences; use an autoincrement column, or raw SQL \
                         limited to PostgreSQL"
                    .into(),
            });
        }
        Op::BulkInsert { table, rows } => data::bulk_insert(D, table, rows, before)?,
        Op::BulkDelete { table, rows } => data::bulk_delete(D, table, rows, before)?,
        Op::Execute(raw) => raw_sql(raw, D)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_check_names_round_trip() {
        for (e, c) in [
            ("status", "state"),
            ("a:b", "c"),
            ("%3A", "x:y%"),
            ("", ""),
            ("weird\"name", "timestamp"),
        ] {
            let name = enum_check_name(e, c);
            assert_eq!(name.matches(':').count(), 2, "{name}");
            assert_eq!(
                parse_enum_check_name(&name),
                Some((e.to_string(), c.to_string()))
            );
        }
        assert_eq!(parse_enum_check_name("ck_positive"), None);
        assert_eq!(parse_enum_check_name("enum:a:b:c"), None);
        assert_eq!(parse_enum_check_name("enum:a%zz:b"), None);
    }

    #[test]
    fn enum_check_expressions_round_trip() {
        let cases: Vec<(&str, Vec<String>)> = vec![
            ("status", vec!["a".into(), "b c".into()]),
            ("we\"ird", vec!["it's".into(), "".into(), "x, y)".into()]),
            ("empty", vec![]),
        ];
        for (col, values) in cases {
            let expr = enum_check_expression(col, &values);
            assert_eq!(
                parse_enum_check_expression(&expr),
                Some((col.to_string(), values.clone())),
                "{expr}"
            );
            assert_eq!(
                parse_enum_check_expression(&format!(" ({expr}) ")),
                Some((col.to_string(), values)),
            );
        }
        assert_eq!(parse_enum_check_expression("\"a\" > 0"), None);
        assert_eq!(parse_enum_check_expression("\"a\" IN ('x') OR 1"), None);
        assert_eq!(parse_enum_check_expression("\"a\" IN ('x'"), None);
    }
}

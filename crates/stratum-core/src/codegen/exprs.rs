//! Ops as builder calls: the expression of each op, written the way a person writes
//! a revision (column flags for default-named keys, indexes and references).

use super::layout::{ChainBuilder, Expr, atom, call, lit, strings};
use crate::naming;
use crate::ops::{Op, RawSql, Rows};
use crate::schema::{
    AutoIncrement, Column, ColumnType, ConstraintKind, DefaultValue, FkAction, ForeignKey, Index,
    Table,
};

fn op_call(name: &str, args: Vec<Expr>) -> ChainBuilder {
    ChainBuilder::new(atom("op")).then(name, args)
}

fn int(n: impl std::fmt::Display) -> Expr {
    atom(n.to_string())
}

/// The builder expression of a column type.
pub(crate) fn type_expr(ty: &ColumnType) -> Expr {
    let f = |name: &str| call(name, vec![]);
    match ty {
        ColumnType::SmallInt => f("small_integer"),
        ColumnType::Integer => f("integer"),
        ColumnType::BigInt => f("big_integer"),
        ColumnType::Real => f("real"),
        ColumnType::Double => f("double"),
        ColumnType::Numeric {
            precision: Some(p),
            scale: Some(s),
        } => call("numeric", vec![int(p), int(s)]),
        ColumnType::Numeric {
            precision: Some(p),
            scale: None,
        } => call("numeric_precision", vec![int(p)]),
        ColumnType::Numeric { .. } => f("numeric_unconstrained"),
        ColumnType::Text => f("text"),
        ColumnType::Varchar(None) => f("varchar"),
        ColumnType::Varchar(Some(n)) => call("varchar_n", vec![int(n)]),
        ColumnType::Boolean => f("boolean"),
        ColumnType::Date => f("date"),
        ColumnType::Time => f("time"),
        ColumnType::Timestamp { tz: false } => f("timestamp"),
        ColumnType::Timestamp { tz: true } => f("timestamptz"),
        ColumnType::Uuid => f("uuid"),
        ColumnType::Json => f("json"),
        ColumnType::Jsonb => f("jsonb"),
        ColumnType::Bytes => f("bytes"),
        ColumnType::Enum(name) => call("enum_type", vec![lit(name)]),
        ColumnType::Custom(sql) => call("custom", vec![lit(sql)]),
    }
}

fn into(s: &str) -> Expr {
    ChainBuilder::new(lit(s)).then("into", vec![]).build()
}

/// `DefaultValue::...` as an expression.
pub(crate) fn default_expr(d: &DefaultValue) -> Expr {
    match d {
        DefaultValue::Now => atom("DefaultValue::Now"),
        DefaultValue::RandomUuid => atom("DefaultValue::RandomUuid"),
        DefaultValue::Null => atom("DefaultValue::Null"),
        DefaultValue::Bool(b) => call("DefaultValue::Bool", vec![atom(b.to_string())]),
        DefaultValue::Int(i) => call("DefaultValue::Int", vec![int(i)]),
        DefaultValue::Decimal(s) => call("DefaultValue::Decimal", vec![into(s)]),
        DefaultValue::Text(s) => call("DefaultValue::Text", vec![into(s)]),
        DefaultValue::Expr(s) => call("DefaultValue::Expr", vec![into(s)]),
    }
}

fn fk_action(a: FkAction) -> Expr {
    atom(format!("FkAction::{a:?}"))
}

/// Which table-level items a column's flags stand for.
#[derive(Default)]
struct Flags {
    primary_key: bool,
    index: Option<bool>,
    unique: bool,
    references: Option<(String, FkAction)>,
}

/// `col(name, ty)` with the column's own flags (nullability, autoincrement,
/// default) and the given table-level flags.
fn column_expr(c: &Column, flags: &Flags) -> Expr {
    let mut b = ChainBuilder::new(call("col", vec![lit(&c.name), type_expr(&c.ty)])).then_if(
        flags.primary_key,
        "primary_key",
        vec![],
    );
    b = match c.auto_increment {
        None => b,
        Some(AutoIncrement::Serial) => b.then("autoincrement", vec![]),
        Some(AutoIncrement::IdentityByDefault) => b.then("identity", vec![atom("false")]),
        Some(AutoIncrement::IdentityAlways) => b.then("identity", vec![atom("true")]),
    };
    b = b.then_if(
        !c.nullable && !flags.primary_key && c.auto_increment.is_none(),
        "not_null",
        vec![],
    );
    b = match &c.default {
        None => b,
        Some(DefaultValue::Now) => b.then("default_now", vec![]),
        Some(DefaultValue::RandomUuid) => b.then("default_random_uuid", vec![]),
        Some(DefaultValue::Text(s)) => b.then("default_text", vec![lit(s)]),
        Some(DefaultValue::Int(i)) => b.then("default_int", vec![int(i)]),
        Some(DefaultValue::Bool(v)) => b.then("default_bool", vec![atom(v.to_string())]),
        Some(d) => b.then("default", vec![default_expr(d)]),
    };
    b = b.then_if(flags.unique || flags.index == Some(true), "unique", vec![]);
    b = b.then_if(flags.index.is_some(), "index", vec![]);
    if let Some((target, on_delete)) = &flags.references {
        b = b.then("references", vec![lit(target)]).then_if(
            *on_delete != FkAction::NoAction,
            "on_delete",
            vec![fk_action(*on_delete)],
        );
    }
    b.build()
}

/// A lone column for `add_column`: no flags.
pub(crate) fn plain_column(c: &Column) -> Expr {
    column_expr(c, &Flags::default())
}

fn one_col(cols: &[String], c: &str) -> bool {
    cols.len() == 1 && cols[0] == c
}

fn simple_index_of<'a>(t: &'a Table, c: &str) -> Option<&'a Index> {
    let name = naming::index(&t.name, &[c.to_string()]);
    t.indexes
        .get(&name)
        .filter(|i| one_col(&i.columns, c) && i.method.is_none() && i.predicate.is_none())
}

fn simple_fk_of<'a>(t: &'a Table, c: &str) -> Option<&'a ForeignKey> {
    let name = naming::foreign_key(&t.name, &[c.to_string()]);
    t.foreign_keys.get(&name).filter(|fk| {
        one_col(&fk.columns, c)
            && fk.ref_columns.len() == 1
            && !fk.ref_table.contains('.')
            && fk.on_update == FkAction::NoAction
    })
}

/// `.unique()`, `.using(method)` and `.where_(predicate)`, each when the index has it.
fn index_modifiers(b: ChainBuilder, i: &Index) -> ChainBuilder {
    b.then_if(i.unique, "unique", vec![])
        .then_opt("using", i.method.as_deref())
        .then_opt("where_", i.predicate.as_deref())
}

fn index_def(i: &Index) -> Expr {
    index_modifiers(
        ChainBuilder::new(call("index", vec![lit(&i.name), strings(&i.columns)])),
        i,
    )
    .build()
}

/// `op.create_table(name)` with its columns and table-level items.
fn create_table(t: &Table) -> Expr {
    let pk_cols: Vec<String> = t
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.clone())
        .unwrap_or_default();
    let in_order: Vec<String> = t
        .columns
        .iter()
        .filter(|c| pk_cols.contains(&c.name))
        .map(|c| c.name.clone())
        .collect();
    let pk_by_flags = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.name == naming::primary_key(&t.name) && in_order == pk.columns);
    let mut absorbed_indexes = Vec::new();
    let mut absorbed_uniques = Vec::new();
    let mut absorbed_fks = Vec::new();
    let mut b = op_call("create_table", vec![lit(&t.name)]);
    for c in &t.columns {
        let mut flags = Flags {
            primary_key: pk_by_flags && pk_cols.contains(&c.name),
            ..Flags::default()
        };
        if let Some(i) = simple_index_of(t, &c.name) {
            flags.index = Some(i.unique);
            absorbed_indexes.push(i.name.clone());
        } else {
            let uname = naming::unique(&t.name, std::slice::from_ref(&c.name));
            if t.uniques
                .get(&uname)
                .is_some_and(|u| one_col(&u.columns, &c.name))
            {
                flags.unique = true;
                absorbed_uniques.push(uname);
            }
        }
        if let Some(fk) = simple_fk_of(t, &c.name) {
            flags.references = Some((
                format!("{}.{}", fk.ref_table, fk.ref_columns[0]),
                fk.on_delete,
            ));
            absorbed_fks.push(fk.name.clone());
        }
        b = b.then("column", vec![column_expr(c, &flags)]);
    }
    if let Some(pk) = t.primary_key.as_ref().filter(|_| !pk_by_flags) {
        b = if pk.name == naming::primary_key(&t.name) {
            b.then("primary_key", vec![strings(&pk.columns)])
        } else {
            b.then(
                "primary_key_named",
                vec![lit(&pk.name), strings(&pk.columns)],
            )
        };
    }
    for fk in t.foreign_keys.values() {
        if absorbed_fks.contains(&fk.name) {
            continue;
        }
        b = b.then("foreign_key", vec![foreign_key_def(&t.name, fk)]);
    }
    for u in t.uniques.values() {
        if !absorbed_uniques.contains(&u.name) {
            b = b.then("unique", vec![lit(&u.name), strings(&u.columns)]);
        }
    }
    for c in t.checks.values() {
        b = b.then("check", vec![lit(&c.name), lit(&c.expression)]);
    }
    for i in t.indexes.values() {
        if !absorbed_indexes.contains(&i.name) {
            b = b.then("index", vec![index_def(i)]);
        }
    }
    b.build()
}

/// `.on_delete(action)` and `.on_update(action)`, each when it is not `NoAction`.
fn fk_actions(b: ChainBuilder, fk: &ForeignKey) -> ChainBuilder {
    b.then_if(
        fk.on_delete != FkAction::NoAction,
        "on_delete",
        vec![fk_action(fk.on_delete)],
    )
    .then_if(
        fk.on_update != FkAction::NoAction,
        "on_update",
        vec![fk_action(fk.on_update)],
    )
}

fn foreign_key_def(table: &str, fk: &ForeignKey) -> Expr {
    let b = ChainBuilder::new(call(
        "foreign_key",
        vec![
            strings(&fk.columns),
            lit(&fk.ref_table),
            strings(&fk.ref_columns),
        ],
    ))
    .then_if(
        fk.name != naming::foreign_key(table, &fk.columns),
        "name",
        vec![lit(&fk.name)],
    );
    fk_actions(b, fk).build()
}

fn json_rows(rows: &Rows) -> Expr {
    let text = serde_json::to_string(rows).unwrap_or_else(|_| "[]".to_string());
    atom(format!("json!({text})"))
}

fn execute(raw: &RawSql) -> Expr {
    let b = match &raw.any {
        Some(sql) => op_call("execute", vec![lit(sql)]),
        None => op_call("execute_per_dialect", vec![]),
    };
    raw.variants
        .iter()
        .fold(b, |b, (d, sql)| b.then_opt(d.key(), Some(sql.as_str())))
        .build()
}

/// `op.update_rows(t).set(c, e)...` or `op.delete_rows(t)`, with its filter
/// and the undoing assignments.
fn change_rows(change: &crate::ops::RowChange) -> Expr {
    use crate::ops::RowAction;
    let mut b = match &change.action {
        RowAction::Update(set) => set.iter().fold(
            op_call("update_rows", vec![lit(&change.table)]),
            |b, (c, e)| b.then("set", vec![lit(c), lit(e)]),
        ),
        RowAction::Delete => op_call("delete_rows", vec![lit(&change.table)]),
    };
    b = b.then_opt("filter", change.filter.as_deref());
    if let Some(rev) = &change.reverse
        && let RowAction::Update(set) = &rev.action
    {
        for (c, e) in set {
            b = b.then("undo_set", vec![lit(c), lit(e)]);
        }
        b = b.then_opt("undo_filter", rev.filter.as_deref());
    }
    b.build()
}

fn constraint_kind(k: ConstraintKind) -> Expr {
    atom(format!("ConstraintKind::{k:?}"))
}

/// The builder call that records `op`.
pub(crate) fn op_expr(op: &Op) -> Expr {
    match op {
        Op::CreateEnum(e) => op_call("create_enum", vec![lit(&e.name), strings(&e.values)]).build(),
        Op::DropEnum { name } => op_call("drop_enum", vec![lit(name)]).build(),
        Op::AddEnumValue {
            enum_name,
            value,
            before,
            after,
        } => op_call("add_enum_value", vec![lit(enum_name), lit(value)])
            .then_opt("before", before.as_deref())
            .then_if(
                before.is_none() && after.is_some(),
                "after",
                after.iter().map(|v| lit(v)).collect(),
            )
            .build(),
        Op::RenameEnumValue {
            enum_name,
            from,
            to,
        } => op_call(
            "rename_enum_value",
            vec![lit(enum_name), lit(from), lit(to)],
        )
        .build(),
        Op::CreateTable(t) => create_table(t),
        Op::DropTable { name } => op_call("drop_table", vec![lit(name)]).build(),
        Op::RenameTable { from, to } => op_call("rename_table", vec![lit(from), lit(to)]).build(),
        Op::AddColumn { table, column } => {
            op_call("add_column", vec![lit(table), plain_column(column)]).build()
        }
        Op::DropColumn { table, column } => {
            op_call("drop_column", vec![lit(table), lit(column)]).build()
        }
        Op::AlterColumn {
            table,
            column,
            change,
        } => {
            let mut b = op_call("alter_column", vec![lit(table), lit(column)]);
            if let Some(ty) = &change.ty {
                b = b.then("set_type", vec![type_expr(ty)]);
            }
            if let Some(u) = &change.using {
                b = b.then("using", vec![lit(u)]);
            }
            b = match change.nullable {
                Some(false) => b.then("set_not_null", vec![]),
                Some(true) => b.then("drop_not_null", vec![]),
                None => b,
            };
            b = match &change.default {
                Some(Some(d)) => b.then("set_default", vec![default_expr(d)]),
                Some(None) => b.then("drop_default", vec![]),
                None => b,
            };
            if let Some(r) = &change.rename {
                b = b.then("rename_to", vec![lit(r)]);
            }
            if let Some(a) = change.mysql.and_then(|m| m.algorithm) {
                b = b.then(
                    "mysql_algorithm",
                    vec![atom(format!("MysqlAlgorithm::{a:?}"))],
                );
            }
            if let Some(l) = change.mysql.and_then(|m| m.lock) {
                b = b.then("mysql_lock", vec![atom(format!("MysqlLock::{l:?}"))]);
            }
            b.build()
        }
        Op::CreateIndex {
            table,
            index,
            concurrently,
        } => index_modifiers(
            op_call(
                "create_index",
                vec![lit(&index.name), lit(table), strings(&index.columns)],
            ),
            index,
        )
        .then_if(*concurrently, "concurrently", vec![])
        .build(),
        Op::DropIndex {
            table,
            name,
            concurrently,
        } => op_call("drop_index", vec![lit(name)])
            .then_opt("table", table.as_deref())
            .then_if(*concurrently, "concurrently", vec![])
            .build(),
        Op::AddForeignKey {
            table,
            foreign_key: fk,
            not_valid,
        } => fk_actions(
            op_call(
                "create_foreign_key",
                vec![
                    lit(&fk.name),
                    lit(table),
                    lit(&fk.ref_table),
                    strings(&fk.columns),
                    strings(&fk.ref_columns),
                ],
            ),
            fk,
        )
        .then_if(*not_valid, "not_valid", vec![])
        .build(),
        Op::AddUnique { table, unique } => op_call(
            "create_unique_constraint",
            vec![lit(&unique.name), lit(table), strings(&unique.columns)],
        )
        .build(),
        Op::AddCheck {
            table,
            check,
            not_valid,
        } => op_call(
            "create_check_constraint",
            vec![lit(&check.name), lit(table), lit(&check.expression)],
        )
        .then_if(*not_valid, "not_valid", vec![])
        .build(),
        Op::AddPrimaryKey { table, primary_key } => op_call(
            "create_primary_key",
            vec![
                lit(&primary_key.name),
                lit(table),
                strings(&primary_key.columns),
            ],
        )
        .build(),
        Op::ValidateConstraint { table, name } => {
            op_call("validate_constraint", vec![lit(table), lit(name)]).build()
        }
        Op::DropConstraint { table, name, .. } => {
            op_call("drop_constraint", vec![lit(name), lit(table)]).build()
        }
        Op::CreateSequence(s) => op_call(
            "create_sequence",
            vec![lit(&s.name), int(s.start), int(s.increment)],
        )
        .build(),
        Op::DropSequence { name } => op_call("drop_sequence", vec![lit(name)]).build(),
        Op::BulkInsert { table, rows } => {
            op_call("bulk_insert", vec![lit(table), json_rows(rows)]).build()
        }
        Op::BulkDelete { table, rows } => {
            op_call("bulk_delete", vec![lit(table), json_rows(rows)]).build()
        }
        Op::Execute(raw) => execute(raw),
        Op::ChangeRows(change) => change_rows(change),
    }
}

/// `op.drop_constraint_of_kind(...)`, for a constraint the schema does not know.
pub(crate) fn drop_constraint_of_kind(table: &str, name: &str, kind: ConstraintKind) -> Expr {
    op_call(
        "drop_constraint_of_kind",
        vec![lit(name), lit(table), constraint_kind(kind)],
    )
    .build()
}

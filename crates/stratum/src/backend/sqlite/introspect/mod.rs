//! SQLite introspection: four bulk queries joining `sqlite_master` with the
//! table-valued pragma functions, plus reading the stored `CREATE TABLE` text for
//! what SQLite keeps no catalog of (constraint names, checks, `AUTOINCREMENT`).
//!
//! The text is read with the conventions of [`stratum_core::dialect::sqlite`]: a
//! column with a CHECK named `enum:<type>:<column>` is an enum column (declared
//! `TEXT`), and its labels give the enum type; `INTEGER PRIMARY KEY AUTOINCREMENT`
//! is a `Serial` column; the renderer's random-UUID expression is
//! [`DefaultValue::RandomUuid`]. Constraints declared without a name get the default
//! names of [`stratum_core::naming`] (checks: `<table>_check<n>`). Unique
//! constraints come from the text, not from the indexes, because SQLite makes no
//! index for one whose columns another key already covers. Virtual tables are left
//! out; index access methods do not exist.

use crate::introspect::sqltext::{
    Token, name_list, parse_string_literal, split_commas, tokenize, tokenize_spans,
};
use crate::introspect::{Ignored, IntrospectError, IntrospectStats, get};
use sqlx::SqliteConnection;
use sqlx::sqlite::SqliteRow;
use std::collections::BTreeMap;
use stratum_core::dialect::sqlite::{
    NOW_DEFAULT, RANDOM_UUID_DEFAULT, parse_enum_check_expression, parse_enum_check_name,
};
use stratum_core::naming;
use stratum_core::schema::{
    AutoIncrement, CheckConstraint, Column, ColumnType, DefaultValue, EnumType, FkAction,
    ForeignKey, Index, PrimaryKey, Schema, Table, UniqueConstraint,
};

/// User tables (not virtual tables) with their `CREATE TABLE` text.
pub(crate) const TABLES_QUERY: &str = r#"
SELECT m.name AS table_name, m.sql AS create_sql
FROM sqlite_master AS m
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
  AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%'
ORDER BY m.name
"#;

/// Every column of every user table.
pub(crate) const COLUMNS_QUERY: &str = r#"
SELECT m.name AS table_name, p.cid AS cid, p.name AS column_name, p.type AS declared_type,
       p."notnull" AS not_null, p.dflt_value AS default_expr, p.pk AS pk_position
FROM sqlite_master AS m
JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, p.cid
"#;

/// Every index of every user table, one row per key column, with the index's
/// `CREATE INDEX` text (NULL for indexes behind constraints).
pub(crate) const INDEXES_QUERY: &str = r#"
SELECT m.name AS table_name, il.name AS index_name, il."unique" AS is_unique,
       il.origin AS origin, il.partial AS partial, ii.seqno AS seqno, ii.cid AS cid,
       ii.name AS column_name, im.sql AS index_sql
FROM sqlite_master AS m
JOIN pragma_index_list(m.name) AS il
JOIN pragma_index_xinfo(il.name) AS ii
LEFT JOIN sqlite_master AS im ON im.type = 'index' AND im.name = il.name
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND ii.key = 1
ORDER BY m.name, il.name, ii.seqno
"#;

/// Every foreign key of every user table, one row per column pair.
pub(crate) const FOREIGN_KEYS_QUERY: &str = r#"
SELECT m.name AS table_name, f.id AS fk_id, f.seq AS seq, f."table" AS ref_table,
       f."from" AS column_name, f."to" AS ref_column, f.on_update AS on_update,
       f.on_delete AS on_delete
FROM sqlite_master AS m
JOIN pragma_foreign_key_list(m.name) AS f
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, f.id, f.seq
"#;

async fn fetch(
    conn: &mut SqliteConnection,
    name: &'static str,
    sql: &'static str,
    stats: &mut IntrospectStats,
) -> Result<Vec<SqliteRow>, IntrospectError> {
    stats.queries += 1;
    sqlx::query(sql)
        .fetch_all(conn)
        .await
        .map_err(|source| IntrospectError::Query {
            query: name,
            source,
        })
}

/// Reads the main database of a SQLite connection.
pub(crate) async fn introspect(
    conn: &mut SqliteConnection,
    ignored: &Ignored,
    stats: &mut IntrospectStats,
) -> Result<Schema, IntrospectError> {
    let table_rows = fetch(conn, "tables", TABLES_QUERY, stats).await?;
    let column_rows = fetch(conn, "columns", COLUMNS_QUERY, stats).await?;
    let index_rows = fetch(conn, "indexes", INDEXES_QUERY, stats).await?;
    let fk_rows = fetch(conn, "foreign_keys", FOREIGN_KEYS_QUERY, stats).await?;

    let mut schema = Schema::new();
    let mut parsed: BTreeMap<String, CreateTable> = BTreeMap::new();
    for row in &table_rows {
        let name: String = get(row, "tables", "table_name")?;
        if ignored.contains(&name) {
            continue;
        }
        let sql: Option<String> = get(row, "tables", "create_sql")?;
        let ct = sql.as_deref().and_then(CreateTable::parse).ok_or_else(|| {
            IntrospectError::Unreadable {
                table: name.clone(),
                detail: "its CREATE TABLE text in sqlite_master has unbalanced quotes or \
                         parentheses; pass the table in the ignore list to skip it"
                    .into(),
            }
        })?;
        for (enum_name, values) in ct.enum_columns.values() {
            schema
                .enums
                .entry(enum_name.clone())
                .or_insert_with(|| EnumType {
                    name: enum_name.clone(),
                    values: values.clone(),
                });
        }
        parsed.insert(name.clone(), ct);
        schema.insert_table(Table::new(name));
    }

    // Columns and the primary key.
    let mut pk_cols: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for row in &column_rows {
        let table_name: String = get(row, "columns", "table_name")?;
        let (Some(table), Some(ct)) = (schema.tables.get_mut(&table_name), parsed.get(&table_name))
        else {
            continue;
        };
        let name: String = get(row, "columns", "column_name")?;
        let declared: String = get(row, "columns", "declared_type")?;
        let not_null: bool = get(row, "columns", "not_null")?;
        let default_expr: Option<String> = get(row, "columns", "default_expr")?;
        let pk_position: i64 = get(row, "columns", "pk_position")?;
        let info = ct.columns.get(&name);
        let ty = match ct.enum_columns.get(&name) {
            Some((enum_name, _)) => ColumnType::Enum(enum_name.clone()),
            None => parse_type(&declared),
        };
        let auto_increment = info
            .filter(|i| i.autoincrement)
            .map(|_| AutoIncrement::Serial);
        if pk_position > 0 {
            pk_cols
                .entry(table_name.clone())
                .or_default()
                .push((pk_position, name.clone()));
        }
        table.columns.push(Column {
            name,
            ty,
            nullable: !not_null,
            default: default_expr.as_deref().and_then(parse_default),
            auto_increment,
        });
    }
    for (table_name, mut cols) in pk_cols {
        cols.sort();
        let columns: Vec<String> = cols.into_iter().map(|(_, c)| c).collect();
        let name = parsed
            .get(&table_name)
            .and_then(|ct| ct.primary_key_name.clone())
            .unwrap_or_else(|| naming::primary_key(&table_name));
        if let Some(t) = schema.tables.get_mut(&table_name) {
            t.primary_key = Some(PrimaryKey { name, columns });
        }
    }

    // Indexes and unique constraints.
    let mut index_cols: BTreeMap<(String, String), IndexRows> = BTreeMap::new();
    for row in &index_rows {
        let table_name: String = get(row, "indexes", "table_name")?;
        if !schema.tables.contains_key(&table_name) {
            continue;
        }
        let index_name: String = get(row, "indexes", "index_name")?;
        let entry = index_cols
            .entry((table_name, index_name))
            .or_insert(IndexRows {
                unique: get(row, "indexes", "is_unique")?,
                origin: get(row, "indexes", "origin")?,
                sql: get(row, "indexes", "index_sql")?,
                columns: Vec::new(),
            });
        let column: Option<String> = get(row, "indexes", "column_name")?;
        entry.columns.push(column);
    }
    for ((table_name, index_name), ix) in index_cols {
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        match ix.origin.as_str() {
            "pk" => {}
            // Unique constraints are read from the table's text below: SQLite makes
            // no index for one whose columns another key already covers.
            "u" => {}
            _ => {
                let parsed_index = ix.sql.as_deref().and_then(parse_create_index);
                let columns = ix
                    .columns
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        c.or_else(|| {
                            parsed_index
                                .as_ref()
                                .and_then(|p| p.columns.get(i).cloned())
                        })
                        .unwrap_or_default()
                    })
                    .collect();
                table.indexes.insert(
                    index_name.clone(),
                    Index {
                        name: index_name,
                        columns,
                        unique: ix.unique,
                        method: None,
                        predicate: parsed_index.and_then(|p| p.predicate),
                    },
                );
            }
        }
    }

    // Foreign keys.
    let mut fks: BTreeMap<(String, i64), ForeignKey> = BTreeMap::new();
    for row in &fk_rows {
        let table_name: String = get(row, "foreign_keys", "table_name")?;
        if !schema.tables.contains_key(&table_name) {
            continue;
        }
        let id: i64 = get(row, "foreign_keys", "fk_id")?;
        let ref_table: String = get(row, "foreign_keys", "ref_table")?;
        let column: String = get(row, "foreign_keys", "column_name")?;
        let ref_column: Option<String> = get(row, "foreign_keys", "ref_column")?;
        let on_update: String = get(row, "foreign_keys", "on_update")?;
        let on_delete: String = get(row, "foreign_keys", "on_delete")?;
        let fk = fks.entry((table_name, id)).or_insert_with(|| ForeignKey {
            name: String::new(),
            columns: Vec::new(),
            ref_table,
            ref_columns: Vec::new(),
            on_delete: fk_action(&on_delete),
            on_update: fk_action(&on_update),
        });
        fk.columns.push(column);
        // An omitted target column means the referenced table's primary key;
        // resolved below.
        fk.ref_columns.push(ref_column.unwrap_or_default());
    }
    // The pragma lists a table's foreign keys last-declared first: take them in
    // declaration order, and give each the name of the first declaration not yet
    // used that describes it.
    let mut used: BTreeMap<String, Vec<bool>> = BTreeMap::new();
    for ((table_name, _), mut fk) in fks.into_iter().rev() {
        if fk.ref_columns.iter().any(String::is_empty) {
            let pk = schema
                .tables
                .get(&fk.ref_table)
                .and_then(|t| t.primary_key.as_ref())
                .map(|pk| pk.columns.clone())
                .unwrap_or_default();
            if pk.len() == fk.ref_columns.len() {
                fk.ref_columns = pk;
            }
        }
        let declared = &parsed[&table_name].fks;
        let taken = used
            .entry(table_name.clone())
            .or_insert_with(|| vec![false; declared.len()]);
        let found = [true, false].into_iter().find_map(|exactly| {
            declared
                .iter()
                .enumerate()
                .position(|(k, d)| !taken[k] && d.describes(&fk, exactly))
        });
        let name = found.and_then(|k| {
            taken[k] = true;
            declared[k].name.clone()
        });
        fk.name = name.unwrap_or_else(|| naming::foreign_key(&table_name, &fk.columns));
        if let Some(t) = schema.tables.get_mut(&table_name) {
            t.foreign_keys.insert(fk.name.clone(), fk);
        }
    }

    // Unique constraints and checks (other than those that encode enum columns).
    for (table_name, ct) in &parsed {
        if let Some(t) = schema.tables.get_mut(table_name) {
            for (columns, name) in &ct.unique_names {
                let name = name
                    .clone()
                    .unwrap_or_else(|| naming::unique(table_name, columns));
                t.uniques.insert(
                    name.clone(),
                    UniqueConstraint {
                        name,
                        columns: columns.clone(),
                    },
                );
            }
            for (i, (name, expression)) in ct.checks.iter().enumerate() {
                let name = name
                    .clone()
                    .unwrap_or_else(|| format!("{table_name}_check{}", i + 1));
                t.checks.insert(
                    name.clone(),
                    CheckConstraint {
                        name,
                        expression: expression.clone(),
                    },
                );
            }
        }
    }

    Ok(schema)
}

struct IndexRows {
    unique: bool,
    origin: String,
    sql: Option<String>,
    columns: Vec<Option<String>>,
}

fn fk_action(s: &str) -> FkAction {
    match s.to_ascii_uppercase().as_str() {
        "RESTRICT" => FkAction::Restrict,
        "CASCADE" => FkAction::Cascade,
        "SET NULL" => FkAction::SetNull,
        "SET DEFAULT" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// What the `CREATE TABLE` text says beyond the pragmas.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct CreateTable {
    /// Per column: AUTOINCREMENT, enum type from its enum check.
    columns: BTreeMap<String, ColumnInfo>,
    /// `CONSTRAINT name PRIMARY KEY`.
    primary_key_name: Option<String>,
    /// Unique constraints: columns and name, if named.
    unique_names: Vec<(Vec<String>, Option<String>)>,
    /// Foreign keys as written, in order.
    fks: Vec<TextFk>,
    /// Check constraints (name if named, expression), not counting enum checks.
    checks: Vec<(Option<String>, String)>,
    /// Enum columns, from their enum checks: column to enum type and labels.
    enum_columns: BTreeMap<String, (String, Vec<String>)>,
}

/// A foreign key as the table's text declares it.
#[derive(Debug, Clone, PartialEq)]
struct TextFk {
    name: Option<String>,
    columns: Vec<String>,
    ref_table: String,
    /// Empty when the text leaves them out (the referenced primary key).
    ref_columns: Vec<String>,
    on_delete: FkAction,
    on_update: FkAction,
}

impl TextFk {
    /// Reads `t [(cols)] [ON DELETE a] [ON UPDATE a] ...` (the tokens after
    /// `REFERENCES`); returns the key and the number of tokens read.
    fn parse_references(tokens: &[Token], columns: Vec<String>) -> Option<(TextFk, usize)> {
        let ref_table = tokens.first()?.name()?;
        let mut i = 1;
        let mut ref_columns = Vec::new();
        if let Some(g @ Token::Group(_)) = tokens.get(1) {
            ref_columns = name_list(g)?;
            i += 1;
        }
        let (mut on_delete, mut on_update) = (FkAction::NoAction, FkAction::NoAction);
        while tokens.get(i).is_some_and(|t| t.is_kw("ON")) {
            let target = tokens.get(i + 1)?;
            let first = tokens.get(i + 2)?;
            let (action, len) = if first.is_kw("SET") || first.is_kw("NO") {
                let second = tokens.get(i + 3)?;
                let word = |t: &Token| match t {
                    Token::Word(w) => w.to_ascii_uppercase(),
                    _ => String::new(),
                };
                (fk_action(&format!("{} {}", word(first), word(second))), 2)
            } else {
                match first {
                    Token::Word(w) => (fk_action(w), 1),
                    _ => return None,
                }
            };
            if target.is_kw("DELETE") {
                on_delete = action;
            } else if target.is_kw("UPDATE") {
                on_update = action;
            }
            i += 2 + len;
        }
        Some((
            TextFk {
                name: None,
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_update,
            },
            i,
        ))
    }

    /// Whether this declaration describes `fk` (as the pragma reads it).
    fn describes(&self, fk: &ForeignKey, exactly: bool) -> bool {
        self.columns == fk.columns
            && self.ref_table.eq_ignore_ascii_case(&fk.ref_table)
            && (!exactly
                || ((self.ref_columns.is_empty() || self.ref_columns == fk.ref_columns)
                    && self.on_delete == fk.on_delete
                    && self.on_update == fk.on_update))
    }
}

#[derive(Debug, Default, PartialEq)]
struct ColumnInfo {
    autoincrement: bool,
}

impl CreateTable {
    /// Parses `CREATE TABLE name (...) [options]`.
    pub(crate) fn parse(sql: &str) -> Option<CreateTable> {
        let tokens = tokenize(sql)?;
        let body = tokens.iter().find_map(Token::group_inner)?;
        let items = tokenize(body)?;
        let mut ct = CreateTable::default();
        for item in split_commas(&items) {
            ct.read_item(item)?;
        }
        Some(ct)
    }

    fn read_item(&mut self, item: &[Token]) -> Option<()> {
        let first = item.first()?;
        let is_table_constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|k| first.is_kw(k));
        if is_table_constraint {
            self.read_table_constraint(item);
            return Some(());
        }
        let column = first.name()?;
        let mut info = ColumnInfo::default();
        let mut name: Option<String> = None;
        let mut i = 1;
        while i < item.len() {
            let t = &item[i];
            if t.is_kw("CONSTRAINT") {
                name = item.get(i + 1).and_then(Token::name);
                i += 2;
                continue;
            }
            if t.is_kw("AUTOINCREMENT") {
                info.autoincrement = true;
            } else if t.is_kw("PRIMARY") {
                if name.is_some() {
                    self.primary_key_name = name.take();
                }
            } else if t.is_kw("UNIQUE") {
                self.unique_names.push((vec![column.clone()], name.take()));
            } else if t.is_kw("CHECK") {
                let expr = item.get(i + 1)?.group_inner()?.trim().to_string();
                self.add_check(name.take(), expr);
                i += 1;
            } else if t.is_kw("REFERENCES") {
                let (fk, used) = TextFk::parse_references(&item[i + 1..], vec![column.clone()])?;
                self.fks.push(TextFk {
                    name: name.take(),
                    ..fk
                });
                i += used;
            }
            i += 1;
        }
        self.columns.insert(column, info);
        Some(())
    }

    /// Records a check constraint, or an enum column when the check is one that
    /// encodes an enum type.
    fn add_check(&mut self, name: Option<String>, expr: String) {
        let as_enum =
            name.as_deref()
                .and_then(parse_enum_check_name)
                .and_then(|(enum_name, column)| {
                    let (checked, values) = parse_enum_check_expression(&expr)?;
                    (checked == column).then_some((column, enum_name, values))
                });
        match as_enum {
            Some((column, enum_name, values)) => {
                self.enum_columns.insert(column, (enum_name, values));
            }
            None => self.checks.push((name, expr)),
        }
    }

    fn read_table_constraint(&mut self, item: &[Token]) {
        let (name, rest) = if item[0].is_kw("CONSTRAINT") {
            (
                item.get(1).and_then(Token::name),
                item.get(2..).unwrap_or(&[]),
            )
        } else {
            (None, item)
        };
        let Some(kind) = rest.first() else {
            return;
        };
        if kind.is_kw("PRIMARY") {
            self.primary_key_name = name;
        } else if kind.is_kw("UNIQUE") {
            if let Some(cols) = rest.get(1).and_then(name_list) {
                self.unique_names.push((cols, name));
            }
        } else if kind.is_kw("CHECK") {
            if let Some(expr) = rest.get(1).and_then(Token::group_inner) {
                self.add_check(name, expr.trim().to_string());
            }
        } else if kind.is_kw("FOREIGN") {
            // FOREIGN KEY (cols) REFERENCES t (cols) ...
            let cols = rest.get(2).and_then(name_list);
            let refs = rest.iter().position(|t| t.is_kw("REFERENCES"));
            if let (Some(cols), Some(p)) = (cols, refs)
                && let Some((fk, _)) = TextFk::parse_references(&rest[p + 1..], cols)
            {
                self.fks.push(TextFk { name, ..fk });
            }
        }
    }
}

/// Columns (or key expressions) and predicate of a `CREATE INDEX` statement.
#[derive(Debug)]
pub(crate) struct CreateIndex {
    columns: Vec<String>,
    predicate: Option<String>,
}

/// Reads the columns and predicate of a `CREATE INDEX` statement's text.
pub(crate) fn parse_create_index(sql: &str) -> Option<CreateIndex> {
    let tokens = tokenize_spans(sql)?;
    let on = tokens.iter().position(|(t, _)| t.is_kw("ON"))?;
    let group_at = on
        + tokens[on..]
            .iter()
            .position(|(t, _)| matches!(t, Token::Group(_)))?;
    let (group, group_span) = &tokens[group_at];
    let inner = group.group_inner()?;
    let inner_start = group_span.start + 1;
    let inner_tokens = tokenize_spans(inner)?;
    let columns = inner_tokens
        .split(|(t, _)| *t == Token::Punct(','))
        .filter(|item| !item.is_empty())
        .map(|item| match item {
            [(single, _)] if single.name().is_some() => single.name().unwrap_or_default(),
            _ => {
                let (first, last) = (&item[0].1, &item[item.len() - 1].1);
                sql[inner_start + first.start..inner_start + last.end].to_string()
            }
        })
        .collect();
    let predicate = tokens[group_at + 1..]
        .iter()
        .position(|(t, _)| t.is_kw("WHERE"))
        .and_then(|p| tokens.get(group_at + 2 + p))
        .map(|(_, span)| sql[span.start..].trim().to_string());
    Some(CreateIndex { columns, predicate })
}

/// Maps a declared column type to a portable type.
pub(crate) fn parse_type(declared: &str) -> ColumnType {
    let upper = declared.trim().to_ascii_uppercase();
    let (base, args) = match upper.split_once('(') {
        Some((b, a)) => (
            b.trim().to_string(),
            a.trim_end_matches(')')
                .split(',')
                .map(|x| x.trim().parse::<u32>().ok())
                .collect::<Option<Vec<u32>>>(),
        ),
        None => (upper.clone(), Some(Vec::new())),
    };
    match (base.as_str(), args.as_deref()) {
        ("SMALLINT", Some([])) => ColumnType::SmallInt,
        ("INTEGER" | "INT", Some([])) => ColumnType::Integer,
        ("BIGINT", Some([])) => ColumnType::BigInt,
        ("REAL", Some([])) => ColumnType::Real,
        ("DOUBLE" | "DOUBLE PRECISION" | "FLOAT", Some([])) => ColumnType::Double,
        ("NUMERIC" | "DECIMAL", Some(a)) if a.len() <= 2 => ColumnType::Numeric {
            precision: a.first().copied(),
            scale: a.get(1).copied(),
        },
        ("TEXT", Some([])) => ColumnType::Text,
        ("VARCHAR", Some([])) => ColumnType::Varchar(None),
        ("VARCHAR", Some([n])) => ColumnType::Varchar(Some(*n)),
        ("BOOLEAN", Some([])) => ColumnType::Boolean,
        ("DATE", Some([])) => ColumnType::Date,
        ("TIME", Some([])) => ColumnType::Time,
        ("TIMESTAMP" | "DATETIME", Some([])) => ColumnType::Timestamp { tz: false },
        ("TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE", Some([])) => {
            ColumnType::Timestamp { tz: true }
        }
        ("UUID", Some([])) => ColumnType::Uuid,
        ("JSON", Some([])) => ColumnType::Json,
        ("JSONB", Some([])) => ColumnType::Jsonb,
        ("BLOB" | "BYTEA", Some([])) => ColumnType::Bytes,
        _ => ColumnType::Custom(declared.trim().to_string()),
    }
}

/// Maps a default as SQLite stores it (the text as written) to a portable default;
/// see the rendering conventions in [`stratum_core::dialect::sqlite`].
pub(crate) fn parse_default(expr: &str) -> Option<DefaultValue> {
    let s = expr.trim();
    if same_expression(s, RANDOM_UUID_DEFAULT) {
        return Some(DefaultValue::RandomUuid);
    }
    if s.eq_ignore_ascii_case(NOW_DEFAULT) {
        return Some(DefaultValue::Now);
    }
    if let Some(v) = literal_default(s) {
        return v;
    }
    // Other expressions are written in parentheses; a parenthesized literal
    // (written by hand) is the literal.
    let tokens = tokenize(s);
    let inner = match tokens.as_deref() {
        Some([group @ Token::Group(_)]) => group.group_inner().unwrap_or(s).trim(),
        _ => s,
    };
    if let Some(v) = literal_default(inner) {
        return v;
    }
    Some(DefaultValue::Expr(inner.to_string()))
}

/// Whether two expressions are equal up to whitespace and outer parentheses.
fn same_expression(a: &str, b: &str) -> bool {
    fn canon(s: &str) -> String {
        let mut s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        loop {
            let tokens = tokenize(&s);
            match tokens.as_deref() {
                Some([g @ Token::Group(_)]) => {
                    s = g.group_inner().unwrap_or_default().trim().to_string()
                }
                _ => return s,
            }
        }
    }
    canon(a) == canon(b)
}

/// `Some(default)` when `s` is a literal (`NULL` gives `Some(None)`).
fn literal_default(s: &str) -> Option<Option<DefaultValue>> {
    if s.eq_ignore_ascii_case("NULL") {
        return Some(None);
    }
    if s.eq_ignore_ascii_case("TRUE") {
        return Some(Some(DefaultValue::Bool(true)));
    }
    if s.eq_ignore_ascii_case("FALSE") {
        return Some(Some(DefaultValue::Bool(false)));
    }
    if let Some((lit, rest)) = parse_string_literal(s)
        && rest.trim().is_empty()
    {
        return Some(Some(DefaultValue::Text(lit)));
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().map(|i| Some(DefaultValue::Int(i)));
    }
    if let Some((a, b)) = digits.split_once('.')
        && !a.is_empty()
        && !b.is_empty()
        && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
    {
        return Some(Some(DefaultValue::Decimal(s.to_string())));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_create_table_text() {
        let ct = CreateTable::parse(
            r#"CREATE TABLE "t" (
                "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                "a" TEXT CONSTRAINT "a_u" UNIQUE,
                "p" INTEGER REFERENCES "parent" ("id") ON DELETE CASCADE,
                CONSTRAINT "ck_pos" CHECK ("p" > 0),
                CONSTRAINT "t_pk" PRIMARY KEY ("id"),
                CONSTRAINT "fk_p" FOREIGN KEY ("a", "p") REFERENCES "other" ("x", "y") ON UPDATE SET NULL,
                UNIQUE ("a", "p")
            )"#,
        )
        .unwrap();
        assert!(ct.columns["id"].autoincrement);
        assert!(ct.enum_columns.is_empty());
        assert!(!ct.columns["a"].autoincrement);
        assert_eq!(ct.primary_key_name.as_deref(), Some("t_pk"));
        assert_eq!(
            ct.unique_names,
            [
                (vec!["a".to_string()], Some("a_u".to_string())),
                (vec!["a".to_string(), "p".to_string()], None)
            ]
        );
        assert_eq!(
            ct.checks,
            [(Some("ck_pos".to_string()), r#""p" > 0"#.to_string())]
        );
        assert_eq!(ct.fks.len(), 2);
        assert_eq!(ct.fks[0].on_delete, FkAction::Cascade);
        assert_eq!(ct.fks[0].ref_columns, ["id"]);
        assert_eq!(
            ct.fks[1],
            TextFk {
                name: Some("fk_p".to_string()),
                columns: vec!["a".to_string(), "p".to_string()],
                ref_table: "other".to_string(),
                ref_columns: vec!["x".to_string(), "y".to_string()],
                on_delete: FkAction::NoAction,
                on_update: FkAction::SetNull,
            }
        );
    }

    #[test]
    fn reads_enum_columns_from_their_checks() {
        let ct = CreateTable::parse(
            r#"CREATE TABLE "t" (
                "s" TEXT NOT NULL DEFAULT 'a' CONSTRAINT "enum:st:s" CHECK ("s" IN ('a', 'it''s')),
                "n" INTEGER CONSTRAINT "ck_n" CHECK ("n" IN (1, 2))
            )"#,
        )
        .unwrap();
        assert_eq!(
            ct.enum_columns["s"],
            ("st".to_string(), vec!["a".to_string(), "it's".to_string()])
        );
        assert_eq!(
            ct.checks,
            [(Some("ck_n".to_string()), r#""n" IN (1, 2)"#.to_string())]
        );
    }

    #[test]
    fn reads_create_index_text() {
        let ix = parse_create_index(
            r#"CREATE INDEX "ix" ON "t" ("a", lower("b")) WHERE "a" IS NOT NULL"#,
        )
        .unwrap();
        assert_eq!(ix.columns, ["a", r#"lower("b")"#]);
        assert_eq!(ix.predicate.as_deref(), Some(r#""a" IS NOT NULL"#));
    }

    #[test]
    fn maps_defaults() {
        assert_eq!(parse_default("'x'"), Some(DefaultValue::Text("x".into())));
        assert_eq!(parse_default("CURRENT_TIMESTAMP"), Some(DefaultValue::Now));
        assert_eq!(parse_default("(-3)"), Some(DefaultValue::Int(-3)));
        assert_eq!(parse_default("-3"), Some(DefaultValue::Int(-3)));
        assert_eq!(parse_default("TRUE"), Some(DefaultValue::Bool(true)));
        assert_eq!(
            parse_default(RANDOM_UUID_DEFAULT),
            Some(DefaultValue::RandomUuid)
        );
        assert_eq!(
            parse_default("(a || 'b')"),
            Some(DefaultValue::Expr("a || 'b'".into()))
        );
        assert_eq!(
            parse_default("1.5"),
            Some(DefaultValue::Decimal("1.5".into()))
        );
        assert_eq!(parse_default("NULL"), None);
        assert_eq!(
            parse_default("(lower(hex(randomblob(16))))"),
            Some(DefaultValue::Expr("lower(hex(randomblob(16)))".into()))
        );
    }
}

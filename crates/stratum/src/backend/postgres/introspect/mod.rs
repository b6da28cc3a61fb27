//! PostgreSQL introspection: five catalog queries for the whole schema (the
//! connection's current schema, normally `public`), assembled in memory.
//!
//! Read as the model has it: ordinary and partitioned tables (not partitions, views
//! or foreign tables); a sequence owned by a column whose default is its `nextval`
//! becomes that column's `Serial`; an identity column's sequence is the column's
//! identity. Not represented: generated columns' expressions (such a column reads
//! as a plain column), index sort orders and operator classes, exclusion
//! constraints, and objects of other schemas.

use crate::introspect::sqltext::{
    Token, parse_string_literal, split_qualified_name, tokenize_spans_pg,
};
use crate::introspect::{Ignored, IntrospectError, IntrospectStats, get};
use sqlx::PgConnection;
use sqlx::postgres::PgRow;
use std::collections::HashMap;
use stratum_core::schema::{
    AutoIncrement, CheckConstraint, Column, ColumnType, DefaultValue, EnumType, FkAction,
    ForeignKey, Index, PrimaryKey, Schema, Sequence, Table, UniqueConstraint,
};

/// Tables (ordinary and partitioned, not partitions) with their columns; a table
/// without columns yields one row with NULL column fields.
pub(crate) const COLUMNS_QUERY: &str = r#"
SELECT c.relname::text AS table_name,
       a.attname::text AS column_name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       t.typtype::text AS type_kind,
       t.typname::text AS type_name,
       a.attnotnull AS not_null,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = current_schema()
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
ORDER BY c.relname, a.attnum
"#;

/// Primary key, foreign key, unique and check constraints, with their column lists
/// resolved to names in key order.
pub(crate) const CONSTRAINTS_QUERY: &str = r#"
SELECT cl.relname::text AS table_name,
       con.conname::text AS name,
       con.contype::text AS kind,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns,
       fcl.relname::text AS ref_table,
       ARRAY(SELECT a.attname::text
             FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
             ORDER BY k.ord) AS ref_columns,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update,
       pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint con
JOIN pg_class cl ON cl.oid = con.conrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
LEFT JOIN pg_class fcl ON fcl.oid = con.confrelid
WHERE n.nspname = current_schema()
  AND con.contype IN ('p', 'f', 'u', 'c')
ORDER BY cl.relname, con.conname
"#;

/// Indexes that do not back a primary key, unique or exclusion constraint. Key
/// columns are names; expression keys are their SQL text.
pub(crate) const INDEXES_QUERY: &str = r#"
SELECT t.relname::text AS table_name,
       i.relname::text AS index_name,
       ix.indisunique AS is_unique,
       am.amname::text AS method,
       pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
       ARRAY(SELECT COALESCE(a.attname::text, pg_get_indexdef(ix.indexrelid, k.ord::int, true))
             FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             LEFT JOIN pg_attribute a
                    ON k.attnum > 0 AND a.attrelid = ix.indrelid AND a.attnum = k.attnum
             WHERE k.ord <= ix.indnkeyatts
             ORDER BY k.ord) AS columns
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = i.relam
WHERE n.nspname = current_schema()
  AND t.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = ix.indexrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY t.relname, i.relname
"#;

/// Enum types with their labels in sort order; an enum without labels yields one
/// row with a NULL label.
pub(crate) const ENUMS_QUERY: &str = r#"
SELECT t.typname::text AS enum_name, e.enumlabel::text AS label
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = current_schema() AND t.typtype = 'e'
ORDER BY t.typname, e.enumsortorder
"#;

/// Sequences, with the column that owns each (`a`: `OWNED BY`, as for serial
/// columns; `i`: an identity column's internal sequence).
pub(crate) const SEQUENCES_QUERY: &str = r#"
SELECT c.relname::text AS sequence_name,
       s.seqstart AS start_value,
       s.seqincrement AS increment,
       d.deptype::text AS dependency,
       ot.relname::text AS owner_table,
       oa.attname::text AS owner_column
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class ot ON ot.oid = d.refobjid
LEFT JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
WHERE n.nspname = current_schema()
ORDER BY c.relname
"#;

/// Runs one named catalog query, counting it.
async fn fetch(
    conn: &mut PgConnection,
    name: &'static str,
    sql: &'static str,
    stats: &mut IntrospectStats,
) -> Result<Vec<PgRow>, IntrospectError> {
    stats.queries += 1;
    sqlx::query(sql)
        .fetch_all(conn)
        .await
        .map_err(|source| IntrospectError::Query {
            query: name,
            source,
        })
}

/// Reads the current schema of a PostgreSQL connection.
pub(crate) async fn introspect(
    conn: &mut PgConnection,
    ignored: &Ignored,
    stats: &mut IntrospectStats,
) -> Result<Schema, IntrospectError> {
    let column_rows = fetch(conn, "columns", COLUMNS_QUERY, stats).await?;
    let constraint_rows = fetch(conn, "constraints", CONSTRAINTS_QUERY, stats).await?;
    let index_rows = fetch(conn, "indexes", INDEXES_QUERY, stats).await?;
    let enum_rows = fetch(conn, "enums", ENUMS_QUERY, stats).await?;
    let sequence_rows = fetch(conn, "sequences", SEQUENCES_QUERY, stats).await?;

    let mut schema = Schema::new();

    for row in &enum_rows {
        let name: String = get(row, "enums", "enum_name")?;
        let label: Option<String> = get(row, "enums", "label")?;
        let e = schema.enums.entry(name.clone()).or_insert(EnumType {
            name,
            values: Vec::new(),
        });
        e.values.extend(label);
    }

    // Defaults as written, to match against owned sequences below.
    let mut raw_defaults: HashMap<(String, String), String> = HashMap::new();
    for row in &column_rows {
        let table_name: String = get(row, "columns", "table_name")?;
        if ignored.contains(&table_name) {
            continue;
        }
        let table = schema
            .tables
            .entry(table_name.clone())
            .or_insert_with(|| Table::new(table_name.clone()));
        let Some(name) = get::<Option<String>, _>(row, "columns", "column_name")? else {
            continue;
        };
        let data_type: String = get(row, "columns", "data_type")?;
        let type_kind: Option<String> = get(row, "columns", "type_kind")?;
        let type_name: Option<String> = get(row, "columns", "type_name")?;
        let not_null: bool = get(row, "columns", "not_null")?;
        let identity: Option<String> = get(row, "columns", "identity")?;
        let generated: Option<String> = get(row, "columns", "generated")?;
        let default_expr: Option<String> = get(row, "columns", "default_expr")?;

        let ty = match (type_kind.as_deref(), type_name) {
            (Some("e"), Some(enum_name)) => ColumnType::Enum(enum_name),
            _ => parse_type(&data_type),
        };
        let auto_increment = match identity.as_deref() {
            Some("a") => Some(AutoIncrement::IdentityAlways),
            Some("d") => Some(AutoIncrement::IdentityByDefault),
            _ => None,
        };
        let default = match (&default_expr, generated.as_deref()) {
            // A generated column's expression is not a default, and the model has
            // no generated columns: the column reads as a plain one.
            (Some(_), Some("s")) => None,
            (Some(expr), _) => {
                raw_defaults.insert((table_name.clone(), name.clone()), expr.clone());
                parse_default(expr)
            }
            (None, _) => None,
        };
        table.columns.push(Column {
            name,
            ty,
            nullable: !not_null,
            default,
            auto_increment,
        });
    }

    for row in &sequence_rows {
        let name: String = get(row, "sequences", "sequence_name")?;
        let start: i64 = get(row, "sequences", "start_value")?;
        let increment: i64 = get(row, "sequences", "increment")?;
        let dependency: Option<String> = get(row, "sequences", "dependency")?;
        let owner_table: Option<String> = get(row, "sequences", "owner_table")?;
        let owner_column: Option<String> = get(row, "sequences", "owner_column")?;
        match (dependency.as_deref(), owner_table, owner_column) {
            // An identity column's own sequence: the column says it all.
            (Some("i"), _, _) => continue,
            (Some("a"), Some(t), Some(c)) => {
                if ignored.contains(&t) {
                    continue;
                }
                let is_serial_default = raw_defaults
                    .get(&(t.clone(), c.clone()))
                    .is_some_and(|d| nextval_sequence(d).as_deref() == Some(name.as_str()));
                if is_serial_default
                    && let Some(col) = schema.table_mut(&t).and_then(|tb| tb.column_mut(&c))
                {
                    col.auto_increment = Some(AutoIncrement::Serial);
                    col.default = None;
                    continue;
                }
            }
            _ => {}
        }
        schema.sequences.insert(
            name.clone(),
            Sequence {
                name,
                start,
                increment,
            },
        );
    }

    for row in &constraint_rows {
        let table_name: String = get(row, "constraints", "table_name")?;
        if ignored.contains(&table_name) {
            continue;
        }
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = get(row, "constraints", "name")?;
        let kind: String = get(row, "constraints", "kind")?;
        let columns: Vec<String> = get(row, "constraints", "columns")?;
        match kind.as_str() {
            "p" => table.primary_key = Some(PrimaryKey { name, columns }),
            "u" => {
                table
                    .uniques
                    .insert(name.clone(), UniqueConstraint { name, columns });
            }
            "f" => {
                let ref_table: Option<String> = get(row, "constraints", "ref_table")?;
                let ref_columns: Vec<String> = get(row, "constraints", "ref_columns")?;
                let on_delete: Option<String> = get(row, "constraints", "on_delete")?;
                let on_update: Option<String> = get(row, "constraints", "on_update")?;
                let ref_table = ref_table.ok_or_else(|| IntrospectError::Unreadable {
                    table: table_name.clone(),
                    detail: format!("foreign key `{name}` references no table"),
                })?;
                table.foreign_keys.insert(
                    name.clone(),
                    ForeignKey {
                        name,
                        columns,
                        ref_table,
                        ref_columns,
                        on_delete: fk_action(on_delete.as_deref()),
                        on_update: fk_action(on_update.as_deref()),
                    },
                );
            }
            "c" => {
                let definition: String = get(row, "constraints", "definition")?;
                table.checks.insert(
                    name.clone(),
                    CheckConstraint {
                        name,
                        expression: strip_literal_casts(&check_expression(&definition)),
                    },
                );
            }
            _ => {}
        }
    }

    for row in &index_rows {
        let table_name: String = get(row, "indexes", "table_name")?;
        if ignored.contains(&table_name) {
            continue;
        }
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = get(row, "indexes", "index_name")?;
        let unique: bool = get(row, "indexes", "is_unique")?;
        let method: String = get(row, "indexes", "method")?;
        let predicate: Option<String> = get(row, "indexes", "predicate")?;
        let columns: Vec<String> = get(row, "indexes", "columns")?;
        table.indexes.insert(
            name.clone(),
            Index {
                name,
                columns,
                unique,
                method: Some(method),
                predicate: predicate.as_deref().map(strip_literal_casts),
            },
        );
    }

    Ok(schema)
}

/// `confdeltype` / `confupdtype` codes.
fn fk_action(code: Option<&str>) -> FkAction {
    match code {
        Some("r") => FkAction::Restrict,
        Some("c") => FkAction::Cascade,
        Some("n") => FkAction::SetNull,
        Some("d") => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// The expression of `CHECK (expr) [NO INHERIT] [NOT VALID]` as printed by
/// `pg_get_constraintdef`.
pub(crate) fn check_expression(definition: &str) -> String {
    let mut s = definition.trim();
    for suffix in [" NOT VALID", " NO INHERIT"] {
        s = s.strip_suffix(suffix).unwrap_or(s).trim_end();
    }
    s.strip_prefix("CHECK").unwrap_or(s).trim().to_string()
}

/// Maps `format_type` output to a portable type; anything unknown is kept as
/// [`ColumnType::Custom`].
pub(crate) fn parse_type(formatted: &str) -> ColumnType {
    let s = formatted.trim();
    let simple = match s {
        "smallint" => Some(ColumnType::SmallInt),
        "integer" => Some(ColumnType::Integer),
        "bigint" => Some(ColumnType::BigInt),
        "real" => Some(ColumnType::Real),
        "double precision" => Some(ColumnType::Double),
        "numeric" => Some(ColumnType::Numeric {
            precision: None,
            scale: None,
        }),
        "text" => Some(ColumnType::Text),
        "character varying" => Some(ColumnType::Varchar(None)),
        "boolean" => Some(ColumnType::Boolean),
        "date" => Some(ColumnType::Date),
        "time without time zone" => Some(ColumnType::Time),
        "timestamp without time zone" => Some(ColumnType::Timestamp { tz: false }),
        "timestamp with time zone" => Some(ColumnType::Timestamp { tz: true }),
        "uuid" => Some(ColumnType::Uuid),
        "json" => Some(ColumnType::Json),
        "jsonb" => Some(ColumnType::Jsonb),
        "bytea" => Some(ColumnType::Bytes),
        _ => None,
    };
    if let Some(t) = simple {
        return t;
    }
    if let Some(args) = type_args(s, "character varying")
        && let [n] = args[..]
    {
        return ColumnType::Varchar(Some(n));
    }
    if let Some(args) = type_args(s, "numeric") {
        match args[..] {
            [p] => {
                return ColumnType::Numeric {
                    precision: Some(p),
                    scale: None,
                };
            }
            [p, sc] => {
                return ColumnType::Numeric {
                    precision: Some(p),
                    scale: Some(sc),
                };
            }
            _ => {}
        }
    }
    ColumnType::Custom(s.to_string())
}

/// The integer arguments of `name(a, b)`, if `s` has that form.
fn type_args(s: &str, name: &str) -> Option<Vec<u32>> {
    let inner = s
        .strip_prefix(name)?
        .trim()
        .strip_prefix('(')?
        .strip_suffix(')')?;
    inner.split(',').map(|a| a.trim().parse().ok()).collect()
}

/// The sequence named by a default of the form `nextval('seq'::regclass)`.
pub(crate) fn nextval_sequence(default: &str) -> Option<String> {
    let inner = default
        .trim()
        .strip_prefix("nextval(")?
        .strip_suffix(')')?
        .trim();
    let inner = inner.strip_suffix("::regclass").unwrap_or(inner);
    let (literal, rest) = parse_string_literal(inner)?;
    if !rest.trim().is_empty() {
        return None;
    }
    split_qualified_name(&literal).pop()
}

const NUMERIC_CASTS: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "real",
    "double precision",
];

/// Maps a default as `pg_get_expr` prints it to a portable default.
pub(crate) fn parse_default(expr: &str) -> Option<DefaultValue> {
    let s = expr.trim();
    if s.eq_ignore_ascii_case("null") || s.starts_with("NULL::") {
        return None;
    }
    match s {
        "true" => return Some(DefaultValue::Bool(true)),
        "false" => return Some(DefaultValue::Bool(false)),
        "now()" | "CURRENT_TIMESTAMP" => return Some(DefaultValue::Now),
        "gen_random_uuid()" => return Some(DefaultValue::RandomUuid),
        _ => {}
    }
    if let Some(n) = number(s) {
        return Some(n);
    }
    // A literal with a cast: `'x'::character varying`, `'PLANNED'::status`,
    // `'-1'::integer` (negative numbers are printed this way).
    if let Some((literal, rest)) = parse_string_literal(s)
        && let Some(cast) = rest.trim().strip_prefix("::")
    {
        let cast = cast.trim();
        if !cast.contains("::") && is_type_name(cast) {
            if NUMERIC_CASTS.contains(&cast)
                && let Some(n) = number(&literal)
            {
                return Some(n);
            }
            return Some(DefaultValue::Text(literal));
        }
    }
    Some(DefaultValue::Expr(s.to_string()))
}

/// Whether `s` is a (possibly multi-word or parameterized) type name as
/// `format_type` prints it, e.g. `character varying` or `timestamp(3) with time zone`.
fn is_type_name(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '_' | '(' | ')' | ',' | '"' | '.' | '[' | ']')
    })
}

/// Type names of more than one word, as PostgreSQL prints them in casts.
const MULTI_WORD_TYPES: &[&[&str]] = &[
    &["character", "varying"],
    &["double", "precision"],
    &["timestamp", "without", "time", "zone"],
    &["timestamp", "with", "time", "zone"],
    &["time", "without", "time", "zone"],
    &["time", "with", "time", "zone"],
    &["bit", "varying"],
];

/// Removes the casts PostgreSQL adds to literals when it prints a stored
/// expression, so that a check or predicate reads back as it was written:
/// `(0)::numeric` and `'-1'::integer` become `0` and `-1`, `'x'::text` becomes
/// `'x'`. A literal means the same without the cast, because PostgreSQL coerces it
/// to the type its context requires. Casts of anything but a literal, and casts to
/// array types, are kept.
pub(crate) fn strip_literal_casts(expr: &str) -> String {
    let Some(tokens) = tokenize_spans_pg(expr) else {
        return expr.to_string();
    };
    let mut out = String::new();
    let mut last = 0;
    let mut i = 0;
    while i < tokens.len() {
        let (tok, span) = &tokens[i];
        if let Some((replacement, end, consumed)) = literal_cast(expr, &tokens[i..]) {
            out.push_str(&expr[last..span.start]);
            out.push_str(&replacement);
            last = end;
            i += consumed;
            continue;
        }
        if let Some(inner) = tok.group_inner() {
            out.push_str(&expr[last..span.start]);
            out.push('(');
            out.push_str(&strip_literal_casts(inner));
            out.push(')');
            last = span.end;
        }
        i += 1;
    }
    out.push_str(&expr[last..]);
    out
}

/// If `tokens` starts with `literal::type`, the literal without the cast, the byte
/// offset where the cast ends, and the number of tokens it spans.
fn literal_cast(
    expr: &str,
    tokens: &[(Token, std::ops::Range<usize>)],
) -> Option<(String, usize, usize)> {
    let (first, first_span) = tokens.first()?;
    let (Token::Punct(':'), c1) = tokens.get(1)? else {
        return None;
    };
    let (Token::Punct(':'), c2) = tokens.get(2)? else {
        return None;
    };
    if c1.start != first_span.end || c2.start != c1.end {
        return None;
    }
    let words: Vec<String> = tokens[3..]
        .iter()
        .map_while(|(t, _)| match t {
            Token::Word(w) => Some(w.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let type_len = MULTI_WORD_TYPES
        .iter()
        .find(|m| words.len() >= m.len() && words.iter().zip(m.iter()).all(|(w, t)| w == t))
        .map(|m| m.len())
        .or_else(|| match tokens.get(3) {
            Some((Token::Word(_) | Token::Quoted(_), _)) => Some(1),
            _ => None,
        })?;
    let mut end_index = 3 + type_len;
    // A type modifier such as `(10)` belongs to the type.
    if let Some((Token::Group(_), _)) = tokens.get(end_index) {
        end_index += 1;
    }
    if let Some((Token::Punct('['), _)) = tokens.get(end_index) {
        return None;
    }
    let end = tokens[end_index - 1].1.end;
    let type_name = words[..type_len.min(words.len())].join(" ");
    let numeric_type = NUMERIC_CASTS.contains(&type_name.as_str());
    let replacement = match first {
        Token::Str(raw) => {
            let (value, _) = parse_string_literal(raw)?;
            match number(&value) {
                Some(_) if numeric_type => value,
                _ => raw.clone(),
            }
        }
        Token::Group(_) | Token::Word(_) if numeric_type => {
            let text = first
                .group_inner()
                .unwrap_or(&expr[first_span.clone()])
                .trim();
            number(text)?;
            text.to_string()
        }
        _ => return None,
    };
    Some((replacement, end, end_index))
}

/// An integer or decimal literal.
fn number(s: &str) -> Option<DefaultValue> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() {
        return None;
    }
    if digits.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok().map(DefaultValue::Int);
    }
    let (int, frac) = digits.split_once('.')?;
    let ok = !int.is_empty()
        && !frac.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit());
    ok.then(|| DefaultValue::Decimal(s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_formatted_types() {
        assert_eq!(
            parse_type("character varying(255)"),
            ColumnType::Varchar(Some(255))
        );
        assert_eq!(parse_type("character varying"), ColumnType::Varchar(None));
        assert_eq!(
            parse_type("timestamp without time zone"),
            ColumnType::Timestamp { tz: false }
        );
        assert_eq!(
            parse_type("timestamp with time zone"),
            ColumnType::Timestamp { tz: true }
        );
        assert_eq!(parse_type("double precision"), ColumnType::Double);
        assert_eq!(
            parse_type("numeric(12,4)"),
            ColumnType::Numeric {
                precision: Some(12),
                scale: Some(4)
            }
        );
        assert_eq!(parse_type("bytea"), ColumnType::Bytes);
        assert_eq!(
            parse_type("integer[]"),
            ColumnType::Custom("integer[]".into())
        );
        assert_eq!(
            parse_type("character(3)"),
            ColumnType::Custom("character(3)".into())
        );
    }

    #[test]
    fn maps_defaults() {
        use DefaultValue::*;
        assert_eq!(
            parse_default("'Unknown'::character varying"),
            Some(Text("Unknown".into()))
        );
        assert_eq!(
            parse_default("''::character varying"),
            Some(Text(String::new()))
        );
        assert_eq!(
            parse_default("'PLANNED'::acquisitionstatus"),
            Some(Text("PLANNED".into()))
        );
        assert_eq!(parse_default("'it''s'::text"), Some(Text("it's".into())));
        assert_eq!(parse_default("now()"), Some(Now));
        assert_eq!(parse_default("CURRENT_TIMESTAMP"), Some(Now));
        assert_eq!(parse_default("gen_random_uuid()"), Some(RandomUuid));
        assert_eq!(parse_default("false"), Some(Bool(false)));
        assert_eq!(parse_default("true"), Some(Bool(true)));
        assert_eq!(parse_default("3"), Some(Int(3)));
        assert_eq!(parse_default("'-1'::integer"), Some(Int(-1)));
        assert_eq!(parse_default("0.5"), Some(Decimal("0.5".into())));
        assert_eq!(
            parse_default("'-2.25'::numeric"),
            Some(Decimal("-2.25".into()))
        );
        assert_eq!(parse_default("'7'::text"), Some(Text("7".into())));
        assert_eq!(parse_default("NULL::character varying"), None);
        assert_eq!(parse_default("NULL"), None);
        assert_eq!(
            parse_default("timezone('utc'::text, now())"),
            Some(Expr("timezone('utc'::text, now())".into()))
        );
        assert_eq!(
            parse_default("('a'::text || 'b'::text)"),
            Some(Expr("('a'::text || 'b'::text)".into()))
        );
    }

    #[test]
    fn finds_the_sequence_of_a_nextval_default() {
        assert_eq!(
            nextval_sequence("nextval('agentlog_id_seq'::regclass)").as_deref(),
            Some("agentlog_id_seq")
        );
        assert_eq!(
            nextval_sequence(r#"nextval('"Odd ""seq"""'::regclass)"#).as_deref(),
            Some(r#"Odd "seq""#)
        );
        assert_eq!(
            nextval_sequence("nextval('other.s'::regclass)").as_deref(),
            Some("s")
        );
        assert_eq!(nextval_sequence("now()"), None);
    }

    #[test]
    fn strips_casts_from_literals_only() {
        assert_eq!(strip_literal_casts("(price > (0)::numeric)"), "(price > 0)");
        assert_eq!(strip_literal_casts("qty > '-1'::integer"), "qty > -1");
        assert_eq!(strip_literal_casts("note <> ''::text"), "note <> ''");
        assert_eq!(
            strip_literal_casts(
                "((s)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"
            ),
            "((s)::text = ANY ((ARRAY['a', 'b'])::text[]))"
        );
        assert_eq!(
            strip_literal_casts("at > '2020-01-01 00:00:00'::timestamp without time zone"),
            "at > '2020-01-01 00:00:00'"
        );
        assert_eq!(strip_literal_casts("'7'::text = code"), "'7' = code");
        assert_eq!(
            strip_literal_casts("x = '{1}'::integer[]"),
            "x = '{1}'::integer[]"
        );
        assert_eq!(
            strip_literal_casts("lower((code)::text)"),
            "lower((code)::text)"
        );
    }

    #[test]
    fn strips_check_definitions() {
        assert_eq!(check_expression("CHECK ((qty > 0))"), "((qty > 0))");
        assert_eq!(
            check_expression("CHECK ((qty > 0)) NOT VALID"),
            "((qty > 0))"
        );
    }
}

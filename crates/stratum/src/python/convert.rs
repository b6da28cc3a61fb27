//! The exporter's JSON, mapped to the engine's schema model the way a Rust model
//! of the same tables would declare it: SQLAlchemy's `String` is `varchar`, `Float`
//! is double precision, an integer primary key it would make `SERIAL` is
//! autoincrement, unnamed constraints get PostgreSQL's default names.

use super::PythonError;
use serde::Deserialize;
use stratum_core::diff::canonical_default;
use stratum_core::naming;
use stratum_core::schema::{
    AutoIncrement, CheckConstraint, Column, ColumnType, DefaultValue, EnumType, FkAction,
    ForeignKey, Index, PrimaryKey, Schema, Table, UniqueConstraint,
};

#[derive(Deserialize)]
struct Doc {
    schema: Option<JsonSchema>,
    error: Option<JsonError>,
}

#[derive(Deserialize)]
struct JsonError {
    kind: String,
    message: String,
    module: Option<String>,
}

#[derive(Deserialize)]
struct JsonSchema {
    tables: Vec<JsonTable>,
}

#[derive(Deserialize)]
struct JsonTable {
    name: String,
    schema: Option<String>,
    columns: Vec<JsonColumn>,
    primary_key: Option<JsonKey>,
    foreign_keys: Vec<JsonForeignKey>,
    uniques: Vec<JsonKey>,
    checks: Vec<JsonCheck>,
    indexes: Vec<JsonIndex>,
}

#[derive(Deserialize)]
struct JsonColumn {
    name: String,
    #[serde(rename = "type")]
    ty: JsonType,
    nullable: bool,
    server_default: Option<JsonDefault>,
    autoincrement: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum JsonType {
    Smallint,
    Integer,
    Bigint,
    Real,
    Double,
    Numeric {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    Text,
    String {
        length: Option<u32>,
    },
    Boolean,
    Date,
    Time {
        timezone: bool,
    },
    Timestamp {
        timezone: bool,
    },
    Interval,
    Uuid,
    Json,
    Jsonb,
    Bytes,
    Enum {
        name: Option<String>,
        values: Vec<String>,
    },
    Array {
        item: Box<JsonType>,
    },
    Unmapped {
        python: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum JsonDefault {
    /// `server_default="text"`: SQLAlchemy quotes it as a string literal.
    Literal(String),
    /// A SQL expression, as the PostgreSQL dialect compiles it.
    Sql(String),
    /// A computed (generated) column's expression.
    Computed(String),
}

#[derive(Deserialize)]
struct JsonKey {
    name: Option<String>,
    columns: Vec<String>,
}

#[derive(Deserialize)]
struct JsonForeignKey {
    name: Option<String>,
    columns: Vec<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    on_delete: String,
    on_update: String,
}

#[derive(Deserialize)]
struct JsonCheck {
    name: Option<String>,
    expression: String,
    column: Option<String>,
}

#[derive(Deserialize)]
struct JsonIndex {
    name: Option<String>,
    columns: Vec<String>,
    unique: bool,
    method: Option<String>,
    predicate: Option<String>,
}

/// Maps the exporter's JSON document to a schema; an `{"error": ..}` document
/// becomes the matching [`PythonError`] (`python` and `module` name what ran).
pub fn schema_from_json(json: &str, python: &str, module: &str) -> Result<Schema, PythonError> {
    let doc: Doc = serde_json::from_str(json).map_err(|e| PythonError::BadOutput(e.to_string()))?;
    if let Some(e) = doc.error {
        return Err(match e.kind.as_str() {
            "sqlalchemy" => PythonError::NoSqlAlchemy {
                python: python.to_string(),
                message: e.message,
            },
            "import" => PythonError::Import {
                module: e.module.unwrap_or_else(|| module.to_string()),
                message: e.message,
            },
            "attribute" => PythonError::Attribute { message: e.message },
            "not_metadata" => PythonError::NotMetadata { message: e.message },
            _ => PythonError::Unsupported(e.message),
        });
    }
    let Some(exported) = doc.schema else {
        return Err(PythonError::BadOutput(
            "neither a schema nor an error".into(),
        ));
    };
    let mut schema = Schema::new();
    for t in exported.tables {
        let table = table(t, &mut schema)?;
        schema.insert_table(table);
    }
    Ok(schema)
}

fn table(t: JsonTable, schema: &mut Schema) -> Result<Table, PythonError> {
    if let Some(s) = t.schema.as_deref().filter(|s| *s != "public") {
        return Err(PythonError::Unsupported(format!(
            "table {} is in the database schema `{s}`; stratum compares the default schema only",
            t.name
        )));
    }
    let mut table = Table::new(&t.name);
    for c in t.columns {
        let ty = column_type(&c.ty, &t.name, &c.name, schema)?;
        let default = match c.server_default {
            None => None,
            Some(JsonDefault::Literal(v)) => Some(literal_default(&ty, v)),
            Some(JsonDefault::Sql(sql)) => canonical_default(Some(&DefaultValue::Expr(sql))),
            Some(JsonDefault::Computed(expr)) => {
                return Err(PythonError::Unsupported(format!(
                    "column {}.{} is computed (GENERATED ALWAYS AS ({expr})), which \
                     stratum's schema model does not hold",
                    t.name, c.name
                )));
            }
        };
        let auto_increment = match c.autoincrement.as_deref() {
            None => None,
            Some("serial") => Some(AutoIncrement::Serial),
            Some("identity_by_default") => Some(AutoIncrement::IdentityByDefault),
            Some("identity_always") => Some(AutoIncrement::IdentityAlways),
            Some(other) => {
                return Err(PythonError::BadOutput(format!(
                    "unknown autoincrement `{other}` for {}.{}",
                    t.name, c.name
                )));
            }
        };
        table.columns.push(Column {
            name: c.name,
            ty,
            nullable: c.nullable,
            default,
            auto_increment,
        });
    }
    if let Some(pk) = t.primary_key {
        table.primary_key = Some(PrimaryKey {
            name: pk.name.unwrap_or_else(|| naming::primary_key(&t.name)),
            columns: pk.columns,
        });
    }
    for fk in t.foreign_keys {
        let name = fk
            .name
            .unwrap_or_else(|| naming::foreign_key(&t.name, &fk.columns));
        let fk = ForeignKey {
            name: name.clone(),
            on_delete: action(&fk.on_delete, &t.name, &name)?,
            on_update: action(&fk.on_update, &t.name, &name)?,
            columns: fk.columns,
            ref_table: fk.ref_table,
            ref_columns: fk.ref_columns,
        };
        table.foreign_keys.insert(name, fk);
    }
    for u in t.uniques {
        let name = u
            .name
            .unwrap_or_else(|| naming::unique(&t.name, &u.columns));
        table.uniques.insert(
            name.clone(),
            UniqueConstraint {
                name,
                columns: u.columns,
            },
        );
    }
    let mut unnamed = 0;
    for c in t.checks {
        // PostgreSQL names an unnamed check after its table and its column, or
        // `<table>_check`, `<table>_check1`, ... (a table-level check on one column
        // is named after it too: name those explicitly).
        let name = c.name.unwrap_or_else(|| match &c.column {
            Some(col) => format!("{}_{col}_check", t.name),
            None => {
                unnamed += 1;
                match unnamed {
                    1 => format!("{}_check", t.name),
                    n => format!("{}_check{}", t.name, n - 1),
                }
            }
        });
        table.checks.insert(
            name.clone(),
            CheckConstraint {
                name,
                expression: c.expression,
            },
        );
    }
    for i in t.indexes {
        let name = i.name.unwrap_or_else(|| naming::index(&t.name, &i.columns));
        table.indexes.insert(
            name.clone(),
            Index {
                name,
                columns: i.columns,
                unique: i.unique,
                method: i.method,
                predicate: i.predicate,
            },
        );
    }
    Ok(table)
}

fn column_type(
    ty: &JsonType,
    table: &str,
    column: &str,
    schema: &mut Schema,
) -> Result<ColumnType, PythonError> {
    Ok(match ty {
        JsonType::Smallint => ColumnType::SmallInt,
        JsonType::Integer => ColumnType::Integer,
        JsonType::Bigint => ColumnType::BigInt,
        JsonType::Real => ColumnType::Real,
        JsonType::Double => ColumnType::Double,
        JsonType::Numeric { precision, scale } => ColumnType::Numeric {
            precision: *precision,
            scale: *scale,
        },
        JsonType::Text => ColumnType::Text,
        JsonType::String { length } => ColumnType::Varchar(*length),
        JsonType::Boolean => ColumnType::Boolean,
        JsonType::Date => ColumnType::Date,
        JsonType::Time { timezone: false } => ColumnType::Time,
        JsonType::Time { timezone: true } => ColumnType::Custom("time with time zone".into()),
        JsonType::Timestamp { timezone } => ColumnType::Timestamp { tz: *timezone },
        JsonType::Interval => ColumnType::Custom("interval".into()),
        JsonType::Uuid => ColumnType::Uuid,
        JsonType::Json => ColumnType::Json,
        JsonType::Jsonb => ColumnType::Jsonb,
        JsonType::Bytes => ColumnType::Bytes,
        JsonType::Enum { name, values } => {
            let Some(name) = name else {
                return Err(PythonError::Unsupported(format!(
                    "the enum of column {table}.{column} has no type name: give it one, \
                     e.g. Enum(..., name=\"{column}\")"
                )));
            };
            if let Some(known) = schema.enums.get(name)
                && &known.values != values
            {
                return Err(PythonError::Unsupported(format!(
                    "the enum type {name} of column {table}.{column} has the labels ({}), \
                     but another column declares it with ({})",
                    values.join(", "),
                    known.values.join(", ")
                )));
            }
            schema.insert_enum(EnumType {
                name: name.clone(),
                values: values.clone(),
            });
            ColumnType::Enum(name.clone())
        }
        JsonType::Array { item } => {
            let item = column_type(item, table, column, schema)?;
            ColumnType::Custom(format!("{}[]", postgres_spelling(&item)))
        }
        JsonType::Unmapped { python } => {
            return Err(PythonError::UnmappedType {
                table: table.to_string(),
                column: column.to_string(),
                python_type: python.clone(),
            });
        }
    })
}

/// A type as PostgreSQL's `format_type` prints it, so that an array type compares
/// equal to the one read back from a database (`character varying(20)[]`).
fn postgres_spelling(ty: &ColumnType) -> String {
    match ty {
        ColumnType::Numeric {
            precision: Some(p),
            scale,
        } => format!("numeric({p},{})", scale.unwrap_or(0)),
        ColumnType::Varchar(Some(n)) => format!("character varying({n})"),
        ColumnType::Varchar(None) => "character varying".into(),
        ColumnType::Time => "time without time zone".into(),
        ColumnType::Timestamp { tz: false } => "timestamp without time zone".into(),
        ColumnType::Timestamp { tz: true } => "timestamp with time zone".into(),
        ColumnType::Bytes => "bytea".into(),
        ColumnType::Enum(name) => name.clone(),
        other => other.to_string(),
    }
}

/// `server_default="..."` is a string literal to SQLAlchemy; the database reads
/// it as a value of the column's type, so `"0"` on an integer column is `0`.
fn literal_default(ty: &ColumnType, value: String) -> DefaultValue {
    let number = || {
        let digits = value.strip_prefix('-').unwrap_or(&value);
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            value.parse().ok().map(DefaultValue::Int)
        } else if let Some((a, b)) = digits.split_once('.')
            && !a.is_empty()
            && !b.is_empty()
            && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
        {
            Some(DefaultValue::Decimal(value.clone()))
        } else {
            None
        }
    };
    match ty {
        ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::Double
        | ColumnType::Numeric { .. } => number(),
        ColumnType::Boolean => match value.to_ascii_lowercase().as_str() {
            "true" | "t" | "1" | "yes" | "on" => Some(DefaultValue::Bool(true)),
            "false" | "f" | "0" | "no" | "off" => Some(DefaultValue::Bool(false)),
            _ => None,
        },
        _ => None,
    }
    .unwrap_or(DefaultValue::Text(value))
}

fn action(spelled: &str, table: &str, fk: &str) -> Result<FkAction, PythonError> {
    Ok(
        match spelled
            .trim()
            .to_ascii_uppercase()
            .split_whitespace()
            .collect::<Vec<_>>()[..]
        {
            ["NO", "ACTION"] => FkAction::NoAction,
            ["RESTRICT"] => FkAction::Restrict,
            ["CASCADE"] => FkAction::Cascade,
            ["SET", "NULL"] => FkAction::SetNull,
            ["SET", "DEFAULT"] => FkAction::SetDefault,
            _ => {
                return Err(PythonError::Unsupported(format!(
                    "foreign key {fk} on {table} has the action `{spelled}`; use CASCADE, \
                     SET NULL, SET DEFAULT, RESTRICT or NO ACTION"
                )));
            }
        },
    )
}

#[cfg(test)]
mod tests;

//! The SmartEM models declare exactly the production schema
//! (`reference-schema.sql`) plus `user_preferences` and the two indexes of revision
//! `002`.
//!
//! The reference is read with a small parser of `pg_dump --schema-only` output
//! (enough for that file's regular layout) into the schema model, and compared with
//! `target_schema()` object by object. On PostgreSQL, the reference is also loaded
//! into a fresh database and introspected: the introspected reference must equal the
//! parsed one, and with the extras of `001` and `002` applied it must equal
//! `target_schema()`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use smartem::model::{models, target_schema};
use stratum::db::Connection;
use stratum::introspect::introspect;
use stratum::schema::{
    AutoIncrement, Column, ColumnType, DefaultValue, EnumType, FkAction, ForeignKey, Index,
    PrimaryKey, Schema, Table, UniqueConstraint,
};
use stratum_testkit::TestDb;

/// `$STRATUM_SHARED_DIR`, else the `shared` directory beside the workspace (or the
/// nearest one above it).
fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("STRATUM_SHARED_DIR") {
        return PathBuf::from(dir);
    }
    let default = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if default.join("smartem/reference-schema.sql").is_file() {
        return default;
    }
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared"))
        .find(|d| d.join("smartem/reference-schema.sql").is_file())
        .unwrap_or(default)
}

fn reference_sql() -> String {
    let path = shared_dir().join("smartem/reference-schema.sql");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (set STRATUM_SHARED_DIR)",
            path.display()
        )
    })
}

/// Splits `a, b` / `(a, b)` into unquoted identifiers.
fn ident_list(s: &str) -> Vec<String> {
    s.trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(|p| p.trim().trim_matches('"').to_string())
        .collect()
}

fn parse_type(spelling: &str, enums: &BTreeMap<String, EnumType>) -> ColumnType {
    let s = spelling.trim();
    match s {
        "character varying" => ColumnType::Varchar(None),
        "text" => ColumnType::Text,
        "integer" => ColumnType::Integer,
        "bigint" => ColumnType::BigInt,
        "smallint" => ColumnType::SmallInt,
        "double precision" => ColumnType::Double,
        "real" => ColumnType::Real,
        "boolean" => ColumnType::Boolean,
        "jsonb" => ColumnType::Jsonb,
        "json" => ColumnType::Json,
        "uuid" => ColumnType::Uuid,
        "date" => ColumnType::Date,
        "timestamp without time zone" => ColumnType::Timestamp { tz: false },
        "timestamp with time zone" => ColumnType::Timestamp { tz: true },
        _ => {
            if let Some(n) = s
                .strip_prefix("character varying(")
                .and_then(|r| r.strip_suffix(')'))
            {
                ColumnType::Varchar(Some(n.parse().expect("varchar length")))
            } else if enums.contains_key(s) {
                ColumnType::Enum(s.to_string())
            } else {
                panic!("type `{s}` of the reference is not known to this parser")
            }
        }
    }
}

fn parse_default(spelling: &str) -> DefaultValue {
    let s = spelling.trim();
    match s {
        "now()" => DefaultValue::Now,
        "gen_random_uuid()" => DefaultValue::RandomUuid,
        "true" => DefaultValue::Bool(true),
        "false" => DefaultValue::Bool(false),
        _ => {
            if let Ok(i) = s.parse::<i64>() {
                DefaultValue::Int(i)
            } else if let Some(rest) = s.strip_prefix('\'') {
                let end = rest.rfind("'::").expect("a cast literal such as 'x'::type");
                DefaultValue::Text(rest[..end].replace("''", "'"))
            } else {
                panic!("default `{s}` of the reference is not known to this parser")
            }
        }
    }
}

fn fk_action(words: &str) -> FkAction {
    match words.trim() {
        "CASCADE" => FkAction::Cascade,
        "SET NULL" => FkAction::SetNull,
        "SET DEFAULT" => FkAction::SetDefault,
        "RESTRICT" => FkAction::Restrict,
        "NO ACTION" => FkAction::NoAction,
        other => panic!("foreign-key action `{other}` is not known to this parser"),
    }
}

/// Reads the statements of a `pg_dump --schema-only` file into the schema model.
fn parse_reference(sql: &str) -> Schema {
    let mut schema = Schema::new();
    let statements: Vec<String> = sql
        .split(";\n")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    for stmt in &statements {
        let flat = stmt.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(rest) = flat.strip_prefix("CREATE TYPE ") {
            let (name, body) = rest.split_once(" AS ENUM ").expect("enum body");
            let values = body
                .trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .split(',')
                .map(|v| v.trim().trim_matches('\'').to_string())
                .collect();
            schema.insert_enum(EnumType {
                name: name.to_string(),
                values,
            });
        } else if stmt.starts_with("CREATE TABLE ") {
            let mut lines = stmt.lines();
            let head = lines.next().expect("header line");
            let name = head
                .trim_start_matches("CREATE TABLE ")
                .trim_end_matches(" (")
                .trim();
            let mut table = Table::new(name);
            for line in lines {
                let line = line.trim().trim_end_matches(',');
                if line == ")" || line.is_empty() {
                    continue;
                }
                let (col_name, rest) = if let Some(q) = line.strip_prefix('"') {
                    let end = q.find('"').expect("closing quote");
                    (&q[..end], &q[end + 1..])
                } else {
                    line.split_once(' ').expect("column name and type")
                };
                let (rest, nullable) = match rest.trim().strip_suffix(" NOT NULL") {
                    Some(r) => (r, false),
                    None => (rest.trim(), true),
                };
                let (ty, default) = match rest.split_once(" DEFAULT ") {
                    Some((t, d)) => (t, Some(parse_default(d))),
                    None => (rest, None),
                };
                table.columns.push(Column {
                    name: col_name.to_string(),
                    ty: parse_type(ty, &schema.enums),
                    nullable,
                    default,
                    auto_increment: None,
                });
            }
            schema.insert_table(table);
        } else if let Some(rest) = flat.strip_prefix("ALTER TABLE ONLY ") {
            let (table_name, rest) = rest.split_once(' ').expect("table name");
            let table = schema.table_mut(table_name).expect("table created earlier");
            if let Some(rest) = rest.strip_prefix("ALTER COLUMN ") {
                let (col, rest) = rest.split_once(' ').expect("column name");
                assert!(
                    rest.starts_with("SET DEFAULT nextval("),
                    "unexpected ALTER COLUMN: {flat}"
                );
                let col = table.column_mut(col).expect("column");
                col.auto_increment = Some(AutoIncrement::Serial);
            } else if let Some(rest) = rest.strip_prefix("ADD CONSTRAINT ") {
                let (cname, rest) = rest.split_once(' ').expect("constraint name");
                if let Some(cols) = rest.strip_prefix("PRIMARY KEY ") {
                    table.primary_key = Some(PrimaryKey {
                        name: cname.to_string(),
                        columns: ident_list(cols),
                    });
                } else if let Some(rest) = rest.strip_prefix("FOREIGN KEY ") {
                    let (cols, rest) = rest.split_once(" REFERENCES ").expect("REFERENCES");
                    let (target, actions) = match rest.split_once(')') {
                        Some((t, a)) => (t, a.trim()),
                        None => panic!("referenced columns in {flat}"),
                    };
                    let (ref_table, ref_cols) = target.split_once('(').expect("ref columns");
                    let mut on_delete = FkAction::NoAction;
                    let mut on_update = FkAction::NoAction;
                    let mut rest = actions;
                    while !rest.is_empty() {
                        let (which, tail) = if let Some(t) = rest.strip_prefix("ON DELETE ") {
                            (&mut on_delete, t)
                        } else if let Some(t) = rest.strip_prefix("ON UPDATE ") {
                            (&mut on_update, t)
                        } else {
                            panic!("unexpected foreign-key clause `{rest}` in {flat}")
                        };
                        let end = tail.find(" ON ").unwrap_or(tail.len());
                        *which = fk_action(&tail[..end]);
                        rest = tail[end..].trim();
                    }
                    table.foreign_keys.insert(
                        cname.to_string(),
                        ForeignKey {
                            name: cname.to_string(),
                            columns: ident_list(cols),
                            ref_table: ref_table.trim().to_string(),
                            ref_columns: ident_list(ref_cols),
                            on_delete,
                            on_update,
                        },
                    );
                } else if let Some(cols) = rest.strip_prefix("UNIQUE ") {
                    table.uniques.insert(
                        cname.to_string(),
                        UniqueConstraint {
                            name: cname.to_string(),
                            columns: ident_list(cols),
                        },
                    );
                } else {
                    panic!("constraint kind not known to this parser: {flat}");
                }
            } else {
                panic!("ALTER TABLE form not known to this parser: {flat}");
            }
        } else if flat.starts_with("CREATE INDEX ") || flat.starts_with("CREATE UNIQUE INDEX ") {
            let unique = flat.starts_with("CREATE UNIQUE");
            let rest = flat.split_once("INDEX ").expect("INDEX").1;
            let (name, rest) = rest.split_once(" ON ").expect("ON");
            let (table_name, rest) = rest.split_once(" USING ").expect("USING");
            let (method, cols) = rest.split_once(' ').expect("method and columns");
            let table = schema.table_mut(table_name).expect("indexed table");
            table.indexes.insert(
                name.to_string(),
                Index {
                    name: name.to_string(),
                    columns: ident_list(cols),
                    unique,
                    method: Some(method.to_string()),
                    predicate: None,
                },
            );
        } else if flat.starts_with("CREATE SEQUENCE ") || flat.starts_with("ALTER SEQUENCE ") {
            // Owned sequences are the columns' autoincrement, read from the
            // `nextval` defaults above.
            assert!(
                flat.starts_with("CREATE SEQUENCE ") || flat.contains(" OWNED BY "),
                "standalone sequence not expected: {flat}"
            );
        } else {
            panic!("statement not known to this parser: {flat}");
        }
    }
    schema
}

/// What revisions `001` and `002` add on top of the reference.
fn add_chain_extras(schema: &mut Schema) {
    let mut prefs = Table::new("user_preferences");
    let col = |name: &str, ty: ColumnType, nullable: bool, default: Option<DefaultValue>| Column {
        name: name.into(),
        ty,
        nullable,
        default,
        auto_increment: None,
    };
    let mut id = col("id", ColumnType::Integer, false, None);
    id.auto_increment = Some(AutoIncrement::Serial);
    prefs.columns = vec![
        id,
        col("user_id", ColumnType::Varchar(None), false, None),
        col(
            "preference_key",
            ColumnType::Varchar(Some(255)),
            false,
            None,
        ),
        col("preference_value", ColumnType::Jsonb, true, None),
        col(
            "created_at",
            ColumnType::Timestamp { tz: false },
            false,
            Some(DefaultValue::Now),
        ),
        col(
            "updated_at",
            ColumnType::Timestamp { tz: false },
            false,
            Some(DefaultValue::Now),
        ),
    ];
    prefs.primary_key = Some(PrimaryKey {
        name: "user_preferences_pkey".into(),
        columns: vec!["id".into()],
    });
    prefs.uniques.insert(
        "uq_user_preference_key".into(),
        UniqueConstraint {
            name: "uq_user_preference_key".into(),
            columns: vec!["user_id".into(), "preference_key".into()],
        },
    );
    for (name, column) in [
        ("idx_user_preferences_user_id", "user_id"),
        ("idx_user_preferences_key", "preference_key"),
    ] {
        prefs.indexes.insert(
            name.into(),
            Index {
                name: name.into(),
                columns: vec![column.into()],
                unique: false,
                method: None,
                predicate: None,
            },
        );
    }
    schema.insert_table(prefs);
    for (table, name, cols) in [
        (
            "gridsquare",
            "idx_gridsquare_acquisition_datetime_status",
            &["acquisition_datetime", "status"][..],
        ),
        (
            "micrograph",
            "idx_micrograph_acquisition_datetime",
            &["acquisition_datetime"][..],
        ),
    ] {
        let t = schema.table_mut(table).expect("table of a 002 index");
        t.indexes.insert(
            name.into(),
            Index {
                name: name.into(),
                columns: cols.iter().map(|c| c.to_string()).collect(),
                unique: false,
                method: Some("btree".into()),
                predicate: None,
            },
        );
    }
}

/// A readable list of differences between two schemas (empty when equal).
fn differences(expected: &Schema, actual: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names = |s: &Schema| s.tables.keys().cloned().collect::<BTreeSet<_>>();
    for t in names(expected).difference(&names(actual)) {
        out.push(format!("table `{t}` is missing from the models"));
    }
    for t in names(actual).difference(&names(expected)) {
        out.push(format!("table `{t}` is declared but not expected"));
    }
    for (name, e) in &expected.enums {
        match actual.enums.get(name) {
            None => out.push(format!("enum `{name}` is missing from the models")),
            Some(a) if a != e => out.push(format!(
                "enum `{name}`: expected {:?}, declared {:?}",
                e.values, a.values
            )),
            Some(_) => {}
        }
    }
    for name in actual.enums.keys() {
        if !expected.enums.contains_key(name) {
            out.push(format!("enum `{name}` is declared but not expected"));
        }
    }
    for (name, e) in &expected.tables {
        let Some(a) = actual.tables.get(name) else {
            continue;
        };
        let ecols: Vec<&str> = e.columns.iter().map(|c| c.name.as_str()).collect();
        let acols: Vec<&str> = a.columns.iter().map(|c| c.name.as_str()).collect();
        if ecols != acols {
            out.push(format!(
                "{name}: columns expected {ecols:?}, declared {acols:?}"
            ));
        }
        for ec in &e.columns {
            if let Some(ac) = a.column(&ec.name)
                && ac != ec
            {
                out.push(format!(
                    "{name}.{}: expected {ec:?}, declared {ac:?}",
                    ec.name
                ));
            }
        }
        if e.primary_key != a.primary_key {
            out.push(format!(
                "{name}: primary key expected {:?}, declared {:?}",
                e.primary_key, a.primary_key
            ));
        }
        diff_map(
            &mut out,
            name,
            "foreign key",
            &e.foreign_keys,
            &a.foreign_keys,
        );
        diff_map(&mut out, name, "index", &e.indexes, &a.indexes);
        diff_map(&mut out, name, "unique constraint", &e.uniques, &a.uniques);
        diff_map(&mut out, name, "check", &e.checks, &a.checks);
    }
    if expected.sequences != actual.sequences {
        out.push(format!(
            "sequences: expected {:?}, declared {:?}",
            expected.sequences, actual.sequences
        ));
    }
    out
}

fn diff_map<T: PartialEq + std::fmt::Debug>(
    out: &mut Vec<String>,
    table: &str,
    what: &str,
    expected: &BTreeMap<String, T>,
    actual: &BTreeMap<String, T>,
) {
    for (k, e) in expected {
        match actual.get(k) {
            None => out.push(format!("{table}: {what} `{k}` is missing: {e:?}")),
            Some(a) if a != e => out.push(format!(
                "{table}: {what} `{k}`: expected {e:?}, declared {a:?}"
            )),
            Some(_) => {}
        }
    }
    for (k, a) in actual {
        if !expected.contains_key(k) {
            out.push(format!(
                "{table}: {what} `{k}` is declared but not expected: {a:?}"
            ));
        }
    }
}

fn assert_same(expected: &Schema, actual: &Schema) {
    let diffs = differences(expected, actual);
    assert!(
        diffs.is_empty(),
        "{} difference(s) between the expected schema and the models:\n  {}",
        diffs.len(),
        diffs.join("\n  ")
    );
    assert_eq!(expected, actual);
}

#[test]
fn the_reference_parses_into_26_tables_and_5_enums() {
    let reference = parse_reference(&reference_sql());
    assert_eq!(reference.tables.len(), 26);
    assert_eq!(reference.enums.len(), 5);
    let indexes: usize = reference.tables.values().map(|t| t.indexes.len()).sum();
    assert_eq!(indexes, 35);
    let fks: usize = reference
        .tables
        .values()
        .map(|t| t.foreign_keys.len())
        .sum();
    assert_eq!(fks, 47);
    assert!(reference.tables.values().all(|t| t.primary_key.is_some()));
    let serials = reference
        .tables
        .values()
        .flat_map(|t| &t.columns)
        .filter(|c| c.auto_increment.is_some())
        .count();
    assert_eq!(serials, 12);
}

#[test]
fn models_declare_the_reference_plus_the_chain_extras() {
    let mut expected = parse_reference(&reference_sql());
    add_chain_extras(&mut expected);
    let expected = expected.normalized();
    assert_same(&expected, &target_schema());
}

#[test]
fn models_are_consistent_and_in_normal_form() {
    let checked = models().try_build().expect("consistent models");
    let target = target_schema();
    assert_eq!(checked, target);
    assert_eq!(target, target.normalized());
    assert_eq!(target.tables.len(), 27);
    let labels: BTreeMap<&str, Vec<&str>> = target
        .enums
        .values()
        .map(|e| {
            (
                e.name.as_str(),
                e.values.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        labels["micrographstatus"],
        [
            "NONE",
            "MOTION_CORRECTION_STARTED",
            "MOTION_CORRECTION_COMPLETED",
            "CTF_STARTED",
            "CTF_COMPLETED",
            "PARTICLE_PICKING_STARTED",
            "PARTICLE_PICKING_COMPLETED",
            "PARTICLE_SELECTION_STARTED",
            "PARTICLE_SELECTION_COMPLETED",
        ]
    );
}

#[test]
fn the_difference_report_names_what_differs() {
    // The comparison above is only as good as its report: a changed column, a
    // missing index and an extra table must each be named.
    let expected = target_schema();
    let mut changed = expected.clone();
    changed
        .table_mut("grid")
        .and_then(|t| t.column_mut("name"))
        .expect("grid.name")
        .nullable = true;
    changed
        .table_mut("agentlog")
        .expect("agentlog")
        .indexes
        .remove("ix_agentlog_agent_id_id");
    changed.insert_table(Table::new("extra"));
    let diffs = differences(&expected, &changed);
    assert_eq!(diffs.len(), 3, "{diffs:#?}");
    assert!(diffs.iter().any(|d| d.starts_with("grid.name:")));
    assert!(diffs.iter().any(|d| d.contains("ix_agentlog_agent_id_id")));
    assert!(diffs.iter().any(|d| d.contains("`extra`")));
}

/// Revisions `001` and `002` as hand-written PostgreSQL.
const CHAIN_EXTRAS_SQL: &str = "
CREATE TABLE user_preferences (
    id SERIAL PRIMARY KEY,
    user_id character varying NOT NULL,
    preference_key character varying(255) NOT NULL,
    preference_value jsonb,
    created_at timestamp without time zone DEFAULT now() NOT NULL,
    updated_at timestamp without time zone DEFAULT now() NOT NULL,
    CONSTRAINT uq_user_preference_key UNIQUE (user_id, preference_key)
);
CREATE INDEX idx_user_preferences_user_id ON user_preferences (user_id);
CREATE INDEX idx_user_preferences_key ON user_preferences (preference_key);
CREATE INDEX idx_gridsquare_acquisition_datetime_status
    ON gridsquare USING btree (acquisition_datetime, status);
CREATE INDEX idx_micrograph_acquisition_datetime
    ON micrograph USING btree (acquisition_datetime);
";

#[tokio::test]
async fn introspected_reference_with_chain_extras_equals_the_models() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.expect("connect");
    conn.execute(&reference_sql())
        .await
        .expect("load reference-schema.sql");
    let live = introspect(&mut conn, &[]).await.expect("introspect");
    let parsed = parse_reference(&reference_sql()).normalized();
    let diffs = differences(&parsed, &live);
    assert!(
        diffs.is_empty(),
        "the test's reference parser and introspection disagree:\n  {}",
        diffs.join("\n  ")
    );

    conn.execute(CHAIN_EXTRAS_SQL)
        .await
        .expect("apply the 001 and 002 extras");
    let live = introspect(&mut conn, &[]).await.expect("introspect");
    conn.close().await.expect("close");
    assert_same(&live, &target_schema());
}

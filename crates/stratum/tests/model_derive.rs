//! `#[derive(Table)]` and `#[derive(DbEnum)]`: the tables and enum types they declare,
//! compared with the same declarations written out by hand.

// The model structs exist for their declarations; their fields are never read.
#![allow(dead_code)]

use std::collections::BTreeMap;
use stratum::model::{DbEnum, ModelError, SchemaBuilder, SqlType, Table, TableModel, schema_of};
use stratum::schema::{
    AutoIncrement, CheckConstraint, Column, ColumnType, DefaultValue, EnumType, FkAction,
    ForeignKey, Index, PrimaryKey, Table as SchemaTable, UniqueConstraint,
};

#[derive(DbEnum, Debug, Clone, Copy, PartialEq, Eq)]
#[db_enum(name = "jobstate")]
enum JobState {
    Planned,
    InProgress,
    #[db_enum(rename = "done")]
    Finished,
    CTFStarted,
}

#[derive(DbEnum, Debug, PartialEq, Eq)]
enum Priority {
    Low,
    High,
}

#[derive(Table)]
#[table(name = "owner")]
struct Owner {
    #[column(primary_key)]
    uuid: String,
}

#[derive(Table)]
#[table(
    name = "jobs",
    index(name = "ix_jobs_owner_state", columns("owner_uuid", "state")),
    index(columns("payload"), using = "gin"),
    index(
        name = "ix_jobs_live",
        columns("title"),
        unique,
        predicate = "(state <> 'done')"
    ),
    unique(name = "uq_jobs_title_owner", columns("title", "owner_uuid")),
    check(name = "ck_jobs_retries", expr = "retries >= 0")
)]
struct Job {
    #[column(primary_key, autoincrement)]
    id: i32,
    #[column(ty = "varchar(255)", not_null, index, unique)]
    title: String,
    #[column(foreign_key = "owner.uuid", on_delete = "cascade")]
    owner_uuid: Option<String>,
    #[column(enum_type, default_value = "PLANNED")]
    state: Option<JobState>,
    priority: Priority,
    #[column(ty = "jsonb")]
    payload: Option<serde_json::Value>,
    #[column(default = "0")]
    retries: i64,
    #[column(default = "now()")]
    created_at: chrono::NaiveDateTime,
    #[column(default_now, name = "touched")]
    touched_at: chrono::DateTime<chrono::Utc>,
    #[column(default_uuid, unique)]
    token: uuid::Uuid,
    #[column(default = "'it''s'::character varying")]
    note: String,
    #[column(default_value = 0.5)]
    ratio: f64,
    #[column(default_value = true)]
    active: bool,
    #[column(default = "lower('X')", nullable)]
    lowered: String,
    #[column(name = "type")]
    r#kind: i16,
    #[column(skip)]
    cached: Vec<String>,
}

#[derive(Table)]
#[table(primary_key("job_id", "tag"))]
struct JobTag {
    job_id: i32,
    tag: String,
    blob: Option<Vec<u8>>,
    day: Option<chrono::NaiveDate>,
    small: f32,
}

fn col(name: &str, ty: ColumnType, nullable: bool, default: Option<DefaultValue>) -> Column {
    Column {
        name: name.into(),
        ty,
        nullable,
        default,
        auto_increment: None,
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn index(
    name: &str,
    cols: &[&str],
    unique: bool,
    method: Option<&str>,
    pred: Option<&str>,
) -> Index {
    Index {
        name: name.into(),
        columns: strings(cols),
        unique,
        method: method.map(Into::into),
        predicate: pred.map(Into::into),
    }
}

#[test]
fn derived_table_matches_a_hand_written_one() {
    let mut id = col("id", ColumnType::Integer, false, None);
    id.auto_increment = Some(AutoIncrement::Serial);
    let columns = vec![
        id,
        col("title", ColumnType::Varchar(Some(255)), false, None),
        col("owner_uuid", ColumnType::Varchar(None), true, None),
        col(
            "state",
            ColumnType::Enum("jobstate".into()),
            true,
            Some(DefaultValue::Text("PLANNED".into())),
        ),
        col("priority", ColumnType::Enum("priority".into()), false, None),
        col("payload", ColumnType::Jsonb, true, None),
        col(
            "retries",
            ColumnType::BigInt,
            false,
            Some(DefaultValue::Int(0)),
        ),
        col(
            "created_at",
            ColumnType::Timestamp { tz: false },
            false,
            Some(DefaultValue::Now),
        ),
        col(
            "touched",
            ColumnType::Timestamp { tz: true },
            false,
            Some(DefaultValue::Now),
        ),
        col(
            "token",
            ColumnType::Uuid,
            false,
            Some(DefaultValue::RandomUuid),
        ),
        col(
            "note",
            ColumnType::Varchar(None),
            false,
            Some(DefaultValue::Text("it's".into())),
        ),
        col(
            "ratio",
            ColumnType::Double,
            false,
            Some(DefaultValue::Decimal("0.5".into())),
        ),
        col(
            "active",
            ColumnType::Boolean,
            false,
            Some(DefaultValue::Bool(true)),
        ),
        col(
            "lowered",
            ColumnType::Varchar(None),
            true,
            Some(DefaultValue::Expr("lower('X')".into())),
        ),
        col("type", ColumnType::SmallInt, false, None),
    ];
    let mut indexes = BTreeMap::new();
    for ix in [
        index("ix_jobs_title", &["title"], true, None, None),
        index(
            "ix_jobs_owner_state",
            &["owner_uuid", "state"],
            false,
            None,
            None,
        ),
        index("ix_jobs_payload", &["payload"], false, Some("gin"), None),
        index(
            "ix_jobs_live",
            &["title"],
            true,
            None,
            Some("(state <> 'done')"),
        ),
    ] {
        indexes.insert(ix.name.clone(), ix);
    }
    let mut uniques = BTreeMap::new();
    for uq in [
        UniqueConstraint {
            name: "jobs_token_key".into(),
            columns: strings(&["token"]),
        },
        UniqueConstraint {
            name: "uq_jobs_title_owner".into(),
            columns: strings(&["title", "owner_uuid"]),
        },
    ] {
        uniques.insert(uq.name.clone(), uq);
    }
    let mut foreign_keys = BTreeMap::new();
    foreign_keys.insert(
        "jobs_owner_uuid_fkey".to_string(),
        ForeignKey {
            name: "jobs_owner_uuid_fkey".into(),
            columns: strings(&["owner_uuid"]),
            ref_table: "owner".into(),
            ref_columns: strings(&["uuid"]),
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
        },
    );
    let mut checks = BTreeMap::new();
    checks.insert(
        "ck_jobs_retries".to_string(),
        CheckConstraint {
            name: "ck_jobs_retries".into(),
            expression: "retries >= 0".into(),
        },
    );
    let expected = SchemaTable {
        name: "jobs".into(),
        columns,
        primary_key: Some(PrimaryKey {
            name: "jobs_pkey".into(),
            columns: strings(&["id"]),
        }),
        foreign_keys,
        indexes,
        uniques,
        checks,
    };
    let got = Job::table();
    assert_eq!(got.columns, expected.columns);
    assert_eq!(got, expected);
}

#[test]
fn enum_types_of_a_table_are_collected_once_each() {
    let types = Job::enum_types();
    assert_eq!(
        types,
        vec![
            EnumType {
                name: "jobstate".into(),
                values: strings(&["PLANNED", "IN_PROGRESS", "done", "CTF_STARTED"]),
            },
            EnumType {
                name: "priority".into(),
                values: strings(&["LOW", "HIGH"]),
            },
        ]
    );
    assert!(Owner::enum_types().is_empty());
}

#[test]
fn composite_primary_key_and_inferred_types() {
    let t = JobTag::table();
    assert_eq!(t.name, "jobtag");
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            name: "jobtag_pkey".into(),
            columns: strings(&["job_id", "tag"]),
        })
    );
    let summary: Vec<(String, ColumnType, bool)> = t
        .columns
        .iter()
        .map(|c| (c.name.clone(), c.ty.clone(), c.nullable))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("job_id".into(), ColumnType::Integer, false),
            ("tag".into(), ColumnType::Varchar(None), false),
            ("blob".into(), ColumnType::Bytes, true),
            ("day".into(), ColumnType::Date, true),
            ("small".into(), ColumnType::Real, false),
        ]
    );
}

#[test]
fn db_enum_helpers_round_trip_labels() {
    assert_eq!(JobState::InProgress.as_str(), "IN_PROGRESS");
    assert_eq!(JobState::Finished.to_string(), "done");
    for v in JobState::ALL {
        assert_eq!(v.as_str().parse::<JobState>(), Ok(*v));
    }
    let err = "FINISHED".parse::<JobState>().unwrap_err();
    assert_eq!(err.type_name, "jobstate");
    assert_eq!(err.label, "FINISHED");
    assert_eq!(<Priority as DbEnum>::enum_type().name, "priority");
    assert_eq!(
        <Option<Priority> as SqlType>::column_type(),
        ColumnType::Enum("priority".into())
    );
    const { assert!(<Option<Priority> as SqlType>::NULLABLE) };
    const { assert!(!<Priority as SqlType>::NULLABLE) };
}

#[test]
fn builder_collects_models_and_their_enums() {
    let schema = SchemaBuilder::new()
        .model::<Owner>()
        .model::<Job>()
        .model::<JobTag>()
        .try_build()
        .expect("consistent models");
    assert_eq!(
        schema.tables.keys().collect::<Vec<_>>(),
        ["jobs", "jobtag", "owner"]
    );
    assert_eq!(
        schema.enums.keys().collect::<Vec<_>>(),
        ["jobstate", "priority"]
    );
    // Normal form: the partial-index predicate loses its wrapping parentheses.
    assert_eq!(
        schema.tables["jobs"].indexes["ix_jobs_live"]
            .predicate
            .as_deref(),
        Some("state <> 'done'")
    );
    assert_eq!(schema, schema.normalized());
    let by_fn = schema_of(
        &[Owner::table, Job::table, JobTag::table],
        &[JobState::enum_type, Priority::enum_type],
    );
    assert_eq!(by_fn, schema);
}

#[test]
fn builder_reports_inconsistent_models() {
    // Job references owner.uuid, which is not declared.
    assert_eq!(
        SchemaBuilder::new().model::<Job>().try_build(),
        Err(ModelError::UnknownReference {
            table: "jobs".into(),
            name: "jobs_owner_uuid_fkey".into(),
            ref_table: "owner".into(),
            ref_column: "uuid".into(),
        })
    );
    assert_eq!(
        SchemaBuilder::new()
            .model::<Owner>()
            .model::<Owner>()
            .try_build(),
        Err(ModelError::DuplicateTable("owner".into()))
    );
    let other = EnumType {
        name: "priority".into(),
        values: strings(&["HIGH", "LOW"]),
    };
    assert!(matches!(
        SchemaBuilder::new()
            .enum_type::<Priority>()
            .enum_value(other)
            .try_build(),
        Err(ModelError::ConflictingEnum { name, .. }) if name == "priority"
    ));
    let mut t = SchemaTable::new("t");
    t.columns
        .push(col("s", ColumnType::Enum("nope".into()), true, None));
    assert!(matches!(
        SchemaBuilder::new().table(t).try_build(),
        Err(ModelError::UnknownEnum { name, .. }) if name == "nope"
    ));
    let mut a = SchemaTable::new("a");
    a.columns.push(col("x", ColumnType::Integer, true, None));
    let mut b = a.clone();
    b.name = "b".into();
    for t in [&mut a, &mut b] {
        t.indexes.insert(
            "ix_same".into(),
            index("ix_same", &["x"], false, None, None),
        );
    }
    assert_eq!(
        SchemaBuilder::new().table(a.clone()).table(b).try_build(),
        Err(ModelError::DuplicateName("ix_same".into()))
    );
    a.uniques.insert(
        "uq".into(),
        UniqueConstraint {
            name: "uq".into(),
            columns: strings(&["missing"]),
        },
    );
    assert!(matches!(
        SchemaBuilder::new().table(a).try_build(),
        Err(ModelError::UnknownColumn { column, .. }) if column == "missing"
    ));
}

#[test]
fn sql_types_of_rust_types() {
    assert_eq!(String::column_type(), ColumnType::Varchar(None));
    assert_eq!(i16::column_type(), ColumnType::SmallInt);
    assert_eq!(i32::column_type(), ColumnType::Integer);
    assert_eq!(i64::column_type(), ColumnType::BigInt);
    assert_eq!(f32::column_type(), ColumnType::Real);
    assert_eq!(f64::column_type(), ColumnType::Double);
    assert_eq!(bool::column_type(), ColumnType::Boolean);
    assert_eq!(
        chrono::NaiveDateTime::column_type(),
        ColumnType::Timestamp { tz: false }
    );
    assert_eq!(
        <chrono::DateTime<chrono::Utc>>::column_type(),
        ColumnType::Timestamp { tz: true }
    );
    assert_eq!(chrono::NaiveDate::column_type(), ColumnType::Date);
    assert_eq!(serde_json::Value::column_type(), ColumnType::Jsonb);
    assert_eq!(uuid::Uuid::column_type(), ColumnType::Uuid);
    assert_eq!(<Vec<u8>>::column_type(), ColumnType::Bytes);
    assert_eq!(<Option<i64>>::column_type(), ColumnType::BigInt);
    assert!(<Option<i64> as SqlType>::enum_declaration().is_none());
}

mod explicit_types {
    use stratum::model::{Table, TableModel};
    use stratum::schema::ColumnType;

    #[derive(Table)]
    struct Typed {
        #[column(ty = "character varying(12)")]
        a: String,
        #[column(ty = "numeric(10, 2)")]
        b: String,
        #[column(ty = "Double Precision")]
        c: f64,
        #[column(ty = "timestamp with time zone")]
        d: String,
        #[column(ty = "text")]
        e: Option<String>,
        #[column(ty = "enum:mood")]
        f: String,
        #[column(ty = "custom:tsvector")]
        g: String,
        #[column(ty = "bigint", autoincrement = "identity")]
        h: i64,
    }

    #[test]
    fn type_spellings_parse() {
        let t = Typed::table();
        let got: Vec<(ColumnType, bool)> = t
            .columns
            .iter()
            .map(|c| (c.ty.clone(), c.nullable))
            .collect();
        assert_eq!(
            got,
            vec![
                (ColumnType::Varchar(Some(12)), false),
                (
                    ColumnType::Numeric {
                        precision: Some(10),
                        scale: Some(2)
                    },
                    false
                ),
                (ColumnType::Double, false),
                (ColumnType::Timestamp { tz: true }, false),
                (ColumnType::Text, true),
                (ColumnType::Enum("mood".into()), false),
                (ColumnType::Custom("tsvector".into()), false),
                (ColumnType::BigInt, false),
            ]
        );
        assert_eq!(
            t.columns[7].auto_increment,
            Some(stratum::schema::AutoIncrement::IdentityByDefault)
        );
        // An explicit enum type name is not a declared enum: nothing to collect.
        assert!(Typed::enum_types().is_empty());
    }
}

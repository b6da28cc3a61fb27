//! Introspection of real PostgreSQL databases: the SmartEM reference schema, and
//! the number of catalog queries as the schema grows.

use std::process::Command;
use stratum::db::Connection;
use stratum::dialect::{Dialect, normalize_for, render_all};
use stratum::introspect::{introspect, introspect_with_stats};
use stratum::schema::{AutoIncrement, ColumnType, DefaultValue, FkAction, Schema};
use stratum_testkit::{TestDb, create_ops, each_backend, schema_report, shared_path};

async fn load(db: &TestDb, sql: &str) -> Connection {
    let mut conn = Connection::connect(db.url()).await.expect("connect");
    conn.execute(sql).await.expect("load schema");
    conn
}

fn reference_sql() -> String {
    std::fs::read_to_string(shared_path("smartem/reference-schema.sql"))
        .expect("read reference-schema.sql")
}

#[tokio::test]
async fn reference_schema_reads_back_as_declared() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut conn = load(&db, &reference_sql()).await;
    conn.execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
        .await
        .unwrap();
    let schema = introspect(&mut conn, &[]).await.unwrap();

    assert_eq!(schema.tables.len(), 26, "{:?}", schema.tables.keys());
    assert!(!schema.tables.contains_key("alembic_version"));
    assert_eq!(
        schema.enums.keys().collect::<Vec<_>>(),
        [
            "acquisitionstatus",
            "foilholestatus",
            "gridsquarestatus",
            "gridstatus",
            "micrographstatus"
        ]
    );
    assert_eq!(
        schema.enums["acquisitionstatus"].values,
        ["PLANNED", "STARTED", "COMPLETED", "PAUSED", "ABANDONED"]
    );
    assert_eq!(schema, schema.normalized());
    // Owned sequences fold into their serial columns.
    assert!(schema.sequences.is_empty(), "{:?}", schema.sequences);

    let acq = &schema.tables["acquisition"];
    let status = acq.column("status").unwrap();
    assert_eq!(status.ty, ColumnType::Enum("acquisitionstatus".into()));
    assert_eq!(status.default, Some(DefaultValue::Text("PLANNED".into())));
    assert!(status.nullable);
    let name = acq.column("name").unwrap();
    assert_eq!(name.ty, ColumnType::Varchar(None));
    assert_eq!(name.default, Some(DefaultValue::Text("Unknown".into())));
    assert!(!name.nullable);
    assert_eq!(
        acq.column("start_time").unwrap().ty,
        ColumnType::Timestamp { tz: false }
    );
    assert_eq!(acq.primary_key.as_ref().unwrap().columns, ["uuid"]);

    let log = &schema.tables["agentlog"];
    let id = log.column("id").unwrap();
    assert_eq!(id.auto_increment, Some(AutoIncrement::Serial));
    assert_eq!(id.default, None);
    assert_eq!(id.ty, ColumnType::Integer);
    assert_eq!(
        log.indexes["ix_agentlog_agent_id_id"].columns,
        ["agent_id", "id"]
    );
    assert_eq!(log.indexes["ix_agentlog_timestamp"].columns, ["timestamp"]);

    let instr = &schema.tables["agentinstruction"];
    assert_eq!(
        instr.column("instruction_id").unwrap().default,
        Some(DefaultValue::RandomUuid)
    );
    assert_eq!(
        instr.column("created_at").unwrap().default,
        Some(DefaultValue::Now)
    );
    assert_eq!(
        instr.column("max_retries").unwrap().default,
        Some(DefaultValue::Int(3))
    );
    assert_eq!(instr.column("payload").unwrap().ty, ColumnType::Jsonb);

    let unique: Vec<&str> = schema
        .tables
        .values()
        .flat_map(|t| t.indexes.values())
        .filter(|i| i.unique)
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(
        unique,
        [
            "ix_agentconnection_connection_id",
            "ix_agentinstruction_instruction_id",
            "ix_agentsession_session_id"
        ]
    );
    // Indexes backing primary keys are not listed as indexes.
    assert!(
        schema
            .tables
            .values()
            .all(|t| !t.indexes.keys().any(|k| k.ends_with("_pkey")))
    );

    let fk = &schema.tables["agentconnection"].foreign_keys["agentconnection_session_id_fkey"];
    assert_eq!(fk.columns, ["session_id"]);
    assert_eq!(fk.ref_table, "agentsession");
    assert_eq!(fk.ref_columns, ["session_id"]);
    assert_eq!(fk.on_delete, FkAction::NoAction);
    let fk = &schema.tables["qualitypredictionmodelweight"].foreign_keys["qualitypredictionmodelweight_micrograph_uuid_fkey"];
    assert_eq!(fk.ref_table, "micrograph");
    assert_eq!(fk.ref_columns, ["uuid"]);
    let fk_count: usize = schema.tables.values().map(|t| t.foreign_keys.len()).sum();
    assert_eq!(fk_count, 47);
    conn.close().await.unwrap();
}

#[tokio::test]
async fn named_tables_are_left_out() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut conn = load(
        &db,
        "CREATE TABLE keep (id integer PRIMARY KEY);
         CREATE TABLE skip (id integer PRIMARY KEY, k integer REFERENCES keep (id));
         CREATE INDEX ix_skip_k ON skip (k);
         CREATE TABLE stratum_history (id integer);",
    )
    .await;
    let schema = introspect(&mut conn, &["skip"]).await.unwrap();
    assert_eq!(schema.tables.keys().collect::<Vec<_>>(), ["keep"]);
    conn.close().await.unwrap();
}

#[tokio::test]
async fn reads_constraints_identities_and_standalone_sequences() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut conn = load(
        &db,
        r#"CREATE SEQUENCE counter START WITH 10 INCREMENT BY 5;
           CREATE TABLE parent (a integer, b integer, CONSTRAINT parent_ab PRIMARY KEY (b, a));
           CREATE TABLE child (
             id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
             n smallint GENERATED BY DEFAULT AS IDENTITY,
             x integer, y integer,
             price numeric(12,4) DEFAULT 0.5,
             code varchar(8) DEFAULT 'a''b',
             neg integer DEFAULT -1,
             CONSTRAINT child_xy_fkey FOREIGN KEY (y, x) REFERENCES parent (b, a)
               ON DELETE CASCADE ON UPDATE SET NULL,
             CONSTRAINT uq_child_xy UNIQUE (x, y),
             CONSTRAINT ck_child_price CHECK (price >= 0) NOT VALID
           );
           CREATE INDEX ix_child_part ON child USING hash (code) WHERE x > 3;
           CREATE INDEX ix_child_expr ON child (lower(code));"#,
    )
    .await;
    let schema = introspect(&mut conn, &[]).await.unwrap();
    assert_eq!(schema.sequences.len(), 1);
    assert_eq!(schema.sequences["counter"].start, 10);
    assert_eq!(schema.sequences["counter"].increment, 5);
    assert_eq!(
        schema.tables["parent"]
            .primary_key
            .as_ref()
            .unwrap()
            .columns,
        ["b", "a"]
    );
    let child = &schema.tables["child"];
    assert_eq!(
        child.column("id").unwrap().auto_increment,
        Some(AutoIncrement::IdentityAlways)
    );
    assert_eq!(
        child.column("n").unwrap().auto_increment,
        Some(AutoIncrement::IdentityByDefault)
    );
    assert_eq!(
        child.column("price").unwrap().default,
        Some(DefaultValue::Decimal("0.5".into()))
    );
    assert_eq!(
        child.column("code").unwrap().default,
        Some(DefaultValue::Text("a'b".into()))
    );
    assert_eq!(
        child.column("code").unwrap().ty,
        ColumnType::Varchar(Some(8))
    );
    assert_eq!(
        child.column("neg").unwrap().default,
        Some(DefaultValue::Int(-1))
    );
    let fk = &child.foreign_keys["child_xy_fkey"];
    assert_eq!(fk.columns, ["y", "x"]);
    assert_eq!(fk.ref_columns, ["b", "a"]);
    assert_eq!(fk.on_delete, FkAction::Cascade);
    assert_eq!(fk.on_update, FkAction::SetNull);
    assert_eq!(child.uniques["uq_child_xy"].columns, ["x", "y"]);
    assert_eq!(child.checks["ck_child_price"].expression, "price >= 0");
    let part = &child.indexes["ix_child_part"];
    assert_eq!(part.method.as_deref(), Some("hash"));
    assert_eq!(part.predicate.as_deref(), Some("x > 3"));
    assert_eq!(
        child.indexes["ix_child_expr"].columns,
        ["lower(code::text)"]
    );
    assert_eq!(
        child.indexes.len(),
        2,
        "unique constraint index must not be listed"
    );
    conn.close().await.unwrap();
}

/// Builds a synthetic schema of `tables` tables and loads it.
async fn synthetic(tables: usize) -> Option<(TestDb, Connection)> {
    let db = TestDb::postgres().await?;
    let out = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(shared_path("bench/make_synthetic.py"))
        .args(["--tables", &tables.to_string(), "--revisions", "0"])
        .arg(out.path())
        .status()
        .expect("python3 is needed to generate the synthetic schema");
    assert!(status.success());
    let sql = std::fs::read_to_string(out.path().join("schema.sql")).unwrap();
    let conn = load(&db, &sql).await;
    Some((db, conn))
}

fn check_synthetic(schema: &Schema, tables: usize) {
    assert_eq!(schema.tables.len(), tables);
    assert_eq!(schema.enums.len(), 4);
    let t = &schema.tables["t0001"];
    assert_eq!(t.columns.len(), 13);
    assert_eq!(t.indexes.len(), 2);
    assert_eq!(t.uniques.len(), 1);
    assert_eq!(t.foreign_keys["t0001_parent_id_fkey"].ref_table, "t0000");
    assert_eq!(
        t.column("id").unwrap().auto_increment,
        Some(AutoIncrement::Serial)
    );
}

#[tokio::test]
async fn query_count_does_not_grow_with_the_schema() {
    let Some((_db50, mut small)) = synthetic(50).await else {
        return;
    };
    let Some((_db500, mut large)) = synthetic(500).await else {
        return;
    };
    let (s50, stats50) = introspect_with_stats(&mut small, &[]).await.unwrap();
    let started = std::time::Instant::now();
    let (s500, stats500) = introspect_with_stats(&mut large, &[]).await.unwrap();
    eprintln!(
        "introspected 500 tables with {} queries in {:?}",
        stats500.queries,
        started.elapsed()
    );
    check_synthetic(&s50, 50);
    check_synthetic(&s500, 500);
    assert!(stats50.queries > 0);
    assert_eq!(stats50.queries, stats500.queries);
    small.close().await.unwrap();
    large.close().await.unwrap();
}

/// The reference schema, read from PostgreSQL, rendered as DDL into an empty
/// database of each dialect, reads back as the same model (as that dialect stores it).
#[tokio::test]
async fn reference_schema_survives_render_and_introspect() {
    let Some(source) = TestDb::postgres().await else {
        return;
    };
    let mut conn = load(&source, &reference_sql()).await;
    let schema = introspect(&mut conn, &[]).await.unwrap();
    conn.close().await.unwrap();

    each_backend(async |target: TestDb| {
        let mut conn = Connection::connect(target.url()).await.unwrap();
        let dialect = conn.dialect();
        let statements = render_all(dialect, &create_ops(&schema, dialect), &Schema::new())
            .unwrap_or_else(|e| panic!("render for {dialect}: {e}"));
        conn.execute_statements(&statements)
            .await
            .unwrap_or_else(|e| panic!("execute on {dialect}: {e}"));
        let back = introspect(&mut conn, &[]).await.unwrap();
        let expected = normalize_for(dialect, &schema);
        assert_schemas_equal(&back, &expected, dialect);
        conn.close().await.unwrap();
    })
    .await;
}

/// Equality with a readable report of what differs.
fn assert_schemas_equal(actual: &Schema, expected: &Schema, dialect: Dialect) {
    if actual == expected {
        return;
    }
    panic!(
        "{dialect}: introspected schema differs from the expected one\n{}",
        schema_report(actual, expected, ("introspected", "expected"))
    );
}

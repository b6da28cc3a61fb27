//! Introspection of real SQLite databases written by hand (the rendered-DDL round
//! trips are in `ops_on_databases.rs`).

use stratum::db::Connection;
use stratum::introspect::{introspect, introspect_with_stats};
use stratum::schema::{AutoIncrement, ColumnType, DefaultValue, FkAction};
use stratum_testkit::TestDb;

const DDL: &str = r#"
CREATE TABLE "parent" (
    "a" INTEGER NOT NULL,
    "b" TEXT NOT NULL,
    CONSTRAINT "parent_pk" PRIMARY KEY ("b", "a")
);
CREATE TABLE "child" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" VARCHAR(40) NOT NULL DEFAULT 'it''s',
    "x" INTEGER,
    "y" TEXT,
    "qty" INTEGER DEFAULT -3,
    "ratio" DOUBLE PRECISION DEFAULT 0.25,
    "at" TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "flag" BOOLEAN DEFAULT FALSE,
    CONSTRAINT "child_parent_fkey" FOREIGN KEY ("y", "x") REFERENCES "parent" ("b", "a") ON DELETE CASCADE,
    CONSTRAINT "uq_child_name" UNIQUE ("name"),
    CONSTRAINT "ck_child_qty" CHECK ("qty" > 0)
);
CREATE TABLE "plain" ("k" INTEGER PRIMARY KEY, "c" INTEGER REFERENCES "child");
CREATE INDEX "ix_child_x" ON "child" ("x", "y") WHERE "x" IS NOT NULL;
CREATE UNIQUE INDEX "ix_child_lower" ON "child" (lower("y"));
CREATE TABLE "alembic_version" ("version_num" VARCHAR(32) NOT NULL PRIMARY KEY);
"#;

#[tokio::test]
async fn reads_hand_written_sqlite_schema() {
    let db = TestDb::sqlite();
    let mut conn = Connection::connect(db.url()).await.unwrap();
    conn.execute(DDL).await.unwrap();
    let (schema, stats) = introspect_with_stats(&mut conn, &[]).await.unwrap();
    assert_eq!(
        schema.tables.keys().collect::<Vec<_>>(),
        ["child", "parent", "plain"]
    );
    assert_eq!(schema, schema.normalized());

    let parent = &schema.tables["parent"];
    let pk = parent.primary_key.as_ref().unwrap();
    assert_eq!(
        (pk.name.as_str(), pk.columns.clone()),
        ("parent_pk", vec!["b".to_string(), "a".to_string()])
    );

    let child = &schema.tables["child"];
    let id = child.column("id").unwrap();
    assert_eq!(id.auto_increment, Some(AutoIncrement::Serial));
    assert_eq!(child.primary_key.as_ref().unwrap().name, "child_pkey");
    let name = child.column("name").unwrap();
    assert_eq!(name.ty, ColumnType::Varchar(Some(40)));
    assert_eq!(name.default, Some(DefaultValue::Text("it's".into())));
    assert!(!name.nullable);
    assert_eq!(
        child.column("qty").unwrap().default,
        Some(DefaultValue::Int(-3))
    );
    assert_eq!(
        child.column("ratio").unwrap().default,
        Some(DefaultValue::Decimal("0.25".into()))
    );
    assert_eq!(child.column("at").unwrap().default, Some(DefaultValue::Now));
    assert_eq!(
        child.column("flag").unwrap().default,
        Some(DefaultValue::Bool(false))
    );

    let fk = &child.foreign_keys["child_parent_fkey"];
    assert_eq!(fk.columns, ["y", "x"]);
    assert_eq!(fk.ref_columns, ["b", "a"]);
    assert_eq!(fk.on_delete, FkAction::Cascade);
    assert_eq!(child.uniques["uq_child_name"].columns, ["name"]);
    assert_eq!(child.checks["ck_child_qty"].expression, "qty > 0");
    let ix = &child.indexes["ix_child_x"];
    assert_eq!(ix.columns, ["x", "y"]);
    assert_eq!(ix.predicate.as_deref(), Some("x IS NOT NULL"));
    assert!(!ix.unique);
    let lower = &child.indexes["ix_child_lower"];
    assert!(lower.unique);
    assert_eq!(lower.columns, [r#"lower("y")"#]);
    assert_eq!(child.indexes.len(), 2);

    // An unnamed foreign key to a table's implicit primary key.
    let plain = &schema.tables["plain"];
    let fk = &plain.foreign_keys["plain_c_fkey"];
    assert_eq!(fk.ref_table, "child");
    assert_eq!(fk.ref_columns, ["id"]);
    assert_eq!(plain.column("k").unwrap().auto_increment, None);

    // The query count does not depend on the schema.
    let empty = TestDb::sqlite();
    let mut conn2 = Connection::connect(empty.url()).await.unwrap();
    let (s, stats_empty) = introspect_with_stats(&mut conn2, &[]).await.unwrap();
    assert!(s.tables.is_empty());
    assert_eq!(stats.queries, stats_empty.queries);

    let without = introspect(&mut conn, &["plain"]).await.unwrap();
    assert!(!without.tables.contains_key("plain"));
    conn.close().await.unwrap();
    conn2.close().await.unwrap();
}

#[tokio::test]
async fn foreign_keys_on_the_same_columns_keep_their_names() {
    let db = TestDb::sqlite();
    let mut conn = Connection::connect(db.url()).await.unwrap();
    conn.execute(
        r#"CREATE TABLE "p" ("id" INTEGER NOT NULL PRIMARY KEY);
           CREATE TABLE "t" (
             "a" INTEGER,
             CONSTRAINT "f_first" FOREIGN KEY ("a") REFERENCES "p" ("id") ON DELETE SET NULL,
             CONSTRAINT "f_second" FOREIGN KEY ("a") REFERENCES "p" ("id") ON DELETE CASCADE,
             CONSTRAINT "f_third" FOREIGN KEY ("a") REFERENCES "p" ("id") ON DELETE CASCADE
           );"#,
    )
    .await
    .unwrap();
    let schema = introspect(&mut conn, &[]).await.unwrap();
    let fks = &schema.tables["t"].foreign_keys;
    assert_eq!(
        fks.keys().collect::<Vec<_>>(),
        ["f_first", "f_second", "f_third"]
    );
    assert_eq!(fks["f_first"].on_delete, FkAction::SetNull);
    assert_eq!(fks["f_second"].on_delete, FkAction::Cascade);
    conn.close().await.unwrap();
}

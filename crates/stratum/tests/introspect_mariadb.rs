//! MariaDB introspection: a fixed number of `information_schema` queries whatever
//! the table count, and the server's ways of writing defaults, booleans, JSON,
//! enums and the indexes it makes for foreign keys.

use stratum::db::Connection;
use stratum::introspect::introspect_with_stats;
use stratum::schema::{ColumnType, DefaultValue};
use stratum_testkit::TestDb;

/// A database with `tables` tables, each with a foreign key to the one before.
async fn tables(tables: usize) -> Option<(TestDb, Connection)> {
    let db = TestDb::mysql().await?;
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let mut sql = String::new();
    for i in 0..tables {
        sql.push_str(&format!(
            "CREATE TABLE t{i:04} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT 'x', parent_id INT NULL{});\n",
            if i == 0 {
                String::new()
            } else {
                format!(
                    ", CONSTRAINT t{i:04}_parent_fkey FOREIGN KEY (parent_id) REFERENCES t{:04} (id)",
                    i - 1
                )
            }
        ));
    }
    conn.execute(&sql).await.unwrap();
    Some((db, conn))
}

#[tokio::test]
async fn query_count_does_not_grow_with_the_schema() {
    let Some((_db5, mut small)) = tables(5).await else {
        return;
    };
    let Some((_db60, mut large)) = tables(60).await else {
        return;
    };
    let (s5, stats5) = introspect_with_stats(&mut small, &[]).await.unwrap();
    let (s60, stats60) = introspect_with_stats(&mut large, &[]).await.unwrap();
    assert_eq!(s5.tables.len(), 5);
    assert_eq!(s60.tables.len(), 60);
    assert!(stats5.queries > 0);
    assert_eq!(stats5.queries, stats60.queries);
    // The index InnoDB made for each foreign key is not an index of the model.
    let t = &s60.tables["t0001"];
    assert!(t.indexes.is_empty(), "{:?}", t.indexes);
    assert_eq!(t.foreign_keys["t0001_parent_fkey"].ref_table, "t0000");
    small.close().await.unwrap();
    large.close().await.unwrap();
}

#[tokio::test]
async fn the_servers_ways_of_writing_columns_read_back() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.unwrap();
    conn.execute(
        "CREATE TABLE c (\
           id BIGINT NOT NULL PRIMARY KEY, \
           flag TINYINT(1) NOT NULL DEFAULT 1, \
           note VARCHAR(10) NULL DEFAULT 'NULL', \
           missing VARCHAR(10) NULL DEFAULT NULL, \
           at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), \
           doc LONGTEXT NULL CHECK (json_valid(`doc`)), \
           mood ENUM('calm','it''s') NULL, \
           amount DECIMAL(10,2) NOT NULL DEFAULT 0.50)",
    )
    .await
    .unwrap();
    let (schema, _) = introspect_with_stats(&mut conn, &[]).await.unwrap();
    let c = &schema.tables["c"];
    let col = |n: &str| c.column(n).unwrap();
    assert_eq!(col("flag").ty, ColumnType::Boolean);
    assert_eq!(col("flag").default, Some(DefaultValue::Bool(true)));
    assert_eq!(col("note").default, Some(DefaultValue::Text("NULL".into())));
    assert_eq!(col("missing").default, None);
    assert_eq!(col("at").default, Some(DefaultValue::Now));
    assert_eq!(col("doc").ty, ColumnType::Json);
    assert!(c.checks.is_empty(), "{:?}", c.checks);
    assert_eq!(col("mood").ty, ColumnType::Enum("c_mood".into()));
    assert_eq!(schema.enums["c_mood"].values, ["calm", "it's"]);
    assert_eq!(
        col("amount").default,
        Some(DefaultValue::Decimal("0.50".into()))
    );
    conn.close().await.unwrap();
}

#[tokio::test]
async fn checks_of_one_name_in_two_tables_keep_their_own_clauses() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.unwrap();
    // MariaDB names a check per table, and a column-level check after its
    // column: `ck_n` and `doc` are in both tables.
    conn.execute(
        "CREATE TABLE a (id INT PRIMARY KEY, n INT NOT NULL, \
           doc LONGTEXT NULL CHECK (json_valid(`doc`)), CONSTRAINT ck_n CHECK (n > 0));\n\
         CREATE TABLE b (id INT PRIMARY KEY, n INT NOT NULL, \
           doc LONGTEXT NULL CHECK (json_valid(`doc`)), CONSTRAINT ck_n CHECK (n < 10));",
    )
    .await
    .unwrap();
    let (schema, _) = introspect_with_stats(&mut conn, &[]).await.unwrap();
    for (table, op, other) in [("a", ">", "<"), ("b", "<", ">")] {
        let t = &schema.tables[table];
        assert_eq!(t.checks.len(), 1, "{table}: {:?}", t.checks);
        let expr = &t.checks["ck_n"].expression;
        assert!(
            expr.contains(op) && !expr.contains(other),
            "{table}: {expr}"
        );
        assert_eq!(t.column("doc").unwrap().ty, ColumnType::Json);
    }
    conn.close().await.unwrap();
}

#[tokio::test]
async fn only_the_connections_database_is_read() {
    let Some(ours) = TestDb::mysql().await else {
        return;
    };
    let Some(theirs) = TestDb::mysql().await else {
        return;
    };
    // The same table and constraint names in another database of the server,
    // with other columns, keys and checks.
    let mut other = Connection::connect(theirs.url()).await.unwrap();
    other
        .execute(
            "CREATE TABLE p (id INT PRIMARY KEY, code INT NOT NULL);\n\
             CREATE TABLE t (id BIGINT PRIMARY KEY, b INT NOT NULL, c INT NULL, \
               CONSTRAINT uq_t UNIQUE (b, c), CONSTRAINT ck_t CHECK (b < 5), \
               CONSTRAINT fk_t FOREIGN KEY (c) REFERENCES p (id));\n\
             CREATE INDEX ix_t ON t (c, b);",
        )
        .await
        .unwrap();
    let mut conn = Connection::connect(ours.url()).await.unwrap();
    conn.execute(
        "CREATE TABLE t (id INT PRIMARY KEY, a INT NOT NULL, \
           CONSTRAINT uq_t UNIQUE (a), CONSTRAINT ck_t CHECK (a > 0));\n\
         CREATE INDEX ix_t ON t (a);",
    )
    .await
    .unwrap();
    let (schema, _) = introspect_with_stats(&mut conn, &[]).await.unwrap();
    assert_eq!(schema.tables.keys().collect::<Vec<_>>(), ["t"]);
    let t = &schema.tables["t"];
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "a"]);
    assert_eq!(t.column("id").unwrap().ty, ColumnType::Integer);
    assert_eq!(t.uniques["uq_t"].columns, ["a"]);
    assert!(t.foreign_keys.is_empty(), "{:?}", t.foreign_keys);
    assert_eq!(t.checks.len(), 1);
    assert!(t.checks["ck_t"].expression.contains('>'));
    assert_eq!(t.indexes["ix_t"].columns, ["a"]);
    conn.close().await.unwrap();
    other.close().await.unwrap();
}

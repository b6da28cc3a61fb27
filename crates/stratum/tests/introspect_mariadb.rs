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
    let Some((_db50, mut small)) = tables(50).await else {
        return;
    };
    let Some((_db500, mut large)) = tables(500).await else {
        return;
    };
    let (s50, stats50) = introspect_with_stats(&mut small, &[]).await.unwrap();
    let (s500, stats500) = introspect_with_stats(&mut large, &[]).await.unwrap();
    assert_eq!(s50.tables.len(), 50);
    assert_eq!(s500.tables.len(), 500);
    assert!(stats50.queries > 0);
    assert_eq!(stats50.queries, stats500.queries);
    eprintln!(
        "queries: {} for 50 tables, {} for 500",
        stats50.queries, stats500.queries
    );
    // The index InnoDB made for each foreign key is not an index of the model.
    let t = &s500.tables["t0499"];
    assert!(t.indexes.is_empty(), "{:?}", t.indexes);
    assert_eq!(t.foreign_keys["t0499_parent_fkey"].ref_table, "t0498");
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
async fn generated_columns_prefixes_charsets_and_sequences_read_back() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.unwrap();
    conn.execute(
        "CREATE TABLE g (\
           id INT NOT NULL PRIMARY KEY, \
           price DECIMAL(10,2) NOT NULL DEFAULT 1.5, \
           doubled DECIMAL(12,2) AS (price * 2) VIRTUAL, \
           kept DECIMAL(12,2) AS (price * 3) PERSISTENT, \
           body TEXT CHARACTER SET latin1 COLLATE latin1_swedish_ci NULL DEFAULT 'o''k', \
           note VARCHAR(20) NOT NULL DEFAULT 'it''s', \
           at TIMESTAMP(6) NULL DEFAULT NULL, \
           CONSTRAINT uq_g_note UNIQUE (note), \
           CONSTRAINT ck_g_price CHECK (price is not null and price >= 0)); \
         CREATE UNIQUE INDEX ux_g_body ON g (body); \
         CREATE INDEX ix_g_body ON g (body(40), note); \
         CREATE SEQUENCE g_seq START WITH 10 INCREMENT BY 3; \
         CREATE TABLE h (id INT PRIMARY KEY, g_id INT NULL, FOREIGN KEY (g_id) REFERENCES g (id))",
    )
    .await
    .unwrap();
    let (schema, stats) = introspect_with_stats(&mut conn, &[]).await.unwrap();
    let g = &schema.tables["g"];
    let col = |n: &str| g.column(n).unwrap();
    assert_eq!(
        col("price").default,
        Some(DefaultValue::Decimal("1.50".into()))
    );
    // A generated column reads as a plain column, without a default.
    assert_eq!(col("doubled").default, None);
    assert_eq!(col("kept").default, None);
    // The charset is not represented; MariaDB escapes the quote of a TEXT
    // column's default with a backslash.
    assert_eq!(col("body").ty, ColumnType::Text);
    assert_eq!(col("body").default, Some(DefaultValue::Text("o'k".into())));
    assert_eq!(col("note").default, Some(DefaultValue::Text("it's".into())));
    assert_eq!(col("at").default, None);
    // A prefix index reads as an index on the column; unique keys and unique
    // indexes (a hash key over text) are unique constraints.
    assert_eq!(g.indexes["ix_g_body"].columns, ["body", "note"]);
    assert_eq!(g.uniques["uq_g_note"].columns, ["note"]);
    assert_eq!(g.uniques["ux_g_body"].columns, ["body"]);
    // Check keywords read in uppercase.
    assert_eq!(
        g.checks["ck_g_price"].expression,
        "price IS NOT NULL AND price >= 0"
    );
    // A key made without a name has an index named after its column.
    let h = &schema.tables["h"];
    assert_eq!(h.foreign_keys["h_ibfk_1"].columns, ["g_id"]);
    assert!(h.indexes.is_empty(), "{:?}", h.indexes);
    let seq = &schema.sequences["g_seq"];
    assert_eq!((seq.start, seq.increment), (10, 3));
    // The version, four catalog queries, the sequence names and their settings.
    assert_eq!(stats.queries, 7);
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

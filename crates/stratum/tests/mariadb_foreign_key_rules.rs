//! Foreign keys on a live MariaDB: a key made without a name (`<table>_ibfk_N`,
//! by raw SQL or in a database the migrations adopted) is dropped with the
//! index the server made for it, so that no hidden index is left behind to
//! hold its name; and a key between columns of different types, which the
//! server refuses (errno 150), is refused before anything runs.

use stratum::db::Connection;
use stratum::dialect::RenderError;
use stratum::introspect::introspect;
use stratum::prelude::*;
use stratum::schema::Schema;
use stratum::simulate::apply_all;
use stratum_testkit::TestDb;

/// `schema` as MariaDB stores it and introspection reads it.
fn stored(schema: &Schema) -> Schema {
    let mut s = stratum::dialect::normalize_for(stratum::dialect::Dialect::Mysql, schema);
    stratum::dialect::mysql::as_introspected(&mut s);
    s
}

/// The names of the indexes the server keeps on `table`, hidden or not.
async fn server_indexes(conn: &mut Connection, table: &str) -> Vec<String> {
    let rows = conn
        .query_text(&format!(
            "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS \
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{table}' "
        ))
        .await
        .unwrap();
    let mut names: Vec<String> = rows.into_iter().filter_map(|r| r[0].clone()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn an_unnamed_key_goes_with_its_index() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.unwrap();
    conn.execute(
        "CREATE TABLE owner (id int NOT NULL PRIMARY KEY); \
         CREATE TABLE pet (id int NOT NULL PRIMARY KEY, owner_id int NULL, \
         FOREIGN KEY (owner_id) REFERENCES owner (id))",
    )
    .await
    .unwrap();
    assert_eq!(
        server_indexes(&mut conn, "pet").await,
        ["PRIMARY", "owner_id"]
    );
    let before = introspect(&mut conn, &[]).await.unwrap();
    let pet = before.table("pet").unwrap();
    assert!(pet.foreign_keys.contains_key("pet_ibfk_1"), "{pet:?}");
    assert!(pet.indexes.is_empty(), "the key's own index shows: {pet:?}");

    let mut ops = Ops::new();
    ops.drop_constraint("pet_ibfk_1", "pet");
    let statements = conn
        .sql_dialect()
        .render(&ops.as_slice()[0], &before)
        .unwrap();
    assert_eq!(
        statements
            .iter()
            .map(|s| s.sql.as_str())
            .collect::<Vec<_>>(),
        ["ALTER TABLE `pet` DROP FOREIGN KEY `pet_ibfk_1`, DROP INDEX IF EXISTS `owner_id`"]
    );
    conn.execute_statements(&statements).await.unwrap();
    assert_eq!(server_indexes(&mut conn, "pet").await, ["PRIMARY"]);
    let mut after = before.clone();
    apply_all(&mut after, ops.as_slice()).unwrap();
    assert_eq!(introspect(&mut conn, &[]).await.unwrap(), stored(&after));

    // The column's name is free for an index of the model.
    let mut ops = Ops::new();
    ops.create_index("owner_id", "pet", ["owner_id"]);
    let statements = conn
        .sql_dialect()
        .render(&ops.as_slice()[0], &after)
        .unwrap();
    conn.execute_statements(&statements).await.unwrap();
    conn.close().await.unwrap();
}

#[tokio::test]
async fn a_key_between_different_types_is_refused_before_the_server_refuses_it() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let mut ops = Ops::new();
    ops.create_table("owner")
        .column(col("id", big_integer()).primary_key());
    ops.create_table("pet")
        .column(col("id", integer()).primary_key())
        .column(col("owner_id", integer()).nullable());
    let mut schema = Schema::new();
    for op in ops.as_slice() {
        let statements = conn.sql_dialect().render(op, &schema).unwrap();
        conn.execute_statements(&statements).await.unwrap();
        apply_all(&mut schema, std::slice::from_ref(op)).unwrap();
    }
    let mut ops = Ops::new();
    ops.create_foreign_key("fk_pet_owner", "pet", "owner", ["owner_id"], ["id"]);
    let err = conn
        .sql_dialect()
        .render(&ops.as_slice()[0], &schema)
        .unwrap_err();
    assert!(matches!(err, RenderError::Unsupported { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "add_foreign_key is not supported on {}: foreign key fk_pet_owner joins \
             pet.owner_id (int) to owner.id (bigint), and a foreign key needs columns of \
             the same type, size and sign; make both columns the same type",
            conn.sql_dialect().server()
        )
    );
    // The server would have refused it too.
    let refused = conn
        .execute(
            "ALTER TABLE pet ADD CONSTRAINT fk_pet_owner FOREIGN KEY (owner_id) \
             REFERENCES owner (id)",
        )
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("150"), "{refused}");
    conn.close().await.unwrap();
}

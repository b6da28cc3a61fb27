//! Names that need quoting, and odd literals, survive render → execute → introspect
//! on every dialect.

use stratum::db::Connection;
use stratum::dialect::{normalize_for, render_all};
use stratum::introspect::introspect;
use stratum::ops::Ops;
use stratum::prelude::*;
use stratum::schema::Schema;
use stratum::simulate::apply_all;
use stratum_testkit::{TestDb, each_database};

fn ops() -> Vec<stratum::ops::Op> {
    let mut op = Ops::new();
    op.create_enum("Odd Enum", ["it's", "a,b", "(x)"]);
    op.create_table("Order Items")
        .column(col("select", integer()).primary_key().autoincrement())
        .column(
            col("Mixed Case", varchar_n(30))
                .not_null()
                .default_text("a \"q\" 'b'"),
        )
        .column(col("kind", ColumnType::Enum("Odd Enum".into())).default_text("a,b"))
        .column(col("from", text()))
        .unique("uq \"odd\"", ["Mixed Case"])
        .index(index("ix order", ["from", "Mixed Case"]));
    op.create_table("child table")
        .column(col("id", big_integer()).not_null())
        .column(col("item ref", integer()))
        .primary_key_named("child pk", ["id"])
        // Not on "select" nor "item ref": MariaDB refuses a check on an
        // AUTO_INCREMENT column or on one a foreign-key action writes.
        .check("ck:colon", "\"id\" > 0")
        .foreign_key(
            foreign_key(["item ref"], "Order Items", ["select"])
                .name("fk item")
                .on_delete(FkAction::SetNull),
        );
    op.into_vec()
}

#[tokio::test]
async fn quoted_names_round_trip() {
    let ops = ops();
    let mut expected = Schema::new();
    apply_all(&mut expected, &ops).unwrap();
    each_database(async |db: TestDb| {
        let mut conn = Connection::connect(db.url()).await.unwrap();
        let dialect = conn.dialect();
        let statements = render_all(dialect, &ops, &Schema::new()).unwrap();
        conn.execute_statements(&statements).await.unwrap();
        let schema = introspect(&mut conn, &[]).await.unwrap();
        assert_eq!(schema, normalize_for(dialect, &expected), "{dialect}");
        let t = &schema.tables["Order Items"];
        assert_eq!(
            t.column("Mixed Case").unwrap().default,
            Some(DefaultValue::Text("a \"q\" 'b'".into()))
        );
        // The type's name is the database's (a column's own on MariaDB).
        let ColumnType::Enum(kind) = &t.column("kind").unwrap().ty else {
            panic!("{dialect}: kind is not an enum: {t:?}")
        };
        assert_eq!(schema.enums[kind].values, ["it's", "a,b", "(x)"]);
        conn.close().await.unwrap();
    })
    .await;
}

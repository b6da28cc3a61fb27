//! Names that need quoting, and odd literals, survive render → execute → introspect
//! on every dialect.

use stratum::db::Connection;
use stratum::dialect::{normalize_for, render_all};
use stratum::introspect::introspect;
use stratum::ops::Ops;
use stratum::prelude::*;
use stratum::schema::Schema;
use stratum::simulate::apply_all;
use stratum_testkit::{TestDb, each_backend};

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
        .check("ck:colon", "\"select\" > 0")
        .index(index("ix order", ["from", "Mixed Case"]));
    op.create_table("child table")
        .column(col("id", big_integer()).not_null())
        .column(col("item ref", integer()))
        .primary_key_named("child pk", ["id"])
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
    each_backend(async |db: TestDb| {
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
        assert_eq!(schema.enums["Odd Enum"].values, ["it's", "a,b", "(x)"]);
        conn.close().await.unwrap();
    })
    .await;
}

//! The server's own rules on a live MariaDB: statements rendered for the
//! connected server, a revision's `ALGORITHM=`/`LOCK=` carried out or refused
//! by the server with its reason, the index a foreign key needs, text columns
//! in keys, and sequences read back.

use sqlx::AssertSqlSafe;
use stratum::db::Connection;
use stratum::introspect::introspect;
use stratum::prelude::*;
use stratum::runner::{Goal, Migrator, ScriptPlanner, known_revisions};
use stratum::schema::Schema;
use stratum::script::{EmbeddedRevision, Script};
use stratum::simulate::apply_all;
use stratum_testkit::TestDb;

/// `schema` as MariaDB stores it and introspection reads it.
fn stored(schema: &Schema) -> Schema {
    let mut s = stratum::dialect::normalize_for(stratum::dialect::Dialect::Mysql, schema);
    stratum::dialect::mysql::as_introspected(&mut s);
    s
}

/// Renders `ops` for the connected server, runs them, and checks that the
/// database reads back as the simulated schema; returns that schema.
async fn run_and_compare(conn: &mut Connection, before: &Schema, ops: &[Op]) -> Schema {
    let sql = conn.sql_dialect();
    let mut schema = before.clone();
    for op in ops {
        let statements = sql.render(op, &schema).unwrap();
        conn.execute_statements(&statements)
            .await
            .unwrap_or_else(|e| panic!("{e}\n{statements:#?}"));
        apply_all(&mut schema, std::slice::from_ref(op)).unwrap();
        let live = introspect(conn, &[]).await.unwrap();
        assert_eq!(
            live,
            stored(&schema),
            "after {op:?}\nstatements {statements:#?}"
        );
    }
    schema
}

#[tokio::test]
async fn a_connection_renders_for_its_server() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let c = stratum::testing::driver::mysql(&mut conn).unwrap();
    let version: String = sqlx::query_scalar("SELECT VERSION()")
        .fetch_one(c)
        .await
        .unwrap();
    let sql = conn.sql_dialect();
    assert_eq!(sql.name(), "mariadb");
    let caps = sql.capabilities();
    // MariaDB 10.5.2 and later: RENAME COLUMN, CHECK, sequences, IF EXISTS.
    assert!(caps.rename_column && caps.check_constraints && caps.sequences && caps.if_exists);
    assert!(version.contains("MariaDB"), "{version}");
    conn.close().await.unwrap();
}

fn base(op: &mut Ops) {
    op.create_table("owner")
        .column(col("id", integer()).primary_key().autoincrement());
    op.create_table("pet")
        .column(col("id", integer()).primary_key().autoincrement())
        .column(col("name", varchar_n(20)).not_null().default_text("it's"))
        .column(col("owner_id", integer()).nullable())
        .column(col("bio", text()).nullable())
        .foreign_key(foreign_key(["owner_id"], "owner", ["id"]).name("fk_pet_owner"))
        .index(index("ix_pet_owner", ["owner_id"]));
}
fn nothing(_: &mut Ops) {}
fn widen_online(op: &mut Ops) {
    op.alter_column("pet", "name")
        .set_type(varchar_n(30))
        .mysql_algorithm(MysqlAlgorithm::Inplace)
        .mysql_lock(MysqlLock::None);
}
fn retype_instant(op: &mut Ops) {
    // A column no foreign key joins: a key between int and bigint is refused
    // before the server sees it.
    op.alter_column("pet", "id")
        .set_type(big_integer())
        .mysql_algorithm(MysqlAlgorithm::Instant);
}

static CHAIN: [EmbeddedRevision; 3] = [
    EmbeddedRevision {
        revision: Revision::new("r1").message("Pets"),
        upgrade: base,
        downgrade: nothing,
        file_name: "r1_pets.rs",
        source: "r1",
    },
    EmbeddedRevision {
        revision: Revision::new("r2").revises(&["r1"]).message("Widen online"),
        upgrade: widen_online,
        downgrade: nothing,
        file_name: "r2_widen.rs",
        source: "r2",
    },
    EmbeddedRevision {
        revision: Revision::new("r3")
            .revises(&["r2"])
            .message("Retype, instantly"),
        upgrade: retype_instant,
        downgrade: nothing,
        file_name: "r3_retype.rs",
        source: "r3",
    },
];

#[tokio::test]
async fn algorithm_and_lock_are_the_servers_to_refuse() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let script = Script::load(&CHAIN).unwrap();
    let known = known_revisions(&script);
    let mut m = Migrator::new(Connection::connect(db.url()).await.unwrap());
    let to_r2 = ScriptPlanner::new(&script, Goal::Upgrade("r2".into()));
    m.run(&known, &to_r2).await.unwrap();
    // A varchar widened within the same length bytes is done in place.
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let c = stratum::testing::driver::mysql(&mut conn).unwrap();
    let ty: String = sqlx::query_scalar(AssertSqlSafe(
        "SELECT CAST(COLUMN_TYPE AS CHAR) FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'pet' AND COLUMN_NAME = 'name'",
    ))
    .fetch_one(c)
    .await
    .unwrap();
    assert_eq!(ty, "varchar(30)");

    // int to bigint needs a table copy: ALGORITHM=INSTANT is refused by the
    // server, and the error says so, with the statement.
    let head = ScriptPlanner::new(&script, Goal::Upgrade("head".into()));
    let err = m.run(&known, &head).await.unwrap_err();
    let text = err.to_string();
    let chain = std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source())
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(" / ");
    assert!(
        chain.contains("ALGORITHM=INSTANT is not supported"),
        "{chain}"
    );
    assert!(text.contains("r3"), "the revision is named: {text}");
    assert_eq!(m.current_heads().await.unwrap().unwrap(), ["r2"]);
    conn.close().await.unwrap();
}

#[tokio::test]
async fn foreign_key_indexes_text_keys_and_sequences_read_back() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let mut ops = Ops::new();
    base(&mut ops);
    let schema = run_and_compare(&mut conn, &Schema::new(), ops.as_slice()).await;

    let mut ops = Ops::new();
    // The index the key uses goes: the key gets its own, which does not show.
    ops.drop_index("ix_pet_owner").table("pet");
    // An index over a text column (by prefix) and a unique key over one (hash).
    ops.create_index("ix_pet_bio", "pet", ["bio", "name"]);
    ops.create_unique_constraint("uq_pet_bio", "pet", ["bio"]);
    // The key goes with its own index.
    ops.drop_constraint("fk_pet_owner", "pet");
    // A varchar indexed whole becomes text, indexed by prefix.
    ops.alter_column("pet", "name").set_type(text());
    ops.create_sequence("pet_tag_seq", 100, 5);
    ops.add_column(
        "pet",
        col("price", numeric(10, 2))
            .not_null()
            .default(DefaultValue::Decimal("1.5".into())),
    );
    ops.create_check_constraint("ck_pet_price", "pet", "price is not null and price >= 0");
    let schema = run_and_compare(&mut conn, &schema, ops.as_slice()).await;

    // Dropping a column takes its indexes, keys and checks along.
    let mut ops = Ops::new();
    ops.drop_column("pet", "bio");
    ops.drop_column("pet", "price");
    ops.drop_sequence("pet_tag_seq");
    let schema = run_and_compare(&mut conn, &schema, ops.as_slice()).await;
    assert!(schema.sequences.is_empty());
    conn.close().await.unwrap();
}

/// The timeout settings the runner sends without knowing the flavour bound
/// MariaDB's statements, and are undone.
#[tokio::test]
async fn statement_timeouts_reach_mariadb() {
    let Some(db) = TestDb::mysql().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.unwrap();
    let backend = conn.backend();
    let settings = backend.timeout_settings(
        false,
        Some(std::time::Duration::from_secs(3)),
        Some(std::time::Duration::from_millis(2500)),
    );
    for s in &settings {
        conn.execute(s).await.unwrap();
    }
    let c = stratum::testing::driver::mysql(&mut conn).unwrap();
    let (statement, lock): (String, String) = sqlx::query_as(
        "SELECT CAST(@@SESSION.max_statement_time AS CHAR), CAST(@@SESSION.lock_wait_timeout AS CHAR)",
    )
    .fetch_one(&mut *c)
    .await
    .unwrap();
    assert_eq!((statement.as_str(), lock.as_str()), ("2.500000", "3"));
    for s in backend.timeout_reset_sql() {
        conn.execute(s).await.unwrap();
    }
    let c = stratum::testing::driver::mysql(&mut conn).unwrap();
    let statement: String = sqlx::query_scalar("SELECT CAST(@@SESSION.max_statement_time AS CHAR)")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(statement, "0.000000");
    conn.close().await.unwrap();
}

//! Fault case 16: `upgrade head`, `downgrade base`, `upgrade head` gives the same
//! catalog, and `downgrade base` leaves no table, enum type, sequence or index of
//! the chain behind (only the version and history tables).

mod common;

use common::Fixture;
use sqlx::Connection as _;
use stratum_testkit::{Backend, each_database};

/// Relations and types left in schema `public` (PostgreSQL), apart from the
/// bookkeeping tables and what belongs to them.
async fn leftovers(f: &Fixture) -> Vec<String> {
    let mut c = sqlx::PgConnection::connect(f.db.url()).await.unwrap();
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT relkind::text || ' ' || relname::text FROM pg_class \
         WHERE relnamespace = 'public'::regnamespace \
         AND relname NOT LIKE 'alembic_version%' AND relname NOT LIKE 'stratum_history%' \
         UNION ALL \
         SELECT 'type ' || typname::text FROM pg_type t \
         WHERE typnamespace = 'public'::regnamespace AND typtype = 'e'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    c.close().await.ok();
    names
}

#[tokio::test]
async fn round_trip_leaves_nothing_behind_and_rebuilds_the_same_catalog() {
    each_database(async |db| {
        let f = Fixture::new(db);
        f.run(&["upgrade", "head"]).success();
        let at_head = f.schema().await;
        assert!(!at_head.enums.is_empty() || f.db.backend() == Backend::Sqlite);

        f.run(&["downgrade", "base"]).success();
        let empty = f.schema().await;
        assert!(empty.tables.is_empty(), "{empty:?}");
        assert!(empty.enums.is_empty(), "{empty:?}");
        assert!(empty.sequences.is_empty(), "{empty:?}");
        assert!(f.version_rows().await.is_empty());
        if f.db.backend() == Backend::Postgres {
            assert_eq!(leftovers(&f).await, Vec::<String>::new());
        }

        f.run(&["upgrade", "head"]).success();
        assert_eq!(f.schema().await, at_head, "the rebuilt catalog differs");
    })
    .await;
}

//! The model structs read rows of the production schema: `sqlx::FromRow` on the
//! tables and `sqlx::Type` on the status enums agree with the database's columns and
//! enum labels, and the database fills in the defaults the models declare.

use std::path::PathBuf;

use smartem::model::{
    Acquisition, AcquisitionStatus, AgentInstruction, AgentSession, FoilHoleStatus, Grid,
    GridSquareStatus, GridStatus, Micrograph, MicrographStatus,
};
use sqlx::AssertSqlSafe;
use stratum::db::Connection;
use stratum::model::DbEnum;
use stratum_testkit::TestDb;

fn reference_sql() -> String {
    let dir = match std::env::var_os("STRATUM_SHARED_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|a| a.join("shared"))
            .find(|d| d.join("smartem/reference-schema.sql").is_file())
            .unwrap_or_else(|| PathBuf::from("shared")),
    };
    let path = dir.join("smartem/reference-schema.sql");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (set STRATUM_SHARED_DIR)",
            path.display()
        )
    })
}

#[tokio::test]
async fn model_structs_read_rows_with_database_defaults() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let mut conn = Connection::connect(db.url()).await.expect("connect");
    conn.execute(&reference_sql())
        .await
        .expect("load reference");
    conn.execute(
        "INSERT INTO acquisition (uuid) VALUES ('a1');
         INSERT INTO acquisition (uuid, name, status) VALUES ('a2', 'second', 'PAUSED');
         INSERT INTO grid (uuid, acquisition_uuid, name, prediction_updated_time)
             VALUES ('g1', 'a1', 'grid one', '2025-01-11 14:31:00');
         INSERT INTO micrograph (uuid, status) VALUES ('m1', 'CTF_COMPLETED');
         INSERT INTO agentsession (session_id, agent_id, acquisition_uuid)
             VALUES ('s1', 'agent', 'a1');
         INSERT INTO agentinstruction (session_id, agent_id, instruction_type, payload)
             VALUES ('s1', 'agent', 'start', '{\"n\": 1}');",
    )
    .await
    .expect("insert rows");
    let Some(pg) = stratum::testing::driver::postgres(&mut conn) else {
        unreachable!("TestDb::postgres gives a PostgreSQL URL")
    };

    let acquisitions: Vec<Acquisition> =
        sqlx::query_as(AssertSqlSafe("SELECT * FROM acquisition ORDER BY uuid"))
            .fetch_all(&mut *pg)
            .await
            .expect("read acquisitions");
    assert_eq!(acquisitions.len(), 2);
    assert_eq!(acquisitions[0].name, "Unknown");
    assert_eq!(acquisitions[0].status, Some(AcquisitionStatus::Planned));
    assert_eq!(acquisitions[1].name, "second");
    assert_eq!(acquisitions[1].status, Some(AcquisitionStatus::Paused));

    let grid: Grid = sqlx::query_as(AssertSqlSafe("SELECT * FROM grid"))
        .fetch_one(&mut *pg)
        .await
        .expect("read grid");
    assert_eq!(grid.status, Some(GridStatus::None));
    assert_eq!(grid.acquisition_uuid.as_deref(), Some("a1"));

    let micrograph: Micrograph = sqlx::query_as(AssertSqlSafe("SELECT * FROM micrograph"))
        .fetch_one(&mut *pg)
        .await
        .expect("read micrograph");
    assert_eq!(micrograph.status, Some(MicrographStatus::CtfCompleted));
    assert_eq!(micrograph.micrograph_id, "");

    let session: AgentSession = sqlx::query_as(AssertSqlSafe("SELECT * FROM agentsession"))
        .fetch_one(&mut *pg)
        .await
        .expect("read session");
    assert_eq!(session.status, "active");
    assert_eq!(session.created_at, session.last_activity_at);

    let instruction: AgentInstruction =
        sqlx::query_as(AssertSqlSafe("SELECT * FROM agentinstruction"))
            .fetch_one(&mut *pg)
            .await
            .expect("read instruction");
    assert_eq!(instruction.priority, "normal");
    assert_eq!(instruction.status, "pending");
    assert_eq!((instruction.retry_count, instruction.max_retries), (0, 3));
    assert_eq!(instruction.payload, Some(serde_json::json!({"n": 1})));
    assert!(!instruction.instruction_id.is_nil());

    // Writing an enum value goes through the same labels.
    sqlx::query(AssertSqlSafe(
        "UPDATE acquisition SET status = $1 WHERE uuid = 'a1'",
    ))
    .bind(AcquisitionStatus::Abandoned)
    .execute(&mut *pg)
    .await
    .expect("update with an enum parameter");
    let label: String = sqlx::query_scalar(AssertSqlSafe(
        "SELECT status::text FROM acquisition WHERE uuid = 'a1'",
    ))
    .fetch_one(&mut *pg)
    .await
    .expect("read label");
    assert_eq!(label, AcquisitionStatus::Abandoned.as_str());

    // sqlx's encoding of every variant is the label `#[derive(DbEnum)]` declares.
    async fn labels_agree<E>(pg: &mut sqlx::PgConnection, all: &[E])
    where
        E: Copy + std::fmt::Display + for<'q> sqlx::Encode<'q, sqlx::Postgres>,
        E: sqlx::Type<sqlx::Postgres> + DbEnum + Send + 'static,
    {
        let declared = E::enum_type();
        let mut encoded = Vec::new();
        // One statement text per type: a prepared statement keeps its parameter type.
        let sql = format!("SELECT $1::{}::text", declared.name);
        for v in all {
            let label: String = sqlx::query_scalar(AssertSqlSafe(sql.clone()))
                .bind(*v)
                .fetch_one(&mut *pg)
                .await
                .unwrap_or_else(|e| panic!("encode {v} of {}: {e}", declared.name));
            assert_eq!(label, v.to_string());
            encoded.push(label);
        }
        assert_eq!(encoded, declared.values);
    }
    labels_agree(pg, AcquisitionStatus::ALL).await;
    labels_agree(pg, GridStatus::ALL).await;
    labels_agree(pg, GridSquareStatus::ALL).await;
    labels_agree(pg, FoilHoleStatus::ALL).await;
    labels_agree(pg, MicrographStatus::ALL).await;
    conn.close().await.expect("close");
}

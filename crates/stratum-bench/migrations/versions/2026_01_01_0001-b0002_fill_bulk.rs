//! Fill table bulk with BENCH_BULK_ROWS rows
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("b0002")
    .revises(&["b0001"])
    .message("Fill table bulk with BENCH_BULK_ROWS rows")
    .created("2026-01-01 00:01:00");

pub fn upgrade(op: &mut Ops) {
    let rows = (0..crate::bulk_rows()).map(|i| {
        [
            serde_json::json!(i),
            serde_json::json!(format!("row-{i}")),
            serde_json::json!((i % 1000) as i64),
            serde_json::json!((i as f64) / 7.0),
            if i % 3 == 0 {
                serde_json::Value::Null
            } else {
                serde_json::json!(format!("note {i}"))
            },
        ]
    });
    op.bulk_insert_rows("bulk", ["id", "name", "qty", "ratio", "note"], rows);
}

pub fn downgrade(op: &mut Ops) {
    op.execute("DELETE FROM bulk");
}

//! Fill table bulk with BENCH_BULK_ROWS rows
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("b0002")
    .revises(&["b0001"])
    .message("Fill table bulk with BENCH_BULK_ROWS rows")
    .created("2026-01-01 00:01:00");

pub fn upgrade(op: &mut Ops) {
    let rows: Vec<serde_json::Value> = (0..crate::bulk_rows())
        .map(|i| {
            serde_json::json!({
                "id": i,
                "name": format!("row-{i}"),
                "qty": (i % 1000) as i64,
                "ratio": (i as f64) / 7.0,
                "note": if i % 3 == 0 { serde_json::Value::Null } else { format!("note {i}").into() },
            })
        })
        .collect();
    op.bulk_insert("bulk", serde_json::Value::Array(rows));
}

pub fn downgrade(op: &mut Ops) {
    op.execute("DELETE FROM bulk");
}

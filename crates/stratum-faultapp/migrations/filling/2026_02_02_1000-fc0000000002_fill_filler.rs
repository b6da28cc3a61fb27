//! Writes about 16 MB of rows in one transaction: more than a small disk holds.
use stratum::prelude::*;

pub const REVISION: Revision = Revision::new("fc0000000002")
    .revises(&["fc0000000001"])
    .message("Fill the filler table")
    .created("2026-02-02 10:00:00");

pub fn upgrade(op: &mut Ops) {
    op.execute_per_dialect()
        .sqlite(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 8000) \
             INSERT INTO filler (id, payload) SELECT i, hex(randomblob(1024)) FROM n",
        )
        .postgres(
            "INSERT INTO filler (id, payload) \
             SELECT i, repeat(md5(i::text), 64) FROM generate_series(1, 8000) AS i",
        );
}

pub fn downgrade(op: &mut Ops) {
    op.execute("DELETE FROM filler");
}

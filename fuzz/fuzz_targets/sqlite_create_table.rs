//! SQL text read from catalogs: the `CREATE TABLE` and `CREATE INDEX` statements
//! SQLite keeps in `sqlite_master` (constraint names, checks, enum checks,
//! `AUTOINCREMENT`, foreign keys as written), declared types and defaults, and
//! PostgreSQL's formatted types, defaults and check definitions.
//!
//! A table's text is whatever created it, including statements written by hand
//! or by other tools, so the readers must take anything.
//!
//! Properties: nothing panics; every token's byte range is in order, inside the
//! text, on character boundaries, and holds the token's text; reading is
//! deterministic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use stratum::introspect::read_catalog_text;

fuzz_target!(|data: &[u8]| {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    let first = read_catalog_text(sql);
    assert_eq!(read_catalog_text(sql), first);
    // The same text as the body of a table.
    let _ = read_catalog_text(&format!("CREATE TABLE t ({sql})"));
});

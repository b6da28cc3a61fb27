//! Default constraint and index names, following PostgreSQL's and SQLAlchemy's
//! conventions so that names match what those tools produce.

/// `<table>_pkey`.
pub fn primary_key(table: &str) -> String {
    format!("{table}_pkey")
}

/// `<table>_<col>[_<col>...]_fkey`.
pub fn foreign_key(table: &str, columns: &[String]) -> String {
    format!("{table}_{}_fkey", columns.join("_"))
}

/// `<table>_<col>[_<col>...]_key`.
pub fn unique(table: &str, columns: &[String]) -> String {
    format!("{table}_{}_key", columns.join("_"))
}

/// `ix_<table>_<col>[_<col>...]`.
pub fn index(table: &str, columns: &[String]) -> String {
    format!("ix_{table}_{}", columns.join("_"))
}

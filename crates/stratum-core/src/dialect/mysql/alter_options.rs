//! `ALGORITHM=` and `LOCK=` of an `ALTER TABLE` on MariaDB and MySQL, written
//! only when a revision asks for them (on a column change), so that the server
//! refuses the change rather than copying or locking the table more than the
//! revision allows. Other databases ignore them.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How the server may carry out the change (`ALGORITHM=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MysqlAlgorithm {
    /// The server chooses (`DEFAULT`).
    Default,
    /// Metadata only (`INSTANT`: MariaDB 10.3+, MySQL 8.0.12+).
    Instant,
    /// In place, without copying the table (`INPLACE`).
    Inplace,
    /// In place, rebuilding the clustered index without a copy (`NOCOPY`:
    /// MariaDB 10.3+; MySQL has none).
    Nocopy,
    /// A full table copy (`COPY`).
    Copy,
}

/// How much the server may lock the table during the change (`LOCK=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MysqlLock {
    /// The least the algorithm needs (`DEFAULT`).
    Default,
    /// Reads and writes go on (`NONE`).
    None,
    /// Reads go on, writes wait (`SHARED`).
    Shared,
    /// Everything waits (`EXCLUSIVE`).
    Exclusive,
}

/// The `ALGORITHM=` and `LOCK=` clauses a column change asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct MysqlAlter {
    /// `ALGORITHM=`, when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<MysqlAlgorithm>,
    /// `LOCK=`, when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<MysqlLock>,
}

impl fmt::Display for MysqlAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MysqlAlgorithm::Default => "DEFAULT",
            MysqlAlgorithm::Instant => "INSTANT",
            MysqlAlgorithm::Inplace => "INPLACE",
            MysqlAlgorithm::Nocopy => "NOCOPY",
            MysqlAlgorithm::Copy => "COPY",
        })
    }
}

impl fmt::Display for MysqlLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MysqlLock::Default => "DEFAULT",
            MysqlLock::None => "NONE",
            MysqlLock::Shared => "SHARED",
            MysqlLock::Exclusive => "EXCLUSIVE",
        })
    }
}

impl MysqlAlter {
    /// The clauses to append to an `ALTER TABLE`'s list (`ALGORITHM=INPLACE`,
    /// `LOCK=NONE`), in that order.
    pub fn clauses(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(a) = self.algorithm {
            out.push(format!("ALGORITHM={a}"));
        }
        if let Some(l) = self.lock {
            out.push(format!("LOCK={l}"));
        }
        out
    }
}

//! The progress table of an online run: one row per finished step (and the
//! position of an unfinished backfill), so that a run killed at any point
//! resumes where it stopped. Its name derives from the version table's
//! (`<version table>_online`); it is dropped when a revision completes.

use crate::db::Connection;
use crate::runner::conn::fetch_text_rows;
use crate::runner::errors::RunError;
use std::collections::BTreeMap;
use stratum_core::dialect::{Dialect, quote_ident, quote_literal};

/// What an interrupted run recorded for one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recorded {
    pub(crate) description: String,
    pub(crate) done: bool,
    pub(crate) position: Option<String>,
}

/// The progress table of a run.
#[derive(Debug, Clone)]
pub(crate) struct ProgressTable {
    pub(crate) name: String,
}

fn lit(s: &str) -> String {
    quote_literal(s, Dialect::Postgres)
}

impl ProgressTable {
    /// The progress table that goes with a version table.
    pub(crate) fn for_version_table(version_table: &str) -> Self {
        Self {
            name: format!("{version_table}_online"),
        }
    }

    pub(crate) fn create_sql(&self) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (revision VARCHAR(32) NOT NULL, direction VARCHAR(10) NOT NULL, \
             step INTEGER NOT NULL, description TEXT NOT NULL, done BOOLEAN NOT NULL, position TEXT, \
             updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), PRIMARY KEY (revision, direction, step))",
            quote_ident(&self.name)
        )
    }

    /// Drops the table (in the transaction that completes a revision).
    pub(crate) fn drop_sql(&self) -> String {
        format!("DROP TABLE IF EXISTS {}", quote_ident(&self.name))
    }

    /// Records a step's state (insert or update).
    pub(crate) fn record_sql(
        &self,
        revision: &str,
        direction: &str,
        step: usize,
        description: &str,
        done: bool,
        position: Option<&str>,
    ) -> String {
        format!(
            "INSERT INTO {} (revision, direction, step, description, done, position) VALUES ({}, {}, {step}, {}, {done}, {}) \
             ON CONFLICT (revision, direction, step) DO UPDATE SET done = EXCLUDED.done, position = EXCLUDED.position, updated_at = now()",
            quote_ident(&self.name),
            lit(revision),
            lit(direction),
            lit(description),
            position.map(lit).unwrap_or_else(|| "NULL".to_string())
        )
    }

    pub(crate) async fn ensure(&self, conn: &mut Connection) -> Result<(), RunError> {
        conn.execute(&self.create_sql())
            .await
            .map(|_| ())
            .map_err(|e| RunError::on_table("creating the online progress table", &self.name, e))
    }

    /// The recorded steps of a revision, by 1-based step number.
    pub(crate) async fn read(
        &self,
        conn: &mut Connection,
        revision: &str,
        direction: &str,
    ) -> Result<BTreeMap<usize, Recorded>, RunError> {
        let sql = format!(
            "SELECT CAST(step AS TEXT), description, CAST(done AS TEXT), position FROM {} WHERE revision = {} AND direction = {}",
            quote_ident(&self.name),
            lit(revision),
            lit(direction)
        );
        let rows = fetch_text_rows(conn, &sql)
            .await
            .map_err(|e| RunError::on_table("reading the online progress table", &self.name, e))?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let mut it = row.into_iter();
                let step = it.next()??.parse().ok()?;
                let description = it.next()??;
                let done = matches!(it.next()??.as_str(), "true" | "t");
                let position = it.next().flatten();
                Some((
                    step,
                    Recorded {
                        description,
                        done,
                        position,
                    },
                ))
            })
            .collect())
    }
}

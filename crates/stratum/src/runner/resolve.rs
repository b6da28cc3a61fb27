//! Partly applied revisions seen from outside a run: listing them, refusing a
//! run that would not finish them first, and `resolve`, which records the
//! outcome of a repair by hand (the revision finished, or what ran undone)
//! without running any of its statements.

use super::errors::RunError;
use super::events::Event;
use super::executor::{begin, rollback, same_heads};
use super::history::{Elapsed, HistoryTable, applied_by};
use super::lock::MigrationLock;
use super::migrator::{Migrator, RunOptions, locked};
use super::plan::{KnownRevision, Plan, direction_word};
use super::progress::{PartialRevision, ProgressTable, partials};
use super::session::name_table_blockers;
use crate::db::Connection;

/// What `resolve` records about a partly applied revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The rest of the revision was applied by hand: the version table moves
    /// as the revision would have moved it, a history row says so, and the
    /// progress rows go.
    Applied,
    /// What ran was undone by hand: the progress rows go, the version table
    /// stays as it is.
    RolledBack,
}

/// The partly applied revisions recorded in the database.
pub(crate) async fn read_partials(
    conn: &mut Connection,
    options: &RunOptions,
) -> Result<Vec<PartialRevision>, RunError> {
    let rows = ProgressTable::for_history(&options.history_table)
        .read_all(conn)
        .await?;
    Ok(partials(rows))
}

/// Refuses a plan that does not start by finishing the partly applied
/// revision (there is at most one: a run stops at the first failure).
pub(crate) async fn refuse_partial(
    conn: &mut Connection,
    options: &RunOptions,
    plan: &Plan,
) -> Result<(), RunError> {
    let Some(first) = plan.steps.first() else {
        return Ok(());
    };
    for partial in read_partials(conn, options).await? {
        if partial.revision != first.id || partial.direction != first.direction {
            return Err(RunError::PartlyApplied {
                what: format!("{} {}", direction_word(first.direction), first.id),
                partial: Box::new(partial),
            });
        }
    }
    Ok(())
}

impl Migrator {
    /// The revisions that stopped part-way (statement progress recorded, the
    /// version table not moved), without the lock. Empty on a database where
    /// every revision ran whole.
    pub async fn partial_revisions(&mut self) -> Result<Vec<PartialRevision>, RunError> {
        let options = self.options().clone();
        let conn = self.prepared().await?;
        match read_partials(conn, &options).await {
            Ok(found) => Ok(found),
            Err(e) => Err(name_table_blockers(conn, e).await),
        }
    }

    /// Records, under the migration lock, how a partly applied `revision` was
    /// repaired by hand (see [`Resolution`]). `known` gives the checksum
    /// written in the history row. Refuses ([`RunError::NotPartlyApplied`]) a
    /// revision with no recorded progress. Returns what was recorded.
    pub async fn resolve(
        &mut self,
        known: &[KnownRevision],
        revision: &str,
        resolution: Resolution,
    ) -> Result<PartialRevision, RunError> {
        self.prepared().await?;
        let (conn, options, sink, cancel) = self.parts();
        locked(conn, options, sink, cancel, async |lock| {
            resolve_locked(lock, options, sink, known, revision, resolution).await
        })
        .await
    }
}

async fn resolve_locked(
    lock: &mut MigrationLock<'_>,
    options: &RunOptions,
    sink: &dyn super::events::EventSink,
    known: &[KnownRevision],
    revision: &str,
    resolution: Resolution,
) -> Result<PartialRevision, RunError> {
    let conn = lock.conn()?;
    let Some(partial) = read_partials(conn, options)
        .await?
        .into_iter()
        .find(|p| p.revision == revision)
    else {
        return Err(RunError::NotPartlyApplied {
            revision: revision.to_string(),
        });
    };
    let progress = ProgressTable::for_history(&options.history_table);
    let clear = progress.clear_sql(conn.dialect(), &partial.revision, partial.direction);
    if resolution == Resolution::RolledBack {
        conn.execute(&clear)
            .await
            .map_err(|e| RunError::on_table("clearing the progress table", &progress.name, e))?;
        sink.emit(&Event::Resolved {
            id: partial.revision.clone(),
            resolution,
        });
        return Ok(partial);
    }
    let heads = options
        .version_table
        .read_heads(conn)
        .await?
        .unwrap_or_default();
    if !same_heads(&heads, &partial.heads_before) {
        return Err(RunError::ResolveHeadsMoved {
            revision: partial.revision.clone(),
            expected: partial.heads_before.clone(),
            found: heads,
        });
    }
    let by = format!(
        "{} (resolve --applied after {} of {} statements ran)",
        applied_by(conn).await,
        partial.applied,
        partial.total
    );
    let checksum = known
        .iter()
        .find(|k| k.id == partial.revision)
        .map(|k| k.checksum.as_str());
    let history = HistoryTable {
        name: &options.history_table,
    };
    begin(conn, "starting the resolve transaction").await?;
    let body = async {
        let dialect = conn.dialect();
        for (sql, expected) in options.version_table.update_statements(
            dialect,
            &partial.heads_before,
            &partial.heads_after,
        ) {
            let affected = conn.execute(&sql).await.map_err(|e| {
                RunError::on_table(
                    "updating the version table",
                    options.version_table.name(),
                    e,
                )
            })?;
            if affected != expected {
                return Err(RunError::ConcurrentChange {
                    revision: partial.revision.clone(),
                    expected: partial.heads_before.clone(),
                    found: Vec::new(),
                });
            }
        }
        let row = history.insert_sql(
            conn.backend(),
            &partial.revision,
            direction_word(partial.direction),
            checksum,
            Elapsed::Millis(0),
            &by,
        );
        conn.execute(&row)
            .await
            .map_err(|e| RunError::on_table("writing the history row", history.name, e))?;
        conn.execute(&clear)
            .await
            .map_err(|e| RunError::on_table("clearing the progress table", &progress.name, e))?;
        conn.execute("COMMIT")
            .await
            .map_err(|e| RunError::db("committing the resolve", e))?;
        Ok(())
    }
    .await;
    if body.is_err() {
        rollback(conn).await;
    }
    body?;
    sink.emit(&Event::Resolved {
        id: partial.revision.clone(),
        resolution,
    });
    Ok(partial)
}

//! `stamp`: setting the version table without running anything, under the
//! migration lock, in one transaction with its history rows. Refused while a
//! revision is partly applied.

use super::errors::RunError;
use super::events::{Event, EventSink};
use super::executor::begin;
use super::history::{Elapsed, HistoryTable, STAMP, applied_by};
use super::integrity::verify;
use super::lock::MigrationLock;
use super::migrator::{RunOptions, RunReport, ensure_tables};
use super::plan::{KnownRevision, StampTarget};
use super::resolve::read_partials;

pub(crate) async fn stamp_locked(
    lock: &mut MigrationLock<'_>,
    options: &RunOptions,
    sink: &dyn EventSink,
    known: &[KnownRevision],
    stamp_target: &dyn StampTarget,
    purge: bool,
) -> Result<RunReport, RunError> {
    let conn = lock.conn()?;
    let history = HistoryTable {
        name: &options.history_table,
    };
    let (current, versioned) = if purge {
        (Vec::new(), options.version_table.exists(conn).await?)
    } else {
        let found = options.version_table.read_heads(conn).await?;
        let versioned = found.is_some();
        let heads = found.unwrap_or_default();
        verify(&heads, known, &history.latest(conn).await?, false)?;
        (heads, versioned)
    };
    // A revision that stopped part-way is finished or resolved first: a stamp
    // would move the version table past work that is half done.
    if let Some(partial) = read_partials(conn, options).await?.into_iter().next() {
        return Err(RunError::PartlyApplied {
            what: "stamp".to_string(),
            partial: Box::new(partial),
        });
    }
    let target = stamp_target.heads(&current).map_err(RunError::Plan)?;
    for id in &target {
        if !known.iter().any(|k| &k.id == id) {
            return Err(RunError::StampUnknown {
                revision: id.clone(),
            });
        }
    }
    let mut target = target;
    target.sort();
    target.dedup();
    ensure_tables(conn, options, sink, versioned).await?;
    let by = applied_by(conn).await;
    begin(conn, "starting the stamp transaction").await?;
    let vt = options.version_table.name();
    let body = async {
        let before = if purge {
            // Read the rows being purged for the report, without validating them.
            let rows = super::conn::fetch_text_rows(
                conn,
                &options.version_table.heads_sql(conn.dialect()),
            )
            .await
            .map_err(|e| RunError::on_table("reading the version table", vt, e))?;
            conn.execute(&options.version_table.purge_sql())
                .await
                .map_err(|e| RunError::on_table("purging the version table", vt, e))?;
            rows.into_iter()
                .filter_map(|r| r.into_iter().next().flatten())
                .collect()
        } else {
            options
                .version_table
                .read_heads(conn)
                .await?
                .unwrap_or_default()
        };
        let from = if purge { Vec::new() } else { before.clone() };
        for (sql, _) in options
            .version_table
            .update_statements(conn.dialect(), &from, &target)
        {
            conn.execute(&sql)
                .await
                .map_err(|e| RunError::on_table("updating the version table", vt, e))?;
        }
        for id in target.iter().filter(|t| !from.contains(t)) {
            let checksum = known
                .iter()
                .find(|k| &k.id == id)
                .map(|k| k.checksum.as_str());
            let backend = conn.backend();
            conn.execute(&history.insert_sql(
                backend,
                id,
                STAMP,
                checksum,
                Elapsed::Millis(0),
                &by,
            ))
            .await
            .map_err(|e| RunError::on_table("writing the history row", history.name, e))?;
        }
        conn.execute("COMMIT")
            .await
            .map_err(|e| RunError::db("committing the stamp", e))?;
        Ok(before)
    }
    .await;
    let before = match body {
        Ok(b) => b,
        Err(e) => {
            let _ = conn.execute("ROLLBACK").await;
            return Err(e);
        }
    };
    sink.emit(&Event::Stamped {
        from: before.clone(),
        to: target.clone(),
    });
    Ok(RunReport {
        heads_before: before,
        heads_after: target,
        applied: Vec::new(),
    })
}

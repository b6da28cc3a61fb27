//! `squash --to REV`: one baseline revision that replaces the chain from base to
//! `REV`. Its upgrade creates the simulated schema at `REV` (written by the same
//! code generator as autogenerate) and then replays the range's data ops that must
//! survive, such as seed rows; a data op its revision marked with
//! `Ops::droppable_in_squash` is left out. The baseline's header lists every id it
//! replaces, so a database inside the range can still finish it with the old files
//! and later revisions keep naming their old parent.

use super::LineageError;
use crate::runner::{Migrator, schema_at};
use crate::script::{NewRevision, Script, new_revision_source};
use std::collections::BTreeSet;
use stratum_core::codegen::{Generated, generate_ops};
use stratum_core::diff::{Difference, create_all, differences};
use stratum_core::ops::Op;
use stratum_core::schema::Schema;

/// A data op of the range and what becomes of it.
#[derive(Debug, Clone)]
pub struct DataOp {
    /// The revision that records it.
    pub revision: String,
    /// The op.
    pub op: Op,
    /// Why it is left out, when it is.
    pub dropped: Option<String>,
}

/// A checked squash, not yet written.
#[derive(Debug, Clone)]
pub struct SquashPlan {
    /// The last revision of the range.
    pub to: String,
    /// The revisions of the range, oldest first.
    pub range: Vec<String>,
    /// Every id the baseline replaces: the range, and the ids earlier baselines
    /// in the range replaced.
    pub replaces: Vec<String>,
    /// The schema at `to`.
    pub schema: Schema,
    /// The range's data ops, carried or dropped.
    pub data: Vec<DataOp>,
    /// The baseline's functions.
    pub generated: Generated,
}

fn graph(message: String) -> LineageError {
    LineageError::Graph(message)
}

/// Why a data op cannot be replayed on the schema at the end of the range.
fn unreplayable(op: &Op, schema: &Schema) -> Option<String> {
    let table = match op {
        Op::BulkInsert { table, .. } | Op::BulkDelete { table, .. } => table,
        _ => return None,
    };
    schema
        .table(table)
        .is_none()
        .then(|| format!("table {table} no longer exists at the end of the range"))
}

/// Plans the baseline replacing base..`to`.
pub fn plan_squash(script: &Script, to: &str) -> Result<SquashPlan, LineageError> {
    if let Some(legacy) = script.legacy() {
        let ids: Vec<&str> = legacy.iter().map(|n| n.id.as_str()).collect();
        return Err(graph(format!(
            "an earlier squash is not finalized: the files of {} are still here; run `squash --finalize` first",
            ids.join(", ")
        )));
    }
    let map = script.map();
    let to = map
        .lookup(to)
        .map_err(|e| graph(e.to_string()))?
        .to_string();
    let range: Vec<String> = map
        .applied(std::slice::from_ref(&to))
        .map_err(|e| graph(e.to_string()))?
        .into_iter()
        .map(str::to_string)
        .collect();
    if range.len() < 2 {
        return Err(graph(format!(
            "{to} is the first revision: there is nothing to squash"
        )));
    }
    let in_range: BTreeSet<&str> = range.iter().map(String::as_str).collect();
    for id in range.iter().filter(|id| **id != to) {
        let children = map.children(id).map_err(|e| graph(e.to_string()))?;
        if let Some(out) = children.iter().find(|c| !in_range.contains(*c)) {
            return Err(graph(format!(
                "revision {out} branches off {id}, inside the range; squash up to a revision every \
                 branch has passed (a merge), or rebase {out} first"
            )));
        }
    }
    let mut replaces = range.clone();
    for (old, baseline) in script.replacements() {
        if in_range.contains(baseline.as_str()) && !replaces.contains(old) {
            replaces.push(old.clone());
        }
    }
    let simulate = |e: Box<dyn std::error::Error + Send + Sync>| LineageError::Simulate {
        revision: to.clone(),
        reason: e.to_string(),
    };
    let schema = schema_at(script, std::slice::from_ref(&to)).map_err(simulate)?;
    let mut data = Vec::new();
    for id in &range {
        let ops = script
            .upgrade_ops_marked(id)
            .map_err(|e| graph(e.to_string()))?;
        for (op, droppable) in ops {
            if !op.is_data_change() {
                continue;
            }
            let dropped = if droppable {
                Some("marked droppable in a squash".to_string())
            } else {
                unreplayable(&op, &schema)
            };
            data.push(DataOp {
                revision: id.clone(),
                op,
                dropped,
            });
        }
    }
    let mut ops = create_all(&schema);
    ops.extend(
        data.iter()
            .filter(|d| d.dropped.is_none())
            .map(|d| d.op.clone()),
    );
    let generated = generate_ops(&Schema::default(), &ops, &[]);
    Ok(SquashPlan {
        to,
        range,
        replaces,
        schema,
        data,
        generated,
    })
}

/// The source of the baseline file: [`new_revision_source`] with a
/// `.replaces(&[...])` line in its header.
pub fn baseline_source(rev: &NewRevision, replaces: &[String]) -> String {
    let source = new_revision_source(rev);
    let list: Vec<String> = replaces.iter().map(|r| format!("{r:?}")).collect();
    let line = format!("\n    .replaces(&[{}])", list.join(", "));
    match source.find(");\n\npub fn upgrade") {
        Some(at) => format!("{}){line}{}", &source[..at], &source[at + 1..]),
        None => source,
    }
}

/// Compares a baseline with the chain it replaces: the simulated schema after the
/// replaced revisions still compiled in, and after the baseline's own ops.
/// `None` when the replaced files are gone (nothing left to compare with).
pub fn check_baseline(
    script: &Script,
    baseline: &str,
) -> Result<Option<Vec<Difference>>, LineageError> {
    let Some(legacy) = script.legacy() else {
        return Ok(None);
    };
    let ends: Vec<String> = legacy
        .heads()
        .into_iter()
        .filter(|h| script.replaced_by(h) == Some(baseline))
        .map(str::to_string)
        .collect();
    if ends.is_empty() {
        return Ok(None);
    }
    let simulate = |revision: &str| {
        let revision = revision.to_string();
        move |e: Box<dyn std::error::Error + Send + Sync>| LineageError::Simulate {
            revision,
            reason: e.to_string(),
        }
    };
    let replaced = schema_at(script, &ends).map_err(simulate(&ends[0]))?;
    let mine = schema_at(script, &[baseline.to_string()]).map_err(simulate(baseline))?;
    Ok(Some(differences(&replaced, &mine)))
}

/// [`retired_heads`] for the database `migrator` works on: the refusal every
/// upgrade or downgrade gives before planning. `None` too when the heads cannot
/// be read (the run then reports why).
pub async fn retired_heads_of(migrator: &mut Migrator, script: &Script) -> Option<String> {
    let heads = migrator.current_heads().await.ok()??;
    retired_heads(script, &heads)
}

/// The message for a database whose version rows name revisions a baseline
/// replaced and whose files are gone: it cannot be moved by this build.
pub fn retired_heads(script: &Script, heads: &[String]) -> Option<String> {
    let gone: Vec<(&String, &str)> = heads
        .iter()
        .filter(|h| script.get(h).is_none())
        .filter_map(|h| script.replaced_by(h).map(|b| (h, b)))
        .collect();
    let (first, baseline) = gone.first()?;
    Some(format!(
        "the database is at {first}, older than any revision this build holds: baseline {baseline} \
         replaced it and its file was removed. Upgrade it with a build from before the squash was \
         finalized (it then reaches {baseline}), or, if its schema is that of a revision here, \
         `stamp --detect`"
    ))
}

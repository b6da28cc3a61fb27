//! `rebase REV --onto TARGET`: re-parents a revision that no database has applied
//! (and everything after it) onto another revision, typically the head that
//! parallel work produced. The files' graph is rewired, the compiled revisions'
//! ops are folded over it by the simulator, every configured database is asked
//! what it has applied, and only then is the header of REV's file rewritten.

use super::args::RebaseArgs;
use super::context::Ctx;
use super::environments::{configured, known_by};
use super::error::CliError;
use super::exit::Exit;
use super::files::disk_graph;
use crate::lineage::rebase::{plan_rebase, rewrite_parents, simulate_map};
use crate::script::checksum;
use crate::script::disk::scan_dir;
use serde_json::json;
use std::collections::BTreeSet;
use stratum_core::diff::differences;

fn refused(message: impl Into<String>) -> CliError {
    CliError::new(Exit::Refused, message)
}

/// `rebase`.
pub async fn rebase(ctx: &Ctx<'_>, args: &RebaseArgs) -> Result<Exit, CliError> {
    let (dir, disk) = disk_graph(ctx)?;
    let files = scan_dir(&dir)?;
    let revision = disk.lookup(&args.revision)?.to_string();
    let onto = match disk.resolve_str(&args.onto, &[])?.as_slice() {
        [one] => (*one).to_string(),
        several => {
            return Err(CliError::new(
                Exit::Usage,
                format!(
                    "--onto {} names {} revisions ({}); name one",
                    args.onto,
                    several.len(),
                    several.join(", ")
                ),
            ));
        }
    };
    let plan = plan_rebase(&files, &revision, &onto)
        .map_err(|e| CliError::new(Exit::Usage, e.to_string()))?;

    // The rebased chain must still apply and reach the models.
    let script = ctx.script()?;
    let unbuilt: Vec<&str> = files
        .iter()
        .filter(|f| script.get(&f.id).is_none())
        .map(|f| f.id.as_str())
        .collect();
    if !unbuilt.is_empty() {
        return Err(refused(format!(
            "the binary was not built with revision(s) {}; their ops cannot be simulated",
            unbuilt.join(", ")
        ))
        .hint("rebuild first (cargo build), then run the command again"));
    }
    let schema = simulate_map(&plan.map, |id| {
        script.upgrade_ops(id).map_err(|e| e.to_string())
    })
    .map_err(|e| refused(format!("the rebased chain does not apply: {e}")))?;
    let heads: Vec<String> = plan.map.heads().into_iter().map(str::to_string).collect();
    let mut reaches_models = None;
    if let (Some(models), [_]) = (ctx.app.target_schema, heads.as_slice()) {
        let found = differences(&schema, &models());
        if !found.is_empty() {
            let lines: Vec<String> = found
                .iter()
                .map(|d| d.describe("rebased chain", "models"))
                .collect();
            return Err(refused(format!(
                "the rebased chain does not reach the models' schema:\n  - {}",
                lines.join("\n  - ")
            )));
        }
        reaches_models = Some(true);
    }

    // No configured database may know a moved revision.
    let moved: BTreeSet<&str> = plan.moved.iter().map(String::as_str).collect();
    let mut checked = Vec::new();
    for db in configured(ctx)? {
        let known = known_by(ctx, &db).await?;
        let mut hits: BTreeSet<String> = known
            .history
            .iter()
            .filter(|r| moved.contains(r.as_str()))
            .cloned()
            .collect();
        for row in &known.rows {
            if moved.contains(row.as_str()) {
                hits.insert(row.clone());
            }
            if let Ok(applied) = disk.applied(std::slice::from_ref(row)) {
                hits.extend(
                    applied
                        .into_iter()
                        .filter(|a| moved.contains(a))
                        .map(str::to_string),
                );
            }
        }
        if !hits.is_empty() {
            let hits: Vec<String> = hits.into_iter().collect();
            return Err(refused(format!(
                "{} ({}) has applied {}; a revision a database knows cannot be moved",
                db.label,
                db.target.url,
                hits.join(", ")
            ))
            .hint("write a new revision on top of the head instead, or `merge` the heads"));
        }
        checked.push(db.label);
    }

    let file = files
        .iter()
        .find(|f| f.id == revision)
        .map(|f| f.path.clone())
        .ok_or_else(|| refused(format!("no file declares {revision}")))?;
    let io = |e: std::io::Error| refused(format!("cannot rewrite {}: {e}", file.display()));
    let source = std::fs::read_to_string(&file).map_err(io)?;
    let rewritten = rewrite_parents(&source, std::slice::from_ref(&onto)).ok_or_else(|| {
        refused(format!(
            "{}: the REVISION header could not be found to rewrite",
            file.display()
        ))
    })?;
    let (before, after) = (checksum(&source), checksum(&rewritten));
    if !args.dry_run {
        std::fs::write(&file, &rewritten).map_err(io)?;
    }
    if ctx.json() {
        ctx.printer.json(&json!({
            "revision": revision,
            "old_parents": plan.old_parents,
            "onto": onto,
            "moved": plan.moved,
            "heads_after": heads,
            "file": file.display().to_string(),
            "checksum_before": before,
            "checksum_after": after,
            "checked_databases": checked,
            "reaches_models": reaches_models,
            "written": !args.dry_run,
        }));
        return Ok(Exit::Success);
    }
    let p = &ctx.printer;
    p.out(format!(
        "{} {revision} from {} onto {onto} (moves {})",
        if args.dry_run {
            "Would rebase"
        } else {
            "Rebased"
        },
        crate::runner::heads_or_base(&plan.old_parents),
        plan.moved.join(", ")
    ));
    p.out(format!("  file: {}", file.display()));
    p.out(format!("  checksum: {before} -> {after}"));
    p.out(format!("  heads after: {}", heads.join(", ")));
    if reaches_models.is_some() {
        p.out("  the simulated chain reaches the models' schema");
    }
    if checked.is_empty() {
        p.info("no configured database to check");
    } else {
        p.out(format!(
            "  no database has applied them: {}",
            checked.join(", ")
        ));
    }
    if !args.dry_run {
        p.info("rebuild the binary to include the change (cargo build)");
    }
    Ok(Exit::Success)
}

//! `squash --to REV` writes a baseline revision replacing base..REV;
//! `squash --finalize` removes the replaced files once no configured database is
//! inside the range any more.

use super::args::SquashArgs;
use super::context::Ctx;
use super::environments::{configured, known_by};
use super::error::CliError;
use super::exit::Exit;
use super::files::{disk_graph, now};
use crate::lineage::squash::{baseline_source, plan_squash};
use crate::script::NewRevision;
use crate::script::disk::scan_dir;
use serde_json::json;
use std::collections::BTreeMap;

fn refused(message: impl Into<String>) -> CliError {
    CliError::new(Exit::Refused, message)
}

/// `squash`.
pub async fn squash(ctx: &Ctx<'_>, args: &SquashArgs) -> Result<Exit, CliError> {
    match &args.to {
        Some(to) if !args.finalize => write_baseline(ctx, args, to),
        _ => finalize(ctx, args).await,
    }
}

fn write_baseline(ctx: &Ctx<'_>, args: &SquashArgs, to: &str) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let (dir, disk) = disk_graph(ctx)?;
    let unbuilt: Vec<String> = disk
        .iter()
        .filter(|n| script.get(&n.id).is_none())
        .map(|n| n.id.clone())
        .collect();
    if !unbuilt.is_empty() {
        return Err(refused(format!(
            "the binary was not built with revision(s) {}; the squash would miss them",
            unbuilt.join(", ")
        ))
        .hint("rebuild first (cargo build), then run the command again"));
    }
    let plan = plan_squash(&script, to).map_err(|e| refused(e.to_string()))?;
    let id = match &args.rev_id {
        Some(id) => {
            stratum_core::revision::validate_id(id)?;
            if script.get(id).is_some() || script.replaced_by(id).is_some() {
                return Err(CliError::new(
                    Exit::Usage,
                    format!("revision id {id} is already used"),
                ));
            }
            id.clone()
        }
        None => crate::script::new_rev_id(),
    };
    let message = args.message.clone().unwrap_or_else(|| {
        format!(
            "Baseline replacing {}..{}",
            plan.range.first().map(String::as_str).unwrap_or(""),
            plan.to
        )
    });
    let rev = NewRevision {
        id,
        parents: Vec::new(),
        message,
        created: now(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        upgrade_body: Some(plan.generated.upgrade.clone()),
        downgrade_body: Some(plan.generated.downgrade.clone()),
        irreversible: plan.generated.irreversible,
        file_template: crate::script::DEFAULT_FILE_TEMPLATE.to_string(),
    };
    let path = dir.join(rev.file_name()?);
    let source = baseline_source(&rev, &plan.replaces);
    let io = |e: std::io::Error| refused(format!("cannot write {}: {e}", path.display()));
    {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(io)?;
        file.write_all(source.as_bytes()).map_err(io)?;
    }
    let carried: Vec<String> = plan
        .data
        .iter()
        .filter(|d| d.dropped.is_none())
        .map(|d| format!("{} (from {})", d.op, d.revision))
        .collect();
    let dropped: Vec<String> = plan
        .data
        .iter()
        .filter_map(|d| {
            d.dropped
                .as_ref()
                .map(|why| format!("{} (from {}): {why}", d.op, d.revision))
        })
        .collect();
    if ctx.json() {
        ctx.printer.json(&json!({
            "id": rev.id,
            "file": path.display().to_string(),
            "replaces": plan.replaces,
            "to": plan.to,
            "tables": plan.schema.tables.len(),
            "data_carried": carried,
            "data_dropped": dropped,
        }));
        return Ok(Exit::Success);
    }
    let p = &ctx.printer;
    p.out(format!(
        "Generating {} ... done: baseline {} replaces {}",
        path.display(),
        rev.id,
        plan.replaces.join(", ")
    ));
    for c in &carried {
        p.out(format!("  carried: {c}"));
    }
    for d in &dropped {
        p.out(format!("  dropped: {d}"));
    }
    p.info(
        "rebuild the binary (cargo build), run `verify`, deploy; once every database has passed the \
         range, `squash --finalize` removes the replaced files",
    );
    Ok(Exit::Success)
}

async fn finalize(ctx: &Ctx<'_>, args: &SquashArgs) -> Result<Exit, CliError> {
    let (dir, _) = disk_graph(ctx)?;
    let files = scan_dir(&dir)?;
    let mut replaced_by: BTreeMap<&str, &str> = BTreeMap::new();
    for f in files.iter().filter(|f| !f.replaces.is_empty()) {
        for r in &f.replaces {
            replaced_by.insert(r.as_str(), f.id.as_str());
        }
    }
    let doomed: Vec<&crate::script::disk::DiskRevision> = files
        .iter()
        .filter(|f| replaced_by.contains_key(f.id.as_str()))
        .collect();
    if doomed.is_empty() {
        if ctx.json() {
            ctx.printer
                .json(&json!({ "removed": [], "checked_databases": [] }));
        } else {
            ctx.printer
                .out("Nothing to finalize: no replaced revision file is left");
        }
        return Ok(Exit::Success);
    }
    let mut checked = Vec::new();
    for db in configured(ctx)? {
        let known = known_by(ctx, &db).await?;
        let inside: Vec<&String> = known
            .rows
            .iter()
            .filter(|r| replaced_by.contains_key(r.as_str()))
            .collect();
        if let Some(row) = inside.first() {
            let baseline = replaced_by[row.as_str()];
            return Err(refused(format!(
                "{} ({}) is at {row}, inside the range baseline {baseline} replaces; \
                 removing the files would strand it",
                db.label, db.target.url
            ))
            .hint("upgrade it first (it is then recorded at the baseline), then finalize"));
        }
        checked.push(db.label);
    }
    let mut removed = Vec::new();
    for f in &doomed {
        if !args.dry_run {
            std::fs::remove_file(&f.path)
                .map_err(|e| refused(format!("cannot remove {}: {e}", f.path.display())))?;
        }
        removed.push(f.path.display().to_string());
    }
    if ctx.json() {
        ctx.printer.json(&json!({
            "removed": removed,
            "checked_databases": checked,
            "dry_run": args.dry_run,
        }));
        return Ok(Exit::Success);
    }
    let verb = if args.dry_run {
        "Would remove"
    } else {
        "Removed"
    };
    for r in &removed {
        ctx.printer.out(format!("{verb} {r}"));
    }
    if checked.is_empty() {
        ctx.printer.info("no configured database to check");
    } else {
        ctx.printer.out(format!(
            "  no database is inside the range: {}",
            checked.join(", ")
        ));
    }
    if !args.dry_run {
        ctx.printer
            .info("rebuild the binary (cargo build) so that it no longer carries them");
    }
    Ok(Exit::Success)
}

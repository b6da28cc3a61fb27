//! `revision` and `merge`: new revision files, built on the files as they are on
//! disk (so two `revision` commands in a row chain without a rebuild).

use super::args::{MergeArgs, RevisionArgs};
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::script::disk::{disk_map, scan_dir};
use crate::script::{MergeOptions, NewRevision, RevisionOptions, write_revision};
use serde_json::json;
use stratum_core::revision::RevisionMap;

pub(super) fn disk_graph(ctx: &Ctx<'_>) -> Result<(std::path::PathBuf, RevisionMap), CliError> {
    let dir = ctx.versions_dir();
    if !dir.is_dir() {
        return Err(CliError::new(
            Exit::Usage,
            format!("the versions directory {} does not exist", dir.display()),
        )
        .hint("create it, or point --versions-dir at the application's migrations/versions"));
    }
    let revisions = scan_dir(&dir)?;
    let map = disk_map(&revisions)
        .map_err(|e| CliError::new(Exit::Refused, format!("{}: {e}", dir.display())))?;
    Ok((dir, map))
}

pub(super) fn now() -> chrono::NaiveDateTime {
    let now = chrono::Local::now().naive_local();
    chrono::NaiveDateTime::parse_from_str(
        &now.format("%Y-%m-%d %H:%M:%S").to_string(),
        "%Y-%m-%d %H:%M:%S",
    )
    .unwrap_or(now)
}

pub(super) fn written(ctx: &Ctx<'_>, rev: &NewRevision, path: &std::path::Path) {
    if ctx.json() {
        ctx.printer.json(&json!({
            "id": rev.id,
            "down_revisions": rev.parents,
            "file": path.display().to_string(),
        }));
    } else {
        ctx.printer
            .out(format!("Generating {} ... done", path.display()));
        ctx.printer
            .info("rebuild the binary to include it (cargo build); review it before applying");
    }
}

/// `revision`.
pub async fn revision(ctx: &Ctx<'_>, args: &RevisionArgs) -> Result<Exit, CliError> {
    if args.autogenerate {
        return super::check::autogenerate(ctx, args).await;
    }
    if args.models.models.is_some() {
        return Err(CliError::new(
            Exit::Usage,
            "--models applies to `revision --autogenerate` only",
        )
        .hint("add --autogenerate, or drop --models"));
    }
    let (dir, map) = disk_graph(ctx)?;
    let rev = NewRevision::plan(&map, &revision_options(args))?;
    let path = write_revision(&dir, &rev)?;
    written(ctx, &rev, &path);
    Ok(Exit::Success)
}

/// The options of a new revision as the `revision` arguments give them (no body).
pub(super) fn revision_options(args: &RevisionArgs) -> RevisionOptions {
    let mut opts = RevisionOptions::new(args.message.clone(), now());
    opts.rev_id = args.rev_id.clone();
    opts.head = args.head.clone();
    opts.splice = args.splice;
    opts.branch_labels = args.branch_label.clone();
    opts.depends_on = args.depends_on.clone();
    opts
}

/// `merge`.
pub async fn merge(ctx: &Ctx<'_>, args: &MergeArgs) -> Result<Exit, CliError> {
    let (dir, map) = disk_graph(ctx)?;
    let rev = NewRevision::merge(
        &map,
        &MergeOptions {
            revisions: args.revisions.clone(),
            message: Some(args.message.clone()),
            rev_id: args.rev_id.clone(),
            branch_labels: Vec::new(),
            created: now(),
        },
    )?;
    let path = write_revision(&dir, &rev)?;
    written(ctx, &rev, &path);
    Ok(Exit::Success)
}

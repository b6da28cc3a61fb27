//! `upgrade`, `downgrade`, `stamp` and `current`: the commands that touch the
//! database's version. All the work is the runner's; this only wires and reports.

use super::args::{BackupArgs, CurrentArgs, DowngradeArgs, StampArgs, UpgradeArgs};
use super::backup;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use super::progress::{Progress, human_duration};
use crate::config::{Access, DatabaseUrl};
use crate::runner::{
    CancelFlag, Goal, OfflineOptions, OnlineOptions, Planner, RunReport, ScriptPlanner,
    ScriptStamp, known_revisions, offline_script_for, offline_start,
};
use crate::script::Script;
use serde_json::json;
use stratum::dialect::Dialect;

/// Splits an offline range `from:to` (either side may be empty).
fn split_range(target: &str) -> (Option<&str>, &str) {
    match target.split_once(':') {
        Some((from, to)) => ((!from.is_empty()).then_some(from), to),
        None => (None, target),
    }
}

/// Stops the run at the next revision boundary on Ctrl-C or SIGTERM; a second
/// signal exits at once (the server rolls back the revision's transaction when
/// the connection goes, and frees the migration lock).
pub(super) fn cancel_on_signals(ctx: &Ctx<'_>) -> CancelFlag {
    let flag = CancelFlag::new();
    let on_signal = flag.clone();
    let printer = ctx.printer.clone();
    tokio::spawn(async move {
        #[cfg(unix)]
        let mut term = {
            use tokio::signal::unix::{SignalKind, signal};
            match signal(SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => return,
            }
        };
        #[cfg(unix)]
        let mut next = async || {
            tokio::select! {
                r = tokio::signal::ctrl_c() => r.is_ok(),
                r = term.recv() => r.is_some(),
            }
        };
        #[cfg(not(unix))]
        let next = async || tokio::signal::ctrl_c().await.is_ok();
        if !next().await {
            return;
        }
        printer.warn(
            "stopping after the revision that is running (its transaction completes or rolls back); signal again to stop at once",
        );
        on_signal.cancel();
        if next().await {
            printer.error(
                "stopped at once: the running revision's transaction is rolled back by the server",
            );
            std::process::exit(super::exit::Exit::Interrupted as i32);
        }
    });
    flag
}

async fn migrate(
    ctx: &Ctx<'_>,
    goal: Goal,
    allow_irreversible: bool,
    backup_args: &BackupArgs,
    online: Option<(bool, OnlineOptions)>,
) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let target = ctx.target()?;
    let known = known_revisions(&script);
    // Only an upgrade creates a missing SQLite file; there is nothing to
    // downgrade in one.
    let access = match goal {
        Goal::Upgrade(_) => Access::Write,
        _ => Access::Modify,
    };
    let planner = ScriptPlanner::new(&script, goal).allow_irreversible(allow_irreversible);
    let mut migrator = ctx
        .migrator_for(&target, access)
        .await?
        .with_events(Progress::new(ctx.printer.clone()))
        .with_cancel(cancel_on_signals(ctx));
    // `--online`, or `online = true` in the environment: the tuning flags apply.
    if let Some((flag, tuned)) = online
        && (flag || migrator.options().online.is_some())
    {
        migrator = super::online::with_online(migrator, tuned);
    }
    // A database at a revision a finalized squash removed cannot be planned for.
    if let Some(message) = crate::lineage::squash::retired_heads_of(&mut migrator, &script).await {
        migrator.close().await;
        return Err(CliError::new(Exit::Refused, message));
    }
    if backup::wanted(backup_args, &target) {
        // Only when there is something to apply; a planning error is left to the
        // run, which reports it under the lock.
        let heads = migrator.current_heads().await;
        let pending = match &heads {
            Ok(h) => planner
                .plan(h.as_deref().unwrap_or_default())
                .is_ok_and(|p| !p.steps.is_empty()),
            Err(_) => false,
        };
        if pending && let Err(e) = backup::take(ctx, backup_args, &target).await {
            migrator.close().await;
            return Err(e);
        }
    }
    let dialect = migrator.connection().map(|c| c.dialect()).ok();
    let report = migrator.run(&known, &planner).await;
    migrator.close().await;
    let report = report.map_err(|e| partly_applied_hint(&script, e, dialect, &target.url))?;
    summarize(ctx, &report);
    Ok(Exit::Success)
}

fn summarize(ctx: &Ctx<'_>, report: &RunReport) {
    let total = report
        .applied
        .iter()
        .map(|a| a.duration)
        .sum::<std::time::Duration>();
    if ctx.json() {
        ctx.printer.json(&json!({
            "heads_before": report.heads_before,
            "heads_after": report.heads_after,
            "applied": report.applied.iter().map(|a| json!({
                "id": a.id,
                "direction": a.direction.to_string(),
                "duration_ms": a.duration.as_millis() as u64,
            })).collect::<Vec<_>>(),
        }));
    } else if report.applied.is_empty() {
        ctx.printer.info(format!(
            "nothing to do: the database is at {}",
            crate::runner::heads_or_base(&report.heads_after)
        ));
    } else {
        ctx.printer.info(format!(
            "{} revision(s) applied in {}; the database is at {}",
            report.applied.len(),
            human_duration(total),
            crate::runner::heads_or_base(&report.heads_after)
        ));
    }
}

/// Prints the SQL of a plan without connecting.
fn offline(
    ctx: &Ctx<'_>,
    script: &Script,
    goal: Goal,
    from: Option<&str>,
) -> Result<Exit, CliError> {
    let target = ctx.target()?;
    let start = match (from, &goal) {
        // A downgrade without a range starts from the scripts' heads.
        (None, Goal::Downgrade(_)) => script
            .map()
            .heads()
            .into_iter()
            .map(str::to_string)
            .collect(),
        _ => offline_start(script, from).map_err(boxed)?,
    };
    let plan = ScriptPlanner::new(script, goal)
        .allow_irreversible(true)
        .plan(&start)
        .map_err(boxed)?;
    let options = ctx.run_options(&target)?;
    let script = offline_script_for(
        target.url.sql_dialect(),
        &plan,
        &OfflineOptions {
            version_table: options.version_table,
            db_lock_timeout: options.db_lock_timeout,
            statement_timeout: options.statement_timeout,
        },
    )?;
    ctx.printer.out(script.sql.trim_end());
    super::diff::summarize_destructive(ctx, &script.destructive);
    Ok(Exit::Success)
}

fn boxed(e: Box<dyn std::error::Error + Send + Sync>) -> CliError {
    crate::runner::RunError::Plan(e).into()
}

/// `upgrade`.
pub async fn upgrade(ctx: &Ctx<'_>, args: &UpgradeArgs) -> Result<Exit, CliError> {
    // Unusable tuning values exit 2 before anything connects.
    let tuned = super::online::tuned(ctx, &args.online_tuning)?;
    if let Some(tag) = &args.tag {
        ctx.printer.detail(format!("tag: {tag}"));
    }
    if args.sql {
        let script = ctx.script()?;
        let (from, to) = split_range(&args.target);
        if args.online {
            return super::online::offline_online(
                ctx,
                &script,
                Goal::Upgrade(to.to_string()),
                from,
            );
        }
        return offline(ctx, &script, Goal::Upgrade(to.to_string()), from);
    }
    migrate(
        ctx,
        Goal::Upgrade(args.target.clone()),
        false,
        &args.backup,
        Some((args.online, tuned)),
    )
    .await
}

/// `downgrade`.
pub async fn downgrade(ctx: &Ctx<'_>, args: &DowngradeArgs) -> Result<Exit, CliError> {
    if args.sql {
        let script = ctx.script()?;
        let (from, to) = split_range(&args.target);
        return offline(ctx, &script, Goal::Downgrade(to.to_string()), from);
    }
    if !args.force.is_empty() {
        let script = ctx.script()?;
        for rev in &args.force {
            let id = script.map().lookup(rev)?;
            if !script.revision(id)?.irreversible {
                return Err(CliError::new(
                    Exit::Usage,
                    format!("--force {rev}: revision {id} is not marked irreversible"),
                ));
            }
        }
    }
    migrate(
        ctx,
        Goal::Downgrade(args.target.clone()),
        !args.force.is_empty(),
        &args.backup,
        None,
    )
    .await
}

/// The CLI error of a run or stamp; a refusal over a partly applied revision
/// also shows the SQL that would undo what of it ran.
fn partly_applied_hint(
    script: &Script,
    e: crate::runner::RunError,
    dialect: Option<Dialect>,
    url: &DatabaseUrl,
) -> CliError {
    let undo = match (&e, dialect) {
        (crate::runner::RunError::PartlyApplied { partial, .. }, Some(d)) => {
            super::resolve::undo_hint(script, partial, d)
        }
        _ => None,
    };
    let error = super::error::run_error_at(e, url);
    match undo {
        Some(hint) => error.hint(hint),
        None => error,
    }
}

/// `stamp`.
pub async fn stamp(ctx: &Ctx<'_>, args: &StampArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let target = ctx.target()?;
    let known = known_revisions(&script);
    // A signal while waiting for the migration lock stops the wait.
    let mut migrator = ctx
        .migrator_for(&target, Access::Write)
        .await?
        .with_events(Progress::new(ctx.printer.clone()))
        .with_cancel(cancel_on_signals(ctx));
    let stamp = ScriptStamp {
        script: &script,
        targets: args.revisions.clone(),
    };
    let dialect = migrator.connection().map(|c| c.dialect()).ok();
    let report = migrator.stamp(&known, &stamp, args.purge).await;
    migrator.close().await;
    let report = report.map_err(|e| partly_applied_hint(&script, e, dialect, &target.url))?;
    if ctx.json() {
        ctx.printer
            .json(&json!({"heads_before": report.heads_before, "heads_after": report.heads_after}));
    }
    Ok(Exit::Success)
}

/// `current`.
pub async fn current(ctx: &Ctx<'_>, args: &CurrentArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let target = ctx.target()?;
    let mut migrator = ctx.migrator(&target).await?;
    let heads = migrator.current_heads().await;
    let partial = match &heads {
        Ok(_) => migrator.partial_revisions().await,
        Err(_) => Ok(Vec::new()),
    };
    migrator.close().await;
    let heads = heads?.unwrap_or_default();
    let partial = partial?;
    // Refuses a database at a revision the code does not have (a replaced
    // revision whose file is still compiled in is known).
    if !heads
        .iter()
        .all(|h| script.legacy().is_some_and(|l| l.contains(h)))
    {
        script.map().applied(&heads)?;
    }
    let script_heads = script.map().heads();
    let entries: Vec<serde_json::Value> = heads
        .iter()
        .map(|id| {
            let rev = script.revision(id).ok();
            json!({
                "id": id,
                "message": rev.map(|r| r.message),
                "created": rev.map(|r| r.created),
                "file": script.file_name(id).ok(),
                "is_head": script_heads.contains(&id.as_str()),
            })
        })
        .collect();
    if ctx.json() {
        let partial: Vec<_> = partial.iter().map(super::resolve::partial_json).collect();
        ctx.printer
            .json(&json!({ "current": entries, "partly_applied": partial }));
        return Ok(Exit::Success);
    }
    if heads.is_empty() && partial.is_empty() {
        ctx.printer
            .info("no revision applied (the database is at base)");
    }
    for e in &entries {
        let id = e["id"].as_str().unwrap_or_default();
        let head = if e["is_head"].as_bool() == Some(true) {
            " (head)"
        } else {
            ""
        };
        if args.verbose {
            ctx.printer.out(format!("Current revision: {id}{head}"));
            ctx.printer
                .out(format!("Path: {}", e["file"].as_str().unwrap_or("?")));
            ctx.printer
                .out(format!("    {}", e["message"].as_str().unwrap_or("")));
            ctx.printer.out(format!(
                "    Create Date: {}",
                e["created"].as_str().unwrap_or("")
            ));
        } else {
            ctx.printer.out(format!("{id}{head}"));
        }
    }
    for p in &partial {
        for line in super::resolve::partial_lines(p) {
            ctx.printer.out(line);
        }
    }
    Ok(Exit::Success)
}

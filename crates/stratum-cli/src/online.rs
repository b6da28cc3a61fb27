//! The command line of online runs: `upgrade --online` (and `--sql`),
//! `show REV --online`, and the printing of online progress.

use super::args::OnlineTuning;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use super::output::Printer;
use super::progress::human_duration;
use crate::runner::{
    Goal, Migrator, OnlineEvent, OnlineOptions, Planner as _, RunError, ScriptPlanner,
    offline_start, online::online_script, schema_at,
};
use crate::script::Script;
use serde_json::{Value, json};

/// The migrator, running online with `online` (the defaults with the
/// command's tuning flags applied).
pub(super) fn with_online(migrator: Migrator, online: OnlineOptions) -> Migrator {
    let mut options = migrator.options().clone();
    options.online = Some(online);
    migrator.with_options(options)
}

/// The online settings: the defaults with the `--online-*` and `--batch-*`
/// flags applied; a value that cannot work exits 2 (read before connecting).
pub(super) fn tuned(ctx: &Ctx<'_>, tuning: &OnlineTuning) -> Result<OnlineOptions, CliError> {
    let mut online = OnlineOptions::default();
    let usage = |message: String| CliError::new(Exit::Usage, message);
    if let Some(wait) = ctx.duration_flag("online-lock-timeout", &tuning.online_lock_timeout)? {
        online.lock_timeout = wait;
    }
    if let Some(attempts) = tuning.online_attempts {
        if attempts == 0 {
            return Err(usage(
                "--online-attempts: 0 attempts would run nothing; give 1 or more".into(),
            ));
        }
        online.attempts = attempts;
    }
    if let Some(rows) = tuning.batch_size {
        if rows == 0 {
            return Err(usage(
                "--batch-size: a batch of 0 rows never ends; give 1 or more".into(),
            ));
        }
        online.batch_size = rows;
    }
    if let Some(text) = &tuning.batch_pause {
        online.batch_pause = stratum::config::parse_duration(text).ok_or_else(|| {
            usage(format!(
                "--batch-pause: `{text}` is not a duration (write e.g. 0s, 50ms or 1s)"
            ))
        })?;
    }
    Ok(online)
}

fn boxed(e: Box<dyn std::error::Error + Send + Sync>) -> CliError {
    RunError::Plan(e).into()
}

/// `upgrade --online --sql`: the online script, without connecting.
pub(super) fn offline_online(
    ctx: &Ctx<'_>,
    script: &Script,
    goal: Goal,
    from: Option<&str>,
) -> Result<Exit, CliError> {
    let start = offline_start(script, from).map_err(boxed)?;
    let plan = ScriptPlanner::new(script, goal)
        .allow_irreversible(true)
        .plan(&start)
        .map_err(boxed)?;
    ctx.printer.out(online_script(&plan)?.trim_end());
    Ok(Exit::Success)
}

/// The online steps of revision `id`'s upgrade, as JSON.
pub(super) fn online_steps_of(script: &Script, id: &str) -> Result<Value, CliError> {
    let parents: Vec<String> = script
        .revision(id)?
        .down_revisions
        .iter()
        .map(|s| s.to_string())
        .collect();
    let before = schema_at(script, &parents).map_err(boxed)?;
    let ops = script.upgrade_ops(id)?;
    match crate::runner::online::offline_steps(id, &ops, &before) {
        Ok(steps) => Ok(json!(steps)),
        Err(e) => Ok(json!({ "refused": e.to_string() })),
    }
}

/// What `show --online` assumed about the new columns' defaults it could not
/// probe (one line each), as JSON.
pub(super) fn unprobed_of(script: &Script, id: &str) -> Result<Value, CliError> {
    let parents: Vec<String> = script
        .revision(id)?
        .down_revisions
        .iter()
        .map(|s| s.to_string())
        .collect();
    let before = schema_at(script, &parents).map_err(boxed)?;
    let ops = script.upgrade_ops(id)?;
    Ok(json!(crate::runner::online::unprobed_defaults(
        &ops, &before
    )))
}

/// One line per online step (from [`online_steps_of`]'s JSON).
pub(super) fn step_lines(steps: &Value) -> Vec<String> {
    if let Some(refused) = steps.get("refused").and_then(Value::as_str) {
        return vec![format!("refused: {refused}")];
    }
    steps
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, s)| {
            let outside = if s["transactional"].as_bool() == Some(false) {
                " (outside a transaction)"
            } else {
                ""
            };
            format!(
                "{}. [{}] {}{outside}",
                i + 1,
                s["kind"].as_str().unwrap_or("?"),
                s["description"].as_str().unwrap_or("?")
            )
        })
        .collect()
}

/// Prints one online event.
pub(super) fn print_event(p: &Printer, e: &OnlineEvent) {
    match e {
        OnlineEvent::OldTransaction { session } => p.warn(format!(
            "an old transaction may hold up the online run: {session}"
        )),
        OnlineEvent::DefaultProbed {
            table,
            column,
            volatile,
        } => p.detail(format!(
            "default of {table}.{column}: {}",
            if *volatile {
                "volatile, backfilled in batches"
            } else {
                "stored without a rewrite"
            }
        )),
        OnlineEvent::Planned { id, steps } => p.detail(format!("{id}: {steps} online step(s)")),
        OnlineEvent::StepStarted {
            step, description, ..
        } => p.info(format!("  step {step}: {description}")),
        OnlineEvent::StepSkipped {
            step, description, ..
        } => p.info(format!(
            "  step {step}: {description} (done before, skipped)"
        )),
        OnlineEvent::StepFinished { step, duration, .. } => p.detail(format!(
            "  step {step} done in {}",
            human_duration(*duration)
        )),
        OnlineEvent::Retry {
            step,
            attempt,
            delay,
            blocking,
            ..
        } => {
            let who = if blocking.is_empty() {
                "no holder found".to_string()
            } else {
                blocking
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            p.warn(format!(
                "  step {step}: lock not available (attempt {attempt}), retrying in {}; held by {who}",
                human_duration(*delay)
            ))
        }
        OnlineEvent::InvalidIndexDropped { index, .. } => p.warn(format!(
            "  dropped INVALID index {index} left by an interrupted build; building it again"
        )),
        OnlineEvent::Backfill {
            table,
            column,
            rows,
            total,
            rows_per_second,
            eta,
            ..
        } => {
            let of = total.map(|t| format!(" of ~{t}")).unwrap_or_default();
            let left = eta
                .map(|d| format!(", ~{} left", human_duration(d)))
                .unwrap_or_default();
            p.live(format!(
                "  backfill {table}.{column}: {rows}{of} rows, {rows_per_second:.0} rows/s{left}"
            ))
        }
        OnlineEvent::RowBatch {
            table,
            action,
            rows,
            changed,
            total,
            rows_per_second,
            eta,
            ..
        } => {
            let of = total.map(|t| format!(" of ~{t}")).unwrap_or_default();
            let left = eta
                .map(|d| format!(", ~{} left", human_duration(d)))
                .unwrap_or_default();
            p.live(format!(
                "  {action} {table}: {rows}{of} rows walked, {changed} changed, {rows_per_second:.0} rows/s{left}"
            ))
        }
        // Events added later print nothing until the command line knows them.
        _ => {}
    }
}

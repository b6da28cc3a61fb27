//! `fleet`: one command over many databases. The work is [`stratum::fleet`]'s;
//! this reads the targets, prints a progress line per database as events come,
//! and the summary table (or JSON) at the end.

use super::check::{head_schema, models_schema};
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use super::fleet_args::{FleetArgs, FleetSubcommand};
use super::output::Printer;
use super::progress::human_duration;
use crate::config::{ConfigFile, Env, LoadDotenv, find_dotenv};
use crate::fleet_targets::{targets_from_config, targets_from_file};
use crate::runner::{Event, heads_or_base};
use serde_json::json;
use std::sync::Arc;
use stratum::fleet::{
    FleetCommand, FleetError, FleetEvent, FleetOptions, FleetReport, FleetTarget, Outcome,
    TargetError, run_fleet,
};

impl From<FleetError> for CliError {
    fn from(e: FleetError) -> Self {
        CliError::new(Exit::Usage, e.to_string())
    }
}

/// The exit class of one database's failure.
fn exit_of(e: TargetError) -> Exit {
    match e {
        TargetError::Connect(_) | TargetError::Introspect(_) => Exit::Connection,
        TargetError::Run(r) | TargetError::Storage { source: r, .. } => CliError::from(r).exit,
        TargetError::Retired(_) => Exit::Refused,
        TargetError::Plan(_) => Exit::Refused,
        TargetError::DatabaseFile(e) => CliError::from(e).exit,
        _ => Exit::Refused,
    }
}

/// The targets: the file given, or every environment of the configuration.
fn load_targets(ctx: &Ctx<'_>, args: &FleetArgs) -> Result<Vec<FleetTarget>, CliError> {
    if ctx.global.url.is_some() || ctx.global.environment.is_some() {
        return Err(CliError::new(
            Exit::Usage,
            "fleet takes its databases from --targets FILE or from every environment of the configuration, not from --url or --env",
        )
        .hint("list the databases in a targets file: [targets.NAME] url = \"...\""));
    }
    let mut env = Env::from_process();
    if let Some(path) = find_dotenv(&ctx.cwd) {
        env.load_dotenv(&path)?;
    }
    if let Some(file) = &args.targets {
        return Ok(targets_from_file(&ctx.cwd.join(file), &env)?);
    }
    let config = match &ctx.global.config {
        Some(path) => Some(ConfigFile::read(&ctx.cwd.join(path))?),
        None => ConfigFile::discover(&ctx.cwd, ctx.app.names.config_file)?,
    };
    match config {
        Some(config) => Ok(targets_from_config(&config, &env)?),
        None => Err(CliError::new(
            Exit::Usage,
            format!(
                "no databases to run on: no --targets file, and no {} found from {}",
                ctx.app.names.config_file,
                ctx.cwd.display()
            ),
        )
        .hint("pass --targets FILE with one [targets.NAME] table (url = \"...\") per database")),
    }
}

fn command(ctx: &Ctx<'_>, args: &FleetArgs) -> Result<FleetCommand, CliError> {
    Ok(match &args.command {
        FleetSubcommand::Upgrade { target } => FleetCommand::Upgrade(target.clone()),
        FleetSubcommand::Downgrade { target, force } => {
            let script = ctx.script()?;
            for rev in force {
                let id = script.map().lookup(rev)?;
                if !script.revision(id)?.irreversible {
                    return Err(CliError::new(
                        Exit::Usage,
                        format!("--force {rev}: revision {id} is not marked irreversible"),
                    ));
                }
            }
            FleetCommand::Downgrade {
                target: target.clone(),
                allow_irreversible: !force.is_empty(),
            }
        }
        FleetSubcommand::Current => FleetCommand::Current,
        FleetSubcommand::Check => FleetCommand::Check {
            expected: match ctx.app.target_schema {
                Some(_) => models_schema(ctx)?,
                None => head_schema(&ctx.script()?)?,
            },
        },
        FleetSubcommand::Verify => FleetCommand::Verify,
    })
}

/// A live line per database as its events come (stderr).
fn progress(printer: Printer, verb: &'static str) -> impl Fn(&FleetEvent) + Send + Sync {
    move |event: &FleetEvent| match event {
        FleetEvent::Started { name } => printer.info(format!("{name}: {verb} ...")),
        FleetEvent::Runner { name, event } => match event {
            Event::LockWaiting { .. } => {
                printer.info(format!("{name}: waiting for the migration lock"))
            }
            Event::RevisionStarted { id, direction, .. } => {
                printer.detail(format!("{name}: {direction} {id}"))
            }
            _ => {}
        },
        FleetEvent::Finished {
            name,
            outcome,
            from,
            to,
            applied,
            duration,
            error,
        } => {
            let time = human_duration(*duration);
            let line = match outcome {
                Outcome::Applied => format!(
                    "{name}: {} {applied} revision(s), {} -> {} in {time}",
                    printer.green("applied"),
                    heads_or_base(from),
                    heads_or_base(to)
                ),
                Outcome::Skipped => {
                    format!("{name}: skipped, already at {} ({time})", heads_or_base(to))
                }
                Outcome::Ok => format!("{name}: ok at {} ({time})", heads_or_base(to)),
                Outcome::Drift => format!(
                    "{name}: {} at {}",
                    printer.yellow("drift"),
                    heads_or_base(to)
                ),
                Outcome::Failed | Outcome::NotRun => format!(
                    "{name}: {} after {time}: {}",
                    printer.red("failed"),
                    error.as_deref().unwrap_or("")
                ),
            };
            printer.info(line);
        }
        FleetEvent::CanaryFailed { held } => printer.warn(format!(
            "a canary database failed: not starting {}",
            held.join(", ")
        )),
        _ => {}
    }
}

/// `fleet`.
pub async fn fleet(ctx: &Ctx<'_>, args: &FleetArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let mut targets = load_targets(ctx, args)?;
    // The `--ignore-*` flags add to every target's rules, as they add to the
    // environment's in the single-database commands.
    let flags = ctx.ignore_flags()?;
    for t in &mut targets {
        t.settings.ignore = std::mem::take(&mut t.settings.ignore).merged(&flags);
    }
    let command = command(ctx, args)?;
    let options = FleetOptions {
        jobs: usize::from(args.jobs),
        continue_on_error: args.continue_on_error,
        lock_timeout: ctx.duration_flag("lock-timeout", &ctx.global.lock_timeout)?,
        statement_timeout: ctx.duration_flag("statement-timeout", &ctx.global.statement_timeout)?,
        cancel: if command.changes() {
            super::migrate::cancel_on_signals(ctx)
        } else {
            crate::runner::CancelFlag::new()
        },
    };
    let verb = match &args.command {
        FleetSubcommand::Upgrade { .. } => "upgrading",
        FleetSubcommand::Downgrade { .. } => "downgrading",
        FleetSubcommand::Current => "reading",
        FleetSubcommand::Check => "checking",
        FleetSubcommand::Verify => "verifying",
    };
    ctx.printer.info(format!(
        "{} database(s), {} at a time",
        targets.len(),
        options.jobs.min(targets.len())
    ));
    let sink = Arc::new(progress(ctx.printer.clone(), verb));
    let report = run_fleet(&script, &targets, &command, &options, sink).await;
    summarize(ctx, &report);
    Ok(exit(report))
}

fn summarize(ctx: &Ctx<'_>, report: &FleetReport) {
    if ctx.json() {
        ctx.printer.json(&json!({
            "ok": report.ok(),
            "databases": report.targets.iter().map(|t| json!({
                "name": t.name,
                "url": t.url,
                "group": t.group,
                "from": t.reached.then_some(&t.from),
                "to": t.reached.then_some(&t.to),
                "applied": t.applied,
                "duration_ms": t.duration.as_millis() as u64,
                "result": t.outcome,
                "error": t.error.as_ref().map(ToString::to_string),
                "notes": t.notes,
            })).collect::<Vec<_>>(),
        }));
        return;
    }
    let rows: Vec<[String; 5]> = report
        .targets
        .iter()
        .map(|t| {
            let run = t.outcome != Outcome::NotRun;
            let heads = |h: &[String]| match (run, t.reached) {
                (false, _) => "-".to_string(),
                (true, false) => "?".to_string(),
                (true, true) => heads_or_base(h),
            };
            [
                t.name.clone(),
                heads(&t.from),
                heads(&t.to),
                if run {
                    human_duration(t.duration)
                } else {
                    "-".into()
                },
                t.outcome.as_str().to_string(),
            ]
        })
        .collect();
    let header = ["DATABASE", "FROM", "TO", "TIME", "RESULT"].map(String::from);
    let mut widths = header.clone().map(|h| h.len());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.len());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        ctx.printer.out(line.join("  ").trim_end());
    }
    for t in &report.targets {
        if let Some(e) = &t.error {
            ctx.printer.error(format!("{}: {e}", t.name));
        }
        for note in &t.notes {
            ctx.printer.info(format!("  {}: {note}", t.name));
        }
    }
    let succeeded = report
        .targets
        .iter()
        .filter(|t| t.outcome.succeeded())
        .count();
    ctx.printer.info(format!(
        "{succeeded} of {} database(s) succeeded",
        report.targets.len()
    ));
}

/// 0 when every database succeeded; else the class of the first failure in the
/// targets' order, 1 when databases only drifted, 130 when the run was
/// interrupted before any failure.
fn exit(report: FleetReport) -> Exit {
    if report.ok() {
        return Exit::Success;
    }
    let mut drift = false;
    for t in report.targets {
        match (t.outcome, t.error) {
            (Outcome::Failed, Some(e)) => return exit_of(e),
            (Outcome::Drift, _) => drift = true,
            _ => {}
        }
    }
    if drift {
        Exit::Drift
    } else {
        Exit::Interrupted
    }
}

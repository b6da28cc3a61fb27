//! `verify`: every revision of a range up, down and up again on a scratch
//! database created on the configured server (or a temporary SQLite file), with
//! the live schema compared to the simulated one after each step. SIGINT and
//! SIGTERM stop the run, drop the scratch database and exit 130; scratch
//! databases left by a verify that was killed outright are dropped by the next
//! run.

use super::args::VerifyArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::config::connect;
use crate::runner::NoEvents;
use crate::scratch::{ScratchDatabase, drop_orphans};
use serde_json::json;
use stratum::verify::{VerifyOptions, verify_on_with};

/// Resolves when SIGINT or SIGTERM arrives (never, if they cannot be watched).
#[cfg(unix)]
fn interrupted() -> impl std::future::Future<Output = &'static str> {
    use tokio::signal::unix::{SignalKind, signal};
    let int = signal(SignalKind::interrupt());
    let term = signal(SignalKind::terminate());
    async move {
        match (int, term) {
            (Ok(mut int), Ok(mut term)) => tokio::select! {
                _ = int.recv() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            _ => std::future::pending().await,
        }
    }
}

#[cfg(not(unix))]
fn interrupted() -> impl std::future::Future<Output = &'static str> {
    async {
        match tokio::signal::ctrl_c().await {
            Ok(()) => "Ctrl-C",
            Err(_) => std::future::pending().await,
        }
    }
}

/// `verify`.
pub async fn verify(ctx: &Ctx<'_>, args: &VerifyArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let baselines = super::squash_verify::check_baselines(ctx, &script)?;
    let target = ctx.target()?;
    let options = VerifyOptions {
        run: ctx.run_options(&target)?,
        ignore: ctx.ignore_rules(&target)?,
    };
    // Watched from here on: a signal while the scratch database is created is
    // seen as soon as it exists.
    let signal = interrupted();
    match drop_orphans(&target.url).await {
        Ok(found) => {
            for name in &found.dropped {
                ctx.printer.info(format!(
                    "dropped scratch database {name}, left behind by a verify that ended without cleaning up"
                ));
            }
            for (name, why) in &found.failed {
                ctx.printer.warn(format!(
                    "scratch database {name} is left over from an earlier verify but could not be dropped: {why}"
                ));
            }
        }
        Err(e) => ctx.printer.warn(format!(
            "could not look for scratch databases left by earlier verify runs: {e}"
        )),
    }
    ctx.printer.info(format!(
        "verifying on a scratch database next to {}",
        target.url
    ));
    // The scratch database's sessions wait no longer than a migration's would.
    let server = crate::config::with_session_waits(
        &target.url,
        options.run.db_lock_timeout,
        options.run.statement_timeout,
    );
    let scratch = ScratchDatabase::create(&server).await?;
    ctx.printer
        .detail(format!("scratch database {}", scratch.name()));
    let run = async {
        let conn = connect(scratch.url()).await?;
        verify_on_with(conn, &script, args.range.as_deref(), NoEvents, &options).await
    };
    let outcome = tokio::select! {
        result = run => Ok(result),
        name = signal => Err(name),
    };
    let scratch_name = scratch.name().to_string();
    let dropped = scratch.drop_database().await;
    let report = match outcome {
        Err(signal) => {
            match &dropped {
                Ok(()) => ctx.printer.error(format!(
                    "stopped by {signal}: scratch database {scratch_name} dropped"
                )),
                Err(e) => ctx.printer.error(format!(
                    "stopped by {signal}, and the scratch database could not be dropped: {e}"
                )),
            }
            return Ok(Exit::Interrupted);
        }
        Ok(result) => result?,
    };
    dropped?;
    if ctx.json() {
        ctx.printer.json(&json!({
            "ok": report.ok(),
            "passed": report.passed,
            "not_downgraded": report.not_downgraded,
            "failure": report.failure,
            "baselines": baselines.json(),
        }));
    } else {
        for id in &report.passed {
            ctx.printer.out(format!("ok   {id}"));
        }
        for id in &report.not_downgraded {
            ctx.printer.out(format!(
                "ok   {id} (irreversible: upgrade checked, not downgraded)"
            ));
        }
        if let Some(f) = &report.failure {
            ctx.printer.out(format!("FAIL {}", f.revision));
        }
    }
    if !baselines.ok() {
        return Ok(Exit::Drift);
    }
    match &report.failure {
        None => {
            let mut line = format!(
                "{} revision(s) verified up, down and up again",
                report.passed.len()
            );
            if !report.not_downgraded.is_empty() {
                line.push_str(&format!(
                    "; {} irreversible revision(s) checked on upgrade only",
                    report.not_downgraded.len()
                ));
            }
            ctx.printer.info(line);
            Ok(Exit::Success)
        }
        Some(f) => {
            ctx.printer.error(f.to_string());
            for d in &f.differences {
                ctx.printer.info(format!("  needed: {d}"));
            }
            Ok(Exit::Drift)
        }
    }
}

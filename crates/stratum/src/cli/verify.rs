//! `verify`: every revision of a range up, down and up again on a scratch
//! database created on the configured server (or a temporary SQLite file), with
//! the live schema compared to the simulated one after each step.

use super::args::VerifyArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::verify::verify_script;
use serde_json::json;

/// `verify`.
pub async fn verify(ctx: &Ctx<'_>, args: &VerifyArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let target = ctx.target()?;
    ctx.printer.info(format!(
        "verifying on a scratch database next to {}",
        target.url
    ));
    // The scratch database's sessions wait no longer than a migration's would.
    let options = ctx.run_options(&target)?;
    let server = crate::config::with_session_waits(
        &target.url,
        options.db_lock_timeout,
        options.statement_timeout,
    );
    let report = verify_script(&server, &script, args.range.as_deref()).await?;
    if ctx.json() {
        ctx.printer.json(&json!({
            "ok": report.ok(),
            "passed": report.passed,
            "not_downgraded": report.not_downgraded,
            "failure": report.failure,
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

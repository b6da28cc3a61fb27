//! `lint`: the linter over a range of revisions; exit 1 when an error-level
//! finding is not acknowledged in its revision file.

use super::args::LintArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::verify::{LintReport, VerifyError, lint_script};
use serde_json::json;
use stratum_core::lint::Severity;

impl From<VerifyError> for CliError {
    fn from(e: VerifyError) -> Self {
        match e {
            VerifyError::Graph(g) => g.into(),
            VerifyError::Script(s) => s.into(),
            VerifyError::Connect(c) => c.into(),
            other => CliError::new(Exit::Refused, other.to_string()),
        }
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// Prints a report as text.
fn print_text(ctx: &Ctx<'_>, report: &LintReport) {
    let p = &ctx.printer;
    for r in report.revisions.iter().filter(|r| !r.findings.is_empty()) {
        p.out(format!("{} ({})", r.id, r.file));
        for e in &r.findings {
            let f = &e.finding;
            let word = severity_word(f.severity);
            let label = if f.acknowledged {
                p.dim(&format!("{word} (acknowledged)"))
            } else {
                match f.severity {
                    Severity::Error => p.red(word),
                    Severity::Warning => p.yellow(word),
                    Severity::Info => word.to_string(),
                }
            };
            p.out(format!("  {label} [{}] {}", f.rule.name(), f.message));
            match (&e.op, f.op_index) {
                (Some(op), Some(i)) => p.out(format!("      op {}: {op}", i + 1)),
                _ => p.out("      the revision as a whole"),
            }
            p.out(format!("      why: {}", f.why));
            p.out(format!("      safer: {}", f.fix));
            if stratum_core::online::resolved_by_online(f.rule) {
                p.out("      resolved by `upgrade --online`, which runs this op in its lock-friendly form");
            }
            if !f.acknowledged && f.severity >= Severity::Warning {
                p.out(format!(
                    "      when intended, add `// lint: allow({})` with the reason to the revision file",
                    f.rule.name()
                ));
            }
        }
    }
    let (errors, warnings, acknowledged) = report.counts();
    p.info(format!(
        "{} revision(s) linted: {errors} error(s), {warnings} warning(s), {acknowledged} acknowledged",
        report.revisions.len()
    ));
}

/// `lint`.
pub async fn lint(ctx: &Ctx<'_>, args: &LintArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let report = lint_script(&script, args.range.as_deref())?;
    if ctx.json() {
        let (errors, warnings, acknowledged) = report.counts();
        ctx.printer.json(&json!({
            "revisions": report.revisions,
            "errors": errors,
            "warnings": warnings,
            "acknowledged": acknowledged,
        }));
    } else {
        print_text(ctx, &report);
    }
    Ok(if report.has_unacknowledged_errors() {
        Exit::Drift
    } else {
        Exit::Success
    })
}

//! `lint`: the linter over a range of revisions; exit 1 when an error-level
//! finding is not acknowledged in its revision file.

use super::args::LintArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use serde_json::{Value, json};
use stratum::dialect::Dialect;
use stratum::verify::{LintReport, VerifyError, lint_script_for};
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

/// The note on a finding that online mode resolves, in text and JSON.
const ONLINE_NOTE: &str =
    "resolved by `upgrade --online`, which runs this op in its lock-friendly form";

/// The report's revisions as JSON, each finding with `resolved_by_online`
/// (and the note, when it is).
fn revisions_json(report: &LintReport) -> Value {
    let mut revisions = json!(report.revisions);
    let Some(all) = revisions.as_array_mut() else {
        return revisions;
    };
    for (r, rv) in report.revisions.iter().zip(all) {
        let Some(findings) = rv.get_mut("findings").and_then(Value::as_array_mut) else {
            continue;
        };
        for (e, fv) in r.findings.iter().zip(findings) {
            let online = stratum_core::online::resolved_by_online(e.finding.rule);
            if let Some(obj) = fv.as_object_mut() {
                obj.insert("resolved_by_online".into(), json!(online));
                if online {
                    obj.insert("online_note".into(), json!(ONLINE_NOTE));
                }
            }
        }
    }
    revisions
}

/// The report as JSON: the dialect linted for, the revisions and the counts.
fn report_json(report: &LintReport, dialect: Dialect) -> Value {
    let (errors, warnings, acknowledged) = report.counts();
    json!({
        "dialect": dialect.key(),
        "revisions": revisions_json(report),
        "errors": errors,
        "warnings": warnings,
        "acknowledged": acknowledged,
    })
}

/// Prints a report as text.
fn print_text(ctx: &Ctx<'_>, report: &LintReport, dialect: Dialect) {
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
                p.out(format!("      {ONLINE_NOTE}"));
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
        "{} revision(s) linted for {}: {errors} error(s), {warnings} warning(s), {acknowledged} acknowledged",
        report.revisions.len(),
        dialect.sql().name()
    ));
}

/// `lint`: for the dialect of `--dialect`, else of the database URL (which is
/// not connected to).
pub async fn lint(ctx: &Ctx<'_>, args: &LintArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let dialect = match args.dialect {
        Some(d) => d,
        None => ctx.target()?.url.dialect(),
    };
    let report = lint_script_for(&script, args.range.as_deref(), dialect)?;
    if ctx.json() {
        ctx.printer.json(&report_json(&report, dialect));
    } else {
        print_text(ctx, &report, dialect);
    }
    Ok(if report.has_unacknowledged_errors() {
        Exit::Drift
    } else {
        Exit::Success
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use stratum::verify::{LintEntry, LintedRevision};
    use stratum_core::lint::{Finding, Rule};

    fn entry(rule: Rule) -> LintEntry {
        LintEntry {
            finding: Finding {
                revision: "r1".into(),
                op_index: Some(0),
                rule,
                severity: Severity::Warning,
                message: "m".into(),
                why: "w".into(),
                fix: "f".into(),
                acknowledged: false,
            },
            op: Some("op".into()),
        }
    }

    #[test]
    fn json_findings_say_whether_online_mode_resolves_them() {
        let report = LintReport {
            revisions: vec![LintedRevision {
                id: "r1".into(),
                file: "r1.rs".into(),
                findings: vec![entry(Rule::SetNotNull), entry(Rule::DropData)],
            }],
        };
        let v = revisions_json(&report);
        let f = &v[0]["findings"];
        assert_eq!(f[0]["resolved_by_online"], json!(true));
        assert_eq!(f[0]["online_note"], json!(ONLINE_NOTE));
        assert_eq!(f[0]["rule"], json!("set-not-null"));
        assert_eq!(f[1]["resolved_by_online"], json!(false));
        assert!(f[1].get("online_note").is_none());
    }

    #[test]
    fn json_names_the_dialect_and_the_mysql_rules() {
        let mut copy = entry(Rule::TableCopy);
        copy.finding.acknowledged = true;
        let mut implicit = entry(Rule::NotNullColumnImplicitDefault);
        implicit.finding.severity = Severity::Error;
        let report = LintReport {
            revisions: vec![LintedRevision {
                id: "r1".into(),
                file: "r1.rs".into(),
                findings: vec![copy, implicit, entry(Rule::DdlCommitsImplicitly)],
            }],
        };
        let v = report_json(&report, Dialect::Mysql);
        assert_eq!(v["dialect"], json!("mysql"));
        let f = &v["revisions"][0]["findings"];
        assert_eq!(f[0]["rule"], json!("table-copy"));
        assert_eq!(f[0]["acknowledged"], json!(true));
        assert_eq!(f[0]["resolved_by_online"], json!(false));
        assert_eq!(f[1]["rule"], json!("not-null-column-implicit-default"));
        assert_eq!(f[1]["severity"], json!("error"));
        assert_eq!(f[2]["rule"], json!("ddl-commits-implicitly"));
        assert_eq!(
            (&v["errors"], &v["warnings"], &v["acknowledged"]),
            (&json!(1), &json!(1), &json!(1))
        );
    }
}

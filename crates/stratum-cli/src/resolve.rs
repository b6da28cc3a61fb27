//! `resolve`, and how a partly applied revision shows in `current` and
//! `history --indicate-current`: a revision that stopped part-way where DDL
//! commits implicitly (MariaDB, MySQL) or that runs outside a transaction.

use super::args::ResolveArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use super::progress::Progress;
use crate::config::Access;
use crate::runner::{PartialRevision, Resolution, known_revisions};
use serde_json::{Value, json};

/// A partial revision as JSON.
pub(super) fn partial_json(p: &PartialRevision) -> Value {
    json!({
        "id": p.revision,
        "direction": direction_word(p),
        "applied": p.applied,
        "total": p.total,
        "failed_statement": p.applied + 1,
        "statement": p.failed_statement,
        "error": p.error,
        "running_statement": p.running_statement,
        "interrupted": p.failed_statement.is_none(),
    })
}

fn direction_word(p: &PartialRevision) -> &'static str {
    match p.direction {
        crate::runner::Direction::Up => "upgrade",
        crate::runner::Direction::Down => "downgrade",
    }
}

/// The lines `current` prints for a partial revision.
pub(super) fn partial_lines(p: &PartialRevision) -> Vec<String> {
    let mut lines = vec![format!(
        "{} (partly applied: {} stopped at statement {} of {}, {} applied)",
        p.revision,
        direction_word(p),
        p.applied + 1,
        p.total,
        p.applied
    )];
    let next = p.applied + 1;
    let dir = direction_word(p);
    let rev = &p.revision;
    match (&p.failed_statement, &p.error, &p.running_statement) {
        (Some(sql), Some(error), _) => {
            lines.push(format!("    failed: {sql}"));
            lines.push(format!("    error:  {error}"));
            lines.push(format!(
                "    fix the revision and run `{dir}` again (it resumes at statement {next}), or repair by hand and run `resolve {rev} --applied` or `--rolled-back`"
            ));
        }
        (_, _, Some(sql)) => {
            lines.push(format!("    running when the run stopped: {sql}"));
            lines.push(format!(
                "    the run was killed or lost its connection while statement {next} ran, and the server may have finished it: check, then run `{dir}` again (it runs statement {next} again), or repair by hand and run `resolve {rev} --applied` or `--rolled-back`"
            ));
        }
        _ => {
            lines.push(format!(
                "    the run was killed or lost its connection before statement {next}; run `{dir}` again to resume there"
            ));
        }
    }
    lines
}

/// For a run refused because of a partly applied upgrade: the SQL that undoes
/// what ran (the reverse of exactly those ops), to run by hand before
/// `resolve --rolled-back`, or why the engine cannot write it.
pub(super) fn undo_hint(
    script: &crate::script::Script,
    p: &PartialRevision,
    dialect: stratum::dialect::Dialect,
) -> Option<String> {
    if p.direction != crate::runner::Direction::Up || p.applied == 0 {
        return None;
    }
    let before = crate::runner::schema_at(script, &p.heads_before).ok()?;
    let ops = script.upgrade_ops(&p.revision).ok()?;
    let rev = &p.revision;
    Some(
        match crate::runner::undo_applied(dialect, &before, &ops, p.applied) {
            Ok(sql) => format!(
                "to undo the {} statement(s) of {rev} that ran, check the database, run by hand:\n{}\n  then `resolve {rev} --rolled-back`",
                p.applied,
                sql.iter()
                    .map(|s| format!("    {s};"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
            Err(e) => format!(
                "the engine cannot write the undo of what ran of {rev}: {e}; undo it by hand, then `resolve {rev} --rolled-back`"
            ),
        },
    )
}

/// `resolve`.
pub async fn resolve(ctx: &Ctx<'_>, args: &ResolveArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let id = script.map().lookup(&args.revision)?.to_string();
    let target = ctx.target()?;
    let known = known_revisions(&script);
    let resolution = if args.applied {
        Resolution::Applied
    } else {
        Resolution::RolledBack
    };
    let mut migrator = ctx
        .migrator_for(&target, Access::Modify)
        .await?
        .with_events(Progress::new(ctx.printer.clone()))
        .with_cancel(super::migrate::cancel_on_signals(ctx));
    let resolved = migrator.resolve(&known, &id, resolution).await;
    migrator.close().await;
    let partial = resolved?;
    let outcome = match resolution {
        Resolution::Applied => "applied",
        Resolution::RolledBack => "rolled-back",
    };
    if ctx.json() {
        ctx.printer.json(&json!({
            "resolved": partial_json(&partial),
            "as": outcome,
            "heads_after": match resolution {
                Resolution::Applied => partial.heads_after.clone(),
                Resolution::RolledBack => partial.heads_before.clone(),
            },
        }));
    } else {
        ctx.printer.out(match resolution {
            Resolution::Applied => format!(
                "{}: marked applied (by hand after {} of {} statements); the database is at {}",
                partial.revision,
                partial.applied,
                partial.total,
                crate::runner::heads_or_base(&partial.heads_after)
            ),
            Resolution::RolledBack => format!(
                "{}: marked rolled back (its recorded progress is cleared); the database stays at {}",
                partial.revision,
                crate::runner::heads_or_base(&partial.heads_before)
            ),
        });
    }
    Ok(Exit::Success)
}

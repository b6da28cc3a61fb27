//! `check`: models, revisions and (when a database is configured) the live database
//! must agree. The head schema comes from folding the revisions with the simulator,
//! so no database is needed to compare models with revisions.

use super::args::{CheckArgs, RevisionArgs};
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::config::UrlSource;
use crate::runner::schema_at;
use crate::script::Script;
use serde_json::json;
use stratum_core::dialect::normalize_for;
use stratum_core::diff::diff;
use stratum_core::ops::Op;
use stratum_core::schema::Schema;

/// The schema at the scripts' heads, by simulation.
pub fn head_schema(script: &Script) -> Result<Schema, CliError> {
    let heads: Vec<String> = script
        .map()
        .heads()
        .into_iter()
        .map(str::to_string)
        .collect();
    schema_at(script, &heads).map_err(|e| crate::runner::RunError::Plan(e).into())
}

/// One compared pair and what differs.
struct Comparison {
    what: String,
    ops: Vec<Op>,
    note: Option<String>,
}

/// `check`.
pub async fn check(ctx: &Ctx<'_>, _args: &CheckArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let head = head_schema(&script)?;
    let mut results = Vec::new();
    if let Some(models) = ctx.app.target_schema {
        results.push(Comparison {
            what: "models vs revisions at head".to_string(),
            ops: diff(&head, &models()),
            note: None,
        });
    }
    let target = ctx.target()?;
    let embedded_missing = target.source == UrlSource::EmbeddedDefault
        && !ctx.cwd.join(ctx.app.names.default_sqlite_file).exists();
    if !embedded_missing {
        let mut migrator = ctx.migrator(&target).await?;
        // Edited revisions and unknown heads are refused as `upgrade` refuses them.
        let integrity = migrator
            .check_integrity(&crate::runner::known_revisions(&script))
            .await;
        if let Err(e) = integrity {
            if let Some(conn) = migrator.into_connection() {
                let _ = conn.close().await;
            }
            return Err(e.into());
        }
        let heads = migrator.current_heads().await;
        let schema = match migrator.connection() {
            Ok(conn) => Some(crate::introspect::introspect(conn, &[]).await),
            Err(_) => None,
        };
        if let Some(conn) = migrator.into_connection() {
            let _ = conn.close().await;
        }
        let heads = heads?.unwrap_or_default();
        script.map().applied(&heads)?;
        let script_heads: Vec<String> = script
            .map()
            .heads()
            .into_iter()
            .map(str::to_string)
            .collect();
        let mut sorted = heads.clone();
        sorted.sort();
        let what = format!("database {} vs revisions at head", target.url);
        if sorted != script_heads {
            results.push(Comparison {
                what,
                ops: Vec::new(),
                note: Some(format!(
                    "the database is at {}, not at head ({}): run `upgrade head`",
                    if heads.is_empty() {
                        "base".to_string()
                    } else {
                        heads.join(", ")
                    },
                    script_heads.join(", ")
                )),
            });
        } else if let Some(schema) = schema {
            let live = schema.map_err(|e| CliError::new(Exit::Connection, e.to_string()))?;
            let expected = normalize_for(target.url.dialect(), &head);
            results.push(Comparison {
                what,
                ops: diff(&live, &expected),
                note: None,
            });
        }
    }
    let drift = results
        .iter()
        .any(|r| !r.ops.is_empty() || r.note.is_some());
    if ctx.json() {
        ctx.printer.json(&json!({
            "in_sync": !drift,
            "comparisons": results.iter().map(|r| json!({
                "what": r.what,
                "in_sync": r.ops.is_empty() && r.note.is_none(),
                "note": r.note,
                "differences": r.ops.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }));
    } else {
        for r in &results {
            if r.ops.is_empty() && r.note.is_none() {
                ctx.printer
                    .out(format!("{}: {}", r.what, ctx.printer.green("in sync")));
                continue;
            }
            ctx.printer
                .out(format!("{}: {}", r.what, ctx.printer.red("differs")));
            if let Some(n) = &r.note {
                ctx.printer.out(format!("  {n}"));
            }
            for op in &r.ops {
                ctx.printer.out(format!("  - {op}"));
            }
        }
        if drift {
            ctx.printer.info(
                "to bring the revisions up to the models: revision --autogenerate -m \"...\"",
            );
        }
    }
    Ok(if drift { Exit::Drift } else { Exit::Success })
}

/// `revision --autogenerate`.
pub async fn autogenerate(_ctx: &Ctx<'_>, _args: &RevisionArgs) -> Result<Exit, CliError> {
    Err(CliError::new(
        Exit::Usage,
        "revision --autogenerate is not available in this build",
    )
    .hint("run `check` to list the differences and write the revision with `revision -m`"))
}

//! `check` and `revision --autogenerate`: models, revisions and (when a database is
//! configured) the live database must agree. The head schema comes from folding the
//! revisions with the simulator, so no database is needed to compare models with
//! revisions, nor to generate a revision from the models.

use super::args::{CheckArgs, RevisionArgs};
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use super::files::{disk_graph, written};
use super::python_models::{chosen_models, required_models};
use crate::config::ResolvedTarget;
use crate::runner::schema_at;
use crate::script::disk::scan_dir;
use crate::script::{NewRevision, Script, write_revision};
use serde_json::json;
use stratum_core::codegen::generate;
use stratum_core::dialect::normalize_for;
use stratum_core::diff::{Difference, diff, differences};
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

/// The models' schema, or a usage error when the application declares none.
pub fn models_schema(ctx: &Ctx<'_>) -> Result<Schema, CliError> {
    match ctx.app.target_schema {
        Some(models) => Ok(models()),
        None => Err(CliError::new(
            Exit::Usage,
            format!("{} declares no models to compare with", ctx.app.name),
        )
        .hint("pass `target_schema: Some(..)` in the application's `App`")),
    }
}

/// The live database's schema, or (inner `Err`) why the database is not at the
/// scripts' heads.
async fn live_schema(
    ctx: &Ctx<'_>,
    target: &ResolvedTarget,
    script: &Script,
) -> Result<Result<Schema, CliError>, CliError> {
    let mut migrator = ctx.migrator(target).await?;
    // Edited revisions and unknown heads are refused as `upgrade` refuses them.
    // The heads it returns are those of the version table (none when missing).
    let mut heads = match migrator
        .check_integrity(&crate::runner::known_revisions(script))
        .await
    {
        Ok(heads) => heads,
        Err(e) => {
            migrator.close().await;
            return Err(e.into());
        }
    };
    let exclusions = match ctx.exclusions(target) {
        Ok(e) => e,
        Err(e) => {
            migrator.close().await;
            return Err(e);
        }
    };
    let schema = match migrator.connection() {
        Ok(conn) => Some(crate::introspect::introspect_excluding(conn, &exclusions).await),
        Err(_) => None,
    };
    migrator.close().await;
    // A replaced revision still compiled in is known: it is simply not at head.
    if !heads
        .iter()
        .all(|h| script.legacy().is_some_and(|l| l.contains(h)))
    {
        script.map().applied(&heads)?;
    }
    heads.sort();
    let script_heads = sorted_heads(script);
    if heads != script_heads {
        return Ok(Err(CliError::new(
            Exit::Refused,
            format!(
                "the database {} is at {}, not at head ({})",
                target.url,
                crate::runner::heads_or_base(&heads),
                script_heads.join(", ")
            ),
        )
        .hint("upgrade it first: `upgrade head`")));
    }
    match schema {
        Some(Ok(s)) => Ok(Ok(s)),
        Some(Err(e)) => Err(CliError::new(Exit::Connection, e.to_string())),
        None => Err(CliError::new(
            Exit::Connection,
            "the connection closed before the schema could be read",
        )),
    }
}

/// The live database's schema, checked to be at the scripts' heads.
pub async fn live_at_head(
    ctx: &Ctx<'_>,
    target: &ResolvedTarget,
    script: &Script,
) -> Result<Schema, CliError> {
    live_schema(ctx, target, script).await?
}

fn sorted_heads(script: &Script) -> Vec<String> {
    let mut h: Vec<String> = script
        .map()
        .heads()
        .into_iter()
        .map(str::to_string)
        .collect();
    h.sort();
    h
}

/// One compared pair and what differs.
struct Comparison {
    what: String,
    from: &'static str,
    to: &'static str,
    differences: Vec<Difference>,
    ops: Vec<Op>,
    note: Option<String>,
}

impl Comparison {
    fn new(what: String, names: (&'static str, &'static str), a: &Schema, b: &Schema) -> Self {
        Self {
            what,
            from: names.0,
            to: names.1,
            differences: differences(a, b),
            ops: diff(a, b),
            note: None,
        }
    }

    fn in_sync(&self) -> bool {
        self.differences.is_empty() && self.ops.is_empty() && self.note.is_none()
    }
}

/// `check`.
pub async fn check(ctx: &Ctx<'_>, args: &CheckArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let head = head_schema(&script)?;
    let mut results = Vec::new();
    if let Some((what, models)) = chosen_models(ctx, &args.models)? {
        results.push(Comparison::new(
            format!("revisions at head vs {what}"),
            ("revisions", "models"),
            &head,
            &models,
        ));
    }
    let target = if args.no_database {
        None
    } else {
        Some(ctx.target()?)
    };
    let skip_db = target
        .as_ref()
        .is_none_or(|t| ctx.default_database_missing(t));
    if let (Some(target), false) = (&target, skip_db) {
        let what = format!("database {} vs revisions at head", target.url);
        match live_schema(ctx, target, &script).await? {
            Ok(live) => {
                let mut expected = normalize_for(target.url.dialect(), &head);
                // What the database holds that the models do not own is left
                // out of both sides.
                ctx.ignore_rules(target)?.apply(&mut expected);
                results.push(Comparison::new(
                    what,
                    ("database", "revisions"),
                    &live,
                    &expected,
                ));
            }
            Err(not_at_head) => results.push(Comparison {
                what,
                from: "database",
                to: "revisions",
                differences: Vec::new(),
                ops: Vec::new(),
                note: Some(not_at_head.to_string()),
            }),
        }
    }
    let drift = results.iter().any(|r| !r.in_sync());
    if ctx.json() {
        ctx.printer.json(&json!({
            "in_sync": !drift,
            "comparisons": results.iter().map(|r| json!({
                "what": r.what,
                "in_sync": r.in_sync(),
                "note": r.note,
                "differences": r.differences.iter().map(|d| json!({
                    "object": d.object,
                    "kind": d.kind,
                    "text": d.describe(r.from, r.to),
                })).collect::<Vec<_>>(),
                "ops": r.ops.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }));
    } else {
        if results.is_empty() {
            ctx.printer
                .info("nothing to compare: no models declared and no database configured");
        }
        for r in &results {
            if r.in_sync() {
                ctx.printer
                    .out(format!("{}: {}", r.what, ctx.printer.green("in sync")));
                continue;
            }
            ctx.printer
                .out(format!("{}: {}", r.what, ctx.printer.red("differs")));
            if let Some(n) = &r.note {
                ctx.printer.out(format!("  {n}"));
            }
            for d in &r.differences {
                ctx.printer.out(format!("  - {}", d.describe(r.from, r.to)));
            }
            if r.differences.is_empty() && !r.ops.is_empty() {
                // Only column order or spelling differs; show what would run.
                for op in &r.ops {
                    ctx.printer.out(format!("  - {op}"));
                }
            }
        }
        if drift {
            ctx.printer.info(
                "models out of sync with the revisions: `revision --autogenerate -m \"...\"`; \
                 a database behind or changed by hand: `upgrade head`, or `diff` to see the ops",
            );
        }
    }
    Ok(if drift { Exit::Drift } else { Exit::Success })
}

/// Refuses when the versions directory holds revision files the binary was not
/// built with: the head schema would miss them.
fn require_built(ctx: &Ctx<'_>, script: &Script) -> Result<(), CliError> {
    let dir = ctx.versions_dir();
    if !dir.is_dir() {
        return Ok(());
    }
    let on_disk = scan_dir(&dir)?;
    let missing: Vec<String> = on_disk
        .iter()
        .filter(|r| script.get(&r.id).is_none())
        .map(|r| {
            r.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| r.id.clone())
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(CliError::new(
        Exit::Refused,
        format!(
            "{} holds revision(s) this binary was not built with: {}",
            dir.display(),
            missing.join(", ")
        ),
    )
    .hint("rebuild first (cargo build), then run the command again"))
}

/// `revision --autogenerate`.
pub async fn autogenerate(ctx: &Ctx<'_>, args: &RevisionArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    require_built(ctx, &script)?;
    let models = required_models(ctx, &args.models)?;
    let (from, to, compared) = if args.from_db {
        let target = ctx.target()?;
        let live = live_at_head(ctx, &target, &script).await?;
        let dialect = target.url.dialect();
        let rules = ctx.ignore_rules(&target)?;
        (
            live,
            rules.applied(&normalize_for(dialect, &models)),
            format!("the database {}", target.url),
        )
    } else {
        (
            head_schema(&script)?,
            models,
            "the revisions at head".to_string(),
        )
    };
    let generated = generate(&from, &to);
    if generated.is_empty() && !args.allow_empty {
        if ctx.json() {
            ctx.printer
                .json(&json!({ "file": null, "ops": [], "in_sync": true }));
        } else {
            ctx.printer.out(format!(
                "No changes: the models match {compared}; no revision written."
            ));
            ctx.printer
                .info("pass --allow-empty to write an empty revision anyway");
        }
        return Ok(Exit::Success);
    }
    let (dir, map) = disk_graph(ctx)?;
    let mut opts = super::files::revision_options(args);
    opts.upgrade_body = Some(generated.upgrade.clone());
    opts.downgrade_body = Some(generated.downgrade.clone());
    opts.irreversible = generated.irreversible;
    let rev = NewRevision::plan(&map, &opts)?;
    let path = write_revision(&dir, &rev)?;
    if ctx.json() {
        ctx.printer.json(&json!({
            "id": rev.id,
            "down_revisions": rev.parents,
            "file": path.display().to_string(),
            "ops": generated.upgrade_ops.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "reviews": generated.reviews,
            "irreversible": generated.irreversible,
        }));
        return Ok(Exit::Success);
    }
    for op in &generated.upgrade_ops {
        ctx.printer.out(format!("  - {op}"));
    }
    written(ctx, &rev, &path);
    if !generated.reviews.is_empty() {
        ctx.printer.warn(format!(
            "{} change(s) need a review (see the `// review:` comments in the file):",
            generated.reviews.len()
        ));
        for r in &generated.reviews {
            ctx.printer.warn(format!("  {r}"));
        }
    }
    if generated.irreversible {
        ctx.printer
            .warn("the downgrade could not be generated; the revision is marked irreversible");
    }
    Ok(Exit::Success)
}

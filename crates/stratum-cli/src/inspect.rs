//! `history`, `heads`, `branches` and `show`: read the revision graph, and for
//! `history --indicate-current` the database's version.

use super::args::{HistoryArgs, ShowArgs, VerboseArgs};
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::script::Script;
use serde_json::{Value, json};
use stratum_core::revision::RevisionMap;

/// Everything known about one revision, as JSON.
fn describe(script: &Script, id: &str, current: &[String]) -> Value {
    let map = script.map();
    let node = map.get(id);
    let rev = script.revision(id).ok();
    let children = map.children(id).unwrap_or_default();
    json!({
        "id": id,
        "down_revisions": node.map(|n| n.down_revisions.clone()).unwrap_or_default(),
        "children": children,
        "branch_labels": node.map(|n| n.branch_labels.clone()).unwrap_or_default(),
        "depends_on": node.map(|n| n.depends_on.clone()).unwrap_or_default(),
        "message": rev.map(|r| r.message),
        "created": rev.map(|r| r.created),
        "file": script.file_name(id).ok(),
        "transactional": rev.map(|r| r.transactional),
        "irreversible": rev.map(|r| r.irreversible),
        "is_head": children.is_empty(),
        "is_branch_point": children.len() > 1,
        "is_merge": node.is_some_and(|n| n.down_revisions.len() > 1),
        "is_current": current.iter().any(|c| c == id),
    })
}

fn flags(v: &Value) -> String {
    let mut f = Vec::new();
    for (key, word) in [
        ("is_head", "head"),
        ("is_branch_point", "branchpoint"),
        ("is_merge", "mergepoint"),
        ("is_current", "current"),
    ] {
        if v[key].as_bool() == Some(true) {
            f.push(word);
        }
    }
    let partly = &v["partly_applied"];
    let partly = partly.is_object().then(|| {
        format!(
            "partly applied: {} of {}",
            partly["applied"].as_u64().unwrap_or_default(),
            partly["total"].as_u64().unwrap_or_default()
        )
    });
    f.extend(partly.as_deref());
    if f.is_empty() {
        String::new()
    } else {
        format!(" ({})", f.join(") ("))
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `<parents> -> <id> (flags), message`, like the tools users know.
fn short_line(v: &Value) -> String {
    let parents = strings(&v["down_revisions"]);
    let parents = if parents.is_empty() {
        "<base>".to_string()
    } else {
        parents.join(", ")
    };
    let labels = strings(&v["branch_labels"]);
    let labels = if labels.is_empty() {
        String::new()
    } else {
        format!(" ({})", labels.join(", "))
    };
    format!(
        "{parents} -> {}{}{labels}, {}",
        v["id"].as_str().unwrap_or_default(),
        flags(v),
        v["message"].as_str().unwrap_or_default()
    )
}

fn verbose_block(v: &Value) -> String {
    let mut out = format!(
        "Rev: {}{}\n",
        v["id"].as_str().unwrap_or_default(),
        flags(v)
    );
    let parents = strings(&v["down_revisions"]);
    if parents.len() > 1 {
        out.push_str(&format!("Merges: {}\n", parents.join(", ")));
    } else {
        out.push_str(&format!(
            "Parent: {}\n",
            parents.first().map(String::as_str).unwrap_or("<base>")
        ));
    }
    let children = strings(&v["children"]);
    if children.len() > 1 {
        out.push_str(&format!("Branches into: {}\n", children.join(", ")));
    }
    for (key, label) in [
        ("branch_labels", "Branch names"),
        ("depends_on", "Also depends on"),
    ] {
        let items = strings(&v[key]);
        if !items.is_empty() {
            out.push_str(&format!("{label}: {}\n", items.join(", ")));
        }
    }
    out.push_str(&format!("Path: {}\n\n", v["file"].as_str().unwrap_or("?")));
    out.push_str(&format!(
        "    {}\n\n",
        v["message"].as_str().unwrap_or_default()
    ));
    out.push_str(&format!(
        "    Revision ID: {}\n",
        v["id"].as_str().unwrap_or_default()
    ));
    let parents_line = if parents.is_empty() {
        String::new()
    } else {
        parents.join(", ")
    };
    out.push_str(&format!("    Revises: {parents_line}\n"));
    out.push_str(&format!(
        "    Create Date: {}\n",
        v["created"].as_str().unwrap_or_default()
    ));
    out
}

/// Revisions of a range `start:end` (either side optional), newest first.
fn in_range<'m>(
    map: &'m RevisionMap,
    range: Option<&str>,
    current: &[String],
) -> Result<Vec<&'m str>, CliError> {
    let all: Vec<&str> = map.history().into_iter().map(|n| n.id.as_str()).collect();
    let Some(range) = range else {
        return Ok(all);
    };
    let (start, end) = range.split_once(':').ok_or_else(|| {
        CliError::new(
            Exit::Usage,
            format!("history range {range:?} must be START:END"),
        )
        .hint("for example -r base:head, -r 002:, -r :current")
    })?;
    let resolve = |side: &str| -> Result<Vec<String>, CliError> {
        Ok(match side {
            "current" => current.to_vec(),
            _ => map
                .resolve_str(side, current)?
                .into_iter()
                .map(str::to_string)
                .collect(),
        })
    };
    let lower: Option<Vec<String>> = match start {
        "" | "base" => None,
        s => Some(resolve(s)?),
    };
    let upper: Option<Vec<String>> = match end {
        "" | "heads" | "head" => None,
        e => Some(resolve(e)?),
    };
    Ok(all
        .into_iter()
        .filter(|id| {
            let above_lower = lower.as_ref().is_none_or(|l| {
                l.iter()
                    .any(|lo| lo == id || map.is_ancestor(lo, id).unwrap_or(false))
            });
            let below_upper = upper.as_ref().is_none_or(|u| {
                u.iter()
                    .any(|up| up == id || map.is_ancestor(id, up).unwrap_or(false))
            });
            above_lower && below_upper
        })
        .collect())
}

/// `history`.
pub async fn history(ctx: &Ctx<'_>, args: &HistoryArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let needs_db = args.indicate_current
        || args
            .rev_range
            .as_deref()
            .is_some_and(|r| r.contains("current"));
    let (current, partial) = if needs_db {
        let target = ctx.target()?;
        let mut m = ctx.migrator(&target).await?;
        let heads = m.current_heads().await;
        let partial = match &heads {
            Ok(_) => m.partial_revisions().await,
            Err(_) => Ok(Vec::new()),
        };
        m.close().await;
        (heads?.unwrap_or_default(), partial?)
    } else {
        (Vec::new(), Vec::new())
    };
    if args.graph && !ctx.json() {
        if args.rev_range.is_some() {
            return Err(CliError::new(
                Exit::Usage,
                "history --graph draws the whole graph and takes no range",
            )
            .hint("drop -r, or list the range without --graph"));
        }
        return Ok(super::picture::history_graph(ctx, &script, &current));
    }
    let ids = in_range(script.map(), args.rev_range.as_deref(), &current)?;
    let revs: Vec<Value> = ids
        .iter()
        .map(|id| {
            let mut v = describe(&script, id, &current);
            if let Some(p) = partial.iter().find(|p| p.revision == *id) {
                v["partly_applied"] = super::resolve::partial_json(p);
            }
            v
        })
        .collect();
    if ctx.json() {
        ctx.printer.json(&json!({ "revisions": revs }));
    } else {
        for v in &revs {
            ctx.printer.out(if args.verbose {
                verbose_block(v)
            } else {
                short_line(v)
            });
            if let Some(p) = partial.iter().find(|p| v["id"] == p.revision.as_str()) {
                for line in super::resolve::partial_lines(p).iter().skip(1) {
                    ctx.printer.out(line.clone());
                }
            }
        }
    }
    Ok(Exit::Success)
}

/// `heads`.
pub async fn heads(ctx: &Ctx<'_>, args: &VerboseArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let revs: Vec<Value> = script
        .map()
        .heads()
        .iter()
        .map(|id| describe(&script, id, &[]))
        .collect();
    print_list(ctx, "heads", &revs, args.verbose);
    Ok(Exit::Success)
}

/// `branches`.
pub async fn branches(ctx: &Ctx<'_>, args: &VerboseArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let revs: Vec<Value> = script
        .map()
        .branch_points()
        .iter()
        .map(|id| describe(&script, id, &[]))
        .collect();
    if ctx.json() {
        ctx.printer.json(&json!({ "branches": revs }));
    } else {
        for v in &revs {
            if args.verbose {
                ctx.printer.out(verbose_block(v));
            } else {
                ctx.printer.out(short_line(v));
                for child in strings(&v["children"]) {
                    ctx.printer.out(format!("    -> {child}"));
                }
            }
        }
    }
    Ok(Exit::Success)
}

fn print_list(ctx: &Ctx<'_>, key: &str, revs: &[Value], verbose: bool) {
    if ctx.json() {
        ctx.printer.json(&json!({ key: revs }));
        return;
    }
    for v in revs {
        if verbose {
            ctx.printer.out(verbose_block(v));
        } else {
            let labels = strings(&v["branch_labels"]);
            let labels = if labels.is_empty() {
                String::new()
            } else {
                format!(" ({})", labels.join(", "))
            };
            ctx.printer.out(format!(
                "{}{labels} (head)",
                v["id"].as_str().unwrap_or_default()
            ));
        }
    }
}

/// `show`.
pub async fn show(ctx: &Ctx<'_>, args: &ShowArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let ids = script.map().resolve_str(&args.rev, &[])?;
    let mut out = Vec::new();
    for id in ids {
        let mut v = describe(&script, id, &[]);
        let up: Vec<String> = script
            .upgrade_ops(id)?
            .iter()
            .map(ToString::to_string)
            .collect();
        let down: Vec<String> = script
            .downgrade_ops(id)?
            .iter()
            .map(ToString::to_string)
            .collect();
        v["upgrade"] = json!(up);
        v["downgrade"] = json!(down);
        v["replaces"] = json!(script.revision(id)?.replaces);
        if args.online {
            v["online"] = json!(super::online::online_steps_of(&script, id)?);
            v["online_unprobed"] = super::online::unprobed_of(&script, id)?;
        }
        out.push(v);
    }
    if ctx.json() {
        ctx.printer.json(&json!({ "revisions": out }));
        return Ok(Exit::Success);
    }
    for v in &out {
        ctx.printer.out(verbose_block(v));
        let replaces = strings(&v["replaces"]);
        if !replaces.is_empty() {
            ctx.printer.out(format!(
                "Replaces (squash baseline): {}",
                replaces.join(", ")
            ));
        }
        for (key, title) in [("upgrade", "Upgrade"), ("downgrade", "Downgrade")] {
            ctx.printer.out(format!("{title}:"));
            let ops = strings(&v[key]);
            if ops.is_empty() {
                ctx.printer.out("    (nothing)");
            }
            for op in ops {
                ctx.printer.out(format!("    {op}"));
            }
        }
        if args.online {
            ctx.printer.out("Online upgrade steps:");
            for line in super::online::step_lines(&v["online"]) {
                ctx.printer.out(format!("    {line}"));
            }
            for note in strings(&v["online_unprobed"]) {
                ctx.printer.out(format!("    note: {note}"));
            }
        }
    }
    Ok(Exit::Success)
}

//! `schema`: an entity-relationship diagram of the models, of the schema the
//! revisions build at head, or of a live database; and the pictures of
//! `history --graph`.

use super::args::{Format, SchemaArgs, SchemaSource};
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::script::Script;
use std::io::IsTerminal;
use stratum_core::picture::{DiagramOptions, dot, mermaid};
use stratum_core::revision::{RevisionNode, draw};
use stratum_core::schema::Schema;

/// `schema`.
pub async fn schema(ctx: &Ctx<'_>, args: &SchemaArgs) -> Result<Exit, CliError> {
    let source = args.source.unwrap_or(if ctx.app.target_schema.is_some() {
        SchemaSource::Models
    } else {
        SchemaSource::Head
    });
    let schema = match source {
        SchemaSource::Models => match ctx.app.target_schema {
            Some(models) => models(),
            None => {
                return Err(CliError::new(
                    Exit::Usage,
                    format!("{} declares no models", ctx.app.name),
                )
                .hint("draw the revisions instead: schema --source head"));
            }
        },
        SchemaSource::Head => super::check::head_schema(&ctx.script()?)?,
        SchemaSource::Db => live_schema(ctx).await?,
    };
    let options = DiagramOptions {
        all_columns: args.all_columns,
    };
    match ctx.global.format {
        Format::Text | Format::Mermaid => ctx.printer.out(mermaid(&schema, options).trim_end()),
        Format::Dot => ctx.printer.out(dot(&schema, options).trim_end()),
        Format::Json => ctx.printer.json(
            &serde_json::to_value(&schema)
                .map_err(|e| CliError::new(Exit::Refused, e.to_string()))?,
        ),
    }
    Ok(Exit::Success)
}

async fn live_schema(ctx: &Ctx<'_>) -> Result<Schema, CliError> {
    let target = ctx.target()?;
    if ctx.default_database_missing(&target) {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "no database to draw: {} does not exist here",
                ctx.app.names.default_sqlite_file
            ),
        )
        .hint("run `upgrade head` first, or name a database with --url, DATABASE_URL or --env"));
    }
    let exclusions = ctx.exclusions(&target)?;
    let mut migrator = ctx.migrator(&target).await?;
    let schema = match migrator.connection() {
        Ok(conn) => crate::introspect::introspect_excluding(conn, &exclusions)
            .await
            .map_err(|e| CliError::new(Exit::Connection, e.to_string())),
        Err(e) => Err(e.into()),
    };
    migrator.close().await;
    schema
}

/// The label of a revision in a picture: id, flags and message.
fn label(script: &Script, node: &RevisionNode, current: &[String], with_flags: bool) -> String {
    let map = script.map();
    let mut text = node.id.clone();
    if !node.branch_labels.is_empty() {
        text.push_str(&format!(" ({})", node.branch_labels.join(", ")));
    }
    if with_flags {
        let children = map.children(&node.id).map(|c| c.len()).unwrap_or(0);
        for (on, word) in [
            (children == 0, "head"),
            (current.contains(&node.id), "current"),
        ] {
            if on {
                text.push_str(&format!(" ({word})"));
            }
        }
    }
    let message = script.revision(&node.id).map(|r| r.message).unwrap_or("");
    if !message.is_empty() {
        text.push_str(if with_flags { "  " } else { ": " });
        text.push_str(message);
    }
    text
}

/// `history --graph`: the whole revision graph, as terminal rows or a diagram.
pub fn history_graph(ctx: &Ctx<'_>, script: &Script, current: &[String]) -> Exit {
    let map = script.map();
    match ctx.global.format {
        Format::Mermaid => ctx
            .printer
            .out(draw::mermaid(map, |n| label(script, n, current, false)).trim_end()),
        Format::Dot => ctx
            .printer
            .out(draw::dot(map, |n| label(script, n, current, false)).trim_end()),
        Format::Text | Format::Json => {
            let p = &ctx.printer;
            let color = p.color && std::io::stdout().is_terminal();
            let text = draw::terminal(map, |n| {
                let rest = label(script, n, current, true);
                let rest = rest.strip_prefix(n.id.as_str()).unwrap_or(&rest);
                let id = if color { p.yellow(&n.id) } else { n.id.clone() };
                format!("{id}{rest}")
            });
            for line in text.lines() {
                p.out(line);
            }
        }
    }
    Exit::Success
}

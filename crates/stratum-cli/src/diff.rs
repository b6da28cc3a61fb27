//! `diff --from X --to Y [--sql]`: the ops (or the SQL) that turn one schema into
//! another, where each side is a database URL, `models` or `head` (the revisions
//! folded by the simulator). For example staging against production, or a database
//! against the models.

use super::args::DiffArgs;
use super::check::{head_schema, models_schema};
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use super::python_models::python_schema;
use crate::config::{Access, DatabaseUrl, check_database_file, connect};
use crate::introspect::{Exclusions, introspect_excluding};
use crate::python::PythonSource;
use crate::runner::render_marked;
use serde_json::json;
use stratum_core::dialect::SqlDialect;
use stratum_core::diff::{diff, differences};
use stratum_core::schema::Schema;

/// One side of the comparison, read.
#[derive(Clone)]
struct Side {
    label: String,
    schema: Schema,
    /// The SQL of a database side's server.
    dialect: Option<&'static dyn SqlDialect>,
}

/// Whether a side names a database (not `models` or `head`).
fn is_database(spec: &str) -> bool {
    !matches!(spec, "models" | "head") && !PythonSource::is_python(spec)
}

async fn read_side(
    ctx: &Ctx<'_>,
    spec: &str,
    exclusions: Option<&Exclusions>,
    python: &str,
) -> Result<Side, CliError> {
    match spec {
        python_source if PythonSource::is_python(python_source) => Ok(Side {
            label: python_source.to_string(),
            schema: python_schema(python_source, python)?,
            dialect: None,
        }),
        "models" => Ok(Side {
            label: "models".into(),
            schema: models_schema(ctx)?,
            dialect: None,
        }),
        "head" => Ok(Side {
            label: "revisions at head".into(),
            schema: head_schema(&ctx.script()?)?,
            dialect: None,
        }),
        url => {
            let url = DatabaseUrl::parse(url).map_err(|e| {
                CliError::new(Exit::Usage, e.to_string())
                    .hint("each side is `models`, `head`, `python:MODULE:ATTR` or a database URL")
            })?;
            check_database_file(&url, Access::Read)?;
            let mut conn = connect(&url).await?;
            ctx.warn_other_server(&url, &conn);
            let sql = conn.sql_dialect();
            let none = Exclusions::default();
            let schema = introspect_excluding(&mut conn, exclusions.unwrap_or(&none))
                .await
                .map_err(|e| CliError::new(Exit::Connection, e.to_string()));
            let _ = conn.close().await;
            Ok(Side {
                label: format!("database {url}"),
                schema: schema?,
                dialect: Some(sql),
            })
        }
    }
}

/// What `schema` looks like once stored by the server `sql` writes for, in
/// normalized form ([`stratum_core::dialect::normalize_for`], for that server).
fn stored_as(sql: &dyn SqlDialect, schema: &Schema) -> Schema {
    let mut s = schema.normalized();
    sql.normalize_stored(&mut s);
    s
}

/// `diff`.
pub async fn diff_command(ctx: &Ctx<'_>, args: &DiffArgs) -> Result<Exit, CliError> {
    // A database side leaves out the configured bookkeeping tables and what the
    // ignore rules name (read from the configuration only when needed).
    let exclusions = if is_database(&args.from) || is_database(&args.to) {
        let target = ctx.target()?;
        Some(ctx.exclusions(&target)?)
    } else {
        None
    };
    let mut from = read_side(ctx, &args.from, exclusions.as_ref(), &args.python.python).await?;
    // The same source named twice is read once: one snapshot for both sides.
    let mut to = if args.to == args.from {
        from.clone()
    } else {
        read_side(ctx, &args.to, exclusions.as_ref(), &args.python.python).await?
    };
    // The other side of a database leaves out what the database's side leaves
    // out.
    if let Some(exclusions) = &exclusions {
        exclusions.rules().apply(&mut from.schema);
        exclusions.rules().apply(&mut to.schema);
    }
    // The SQL is for the side that would change.
    let named = match &args.server_version {
        None => args.dialect.sql(),
        Some(version) => DatabaseUrl::sql_for_server(args.dialect, version)
            .map_err(|e| CliError::new(Exit::Usage, format!("--server-version: {e}")))?,
    };
    let sql = from.dialect.or(to.dialect).unwrap_or(named);
    let dialect = sql.dialect();
    // A database only holds what its server can: compare the other side as that
    // server would store it.
    if let (Some(d), None) = (from.dialect, to.dialect) {
        to.schema = stored_as(d, &to.schema);
    }
    if let (None, Some(d)) = (from.dialect, to.dialect) {
        from.schema = stored_as(d, &from.schema);
    }
    let ops = diff(&from.schema, &to.schema);
    let found = differences(&from.schema, &to.schema);
    let sql = if args.sql {
        let marked = render_marked(sql, &ops, &from.schema)
            .map_err(|e| CliError::new(Exit::Usage, format!("cannot render the changes: {e}")))?;
        Some(marked)
    } else {
        None
    };
    if ctx.json() {
        ctx.printer.json(&json!({
            "from": from.label,
            "to": to.label,
            "dialect": dialect.to_string(),
            "differences": found.iter().map(|d| d.describe("from", "to")).collect::<Vec<_>>(),
            "ops": ops.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "sql": sql.as_ref().map(|s| s.iter().flat_map(|m| &m.statements).map(|st| st.sql.clone()).collect::<Vec<_>>()),
            "destructive": sql.as_ref().map(|s| s.iter().filter_map(|m| m.note.clone()).collect::<Vec<_>>()),
        }));
        return Ok(Exit::Success);
    }
    if ops.is_empty() {
        ctx.printer.info(format!(
            "no differences: {} and {} are the same",
            from.label, to.label
        ));
        return Ok(Exit::Success);
    }
    match sql {
        Some(statements) => {
            ctx.printer.out(format!(
                "-- {} change(s) turning {} into {} ({dialect})",
                ops.len(),
                from.label,
                to.label
            ));
            for op in &statements {
                for line in op.script_lines() {
                    ctx.printer.out(line);
                }
            }
            let notes: Vec<String> = statements.iter().filter_map(|m| m.note.clone()).collect();
            summarize_destructive(ctx, &notes);
        }
        None => {
            ctx.printer.out(format!(
                "{} change(s) turning {} into {}:",
                ops.len(),
                from.label,
                to.label
            ));
            for op in &ops {
                ctx.printer.out(format!("  - {op}"));
            }
        }
    }
    Ok(Exit::Success)
}

/// Lists the destructive statements of printed SQL on stderr (the SQL on
/// stdout marks each one with a comment).
pub(super) fn summarize_destructive(ctx: &Ctx<'_>, notes: &[String]) {
    if notes.is_empty() {
        return;
    }
    ctx.printer.warn(format!(
        "{} destructive statement(s) in this SQL, each marked `{}...`:",
        notes.len(),
        crate::runner::DESTRUCTIVE_MARK.trim_end()
    ));
    for n in notes {
        ctx.printer.warn(format!("  {n}"));
    }
}

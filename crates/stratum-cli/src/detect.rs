//! `stamp --detect`: finds the revision whose simulated schema equals the live
//! database and stamps it, replacing whatever the version table holds (rows another
//! tool left, a revision this chain does not have, a removed revision). With no
//! exact match it names the closest revisions and what separates the database from
//! them; with several (a data-only revision looks like its parent) it stamps none.

use super::args::StampArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::lineage::detect::{Candidate, detect};
use crate::runner::known_revisions;
use serde_json::{Value, json};
use stratum_core::dialect::{SqlDialect, render_all_with};

/// How many near revisions are reported when none matches.
const CLOSEST: usize = 3;

fn candidate_json(c: &Candidate, sql: Option<&[String]>) -> Value {
    json!({
        "id": c.label(),
        "differences": c.differences.iter()
            .map(|d| d.describe("database", "revision")).collect::<Vec<_>>(),
        "ops": c.ops.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "sql": sql,
    })
}

/// The SQL that brings the database to a candidate.
fn candidate_sql(
    sql: &dyn SqlDialect,
    c: &Candidate,
    live: &stratum_core::schema::Schema,
) -> Result<Vec<String>, CliError> {
    let statements = render_all_with(sql, &c.ops, live).map_err(|e| {
        CliError::new(
            Exit::Refused,
            format!("cannot render the changes toward {}: {e}", c.label()),
        )
    })?;
    Ok(statements
        .into_iter()
        .map(|s| format!("{};", s.sql))
        .collect())
}

/// `stamp --detect [--dry-run] [--sql]`.
pub async fn stamp_detect(ctx: &Ctx<'_>, args: &StampArgs) -> Result<Exit, CliError> {
    let script = ctx.script()?;
    let target = ctx.target()?;
    let dialect = target.url.dialect();
    let mut migrator = ctx.migrator(&target).await?;
    // The SQL is written for the server the connection reached.
    let sql = migrator
        .connection()
        .map(|c| c.sql_dialect())
        .unwrap_or_else(|_| dialect.sql());
    let rows = migrator.current_heads().await;
    let live = match migrator.connection() {
        Ok(conn) => crate::introspect::introspect(conn, &[])
            .await
            .map_err(|e| CliError::new(Exit::Connection, e.to_string())),
        Err(e) => Err(e.into()),
    };
    let (rows, live) = match (rows, live) {
        (Ok(rows), Ok(live)) => (rows.unwrap_or_default(), live),
        (Err(e), _) => {
            migrator.close().await;
            return Err(e.into());
        }
        (_, Err(e)) => {
            migrator.close().await;
            return Err(e);
        }
    };
    let found = match detect(&script, &live, dialect) {
        Ok(found) => found,
        Err(e) => {
            migrator.close().await;
            return Err(CliError::new(Exit::Refused, e.to_string()));
        }
    };
    let matches = found.matches();
    let foreign: Vec<&String> = rows.iter().filter(|r| script.get(r).is_none()).collect();
    let stamped = if let [one] = matches.as_slice()
        && !args.dry_run
    {
        let heads: Vec<String> = one.id.iter().cloned().collect();
        let report = migrator
            .stamp(&known_revisions(&script), &heads, true)
            .await;
        migrator.close().await;
        report?;
        Some(one.label().to_string())
    } else {
        migrator.close().await;
        None
    };
    let closest = if matches.is_empty() {
        found.closest(CLOSEST)
    } else {
        Vec::new()
    };
    let mut closest_sql = Vec::new();
    for c in &closest {
        closest_sql.push(if args.sql {
            Some(candidate_sql(sql, c, &live)?)
        } else {
            None
        });
    }
    let exit = match matches.len() {
        1 => Exit::Success,
        0 => Exit::Drift,
        _ => Exit::Refused,
    };
    if ctx.json() {
        ctx.printer.json(&json!({
            "version_rows": rows,
            "unknown_rows": foreign,
            "matches": matches.iter().map(|c| c.label()).collect::<Vec<_>>(),
            "stamped": stamped,
            "dry_run": args.dry_run,
            "closest": closest.iter().zip(&closest_sql)
                .map(|(c, sql)| candidate_json(c, sql.as_deref())).collect::<Vec<_>>(),
        }));
        return Ok(exit);
    }
    let p = &ctx.printer;
    if rows.is_empty() {
        p.out("Version table: empty or missing");
    } else {
        p.out(format!("Version table: {}", rows.join(", ")));
    }
    for row in &foreign {
        p.out(format!("  {row} is not a revision of this chain"));
    }
    match matches.as_slice() {
        [one] => {
            p.out(format!(
                "The database's schema matches revision {}",
                one.label()
            ));
            match &stamped {
                Some(id) => p.out(format!("Stamped {id}")),
                None => p.out(format!(
                    "Dry run: nothing stamped (run without --dry-run to record {})",
                    one.label()
                )),
            }
        }
        [] => {
            p.out(format!(
                "No revision matches the database's schema; the closest {}:",
                if closest.len() == 1 { "is" } else { "are" }
            ));
            for (c, sql) in closest.iter().zip(&closest_sql) {
                p.out(format!("  {} ({} difference(s))", c.label(), c.distance()));
                for d in &c.differences {
                    p.out(format!("    - {}", d.describe("database", "revision")));
                }
                match sql {
                    Some(sql) => {
                        p.out(format!("    SQL to bring the database to {}:", c.label()));
                        for line in sql {
                            p.out(format!("      {line}"));
                        }
                    }
                    None => {
                        p.out(format!("    ops to bring the database to {}:", c.label()));
                        for op in &c.ops {
                            p.out(format!("      {op}"));
                        }
                    }
                }
            }
            p.info(
                "nothing stamped: change the database (the ops above), or stamp a revision by hand",
            );
        }
        several => {
            let ids: Vec<&str> = several.iter().map(|c| c.label()).collect();
            p.out(format!(
                "The database's schema matches {} revisions: {}",
                ids.len(),
                ids.join(", ")
            ));
            p.info("nothing stamped: they differ only in data; stamp the right one by hand (`stamp REV --purge`)");
        }
    }
    Ok(exit)
}

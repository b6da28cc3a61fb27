//! The databases of every configured environment, and what each one has applied:
//! what `rebase` and `squash --finalize` must not pull the ground from under.

use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::config::{self, ConfigFile, Env, LoadOptions, ResolvedTarget};
use std::collections::BTreeSet;

/// One configured database.
pub(super) struct Configured {
    /// How the user names it: `environment staging`, `--url`, ...
    pub label: String,
    /// Where it is.
    pub target: ResolvedTarget,
}

/// Every environment of the configuration file, resolved as `--env NAME` would
/// resolve it, plus the database of `--url`; without a configuration file, the
/// database the command would use (unless that is the embedded default and it
/// does not exist). The same database named twice is listed once.
pub(super) fn configured(ctx: &Ctx<'_>) -> Result<Vec<Configured>, CliError> {
    let file = match &ctx.global.config {
        Some(path) => Some(ConfigFile::read(&ctx.cwd.join(path))?),
        None => ConfigFile::discover(&ctx.cwd, ctx.app.names.config_file)?,
    };
    let mut out: Vec<Configured> = Vec::new();
    let push = |out: &mut Vec<Configured>, label: String, target: ResolvedTarget| {
        if !out
            .iter()
            .any(|c| c.target.url.redacted() == target.url.redacted())
        {
            out.push(Configured { label, target });
        }
    };
    if ctx.global.url.is_some() {
        push(&mut out, "--url".to_string(), ctx.target()?);
    }
    for name in file.iter().flat_map(ConfigFile::environment_names) {
        let options = LoadOptions {
            names: ctx.app.names,
            working_dir: ctx.cwd.clone(),
            config_file: ctx.global.config.clone(),
            url: None,
            environment: Some(name.clone()),
            load_dotenv: true,
        };
        let target = config::load(&options, Env::from_process())?;
        push(&mut out, format!("environment {name}"), target);
    }
    if out.is_empty() {
        let target = ctx.target()?;
        if !ctx.default_database_missing(&target) {
            push(&mut out, format!("the database {}", target.url), target);
        }
    }
    Ok(out)
}

/// The revision ids a database knows: its version rows and every revision its
/// history table names.
pub(super) struct Known {
    /// The version table's rows.
    pub rows: Vec<String>,
    /// Revisions named in the history table.
    pub history: BTreeSet<String>,
}

/// Reads what a configured database knows. An unreachable database is an error
/// naming it: nothing can be proven about it.
pub(super) async fn known_by(ctx: &Ctx<'_>, db: &Configured) -> Result<Known, CliError> {
    let mut migrator = ctx.migrator(&db.target).await.map_err(|e| {
        CliError::new(e.exit, format!("{}: {}", db.label, e.message))
            .hint("every configured environment must be reachable to check it; fix its URL or its server, then run again")
    })?;
    let rows = migrator.current_heads().await;
    let history = migrator.history().await;
    migrator.close().await;
    let label =
        |e: crate::runner::RunError| CliError::new(Exit::Connection, format!("{}: {e}", db.label));
    Ok(Known {
        rows: rows.map_err(label)?.unwrap_or_default(),
        history: history
            .map_err(label)?
            .into_iter()
            .map(|r| r.revision)
            .collect(),
    })
}

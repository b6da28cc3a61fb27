//! The command line of the stratum engine: a generic [`run`] that any application
//! crate calls with its embedded revisions and models. Only this crate prints; the
//! work is done by the engine's runner, revision graph and script directory. It
//! also reads what only the command line needs: the configuration file and `.env`
//! ([`config`]).
//!
//! ```no_run
//! # mod generated { pub static REVISIONS: &[stratum::script::EmbeddedRevision] = &[]; }
//! # use generated::REVISIONS;
//! fn main() -> std::process::ExitCode {
//!     stratum_cli::run(stratum_cli::App {
//!         name: "inventory-migrate",
//!         revisions: REVISIONS,
//!         versions_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/versions"),
//!         target_schema: None,
//!         names: stratum_cli::config::AppNames::STRATUM,
//!     })
//! }
//! ```

pub mod args;
mod backup;
mod check;
mod completions;
pub mod config;
mod context;
mod detect;
mod diff;
mod edit;
mod environments;
mod error;
pub mod exit;
mod files;
mod fleet;
pub mod fleet_args;
mod fleet_targets;
mod init;
mod init_tests;
mod inspect;
mod lint;
mod migrate;
mod online;
pub mod output;
mod picture;
mod progress;
pub mod python_models;
mod rebase;
mod resolve;
mod squash;
mod squash_verify;
mod verify;

pub use args::Cli;
pub use error::CliError;
pub use exit::Exit;

// The engine's modules, in scope under the paths they had inside the engine.
use stratum::{db, introspect, lineage, python, runner, scratch, script};

use crate::config::AppNames;
use crate::script::EmbeddedRevision;
use args::Command;
use clap::{CommandFactory, FromArgMatches};
use context::Ctx;
use output::Printer;
use std::process::ExitCode;
use stratum_core::schema::Schema;

/// An application of the engine: its name, revisions and models.
#[derive(Debug, Clone, Copy)]
pub struct App {
    /// Binary name, shown in help and messages.
    pub name: &'static str,
    /// The revisions compiled into the binary (from `stratum-build`).
    pub revisions: &'static [EmbeddedRevision],
    /// The versions directory in the source tree, where `revision` writes.
    pub versions_dir: &'static str,
    /// The schema the models declare, for `check` and autogenerate.
    pub target_schema: Option<fn() -> Schema>,
    /// Configuration file, environment selector and embedded default names.
    pub names: AppNames,
}

/// Parses the process's arguments and runs the command; returns the exit code.
pub fn run(app: App) -> ExitCode {
    run_from(app, std::env::args_os())
}

/// Like [`run`], with explicit arguments (the first is the program name).
pub fn run_from<I, T>(app: App, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let command = Cli::command()
        .name(app.name)
        .bin_name(app.name)
        .about(format!(
            "{}: versions this application's database (upgrade, downgrade, autogenerate, check)",
            app.name
        ));
    let cli = match command
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                Exit::Usage.into()
            } else {
                Exit::Success.into()
            };
        }
    };
    let printer = Printer::new(cli.global.quiet, cli.global.verbosity);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            printer.error(format!("cannot start the async runtime: {e}"));
            return Exit::Refused.into();
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let ctx = Ctx {
        app: &app,
        global: &cli.global,
        printer: printer.clone(),
        cwd,
    };
    let outcome = runtime.block_on(dispatch(&ctx, &cli.command));
    match outcome {
        Ok(exit) => exit.into(),
        Err(e) => {
            printer.error(e.to_string());
            e.exit.into()
        }
    }
}

async fn dispatch(ctx: &Ctx<'_>, command: &Command) -> Result<Exit, CliError> {
    let picture =
        matches!(command, Command::Schema(_)) || matches!(command, Command::History(h) if h.graph);
    if !picture && matches!(ctx.global.format, args::Format::Mermaid | args::Format::Dot) {
        return Err(CliError::new(
            Exit::Usage,
            "--format mermaid and --format dot apply to `schema` and `history --graph` only",
        )
        .hint("use --format text or --format json here"));
    }
    ctx.check_wait_flags()?;
    match command {
        Command::Upgrade(a) => migrate::upgrade(ctx, a).await,
        Command::Downgrade(a) => migrate::downgrade(ctx, a).await,
        Command::Current(a) => migrate::current(ctx, a).await,
        Command::Stamp(a) if a.detect => detect::stamp_detect(ctx, a).await,
        Command::Stamp(a) => migrate::stamp(ctx, a).await,
        Command::Resolve(a) => resolve::resolve(ctx, a).await,
        Command::History(a) => inspect::history(ctx, a).await,
        Command::Heads(a) => inspect::heads(ctx, a).await,
        Command::Branches(a) => inspect::branches(ctx, a).await,
        Command::Show(a) => inspect::show(ctx, a).await,
        Command::Revision(a) => files::revision(ctx, a).await,
        Command::Merge(a) => files::merge(ctx, a).await,
        Command::Check(a) => check::check(ctx, a).await,
        Command::Diff(a) => diff::diff_command(ctx, a).await,
        Command::Lint(a) => lint::lint(ctx, a).await,
        Command::Verify(a) => verify::verify(ctx, a).await,
        Command::Schema(a) => picture::schema(ctx, a).await,
        Command::Completions(a) => completions::completions(ctx, a),
        Command::Init(a) => init::init(ctx, a),
        Command::Edit(a) => edit::edit(ctx, a),
        Command::Rebase(a) => rebase::rebase(ctx, a).await,
        Command::Squash(a) => squash::squash(ctx, a).await,
        Command::Fleet(a) => fleet::fleet(ctx, a).await,
    }
}

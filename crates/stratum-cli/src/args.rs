//! Command-line arguments (clap).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use stratum::dialect::Dialect;

/// Output format of read commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Aligned text for people.
    #[default]
    Text,
    /// One JSON document, for scripts.
    Json,
    /// Mermaid text (`schema`, `history --graph`).
    Mermaid,
    /// Graphviz DOT text (`schema`, `history --graph`).
    Dot,
}

/// Options shared by every command.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// Configuration file (default: found upward from the working directory).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Environment of the configuration file to use (development, staging,
    /// production...); the application's selector variable (`SMARTEM_ENV` for
    /// smartem-migrate) does the same.
    #[arg(long = "env", short = 'e', global = true, value_name = "NAME")]
    pub environment: Option<String>,
    /// Database URL; overrides the configuration and DATABASE_URL.
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// The versions directory that `revision` and `merge` write to (default: the
    /// application's own).
    #[arg(long, global = true, value_name = "DIR")]
    pub versions_dir: Option<PathBuf>,
    /// Output format of read commands.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Print only errors.
    #[arg(long, short = 'q', global = true, conflicts_with = "verbosity")]
    pub quiet: bool,
    /// Print more: the database used and each statement (repeat for more).
    #[arg(short = 'v', id = "verbosity", global = true, action = clap::ArgAction::Count)]
    pub verbosity: u8,
    /// How long to wait for the migration lock and for table locks (e.g. `5s`, `2m`).
    #[arg(long, global = true, value_name = "DURATION")]
    pub lock_timeout: Option<String>,
    /// Upper bound on each statement's run time (e.g. `30s`).
    #[arg(long, global = true, value_name = "DURATION")]
    pub statement_timeout: Option<String>,
    /// Leave tables matching this name or glob (`*`, `?`) out of `check`, `diff`,
    /// `verify`, `schema` and autogenerate (repeatable; added to the
    /// configuration's `ignore` rules).
    #[arg(long = "ignore-table", global = true, value_name = "PATTERN")]
    pub ignore_tables: Vec<String>,
    /// Leave columns matching `TABLE.COLUMN` (globs allowed) out of comparisons
    /// (repeatable).
    #[arg(long = "ignore-column", global = true, value_name = "TABLE.COLUMN")]
    pub ignore_columns: Vec<String>,
    /// Leave enum types matching this name or glob out of comparisons (repeatable).
    #[arg(long = "ignore-type", global = true, value_name = "PATTERN")]
    pub ignore_types: Vec<String>,
    /// Leave every object of a matching schema out of comparisons (repeatable).
    #[arg(long = "ignore-schema", global = true, value_name = "PATTERN")]
    pub ignore_schemas: Vec<String>,
}

/// The command line.
#[derive(Debug, Parser)]
#[command(
    version,
    about,
    propagate_version = true,
    disable_help_subcommand = false
)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Upgrade the database to a later revision (default: head).
    Upgrade(UpgradeArgs),
    /// Revert the database to an earlier revision (`-1`, a revision id, or `base`).
    Downgrade(DowngradeArgs),
    /// Show the revision(s) the database is at.
    Current(CurrentArgs),
    /// List revisions, newest first.
    History(HistoryArgs),
    /// Show the head revisions of the scripts.
    Heads(VerboseArgs),
    /// Show the branch points of the revision graph.
    Branches(VerboseArgs),
    /// Show one revision: header, file and operations.
    Show(ShowArgs),
    /// Create a new revision file.
    Revision(RevisionArgs),
    /// Create a merge revision joining two or more heads.
    Merge(MergeArgs),
    /// Set the database's revision without running any migration.
    Stamp(StampArgs),
    /// Record how a revision that stopped part-way was repaired by hand
    /// (MariaDB/MySQL, or a non-transactional revision): `--applied` or
    /// `--rolled-back`.
    Resolve(ResolveArgs),
    /// Check that models, revisions and the database agree (exit 1 on drift).
    Check(CheckArgs),
    /// Show the ops (or SQL) that turn one schema into another: a database URL,
    /// `models` or `head`.
    Diff(DiffArgs),
    /// Lint revisions for PostgreSQL hazards and unsafe practices (exit 1 on an
    /// unacknowledged error).
    Lint(LintArgs),
    /// Upgrade, compare, downgrade, compare and upgrade again every revision on a
    /// scratch database (exit 1 on the first failure).
    Verify(VerifyArgs),
    /// Draw the schema as an entity-relationship diagram (Mermaid or DOT).
    Schema(SchemaArgs),
    /// Print a shell completion script (bash, zsh, fish, ...).
    Completions(CompletionsArgs),
    /// Create a new application crate that migrates its database with stratum.
    Init(InitArgs),
    /// Open a revision file in your editor ($VISUAL, then $EDITOR, then vi).
    Edit(EditArgs),
    /// Re-parent a revision no database has applied (and those after it) onto
    /// another revision.
    Rebase(RebaseArgs),
    /// Write one baseline revision replacing the chain from base to a revision
    /// (`--to`); later, remove the replaced files (`--finalize`).
    Squash(SquashArgs),
    /// Run upgrade, downgrade, current, check or verify over many databases.
    Fleet(super::fleet_args::FleetArgs),
}

/// Tuning of `upgrade --online` (each has a default; see the guide).
#[derive(Debug, Args, Default)]
pub struct OnlineTuning {
    /// Online: the lock timeout of each DDL step; a step that cannot take its
    /// lock in time is retried after a random backoff [default: 200ms].
    #[arg(long, value_name = "DURATION")]
    pub online_lock_timeout: Option<String>,
    /// Online: attempts per step before the run stops (it resumes at that step
    /// when run again) [default: 30].
    #[arg(long, value_name = "N")]
    pub online_attempts: Option<u32>,
    /// Online: rows per backfill batch, one short transaction each [default: 1000].
    #[arg(long, value_name = "ROWS")]
    pub batch_size: Option<u64>,
    /// Online: pause between backfill batches, `0s` for none [default: 10ms].
    #[arg(long, value_name = "DURATION")]
    pub batch_pause: Option<String>,
}

/// `upgrade`.
#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// Target: `head`, `heads`, a revision id or prefix, `+N`, `branch@head`; with
    /// `--sql` also `FROM:TO`.
    #[arg(default_value = "head")]
    pub target: String,
    /// Print the SQL instead of running it (no connection is made).
    #[arg(long)]
    pub sql: bool,
    /// Change tables without stopping their writers (PostgreSQL): each op in its
    /// lock-friendly form, short lock timeouts with retries, resumable. Also
    /// `online = true` in the environment's configuration.
    #[arg(long)]
    pub online: bool,
    /// Tuning of `--online` runs.
    #[command(flatten)]
    pub online_tuning: OnlineTuning,
    /// An arbitrary tag recorded with the run.
    #[arg(long)]
    pub tag: Option<String>,
    /// Backup before the first change.
    #[command(flatten)]
    pub backup: BackupArgs,
}

/// Backup options of `upgrade` and `downgrade`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Back the database up before the first change (on by default for an
    /// environment named `production`, or as its `backup` setting says).
    #[arg(long = "backup", conflicts_with = "no_backup")]
    pub enabled: bool,
    /// Do not back up, whatever the environment says.
    #[arg(long)]
    pub no_backup: bool,
    /// Directory of backup files.
    #[arg(long, value_name = "DIR", default_value = "backups")]
    pub backup_dir: PathBuf,
}

/// `downgrade`.
#[derive(Debug, Args)]
pub struct DowngradeArgs {
    /// Target: `-1`, a revision id or prefix, `base`; with `--sql` also `FROM:TO`.
    #[arg(allow_hyphen_values = true)]
    pub target: String,
    /// Print the SQL instead of running it (no connection is made).
    #[arg(long)]
    pub sql: bool,
    /// Proceed past revisions marked irreversible named here.
    #[arg(long, value_name = "REV")]
    pub force: Vec<String>,
    /// Backup before the first change.
    #[command(flatten)]
    pub backup: BackupArgs,
}

/// `current`.
#[derive(Debug, Args)]
pub struct CurrentArgs {
    /// Show each revision's header.
    #[arg(long)]
    pub verbose: bool,
}

/// `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Range `[start]:[end]` (ids, prefixes, `base`, `head`, `current`).
    #[arg(long, short = 'r', allow_hyphen_values = true)]
    pub rev_range: Option<String>,
    /// Show each revision's full header.
    #[arg(long)]
    pub verbose: bool,
    /// Mark the revisions the database is at (needs a connection).
    #[arg(long, short = 'i')]
    pub indicate_current: bool,
    /// Draw the revision graph with its branches and merges (with `--format mermaid`
    /// or `--format dot`: as a diagram).
    #[arg(long)]
    pub graph: bool,
}

/// Commands that only take `--verbose`.
#[derive(Debug, Args)]
pub struct VerboseArgs {
    /// Show each revision's full header.
    #[arg(long)]
    pub verbose: bool,
}

/// `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Revision id, prefix, `head` or `base`-relative target.
    pub rev: String,
    /// Also list the steps `upgrade --online` runs for the upgrade.
    #[arg(long)]
    pub online: bool,
}

/// `revision`.
#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// Message (becomes the file's slug).
    #[arg(long, short = 'm')]
    pub message: String,
    /// Fill the revision with the ops that turn the head schema into the models.
    #[arg(long)]
    pub autogenerate: bool,
    /// Use this id instead of a random one.
    #[arg(long)]
    pub rev_id: Option<String>,
    /// Parent revision (default: the single head).
    #[arg(long)]
    pub head: Option<String>,
    /// Allow a parent that is not a head (starts a branch).
    #[arg(long)]
    pub splice: bool,
    /// Branch label for the new revision.
    #[arg(long)]
    pub branch_label: Vec<String>,
    /// Revisions the new one depends on without being their child.
    #[arg(long)]
    pub depends_on: Vec<String>,
    /// With --autogenerate: compare the models with the live database (which must
    /// be at head) instead of the revisions.
    #[arg(long, requires = "autogenerate")]
    pub from_db: bool,
    /// With --autogenerate: write the file even when nothing changed.
    #[arg(long, requires = "autogenerate")]
    pub allow_empty: bool,
    /// With --autogenerate: SQLAlchemy/SQLModel metadata as the models.
    #[command(flatten)]
    pub models: super::python_models::ModelsArgs,
}

/// `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Revisions to merge (default: all heads).
    pub revisions: Vec<String>,
    /// Message.
    #[arg(long, short = 'm')]
    pub message: String,
    /// Use this id instead of a random one.
    #[arg(long)]
    pub rev_id: Option<String>,
}

/// `resolve`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("outcome").required(true).args(["applied", "rolled_back"])))]
pub struct ResolveArgs {
    /// The partly applied revision (`current` lists it): an id or a unique prefix.
    pub revision: String,
    /// You finished the revision by hand (the database now holds all of it):
    /// move the version table as the revision would have, write a history row
    /// saying so, clear the recorded progress.
    #[arg(long)]
    pub applied: bool,
    /// You undid by hand what ran of the revision: clear the recorded progress,
    /// leave the version table as it is (before the revision).
    #[arg(long)]
    pub rolled_back: bool,
}

/// `stamp`.
#[derive(Debug, Args)]
pub struct StampArgs {
    /// Revision(s) to record, or `base` to empty the version table.
    #[arg(required_unless_present = "detect", conflicts_with = "detect")]
    pub revisions: Vec<String>,
    /// Empty the version table first, whatever it holds.
    #[arg(long)]
    pub purge: bool,
    /// Find the revision whose schema equals the database's and stamp it,
    /// replacing whatever rows the version table holds.
    #[arg(long, conflicts_with = "purge")]
    pub detect: bool,
    /// With --detect: report what matches, stamp nothing.
    #[arg(long, requires = "detect")]
    pub dry_run: bool,
    /// With --detect: show the closest revisions' changes as SQL instead of ops.
    #[arg(long, requires = "detect")]
    pub sql: bool,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Compare the models with the revisions only, even when a database is
    /// configured.
    #[arg(long)]
    pub no_database: bool,
    /// SQLAlchemy/SQLModel metadata as the models.
    #[command(flatten)]
    pub models: super::python_models::ModelsArgs,
}

/// `--dialect`: one of the dialects' keys (the first dialect by default).
fn dialect_parser() -> impl clap::builder::TypedValueParser<Value = Dialect> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Dialect::ALL.map(Dialect::key))
        .map(|key| Dialect::from_key(&key).expect("a possible value is a dialect's key"))
}

/// `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The schema to start from: a database URL, `models`, `head` or
    /// `python:MODULE:ATTR`.
    #[arg(long, value_name = "SOURCE")]
    pub from: String,
    /// The schema to reach: a database URL, `models`, `head` or
    /// `python:MODULE:ATTR`.
    #[arg(long, value_name = "SOURCE")]
    pub to: String,
    /// Print the SQL for the `--from` side instead of the ops.
    #[arg(long)]
    pub sql: bool,
    /// The dialect of the SQL when neither side is a database.
    #[arg(long, value_parser = dialect_parser(), default_value = Dialect::ALL[0].key())]
    pub dialect: Dialect,
    /// The server version the SQL is for when neither side is a database and
    /// the dialect's SQL depends on it (`8.0.36`, `10.6.0-MariaDB`); a database
    /// side's server answers for itself.
    #[arg(long, value_name = "VERSION")]
    pub server_version: Option<String>,
    /// The interpreter for `python:MODULE:ATTR` sides.
    #[command(flatten)]
    pub python: super::python_models::PythonArg,
}

/// `lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Range `[start]:[end]` or one revision (default: every revision).
    #[arg(allow_hyphen_values = true)]
    pub range: Option<String>,
    /// Lint for this database's dialect (default: the dialect of the database URL;
    /// nothing is connected to).
    #[arg(long, value_parser = dialect_parser())]
    pub dialect: Option<Dialect>,
}

/// `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Range `[start]:[end]` or one revision (default: every revision).
    #[arg(allow_hyphen_values = true)]
    pub range: Option<String>,
}

/// Which schema `schema` draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaSource {
    /// The schema the application's models declare.
    Models,
    /// The schema the revisions build at head (simulated, no database needed).
    Head,
    /// The live database (introspected).
    Db,
}

/// `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// What to draw (default: the models, or head when the application declares none).
    #[arg(long, value_enum)]
    pub source: Option<SchemaSource>,
    /// Draw every column, not only the key columns.
    #[arg(long)]
    pub all_columns: bool,
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory of the new crate (created if missing; must be empty).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Crate name (default: the directory's name).
    #[arg(long)]
    pub name: Option<String>,
    /// Depend on stratum at this path (default: this repository's crates when run
    /// inside it).
    #[arg(long, value_name = "DIR", conflicts_with = "stratum_version")]
    pub stratum_path: Option<PathBuf>,
    /// Depend on this version of stratum from the registry.
    #[arg(long, value_name = "VERSION")]
    pub stratum_version: Option<String>,
}

/// `edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// Revision id, prefix or `head` (default: head).
    #[arg(default_value = "head")]
    pub rev: String,
}

/// `rebase`.
#[derive(Debug, Args)]
pub struct RebaseArgs {
    /// The revision to move (id, prefix or branch label).
    pub revision: String,
    /// Its new parent (id, prefix, branch label or `label@head`).
    #[arg(long, value_name = "TARGET")]
    pub onto: String,
    /// Check everything, write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `squash`.
#[derive(Debug, Args)]
pub struct SquashArgs {
    /// The last revision the baseline replaces (id, prefix or label).
    #[arg(
        long,
        value_name = "REV",
        required_unless_present = "finalize",
        conflicts_with = "finalize"
    )]
    pub to: Option<String>,
    /// Remove the files of replaced revisions, once no configured database is
    /// inside the range.
    #[arg(long)]
    pub finalize: bool,
    /// The baseline's message.
    #[arg(long, short = 'm', conflicts_with = "finalize")]
    pub message: Option<String>,
    /// Use this id for the baseline instead of a random one.
    #[arg(long, conflicts_with = "finalize")]
    pub rev_id: Option<String>,
    /// With --finalize: check and list, remove nothing.
    #[arg(long, requires = "finalize")]
    pub dry_run: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn downgrade_accepts_relative_targets() {
        let cli = Cli::try_parse_from(["x", "downgrade", "-1"]).unwrap();
        match cli.command {
            Command::Downgrade(d) => assert_eq!(d.target, "-1"),
            other => panic!("parsed as {other:?}"),
        }
    }
}

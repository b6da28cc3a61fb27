//! What every command needs: the application, the parsed global options, a printer,
//! the loaded revisions and the resolved database.

use super::App;
use super::args::{Format, Global};
use super::error::CliError;
use super::exit::Exit;
use super::output::Printer;
use crate::config::{
    self, Access, DatabaseUrl, Env, IgnoreRules, LoadOptions, ResolvedTarget, check_database_file,
};
use crate::db::Connection;
use crate::introspect::Exclusions;
use crate::runner::{Migrator, RunOptions};
use crate::script::Script;
use std::path::PathBuf;
use std::time::Duration;

/// The context of one command.
pub struct Ctx<'a> {
    /// The application.
    pub app: &'a App,
    /// Global options.
    pub global: &'a Global,
    /// The printer.
    pub printer: Printer,
    /// The working directory.
    pub cwd: PathBuf,
}

impl Ctx<'_> {
    /// Whether JSON output was asked for.
    pub fn json(&self) -> bool {
        self.global.format == Format::Json
    }

    /// The revisions compiled into the binary, checked.
    pub fn script(&self) -> Result<Script, CliError> {
        Ok(Script::load(self.app.revisions)?)
    }

    /// The versions directory that new files go to.
    pub fn versions_dir(&self) -> PathBuf {
        match &self.global.versions_dir {
            Some(d) => self.cwd.join(d),
            None => PathBuf::from(self.app.versions_dir),
        }
    }

    /// The database to use, from flags, environment, `.env` and the configuration
    /// file.
    pub fn target(&self) -> Result<ResolvedTarget, CliError> {
        let options = LoadOptions {
            names: self.app.names,
            working_dir: self.cwd.clone(),
            config_file: self.global.config.clone(),
            url: self.global.url.clone(),
            environment: self.global.environment.clone(),
            load_dotenv: true,
        };
        let target = config::load(&options, Env::from_process())?;
        self.printer.detail(target.describe());
        Ok(target)
    }

    /// Whether `target` is the embedded default SQLite file and it does not exist
    /// yet in the working directory (nothing to read from).
    pub fn default_database_missing(&self, target: &ResolvedTarget) -> bool {
        target.source == config::UrlSource::EmbeddedDefault
            && !self.cwd.join(self.app.names.default_sqlite_file).exists()
    }

    /// Connects, saying so when the embedded default is used. A SQLite file is
    /// checked first: [`Access::Read`] refuses a missing one rather than create
    /// it, and a directory, a file of another kind or (for [`Access::Write`]) a
    /// read-only file is refused by name before anything is opened.
    pub async fn connect(
        &self,
        target: &ResolvedTarget,
        access: Access,
    ) -> Result<Connection, CliError> {
        check_database_file(&target.url, access)?;
        if target.source == config::UrlSource::EmbeddedDefault && !self.json() {
            self.printer.info(target.describe());
        }
        let conn = config::connect(&target.url).await?;
        self.warn_other_server(&target.url, &conn);
        Ok(conn)
    }

    /// Says so when a URL names a server (`server_version`) other than the one
    /// `conn` reached: the connection writes for the server it reached.
    pub fn warn_other_server(&self, url: &DatabaseUrl, conn: &Connection) {
        if let Some(stated) = url.stated_sql_dialect() {
            let reached = conn.sql_dialect().server();
            if stated.server() != reached {
                self.printer.warn(format!(
                    "the URL names {} (server_version) but the server is {reached}; \
                     statements are written for the server reached",
                    stated.server()
                ));
            }
        }
    }

    /// The rules for objects the models do not own: the configuration's, then
    /// the `--ignore-*` flags.
    pub fn ignore_rules(&self, target: &ResolvedTarget) -> Result<IgnoreRules, CliError> {
        Ok(target.settings.ignore.clone().merged(&self.ignore_flags()?))
    }

    /// The rules of the `--ignore-*` flags alone, checked.
    pub fn ignore_flags(&self) -> Result<IgnoreRules, CliError> {
        let flags = IgnoreRules {
            tables: self.global.ignore_tables.clone(),
            columns: self.global.ignore_columns.clone(),
            types: self.global.ignore_types.clone(),
            schemas: self.global.ignore_schemas.clone(),
        };
        flags.validate("the --ignore-* flags")?;
        Ok(flags)
    }

    /// What introspecting `target` leaves out: its configured version and
    /// history tables, and the ignore rules.
    pub fn exclusions(&self, target: &ResolvedTarget) -> Result<Exclusions, CliError> {
        Ok(Exclusions::for_run(&self.run_options(target)?).with_rules(&self.ignore_rules(target)?))
    }

    /// A `--lock-timeout`-style flag read with the one wait rule
    /// ([`config::parse_wait`]): usage error naming the flag.
    pub(super) fn duration_flag(
        &self,
        flag: &str,
        value: &Option<String>,
    ) -> Result<Option<Duration>, CliError> {
        match value {
            None => Ok(None),
            Some(text) => config::parse_wait(text)
                .map(Some)
                .map_err(|e| CliError::new(Exit::Usage, format!("--{flag}: {e}"))),
        }
    }

    /// Refuses `--lock-timeout` and `--statement-timeout` values that are no
    /// usable wait limit, before anything else runs (every command, whether or
    /// not it waits).
    pub fn check_wait_flags(&self) -> Result<(), CliError> {
        self.duration_flag("lock-timeout", &self.global.lock_timeout)?;
        self.duration_flag("statement-timeout", &self.global.statement_timeout)?;
        Ok(())
    }

    /// Run options from the environment's settings, overridden by flags.
    pub fn run_options(&self, target: &ResolvedTarget) -> Result<RunOptions, CliError> {
        let mut o = RunOptions::default().with_settings(&target.settings);
        if let Some(lock) = self.duration_flag("lock-timeout", &self.global.lock_timeout)? {
            o.lock_timeout = Some(lock);
            o.db_lock_timeout = Some(lock);
        }
        if let Some(t) = self.duration_flag("statement-timeout", &self.global.statement_timeout)? {
            o.statement_timeout = Some(t);
        }
        Ok(o)
    }

    /// A migrator over a fresh connection to the resolved database, for a
    /// command that reads it (a missing SQLite file is an error).
    pub async fn migrator(&self, target: &ResolvedTarget) -> Result<Migrator, CliError> {
        self.migrator_for(target, Access::Read).await
    }

    /// A migrator for `access`: [`Access::Write`] creates a missing SQLite file.
    pub async fn migrator_for(
        &self,
        target: &ResolvedTarget,
        access: Access,
    ) -> Result<Migrator, CliError> {
        let options = self.run_options(target)?;
        let conn = self.connect(target, access).await?;
        Ok(Migrator::new(conn).with_options(options))
    }
}

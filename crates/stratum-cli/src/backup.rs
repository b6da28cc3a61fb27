//! The backup taken by `upgrade` and `downgrade` before their first change.

use super::args::BackupArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::config::ResolvedTarget;
use stratum::backup::{BackupOptions, backup};

/// Whether this run backs up: `--no-backup` wins, then `--backup`, then the
/// environment's setting (on by default for `production`).
pub fn wanted(args: &BackupArgs, target: &ResolvedTarget) -> bool {
    !args.no_backup && (args.enabled || target.settings.backup)
}

/// Takes the backup, or refuses to go on.
pub async fn take(
    ctx: &Ctx<'_>,
    args: &BackupArgs,
    target: &ResolvedTarget,
) -> Result<(), CliError> {
    let mut options = BackupOptions::new(ctx.cwd.join(&args.backup_dir));
    options.lock_wait_timeout = ctx.run_options(target)?.db_lock_timeout;
    ctx.printer
        .info(format!("backing up {} before migrating", target.url));
    match backup(&target.url, &options).await {
        Ok(b) => {
            ctx.printer.info(format!(
                "backup written: {} ({} bytes)",
                b.path.display(),
                b.bytes
            ));
            ctx.printer.info(format!("to restore it: {}", b.restore));
            Ok(())
        }
        Err(e) => Err(CliError::new(
            Exit::Refused,
            format!("the backup failed, nothing was migrated: {e}"),
        )
        .hint("fix the backup, or run with --no-backup if you have another one")),
    }
}

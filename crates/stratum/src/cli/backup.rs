//! The backup taken by `upgrade` before its first change.

use super::args::UpgradeArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::backup::{BackupOptions, backup};
use crate::config::ResolvedTarget;

/// Whether this upgrade backs up: `--no-backup` wins, then `--backup`, then the
/// environment's setting (on by default for `production`).
pub fn wanted(args: &UpgradeArgs, target: &ResolvedTarget) -> bool {
    !args.no_backup && (args.backup || target.settings.backup)
}

/// Takes the backup, or refuses to go on.
pub async fn take(
    ctx: &Ctx<'_>,
    args: &UpgradeArgs,
    target: &ResolvedTarget,
) -> Result<(), CliError> {
    let options = BackupOptions::new(ctx.cwd.join(&args.backup_dir));
    ctx.printer
        .info(format!("backing up {} before upgrading", target.url));
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

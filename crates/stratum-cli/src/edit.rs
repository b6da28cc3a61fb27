//! `edit`: opens a revision's file in the user's editor (`$VISUAL`, then `$EDITOR`,
//! then `vi`). The file is found in the versions directory on disk, so a revision
//! written by `revision` a moment ago can be opened before any rebuild.

use super::args::EditArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use crate::script::disk::{disk_map, scan_dir};
use std::path::PathBuf;

/// The editor command: `$VISUAL`, then `$EDITOR`, then `vi`; split on whitespace so
/// that `code --wait` works.
pub fn editor_command(visual: Option<&str>, editor: Option<&str>) -> Vec<String> {
    let chosen = [visual, editor]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|v| !v.is_empty())
        .unwrap_or("vi");
    chosen.split_whitespace().map(str::to_string).collect()
}

/// `edit`.
pub fn edit(ctx: &Ctx<'_>, args: &EditArgs) -> Result<Exit, CliError> {
    let dir = ctx.versions_dir();
    if !dir.is_dir() {
        return Err(CliError::new(
            Exit::Usage,
            format!("the versions directory {} does not exist", dir.display()),
        )
        .hint("point --versions-dir at the application's migrations/versions"));
    }
    let revisions = scan_dir(&dir)?;
    let map = disk_map(&revisions)
        .map_err(|e| CliError::new(Exit::Refused, format!("{}: {e}", dir.display())))?;
    let ids = map.resolve_str(&args.rev, &[])?;
    let [id] = ids.as_slice() else {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "{:?} names {} revisions: {}",
                args.rev,
                ids.len(),
                ids.join(", ")
            ),
        )
        .hint("name one of them"));
    };
    let path: PathBuf = revisions
        .iter()
        .find(|r| r.id == *id)
        .map(|r| r.path.clone())
        .ok_or_else(|| CliError::new(Exit::Refused, format!("no file holds revision {id}")))?;
    let visual = std::env::var("VISUAL").ok();
    let editor = std::env::var("EDITOR").ok();
    let command = editor_command(visual.as_deref(), editor.as_deref());
    let Some((program, rest)) = command.split_first() else {
        return Err(CliError::new(Exit::Usage, "no editor to run").hint("set VISUAL or EDITOR"));
    };
    ctx.printer
        .detail(format!("opening {} with {program}", path.display()));
    let status = std::process::Command::new(program)
        .args(rest)
        .arg(&path)
        .status()
        .map_err(|e| {
            CliError::new(
                Exit::Usage,
                format!("cannot start the editor {program:?}: {e}"),
            )
            .hint("set VISUAL or EDITOR to an editor that is installed")
        })?;
    if !status.success() {
        return Err(CliError::new(
            Exit::Usage,
            format!("the editor {program:?} exited with {status}"),
        )
        .hint(format!("the file is {}", path.display())));
    }
    ctx.printer.info(format!(
        "edited {}; rebuild the binary to include the change (cargo build)",
        path.display()
    ));
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::editor_command;

    #[test]
    fn visual_then_editor_then_vi() {
        assert_eq!(
            editor_command(Some("code --wait"), Some("nano")),
            ["code", "--wait"]
        );
        assert_eq!(editor_command(None, Some("nano")), ["nano"]);
        assert_eq!(editor_command(Some("  "), Some("nano")), ["nano"]);
        assert_eq!(editor_command(None, None), ["vi"]);
    }
}

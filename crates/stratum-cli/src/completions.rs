//! `completions`: a shell completion script for the application's binary.
//!
//! ```sh
//! smartem-migrate completions bash > ~/.local/share/bash-completion/completions/smartem-migrate
//! smartem-migrate completions zsh > ~/.zfunc/_smartem-migrate
//! smartem-migrate completions fish > ~/.config/fish/completions/smartem-migrate.fish
//! ```

use super::Cli;
use super::args::CompletionsArgs;
use super::context::Ctx;
use super::error::CliError;
use super::exit::Exit;
use clap::CommandFactory;

/// `completions`.
pub fn completions(ctx: &Ctx<'_>, args: &CompletionsArgs) -> Result<Exit, CliError> {
    let mut command = Cli::command().name(ctx.app.name).bin_name(ctx.app.name);
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, ctx.app.name, &mut script);
    ctx.printer.out(String::from_utf8_lossy(&script).trim_end());
    Ok(Exit::Success)
}

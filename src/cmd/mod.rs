//! One module per subcommand. Each has `Args` (its own flags) and `run`.

pub mod completion;
pub mod describe;
pub mod diff;
pub mod disable;
pub mod enable;
mod enable_wizard;
#[cfg(test)]
mod fixtures;
pub mod list;
pub mod render;
pub mod status;
pub mod tree;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::color::Palette;
use crate::connection::ConnectionArgs;
use crate::error::Result;
use crate::model::Warning;

/// What every subcommand gets besides its own flags.
pub struct Ctx {
    pub conn: ConnectionArgs,
    pub palette: Palette,
}

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let ctx = Ctx { conn: cli.conn, palette: Palette::new(cli.color) };
    let verbosity = ctx.conn.verbosity;
    let result = dispatch(cli.command, &ctx).await;
    if verbosity >= 6 {
        eprintln!("I: {} API requests", crate::connection::REQUESTS.load(std::sync::atomic::Ordering::Relaxed));
    }
    result
}

async fn dispatch(command: Command, ctx: &Ctx) -> Result<ExitCode> {
    match command {
        Command::List(args) => list::run(args, ctx).await,
        Command::Describe(args) => describe::run(args, ctx).await,
        Command::Status(args) => status::run(args, ctx).await,
        Command::Enable(args) => enable::run(*args, ctx).await,
        Command::Disable(args) => disable::run(args, ctx).await,
        Command::Tree(args) => tree::run(args, ctx).await,
        Command::Completion(args) => completion::run(args, ctx).await,
        Command::Render(args) => render::run(args, ctx).await,
        Command::Diff(args) => diff::run(args, ctx).await,
    }
}

/// Print what could not be read from an object, kubectl's `Warning:` way.
pub fn warn_unreadable(kind: &str, namespace: &str, name: &str, warnings: &[Warning]) {
    use crate::output::escape;
    for w in warnings {
        eprintln!(
            "Warning: {kind} \"{}\" in namespace \"{}\": {}: {} (field ignored)",
            escape(name),
            escape(namespace),
            escape(&w.path),
            escape(&w.problem)
        );
    }
}

//! The command line. Shared flags (connection, colour) are global so they go
//! anywhere, as with kubectl; each subcommand's own flags live in its file.

use clap::{Parser, Subcommand};

use crate::cmd::{completion, describe, diff, disable, enable, list, render, seed, status, tree};
use crate::color::ColorChoice;
use crate::connection::ConnectionArgs;

#[derive(Debug, Parser)]
#[command(
    name = "kubectl-personapack",
    bin_name = "kubectl personapack",
    version,
    about = "Manage Sympozium PersonaPacks: teams of AI agent personas (Sympozium v0.8.x)",
    after_help = "Use \"kubectl personapack <command> --help\" for more information about a command."
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: ConnectionArgs,

    /// When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Global options")]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List PersonaPacks: enabled, personas, installed, phase
    #[command(visible_alias = "ls", alias = "get")]
    List(list::Args),
    /// Show a PersonaPack in detail: settings, personas, status, events
    Describe(describe::Args),
    /// Show the live state of a pack's agents, or wait for it to be Ready/Inactive
    Status(status::Args),
    /// Enable a pack (wizard on a terminal, or flags): credentials, settings, then the team comes up
    Enable(Box<enable::Args>),
    /// Disable a pack (the controller deletes its agents and managed credentials), or exclude personas
    Disable(disable::Args),
    /// Show everything a pack generated as an ownership tree, with health
    Tree(tree::Args),
    /// Print the objects the Sympozium controller stamps for a pack (offline with -f)
    Render(render::Args),
    /// Compare a pack's live agents with what the controller would stamp now (exit 1 if they differ)
    Diff(diff::Args),
    /// Write personas' memory seeds that Sympozium never wrote (only into untouched memory)
    Seed(seed::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell)
    Completion(completion::Args),
}

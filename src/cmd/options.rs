//! `kubectl personapack options`: the global command-line options, listed
//! once here (as `kubectl options` does) rather than in every command's help.

use std::process::ExitCode;

use crate::error::Result;
use crate::output::emit;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Print the flags inherited by all commands
  kubectl personapack options")]
pub struct Args {}

/// The footer of every command's help, kubectl's words.
pub const FOOTER: &str =
    "Use \"kubectl personapack options\" for a list of global command-line options (applies to all commands).";

/// The command line as it is parsed and its help shown: the global options
/// hidden from every command's help (`options` lists them), and the footer
/// naming `options` under each. `full` is the definition with them shown.
pub fn shaped(full: clap::Command) -> clap::Command {
    full.mut_args(|a| if a.is_global_set() { a.hide(true) } else { a }).mut_subcommands(|s| {
        let help = match s.get_after_help() {
            Some(h) => format!("{h}\n\n{FOOTER}"),
            None => FOOTER.to_string(),
        };
        s.after_help(help)
    })
}

/// The global options' help, from the full definition.
pub fn text(full: &clap::Command) -> String {
    let mut list = clap::Command::new("options").help_template("{all-args}").disable_help_flag(true);
    for a in full.get_arguments().filter(|a| a.is_global_set()) {
        list = list.arg(a.clone().hide(false));
    }
    format!("The following options can be passed to any command:\n\n{}\n", list.render_help().to_string().trim_end())
}

pub fn run(_args: Args, full: &clap::Command) -> Result<ExitCode> {
    emit(&text(full))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cmd::Cli;

    #[test]
    fn options_lists_every_global_flag_once() {
        let t = text(&Cli::command());
        for flag in
            ["--kubeconfig <PATH>", "--context <NAME>", "-n, --namespace", "--request-timeout", "--color <WHEN>"]
        {
            assert_eq!(t.matches(flag).count(), 1, "{flag} in {t}");
        }
        assert!(!t.contains("--help"), "{t}");
    }

    #[test]
    fn a_commands_help_names_options_instead_of_listing_them() {
        let mut cmd = shaped(Cli::command());
        cmd.build();
        // (clap's own `help` subcommand is added after the shaping.)
        for sub in cmd.get_subcommands_mut().filter(|s| s.get_name() != "help") {
            let name = sub.get_name().to_string();
            let help = sub.render_help().to_string();
            assert!(!help.contains("--kubeconfig") && !help.contains("--request-timeout"), "{name}: {help}");
            let words = help.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(words.ends_with(FOOTER), "{name}: {help}");
        }
        let root = cmd.render_help().to_string();
        assert!(!root.contains("--kubeconfig"), "{root}");
    }
}

//! The command line, and one module per subcommand. Each subcommand has
//! `Args` (its own flags) and `run`; adding one is its file, a `pub mod`
//! line, a variant of `Command` and an arm of `dispatch`, all here.

pub mod check;
pub mod completion;
pub mod describe;
pub mod diff;
pub mod disable;
pub mod enable;
#[cfg(test)]
mod fixtures;
pub mod list;
pub mod logs;
pub mod migrate;
pub mod options;
pub mod render;
pub mod run;
pub mod runs;
pub mod seed;
pub mod status;
pub mod suspend;
pub mod tree;
pub mod wait;

use std::process::ExitCode;

use crate::color::Palette;
use crate::connection::ConnectionArgs;
use crate::error::Result;

/// The command line. Shared flags (connection, colour) are global so they go
/// anywhere, as with kubectl; each subcommand's own flags live in its file.

#[derive(Debug, clap::Parser)]
#[command(
    name = crate::names::PLUGIN,
    bin_name = "kubectl personapack",
    version,
    about = "Manage Sympozium PersonaPacks (v0.8.x) and Ensembles (v0.9+): teams of AI agent personas",
    after_help = "Use \"kubectl personapack <command> --help\" for more information about a command.\nUse \"kubectl personapack options\" for a list of global command-line options (applies to all commands)."
)]
pub struct Cli {
    #[command(flatten)]
    pub conn: ConnectionArgs,

    /// When to colour output: auto (a terminal, TERM not dumb, NO_COLOR unset), always, never
    #[arg(long, global = true, value_enum, default_value_t = crate::color::ColorChoice::Auto, value_name = "WHEN", help_heading = "Global options")]
    pub color: crate::color::ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Subcommand)]
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
    /// Pause a team: suspend its schedules (spec.suspend), nothing deleted, memory kept
    Suspend(suspend::SuspendArgs),
    /// Resume a suspended team: its schedules run again
    Resume(suspend::ResumeArgs),
    /// Show everything a pack generated as an ownership tree, with health
    Tree(tree::Args),
    /// Print the objects the Sympozium controller stamps for a pack (offline with -f)
    Render(render::Args),
    /// Compare a pack's live agents with what the controller would stamp now (exit 1 if they differ)
    Diff(diff::Args),
    /// Show what the team's agents ran, what it cost, and one run in full
    Runs(runs::Args),
    /// Start a run of a persona now (as Sympozium's web UI does), optionally waiting for its verdict
    Run(run::Args),
    /// Print (or follow) the agent's log of a persona's latest run, or of one run
    Logs(logs::Args),
    /// Write personas' memory seeds that Sympozium never wrote (only into untouched memory)
    Seed(seed::Args),
    /// Check the cluster before and after an upgrade: API served, leftovers, controller, missing references (exit 1 on a problem)
    Check(check::Args),
    /// Carry PersonaPacks across the upgrade to Ensembles (memory and credentials kept), or convert manifests (-f)
    Migrate(migrate::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell)
    Completion(completion::Args),
    /// Print the list of flags inherited by all commands
    Options(options::Args),
}

/// `--dry-run[=client|server]`, as kubectl spells it (bare `--dry-run` is client).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DryRun {
    #[default]
    None,
    Client,
    Server,
}

impl DryRun {
    /// What a write's line ends with: kubectl's ` (dry run)`, ` (server dry run)`.
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// `--dry-run[=client|server]`: every writing subcommand's, defined once.
#[derive(Debug, Default, clap::Args)]
pub struct DryRunFlag {
    /// Print what would be written (Secret values redacted) instead of writing; server also has the server validate it
    #[arg(long, value_enum, num_args = 0..=1, require_equals = true, default_missing_value = "client", default_value = "none")]
    pub dry_run: DryRun,
}

/// The flags every writing subcommand that can wait shares.
#[derive(Debug, Default, clap::Args)]
pub struct WriteFlags {
    #[command(flatten)]
    pub dry: DryRunFlag,

    /// With --dry-run: the objects as they would be after the change (json|yaml), Secret values redacted
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = crate::output::Offered(crate::output::DOCUMENTS))]
    pub output: Option<crate::output::Format>,

    #[command(flatten)]
    pub wait: wait::WaitFlags,
}

/// Secrets kubectl-personapack wrote for `pack` that `referenced` (its
/// authRefs) no longer names — a provider switch leaves the old one, and the
/// controller only ever deletes what authRefs names. With `prune` they are
/// deleted; otherwise listed with the command that removes them. Only
/// Secrets labelled as ours for this pack are ever touched.
pub async fn unused_secrets(
    conn: &crate::cluster::Connection,
    namespace: &str,
    pack: &str,
    referenced: &[String],
    prune: bool,
) -> Result<()> {
    let unused: Vec<String> = conn
        .our_secrets(namespace, pack)
        .await?
        .into_iter()
        .map(|m| m.name)
        .filter(|n| !referenced.contains(n))
        .collect();
    if unused.is_empty() {
        return Ok(());
    }
    if !prune {
        eprint!("{}", unused_secrets_text(namespace, &unused));
        eprintln!("(or pass --prune-secrets)");
        return Ok(());
    }
    for n in unused {
        conn.delete_secret(namespace, &n).await?;
        crate::output::emit(&format!("secret/{} deleted (unused)\n", crate::escape::escape(&n)))?;
    }
    Ok(())
}

/// Secrets we wrote for a pack that its authRefs no longer names, and how to
/// remove them (status, enable and disable).
pub fn unused_secrets_text(namespace: &str, names: &[String]) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "\nUnused credentials (written by kubectl-personapack for this pack, no longer named by spec.authRefs or spec.channelConfigs; the controller never deletes them):\n",
    );
    for n in names {
        let n = crate::escape::escape(n);
        let _ = writeln!(out, "  Secret/{n}: kubectl delete secret {n} -n {}", crate::escape::escape(namespace));
    }
    out
}

impl WriteFlags {
    /// `-o` only with `--dry-run`, and only json or yaml: a real write says
    /// what it did in kubectl's one-line words.
    pub fn check(&self) -> Result<()> {
        crate::output::only(self.output, crate::output::DOCUMENTS)?;
        if self.output.is_some() && self.dry.dry_run == DryRun::None {
            return Err(crate::error::Error::usage(
                "-o/--output goes with --dry-run: it prints the objects as they would be",
            ));
        }
        Ok(())
    }
}

/// `--dry-run -o json|yaml`: the objects after the change, managedFields
/// hidden; one object as itself, several as a List (as kubectl prints them).
pub fn dry_run_objects(objects: Vec<serde_json::Value>, format: crate::output::Format) -> Result<String> {
    let objects = objects.into_iter().map(crate::output::strip_managed_fields).collect();
    crate::output::document(objects, true, format)
}

/// A dry run's pack patch, the same for enable and disable: a comment
/// naming the object, then the merge patch as YAML.
pub fn merge_patch_text(pack: &crate::model::PersonaPack, patch: &serde_json::Value) -> Result<String> {
    Ok(format!(
        "# Merge patch for {}/{}:\n{}",
        pack.era.qualified(),
        crate::escape::escape(&pack.meta.name),
        crate::output::serialize(patch, crate::output::Format::Yaml)?
    ))
}

/// Fault-injection point for the reliability tests: with
/// KUBECTL_PERSONAPACK_TEST_GATE=PATH set, announce `PATH.reached` between a
/// write's read and its pack patch (enable: after the Secret write), then wait (at most 60 s) for PATH to exist.
/// Compiled into debug builds only (the tests run the debug binary): a
/// release build has no such code, not merely a switched-off one.
#[cfg(not(debug_assertions))]
pub async fn test_gate() {}

/// (The debug build's gate; see above.)
#[cfg(debug_assertions)]
pub async fn test_gate() {
    let Some(gate) = std::env::var_os("KUBECTL_PERSONAPACK_TEST_GATE").map(std::path::PathBuf::from) else { return };
    let mut reached = gate.clone().into_os_string();
    reached.push(".reached");
    let _ = std::fs::write(&reached, b"");
    for _ in 0..600 {
        if gate.exists() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// What every subcommand gets besides its own flags.
pub struct Ctx {
    pub conn: ConnectionArgs,
    pub palette: Palette,
}

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let ctx = Ctx { conn: cli.conn, palette: Palette::new(cli.color) };
    dispatch(cli.command, &ctx).await
}

async fn dispatch(command: Command, ctx: &Ctx) -> Result<ExitCode> {
    match command {
        Command::List(args) => list::run(args, ctx).await,
        Command::Describe(args) => describe::run(args, ctx).await,
        Command::Status(args) => status::run(args, ctx).await,
        Command::Enable(args) => enable::run(*args, ctx).await,
        Command::Disable(args) => disable::run(args, ctx).await,
        Command::Tree(args) => tree::run(args, ctx).await,
        Command::Suspend(args) => suspend::run(args.target, true, ctx).await,
        Command::Resume(args) => suspend::run(args.target, false, ctx).await,
        Command::Completion(args) => completion::run(args, <Cli as clap::CommandFactory>::command()).await,
        Command::Render(args) => render::run(args, ctx).await,
        Command::Migrate(args) => migrate::run(args, ctx).await,
        Command::Check(args) => check::run(args, ctx).await,
        Command::Diff(args) => diff::run(args, ctx).await,
        Command::Seed(args) => seed::run(args, ctx).await,
        Command::Runs(args) => runs::run(args, ctx).await,
        Command::Logs(args) => logs::run(args, ctx).await,
        Command::Run(args) => run::run(args, ctx).await,
        Command::Options(args) => options::run(args, &<Cli as clap::CommandFactory>::command()),
    }
}

pub use crate::output::warn_unreadable;

#[cfg(test)]
mod tests {
    //! The completion of this command line (cmd/completion.rs works on it).
    use super::completion::{Want, completable, script, takes_value, want};
    use super::*;
    use clap::CommandFactory;
    use clap_complete::Shell;

    fn w(words: &[&str]) -> Want {
        want(&words.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &takes_value(&Cli::command())).0
    }

    #[test]
    fn classifies_what_is_being_completed() {
        assert_eq!(w(&["de"]), Want::Subcommand);
        assert_eq!(w(&["describe", ""]), Want::Pack { subcommand: "describe".into() });
        assert_eq!(w(&["-n", "x", "status", "pl"]), Want::Pack { subcommand: "status".into() });
        assert_eq!(w(&["list", "-o", ""]), Want::Values(vec!["json", "yaml", "wide", "name"]));
        assert_eq!(w(&["disable", "team", "--persona", ""]), Want::Persona { pack: Some("team".into()) });
        assert_eq!(w(&["describe", "team", ""]), Want::Nothing);
        assert_eq!(w(&["list", "--no"]), Want::Flag("list".into()));
        assert_eq!(w(&["tree", "-n", ""]), Want::Namespace);
        assert_eq!(w(&["runs", "pl"]), Want::Pack { subcommand: "runs".into() });
        assert_eq!(w(&["logs", "team", ""]), Want::Persona { pack: Some("team".into()) });
        assert_eq!(w(&["run", "-n", "x", "team", "s"]), Want::Persona { pack: Some("team".into()) });
        assert_eq!(w(&["runs", "team", ""]), Want::Nothing);
    }

    #[test]
    fn hostile_names_are_never_completion_lines() {
        for bad in [
            "a\n_activeHelp_ \u{1b}]52;c;cHduZWQ=\u{7}",
            ":4",
            "_activeHelp_ hi",
            "x\u{1b}[2J",
            "two words",
            "rtl\u{202e}",
        ] {
            assert!(!completable(bad), "{bad:?}");
        }
        for good in ["sre-watchdog", "Lead_Dev", "日本"] {
            assert!(completable(good), "{good:?}");
        }
    }

    #[test]
    fn flags_that_take_values_come_from_clap() {
        let takes = takes_value(&Cli::command());
        for flag in ["--kubeconfig", "-n", "--request-timeout", "-o", "--exclude", "--sort-by", "-L", "--depth", "-v"] {
            assert!(takes.iter().any(|t| t == flag), "{flag} in {takes:?}");
        }
        for flag in ["--yes", "--wait", "-A", "--no-headers", "--watch", "--all-kinds"] {
            assert!(!takes.iter().any(|t| t == flag), "{flag} takes no value");
        }
        // `--dry-run` takes its value only with `=`: the next word stays a positional.
        assert_eq!(w(&["enable", "--dry-run", ""]), Want::Pack { subcommand: "enable".into() });
    }

    #[test]
    fn dash_o_offers_only_what_each_command_prints() {
        let cmd = Cli::command();
        for (sub, want) in [
            ("status", vec!["json", "yaml"]),
            ("tree", vec!["json", "yaml"]),
            ("diff", vec!["json", "yaml"]),
            ("render", vec!["yaml", "json"]),
            ("enable", vec!["json", "yaml"]),
            ("disable", vec!["json", "yaml"]),
            ("runs", vec!["json", "yaml", "wide", "name"]),
        ] {
            let output = cmd.find_subcommand(sub).unwrap().get_arguments().find(|a| a.get_id() == "output").unwrap();
            let offered: Vec<String> = output.get_possible_values().iter().map(|p| p.get_name().to_string()).collect();
            assert_eq!(offered, want, "{sub}");
        }
        // What is not offered still parses: the command refuses it in kubectl's words.
        assert!(<Cli as clap::Parser>::try_parse_from(["kubectl-personapack", "status", "p", "-o", "wide"]).is_ok());
        assert!(<Cli as clap::Parser>::try_parse_from(["kubectl-personapack", "status", "p", "-o", "xml"]).is_err());
    }

    #[test]
    fn every_subcommand_help_has_examples() {
        for sub in Cli::command().get_subcommands() {
            let help = sub.get_after_help().map(|h| h.to_string()).unwrap_or_default();
            assert!(help.contains("Examples:\n  # "), "{} --help has no Examples", sub.get_name());
            assert!(help.contains(&format!("kubectl personapack {}", sub.get_name())), "{}: {help}", sub.get_name());
        }
    }

    #[test]
    fn connection_flags_typed_so_far_are_used() {
        let words: Vec<String> =
            ["--context", "prod", "-n=team-ns", "describe", ""].iter().map(|s| s.to_string()).collect();
        let (_, conn) = want(&words, &takes_value(&Cli::command()));
        assert_eq!(conn.context.as_deref(), Some("prod"));
        assert_eq!(conn.namespace.as_deref(), Some("team-ns"));
    }

    #[test]
    fn committed_scripts_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
        for (shell, file) in [
            (Shell::Bash, "kubectl-personapack.bash"),
            (Shell::Zsh, "_kubectl-personapack"),
            (Shell::Fish, "kubectl-personapack.fish"),
            (Shell::PowerShell, "kubectl-personapack.ps1"),
        ] {
            let committed = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            assert!(
                committed == script(Cli::command(), shell),
                "completions/{file} is stale: regenerate with `cargo run -- completion {shell} > completions/{file}` (or scripts/gen-completions.sh)"
            );
        }
    }
}

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
pub mod seed;
pub mod status;
pub mod tree;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::color::Palette;
use crate::connection::ConnectionArgs;
use crate::error::Result;
use crate::model::Warning;

/// `--dry-run[=client|server]`, as kubectl spells it (bare `--dry-run` is client).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DryRun {
    #[default]
    None,
    Client,
    Server,
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
    #[arg(short = 'o', long, value_enum, value_name = "FORMAT")]
    pub output: Option<crate::output::Format>,

    #[command(flatten)]
    pub wait: WaitFlags,
}

/// `--wait [--timeout D]`: block until the pack reaches its goal (Ready when
/// enabled, Inactive when disabled). Shared by status, enable and disable.
#[derive(Debug, Default, clap::Args)]
pub struct WaitFlags {
    /// Wait until the controller reports the pack Ready (enabled) or Inactive (disabled); exit 1 on Error or timeout
    #[arg(long)]
    pub wait: bool,

    /// How long --wait may take
    #[arg(long, default_value = "5m", value_name = "DURATION", requires = "wait", value_parser = crate::error::duration_arg)]
    pub timeout: std::time::Duration,
}

impl WaitFlags {
    /// Wait if asked to; nothing otherwise.
    pub async fn apply(
        &self,
        conn: &crate::connection::Connection,
        ns: &str,
        name: &str,
        palette: Palette,
    ) -> Result<()> {
        if !self.wait {
            return Ok(());
        }
        status::wait_for(conn, ns, name, self.timeout, palette).await
    }
}

/// Secrets kubectl-personapack wrote for `pack` that `referenced` (its
/// authRefs) no longer names — a provider switch leaves the old one, and the
/// controller only ever deletes what authRefs names. With `prune` they are
/// deleted; otherwise listed with the command that removes them. Only
/// Secrets labelled as ours for this pack are ever touched.
pub async fn unused_secrets(
    conn: &crate::connection::Connection,
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
        crate::output::emit(&format!("secret/{} deleted (unused)\n", crate::output::escape(&n)))?;
    }
    Ok(())
}

/// Secrets we wrote for a pack that its authRefs no longer names, and how to
/// remove them (status, enable and disable).
pub fn unused_secrets_text(namespace: &str, names: &[String]) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "\nUnused credentials (written by kubectl-personapack for this pack, no longer in spec.authRefs; the controller never deletes them):\n",
    );
    for n in names {
        let n = crate::output::escape(n);
        let _ = writeln!(out, "  Secret/{n}: kubectl delete secret {n} -n {}", crate::output::escape(namespace));
    }
    out
}

impl WriteFlags {
    /// `-o` only with `--dry-run`, and only json or yaml: a real write says
    /// what it did in kubectl's one-line words.
    pub fn check(&self) -> Result<()> {
        use crate::output::Format;
        crate::output::only(self.output, &[Format::Json, Format::Yaml])?;
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
        "# Merge patch for personapack.sympozium.ai/{}:\n{}",
        crate::output::escape(&pack.meta.name),
        crate::output::serialize(patch, crate::output::Format::Yaml)?
    ))
}

/// Fault-injection point for the reliability tests: with
/// KUBECTL_PERSONAPACK_TEST_GATE=PATH set, announce `PATH.reached` between a
/// write's read and its pack patch (enable: after the Secret write), then wait (at most 60 s) for PATH to exist.
pub async fn test_gate() {
    // Never in a release build: the tests run the debug binary.
    if !cfg!(debug_assertions) {
        return;
    }
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
        Command::Completion(args) => completion::run(args, ctx).await,
        Command::Render(args) => render::run(args, ctx).await,
        Command::Diff(args) => diff::run(args, ctx).await,
        Command::Seed(args) => seed::run(args, ctx).await,
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

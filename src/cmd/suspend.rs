//! `kubectl personapack suspend PACK` and `resume PACK`: pause a team by its
//! schedules' `spec.suspend`, as Sympozium's web API does (`PATCH
//! /api/v1/schedules/NAME`), and only where the controller keeps it
//! (pause.rs tells). Nothing else is written: agents, memory and runs stay.

use std::process::ExitCode;

use super::{Ctx, DryRun, DryRunFlag, warn_unreadable};
use crate::cluster::Kind;
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::{Era, PersonaPack, Schedule};
use crate::output::{Format, emit};
use crate::pause::{self, Target};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Pause a team: no scheduled run starts until it is resumed; agents and memory stay
  kubectl personapack suspend platform-team -n team-a

  # Pause one persona, and see first what would be written
  kubectl personapack suspend platform-team -n team-a --persona sre-watchdog --dry-run")]
pub struct SuspendArgs {
    #[command(flatten)]
    pub target: PauseArgs,
}

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Resume a paused team: its schedules run again from their next tick
  kubectl personapack resume platform-team -n team-a

  # Resume one persona only
  kubectl personapack resume platform-team -n team-a --persona sre-watchdog")]
pub struct ResumeArgs {
    #[command(flatten)]
    pub target: PauseArgs,
}

/// What both commands take.
#[derive(Debug, clap::Args)]
pub struct PauseArgs {
    /// The PersonaPack (or Ensemble)
    pub pack: String,

    /// Only these personas' schedules (comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "PERSONA")]
    pub persona: Vec<String>,

    #[command(flatten)]
    pub dry: DryRunFlag,

    /// With --dry-run: the schedules as they would be after the change (json|yaml)
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = crate::output::Offered(crate::output::DOCUMENTS))]
    pub output: Option<Format>,
}

pub async fn run(args: PauseArgs, suspend: bool, ctx: &Ctx) -> Result<ExitCode> {
    crate::output::only(args.output, crate::output::DOCUMENTS)?;
    if args.output.is_some() && args.dry.dry_run == DryRun::None {
        return Err(Error::usage("-o/--output goes with --dry-run: it prints the schedules as they would be"));
    }
    let conn = ctx.conn.connect().await?;
    let ns = conn.namespace.clone();
    let selector = format!("{}={}", conn.era().label_pack(), args.pack);
    let (pack, schedules) =
        futures::join!(conn.get_pack(&ns, &args.pack), conn.list(Kind::Schedule, Some(&ns), Some(&selector), None));
    let pack = pack?;
    warn_unreadable(pack.era.singular(), &ns, &pack.meta.name, &pack.warnings);
    crate::activation::check_personas(&pack, &args.persona)?;
    let live: Vec<(String, bool)> =
        schedules?.iter().map(Schedule::from_value).map(|s| (s.meta.name, s.spec.suspend)).collect();
    let (targets, without) = pause::targets(&pack, &args.persona, &live, suspend);
    refuse(&pack, &targets, &without, suspend)?;
    if suspend {
        let found = match pack.era {
            Era::PersonaPack => Ok(Vec::new()),
            Era::Ensemble => conn.sympozium_controllers().await?,
        };
        if let Some(why) = pause::refusal(&pack, &pause::keeping(pack.era, found)) {
            return Err(Error::usage(why));
        }
    }
    for p in &without {
        eprintln!("{} \"{}\" has no schedule: it runs only when triggered", pack.era.member(), escape(p));
    }
    write(&conn, &ns, &targets, suspend, &args).await
}

/// Nothing to pause: a disabled pack, or no persona asked has a schedule.
fn refuse(pack: &PersonaPack, targets: &[Target], without: &[String], suspend: bool) -> Result<()> {
    let (kind, name, ns) = (pack.era.singular(), escape(&pack.meta.name), escape(&pack.meta.namespace));
    let verb = if suspend { "suspend" } else { "resume" };
    if !pack.spec.enabled {
        return Err(Error::usage(format!(
            "{kind} \"{name}\" is disabled: none of its agents runs, there is nothing to {verb} (kubectl personapack status {name} -n {ns})"
        )));
    }
    if targets.is_empty() {
        let names: Vec<String> = without.iter().map(|p| format!("\"{}\"", escape(p))).collect();
        return Err(Error::usage(format!(
            "{kind} \"{name}\": no schedule to {verb} ({} {} has none: excluded, run only when triggered, or not stamped yet; see kubectl personapack status {name} -n {ns})",
            pack.era.member(),
            names.join(", ")
        )));
    }
    Ok(())
}

async fn write(
    conn: &crate::cluster::Connection,
    ns: &str,
    targets: &[Target],
    suspend: bool,
    args: &PauseArgs,
) -> Result<ExitCode> {
    let word = if suspend { "suspended" } else { "resumed" };
    let qualified = format!("sympoziumschedule.{}", crate::model::GROUP);
    let mut after = Vec::new();
    for t in targets {
        let shown = escape(&t.schedule);
        if t.already {
            if args.output.is_none() {
                emit(&format!("{qualified}/{shown} unchanged (already {word})\n"))?;
            }
            continue;
        }
        if args.dry.dry_run == DryRun::Client {
            if let Some(obj) = conn.get_object(&conn.resource(Kind::Schedule), ns, &t.schedule).await? {
                let mut obj = obj;
                obj["spec"]["suspend"] = serde_json::Value::Bool(suspend);
                after.push(obj);
            }
        } else {
            after.push(conn.set_suspend(ns, &t.schedule, suspend, args.dry.dry_run == DryRun::Server).await?);
        }
        if args.output.is_none() {
            emit(&format!("{qualified}/{shown} {word}{}\n", args.dry.dry_run.suffix()))?;
        }
    }
    if let Some(format) = args.output {
        emit(&super::dry_run_objects(after, format)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

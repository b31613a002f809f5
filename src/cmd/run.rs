//! `kubectl personapack run PACK PERSONA`: start a run now, the way
//! Sympozium's web API does (`POST /api/v1/runs`, its web UI's New Run), and
//! with `--wait` follow it to its verdict (exit 0 Succeeded, 1 Failed).
//! `--stimulus` triggers an Ensemble's stimulus instead, as the web API's
//! `POST /api/v1/ensembles/NAME/stimulus/trigger` does (stimulus.rs).

use std::io::IsTerminal;
use std::process::ExitCode;

use serde_json::Value;

use super::Ctx;
use crate::cluster::{Connection, Kind};
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::{Era, PersonaPack, instance_name, schedule_name};
use crate::output::emit;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Run a persona now with its scheduled task
  kubectl personapack run platform-team sre-watchdog -n team-a

  # Run it with a task of your own, wait for the verdict and print the result
  kubectl personapack run platform-team sre-watchdog -n team-a --task \"Why is node-7 NotReady?\" --wait

  # The task from a file; exit 1 if the run fails or takes longer than 10 minutes
  kubectl personapack run platform-team sre-watchdog -n team-a --task-file task.md --wait --timeout 10m

  # Trigger an Ensemble's stimulus now (its prompt, to the agent config it wakes)
  kubectl personapack run platform-team -n team-a --stimulus")]
pub struct Args {
    /// The PersonaPack (or Ensemble)
    pub pack: String,

    /// The persona (agent config) to run
    #[arg(required_unless_present = "stimulus")]
    pub persona: Option<String>,

    /// Ensembles: deliver the stimulus (spec.stimulus) to the agent config its relationship names, now
    #[arg(long, conflicts_with_all = ["persona", "task", "task_file"])]
    pub stimulus: bool,

    /// The task; default: the persona's scheduled task
    #[arg(long, value_name = "TEXT", conflicts_with = "task_file")]
    pub task: Option<String>,

    /// Read the task from a file (- for stdin)
    #[arg(long, value_name = "FILE")]
    pub task_file: Option<std::path::PathBuf>,

    /// Wait for the run to end, print its result; exit 0 on Succeeded, 1 on Failed
    #[arg(long)]
    pub wait: bool,

    /// How long --wait may take
    #[arg(long, default_value = "15m", value_name = "DURATION", requires = "wait", value_parser = crate::error::duration_arg)]
    pub timeout: std::time::Duration,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    // The task is read before any connection (stdin is the user's, not an exec plugin's).
    let task = read_task(&args)?;
    let conn = ctx.conn.connect().await?;
    let ns = conn.namespace.clone();
    let (pack, name) = match &args.persona {
        Some(persona) if !args.stimulus => on_demand(&conn, &ns, &args.pack, persona, task).await?,
        _ => stimulus(&conn, &ns, &args.pack).await?,
    };
    emit(&format!("agentrun.sympozium.ai/{} created\n", escape(&name)))?;
    if !args.wait {
        return Ok(ExitCode::SUCCESS);
    }
    let finished =
        conn.until_run(&ns, &name, |r| crate::runs::is_finished(r["status"]["phase"].as_str().unwrap_or_default()));
    let done = match crate::interrupt::unless_interrupted(tokio::time::timeout(args.timeout, finished)).await? {
        Ok(done) => done?,
        Err(_) => {
            return Err(Error::WaitFailed(format!(
                "timed out after {} waiting for agentrun \"{}\" to finish (it goes on: kubectl personapack runs {} {} -n {})",
                crate::error::humantime(args.timeout),
                escape(&name),
                escape(&pack),
                escape(&name),
                escape(&ns)
            )));
        }
    };
    verdict(&done, &name)
}

/// The pack, and the agent and schedule of `persona`, in one round.
async fn read(conn: &Connection, ns: &str, pack: &str, persona: &str) -> Result<(PersonaPack, Value)> {
    let (instance_ref, schedule_ref) = (instance_name(pack, persona), schedule_name(pack, persona));
    let (instances, schedules) = (conn.resource(Kind::Instance), conn.resource(Kind::Schedule));
    let (read, instance, schedule) = futures::join!(
        conn.get_pack(ns, pack),
        conn.get_object(&instances, ns, &instance_ref),
        conn.get_object(&schedules, ns, &schedule_ref),
    );
    let read = read?;
    crate::output::warn_unreadable(read.era.singular(), ns, &read.meta.name, &read.warnings);
    let instance = refuse(&read, persona, instance?, schedule?.as_ref())?;
    Ok((read, instance))
}

/// A run of `persona` with `task` (default: its scheduled task): its name.
async fn on_demand(
    conn: &Connection,
    ns: &str,
    pack: &str,
    persona: &str,
    task: Option<String>,
) -> Result<(String, String)> {
    let (pack, instance) = read(conn, ns, pack, persona).await?;
    let task = match task {
        Some(t) => t,
        None => scheduled_task(&pack, persona)?,
    };
    let session = format!("session-{}", jiff::Timestamp::now().as_nanosecond());
    let run = crate::runs::web_api_run(pack.era, &instance, &task, &session).map_err(Error::usage)?;
    let created = conn.create_run(ns, &run).await?;
    Ok((pack.meta.name, created["metadata"]["name"].as_str().unwrap_or_default().to_string()))
}

/// The Ensemble's stimulus delivered now, and marked delivered on its status
/// (as the web API does: a failure to mark it is said, the run stands).
async fn stimulus(conn: &Connection, ns: &str, name: &str) -> Result<(String, String)> {
    let pack = conn.get_pack(ns, name).await?;
    let shown = escape(&pack.meta.name);
    if pack.era != Era::Ensemble {
        return Err(Error::usage(format!(
            "personapack \"{shown}\" has no stimulus: a stimulus is an Ensemble's (Sympozium v0.9 or later)"
        )));
    }
    let target = crate::stimulus::target(&pack).map(|(_, t)| t.to_string());
    let target = target.map_err(|why| Error::usage(format!("ensemble \"{shown}\": {why}")))?;
    let (mut pack, agent) = read(conn, ns, name, &target).await?;
    let stimulus = pack.raw["spec"]["stimulus"].clone();
    let run = crate::stimulus::run(&pack, &stimulus, &agent, jiff::Timestamp::now().as_millisecond());
    let created = conn.create_run(ns, &run).await?;
    let run_name = created["metadata"]["name"].as_str().unwrap_or_default().to_string();
    for tries in 1..=3 {
        let mut patch = crate::stimulus::delivered(&pack);
        patch["metadata"] = serde_json::json!({"resourceVersion": pack.meta.resource_version});
        match conn.patch_pack_status(ns, name, &patch).await {
            Ok(()) => break,
            Err(Error::Server { code: 409, .. }) if tries < 3 => pack = conn.get_pack(ns, name).await?,
            Err(e) => {
                eprintln!(
                    "Warning: the stimulus was not marked delivered on ensemble \"{shown}\" ({e}): the controller may deliver it again"
                );
                break;
            }
        }
    }
    Ok((pack.meta.name, run_name))
}

fn read_task(args: &Args) -> Result<Option<String>> {
    let Some(path) = &args.task_file else { return Ok(args.task.clone()) };
    let text = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| Error::usage(format!("reading --task-file {}: {e}", path.display())))?
    };
    if text.trim().is_empty() {
        return Err(Error::usage(format!("--task-file {}: the task is empty", path.display())));
    }
    Ok(Some(text))
}

/// What would make the run pointless or wrong, refused before anything is
/// written; the instance (Agent) to run as otherwise.
fn refuse(pack: &PersonaPack, persona: &str, instance: Option<Value>, schedule: Option<&Value>) -> Result<Value> {
    let (kind, name, member) = (pack.era.singular(), escape(&pack.meta.name), pack.era.member());
    crate::activation::check_personas(pack, &[persona.to_string()])?;
    let ns = escape(&pack.meta.namespace);
    if !pack.spec.enabled {
        return Err(Error::usage(format!(
            "{kind} \"{name}\" is disabled: it has no agents to run (enable it first: kubectl personapack enable {name} -n {ns})"
        )));
    }
    let p = escape(persona);
    if pack.is_excluded(persona) {
        return Err(Error::usage(format!(
            "{member} \"{p}\" is excluded from {kind} \"{name}\": it has no agent to run (include it again: kubectl personapack enable {name} -n {ns} --persona {p})"
        )));
    }
    if schedule.is_some_and(|s| s["spec"]["suspend"] == true) {
        return Err(Error::usage(format!(
            "the schedule of {member} \"{p}\" is suspended: the team is paused (resume it first: kubectl personapack resume {name} -n {ns} --persona {p})"
        )));
    }
    let (agent_kind, _) = pack.era.agent_kind();
    instance.ok_or_else(|| {
        Error::usage(format!(
            "{} \"{}\" does not exist yet: the controller has not stamped it (see kubectl personapack status {name} -n {ns})",
            agent_kind.to_lowercase(),
            escape(&instance_name(&pack.meta.name, persona))
        ))
    })
}

fn scheduled_task(pack: &PersonaPack, persona: &str) -> Result<String> {
    let p = pack.spec.personas.iter().find(|p| p.name == persona);
    match p.and_then(|p| p.schedule.as_ref()).map(|s| s.task.trim()).filter(|t| !t.is_empty()) {
        Some(t) => Ok(t.to_string()),
        None => Err(Error::usage(format!(
            "{} \"{}\" has no scheduled task to run: pass --task or --task-file",
            pack.era.member(),
            escape(persona)
        ))),
    }
}

/// The result on stdout (escaped on a terminal: it is model output) and the
/// exit code by phase.
fn verdict(run: &Value, name: &str) -> Result<ExitCode> {
    let status = &run["status"];
    let phase = status["phase"].as_str().unwrap_or_default();
    eprintln!("agentrun.sympozium.ai/{} {}", escape(name), escape(phase));
    if phase == "Succeeded" {
        let result = status["result"].as_str().unwrap_or_default();
        let terminal = std::io::stdout().is_terminal();
        let text: String = result.lines().map(|l| if terminal { escape(l) } else { l.to_string() } + "\n").collect();
        emit(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    Err(Error::WaitFailed(format!(
        "agentrun \"{}\" {}: {}",
        escape(name),
        escape(phase),
        escape(status["error"].as_str().unwrap_or("no error recorded"))
    )))
}

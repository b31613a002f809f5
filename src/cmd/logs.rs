//! `kubectl personapack logs PACK (PERSONA | RUN)`: the `agent` container's
//! log of a persona's latest run (or of the named run), `-f` following it
//! until the run ends. Sympozium keeps no logs: once the Job's TTL has taken
//! the pod, this says so and prints the result the controller stored.

use std::io::IsTerminal;
use std::process::ExitCode;

use futures::AsyncBufReadExt;
use serde_json::Value;

use super::Ctx;
use crate::cluster::Connection;
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::instance_name;
use crate::output::emit;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # The log of the latest run of a persona
  kubectl personapack logs platform-team sre-watchdog -n team-a

  # Follow it while it runs (returns when the run ends)
  kubectl personapack logs platform-team sre-watchdog -n team-a -f

  # The last 20 lines of one run's log
  kubectl personapack logs platform-team platform-team-sre-watchdog-schedule-3 -n team-a --tail 20")]
pub struct Args {
    /// The PersonaPack (or Ensemble)
    pub pack: String,

    /// A persona (its latest run) or a run's name
    pub target: String,

    /// Follow the log while the run runs; return when it ends
    #[arg(short = 'f', long)]
    pub follow: bool,

    /// Lines of the end of the log to show (-1: all)
    #[arg(long, default_value_t = -1, allow_negative_numbers = true, value_name = "N")]
    pub tail: i64,

    /// Print the agent's bytes as they are, control sequences included (a pipe always gets them so)
    #[arg(long)]
    pub raw: bool,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    let conn = ctx.conn.connect().await?;
    let ns = conn.namespace.clone();
    let run = target_run(&conn, &ns, &args.pack, &args.target).await?;
    let name = run["metadata"]["name"].as_str().unwrap_or_default().to_string();
    let run = if args.follow { started(&conn, &ns, &name, run).await? } else { run };
    let pod = run["status"]["podName"].as_str().unwrap_or_default().to_string();
    // Agent output is model output: on a terminal, escaped like any cluster text.
    let escaped = !args.raw && std::io::stdout().is_terminal();
    if pod.is_empty() || conn.pod(&ns, &pod).await?.is_none() {
        return gone(&run, &name, &pod, escaped);
    }
    let tail = (args.tail >= 0).then_some(args.tail);
    let stream = conn.log_stream(&ns, &pod, "agent", args.follow, tail).await?;
    let mut lines = stream.lines();
    use futures::TryStreamExt;
    if !args.follow {
        while let Some(line) = lines.try_next().await.map_err(read_error)? {
            print_line(&line, escaped)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    // A kubelet ends a followed log when the container exits; a stand-in
    // kubelet may not. Either way the run's own end ends the follow: then
    // what is still in flight is read until the stream falls quiet.
    let ended = ended(&conn, &ns, &name);
    tokio::pin!(ended);
    let mut done = false;
    loop {
        let next = if done {
            match tokio::time::timeout(std::time::Duration::from_millis(750), lines.try_next()).await {
                Ok(n) => n,
                Err(_) => break,
            }
        } else {
            tokio::select! {
                n = lines.try_next() => n,
                r = &mut ended => { r?; done = true; continue; }
            }
        };
        match next.map_err(read_error)? {
            Some(line) => print_line(&line, escaped)?,
            None => break,
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_error(e: std::io::Error) -> Error {
    Error::usage(format!("reading the agent's log: {e}"))
}

fn print_line(line: &str, escaped: bool) -> Result<()> {
    if escaped { emit(&format!("{}\n", escape(line))) } else { emit(&format!("{line}\n")) }
}

/// The run `target` names: a run of the pack by name, or the latest run
/// of the pack's persona of that name.
async fn target_run(conn: &Connection, ns: &str, pack: &str, target: &str) -> Result<Value> {
    let (team, runs) = super::runs::team_runs(conn, ns, pack, &[]).await?;
    if let Some(persona) = team.spec.personas.iter().find(|p| p.name == target) {
        let instance = instance_name(&team.meta.name, &persona.name);
        let Some(latest) = runs.iter().find(|r| r.instance == instance) else {
            return Err(Error::usage(format!(
                "{} \"{}\" of {} \"{}\" has no runs yet",
                team.era.member(),
                escape(target),
                team.era.singular(),
                escape(&team.meta.name)
            )));
        };
        let name = latest.name.clone();
        return conn.run_object(ns, &name).await?.ok_or_else(|| Error::not_found("agentruns.sympozium.ai", &name));
    }
    if !runs.iter().any(|r| r.name == target) {
        let mut e = Error::not_found("agentruns.sympozium.ai", target);
        if let Error::Server { hints, .. } = &mut e {
            hints.push(format!(
                "(no {} and no run of {} \"{}\" is named so: kubectl personapack runs {} -n {})",
                team.era.member(),
                team.era.singular(),
                escape(&team.meta.name),
                escape(&team.meta.name),
                escape(ns)
            ));
        }
        return Err(e);
    }
    conn.run_object(ns, target).await?.ok_or_else(|| Error::not_found("agentruns.sympozium.ai", target))
}

fn finished(run: &Value) -> bool {
    crate::runs::is_finished(run["status"]["phase"].as_str().unwrap_or_default())
}

/// With `-f`, a run that has no pod yet is waited for until it has one or ends.
async fn started(conn: &Connection, ns: &str, name: &str, run: Value) -> Result<Value> {
    let has_pod = |r: &Value| r["status"]["podName"].as_str().is_some_and(|p| !p.is_empty());
    if has_pod(&run) || finished(&run) {
        return Ok(run);
    }
    eprintln!("waiting for agentrun \"{}\" to start ...", escape(name));
    crate::interrupt::unless_interrupted(conn.until_run(ns, name, |r| has_pod(r) || finished(r))).await?
}

/// Resolves once the run has ended (or is gone).
async fn ended(conn: &Connection, ns: &str, name: &str) -> Result<()> {
    match crate::interrupt::unless_interrupted(conn.until_run(ns, name, finished)).await? {
        Err(e) if e.is_not_found() => Ok(()),
        other => other.map(|_| ()),
    }
}

/// The pod is gone (or never was): say so once, then the stored result.
fn gone(run: &Value, name: &str, pod: &str, escaped: bool) -> Result<ExitCode> {
    let phase = run["status"]["phase"].as_str().unwrap_or("Pending");
    if pod.is_empty() {
        eprintln!("agentrun \"{}\" has no pod ({phase}): nothing has logged yet", escape(name));
    } else {
        eprintln!(
            "pod \"{}\" of agentrun \"{}\" is gone: Sympozium keeps no logs once the run's Job is removed (5 minutes after it ends); its stored {}:",
            escape(pod),
            escape(name),
            if phase == "Failed" { "error" } else { "result" }
        );
    }
    let text = if phase == "Failed" { &run["status"]["error"] } else { &run["status"]["result"] };
    for line in text.as_str().unwrap_or_default().lines() {
        print_line(line, escaped)?;
    }
    Ok(ExitCode::SUCCESS)
}

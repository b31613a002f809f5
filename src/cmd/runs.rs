//! `kubectl personapack runs PACK [RUN]`: what the team's agents did and
//! cost. Every AgentRun of the pack's agents (whoever started it), newest
//! first, with a totals line; or one run in full.

use std::fmt::Write as _;
use std::process::ExitCode;

use jiff::Timestamp;
use serde_json::Value;

use super::{Ctx, warn_unreadable};
use crate::cluster::{Connection, Kind};
use crate::color::Palette;
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::{PersonaPack, instance_name};
use crate::output::{self, Cell, Format, emit};
use crate::runs::{self, RunRow};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Every run of the team, newest first, with what they cost
  kubectl personapack runs platform-team -n team-a

  # The failed runs of one persona in the last day
  kubectl personapack runs platform-team -n team-a --persona sre-watchdog --phase Failed --since 24h

  # One run in full: task, whole result, error, tokens, cost, pod
  kubectl personapack runs platform-team platform-team-sre-watchdog-schedule-3 -n team-a

  # Follow new runs as they start and finish
  kubectl personapack runs platform-team -n team-a -w")]
pub struct Args {
    /// The PersonaPack (or Ensemble) whose runs to show
    pub pack: String,

    /// One run to show in full
    pub run: Option<String>,

    /// Only these personas (comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "PERSONA")]
    pub persona: Vec<String>,

    /// Only runs in this phase (Pending, Running, Succeeded, Failed, ...)
    #[arg(long, value_name = "PHASE")]
    pub phase: Option<String>,

    /// Only runs created within this long (e.g. 30m, 24h)
    #[arg(long, value_name = "DURATION", value_parser = crate::error::duration_arg)]
    pub since: Option<std::time::Duration>,

    /// Output format: wide adds input/output tokens, tool calls and the error; json|yaml the AgentRuns as a List
    #[arg(short = 'o', long, value_enum)]
    pub output: Option<Format>,

    /// Don't print headers (nor the totals line)
    #[arg(long)]
    pub no_headers: bool,

    /// After listing, watch for runs starting and changing phase (Ctrl-C to stop)
    #[arg(short = 'w', long, conflicts_with = "run")]
    pub watch: bool,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    output::only(args.output, &[Format::Json, Format::Yaml, Format::Wide, Format::Name])?;
    let conn = ctx.conn.connect().await?;
    let ns = conn.namespace.clone();
    if let Some(run) = &args.run {
        return detail(&conn, &ns, &args.pack, run, args.output, ctx.palette).await;
    }
    let (pack, mut rows) = team_runs(&conn, &ns, &args.pack, &args.persona).await?;
    let now = Timestamp::now();
    rows.retain(|r| keep(r, &args, now));
    match args.output {
        Some(fmt @ (Format::Json | Format::Yaml)) => {
            let names: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
            let objects: Vec<Value> = conn
                .list(Kind::Run, Some(&ns), Some(&selector(&pack, &args.persona)), None)
                .await?
                .into_iter()
                .filter(|o| o["metadata"]["name"].as_str().is_some_and(|n| names.contains(n)))
                .collect();
            let objects = newest_first_objects(objects, &rows);
            emit(&output::document(objects.into_iter().map(output::strip_managed_fields).collect(), false, fmt)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Format::Name) => {
            emit(&rows.iter().map(|r| format!("agentrun.sympozium.ai/{}\n", escape(&r.name))).collect::<String>())?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let wide = args.output == Some(Format::Wide);
    if rows.is_empty() && !args.watch {
        eprintln!(
            "No runs found for {} \"{}\" in {} namespace.",
            pack.era.singular(),
            escape(&pack.meta.name),
            escape(&ns)
        );
        return Ok(ExitCode::SUCCESS);
    }
    emit(&table(&rows, wide, !args.no_headers, now, ctx.palette))?;
    if !args.no_headers {
        eprintln!("\n{}", runs::totals(&rows).line());
    }
    if args.watch {
        watch(&conn, &ns, &pack, &args, rows, ctx.palette).await?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The pack and its runs, newest first, read in one round: the pack, and
/// every run labelled with an instance (narrowed to the pack's own
/// instances once the pack says which they are).
pub async fn team_runs(
    conn: &Connection,
    ns: &str,
    pack: &str,
    personas: &[String],
) -> Result<(PersonaPack, Vec<RunRow>)> {
    let by_persona: Vec<String> = personas.iter().map(|p| instance_name(pack, p)).collect();
    let sel = if by_persona.is_empty() {
        crate::runs::LABEL_INSTANCE.to_string()
    } else {
        format!("{} in ({})", crate::runs::LABEL_INSTANCE, by_persona.join(","))
    };
    let (got, listed) = futures::join!(conn.get_pack(ns, pack), conn.runs(ns, pack, &sel));
    let got = got?;
    warn_unreadable(got.era.singular(), ns, &got.meta.name, &got.warnings);
    crate::activation::check_personas(&got, personas)?;
    let instances: std::collections::BTreeSet<String> =
        got.spec.personas.iter().map(|p| instance_name(&got.meta.name, &p.name)).collect();
    let mut rows: Vec<RunRow> = listed?.0.into_iter().filter(|r| instances.contains(&r.instance)).collect();
    runs::sort_newest_first(&mut rows);
    Ok((got, rows))
}

/// The selector of the pack's runs for a full read (`-o json|yaml`).
fn selector(pack: &PersonaPack, personas: &[String]) -> String {
    let names: Vec<String> = if personas.is_empty() {
        pack.spec.personas.iter().map(|p| instance_name(&pack.meta.name, &p.name)).collect()
    } else {
        personas.iter().map(|p| instance_name(&pack.meta.name, p)).collect()
    };
    format!("{} in ({})", crate::runs::LABEL_INSTANCE, names.join(","))
}

fn newest_first_objects(mut objects: Vec<Value>, rows: &[RunRow]) -> Vec<Value> {
    let order: std::collections::HashMap<&str, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.name.as_str(), i)).collect();
    objects.sort_by_key(|o| o["metadata"]["name"].as_str().and_then(|n| order.get(n).copied()).unwrap_or(usize::MAX));
    objects
}

fn keep(r: &RunRow, args: &Args, now: Timestamp) -> bool {
    let phase = r.phase_word();
    if args.phase.as_ref().is_some_and(|p| !p.eq_ignore_ascii_case(phase)) {
        return false;
    }
    match (args.since, r.created) {
        (Some(since), Some(created)) => now.as_second() - created.as_second() <= since.as_secs() as i64,
        (Some(_), None) => false,
        _ => true,
    }
}

const HEADERS: &[&str] = &["PERSONA", "RUN", "TRIGGER", "PHASE", "STARTED", "DURATION", "TOKENS", "COST", "AGE"];
const WIDE: &[&str] = &["INPUT", "OUTPUT", "TOOL CALLS", "ERROR"];

/// The runs table (snapshot-tested).
pub fn table(rows: &[RunRow], wide: bool, headers: bool, now: Timestamp, palette: Palette) -> String {
    let mut head: Vec<&str> = HEADERS.to_vec();
    if wide {
        head.extend(WIDE);
    }
    let cells: Vec<Vec<Cell>> = rows.iter().map(|r| row_cells(r, wide, now)).collect();
    output::table(&head, &cells, headers, palette)
}

fn row_cells(r: &RunRow, wide: bool, now: Timestamp) -> Vec<Cell> {
    let dash = || Cell::dim("-");
    let mut cells = vec![
        Cell::plain(&r.persona),
        Cell::plain(&r.name),
        r.trigger.as_ref().map(|t| Cell::plain(t.word())).unwrap_or_else(dash),
        Cell::phase(r.phase_word()),
        r.started.map(|s| Cell::plain(output::age(Some(s), now))).unwrap_or_else(dash),
        r.duration(now).map(|d| Cell::plain(output::human_duration(d))).unwrap_or_else(dash),
        r.tokens.map(|t| Cell::plain(runs::count(t.total()))).unwrap_or_else(dash),
        r.cost.as_ref().map(|c| Cell::plain(runs::money(c.amount_micro, &c.currency))).unwrap_or_else(dash),
        Cell::plain(output::age(r.created, now)),
    ];
    if wide {
        let t = r.tokens.unwrap_or_default();
        let n = |v: u64| if r.tokens.is_some() { Cell::plain(v.to_string()) } else { dash() };
        cells.extend([n(t.input_tokens), n(t.output_tokens), n(t.tool_calls)]);
        // One line per run: the error's newlines are escaped, as all cluster text in a table.
        cells.push(if r.error.is_empty() { dash() } else { Cell::plain(&r.error) });
    }
    cells
}

/// `-w`: print a row when a run appears or its phase changes, told by a
/// watch (no requests while nothing changes); Ctrl-C ends it.
async fn watch(
    conn: &Connection,
    ns: &str,
    pack: &PersonaPack,
    args: &Args,
    rows: Vec<RunRow>,
    palette: Palette,
) -> Result<()> {
    let mut seen: std::collections::HashMap<String, String> =
        rows.into_iter().map(|r| (r.name.clone(), r.phase.clone())).collect();
    let mut changes = conn.pack_changes(ns, &pack.meta.name, &[conn.resource(Kind::Run)]);
    let wide = args.output == Some(Format::Wide);
    // Ctrl-C ends the watch.
    while crate::interrupt::unless_interrupted(changes.next()).await.is_ok() {
        let (_, rows) = team_runs(conn, ns, &pack.meta.name, &args.persona).await?;
        let now = Timestamp::now();
        let mut fresh: Vec<RunRow> =
            rows.into_iter().filter(|r| keep(r, args, now)).filter(|r| seen.get(&r.name) != Some(&r.phase)).collect();
        fresh.reverse();
        for r in &fresh {
            seen.insert(r.name.clone(), r.phase.clone());
        }
        if !fresh.is_empty() {
            emit(&table(&fresh, wide, false, now, palette))?;
        }
    }
    Ok(())
}

/// One run in full, after checking it is the pack's.
async fn detail(
    conn: &Connection,
    ns: &str,
    pack: &str,
    run: &str,
    format: Option<Format>,
    palette: Palette,
) -> Result<ExitCode> {
    let (got, obj) = futures::join!(conn.get_pack(ns, pack), conn.run_object(ns, run));
    let got = got?;
    let not_found = || Error::not_found("agentruns.sympozium.ai", run);
    let obj = obj?.ok_or_else(not_found)?;
    let instance = obj["metadata"]["labels"][crate::runs::LABEL_INSTANCE].as_str().unwrap_or_default().to_string();
    let persona = got.spec.personas.iter().find(|p| instance_name(&got.meta.name, &p.name) == instance);
    let Some(persona) = persona else {
        return Err(Error::usage(format!(
            "agentrun \"{}\" is not a run of {} \"{}\" (it ran as \"{}\")",
            escape(run),
            got.era.singular(),
            escape(&got.meta.name),
            escape(&instance)
        )));
    };
    match format {
        Some(fmt @ (Format::Json | Format::Yaml)) => {
            emit(&output::serialize(&output::strip_managed_fields(obj), fmt)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Format::Name) => {
            emit(&format!("agentrun.sympozium.ai/{}\n", escape(run)))?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let pod_name = obj["status"]["podName"].as_str().unwrap_or_default();
    let pod = if pod_name.is_empty() { None } else { conn.pod(ns, pod_name).await? };
    let exit = pod.as_ref().and_then(agent_exit_code).or_else(|| obj["status"]["exitCode"].as_i64().map(|c| c as i32));
    emit(&describe(&obj, &persona.name, pod.is_some(), exit, Timestamp::now(), palette))?;
    Ok(ExitCode::SUCCESS)
}

/// The `agent` container's exit code, once it has ended.
pub fn agent_exit_code(pod: &k8s_openapi::api::core::v1::Pod) -> Option<i32> {
    let statuses = pod.status.as_ref()?.container_statuses.as_ref()?;
    let agent = statuses.iter().find(|s| s.name == "agent")?;
    Some(agent.state.as_ref()?.terminated.as_ref()?.exit_code)
}

/// A run in full, as `describe` lays things out (snapshot-tested). The task
/// and the result are shown whole, line by line, each line escaped.
pub fn describe(
    run: &Value,
    persona: &str,
    pod_exists: bool,
    exit: Option<i32>,
    now: Timestamp,
    palette: Palette,
) -> String {
    let mut out = String::new();
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let status = &run["status"];
    let row = crate::cluster::run_row(run);
    let field = |out: &mut String, k: &str, v: &str| {
        let _ = writeln!(out, "{:<14}{}", format!("{k}:"), if v.is_empty() { "<none>".to_string() } else { escape(v) });
    };
    field(&mut out, "Name", &s(&run["metadata"]["name"]));
    field(&mut out, "Namespace", &s(&run["metadata"]["namespace"]));
    field(&mut out, "Persona", persona);
    field(&mut out, "Agent", &row.instance);
    let via = trigger_text(row.trigger.as_ref());
    field(&mut out, "Trigger", &via);
    let _ = writeln!(out, "{:<14}{}", "Phase:", palette.phase(&escape(row.phase_word())));
    let when = |t: Option<Timestamp>| t.map(|t| format!("{t} ({} ago)", output::age(Some(t), now))).unwrap_or_default();
    field(&mut out, "Created", &when(row.created));
    field(&mut out, "Started", &when(row.started));
    field(&mut out, "Completed", &when(row.completed));
    field(&mut out, "Duration", &row.duration(now).map(output::human_duration).unwrap_or_default());
    let model_text = model_text(&run["spec"]["model"]);
    field(&mut out, "Model", &model_text);
    field(&mut out, "Job", &s(&status["jobName"]));
    let pod = s(&status["podName"]);
    let pod_text = match (pod.is_empty(), pod_exists) {
        (true, _) => String::new(),
        (false, true) => pod,
        (false, false) => format!("{pod} (gone: Sympozium keeps no pod after the Job's TTL)"),
    };
    field(&mut out, "Pod", &pod_text);
    field(&mut out, "Exit Code", &exit.map(|c| c.to_string()).unwrap_or_default());
    let tokens = row.tokens.map(tokens_text);
    field(&mut out, "Tokens", &tokens.unwrap_or_default());
    let cost = row.cost.as_ref().map(|c| {
        let key = s(&status["costEstimate"]["priceKey"]);
        let key = if key.is_empty() { String::new() } else { format!(", price {key}") };
        format!("{} estimated{key}", runs::money(c.amount_micro, &c.currency))
    });
    field(&mut out, "Cost", &cost.unwrap_or_default());
    delegates(&mut out, &status["delegates"]);
    block(&mut out, "Error", &row.error);
    let task = &run["spec"]["task"];
    block(&mut out, "Task", &task.as_str().map(str::to_string).unwrap_or_else(|| s(&task["prompt"])));
    block(&mut out, "Result", &s(&status["result"]));
    out
}

/// How a run was started, with what started it.
fn trigger_text(trigger: Option<&runs::Trigger>) -> String {
    let word = trigger.map(|t| t.word()).unwrap_or_default();
    match trigger {
        Some(runs::Trigger::Schedule { schedule, .. }) => format!("{word} ({schedule})"),
        Some(runs::Trigger::Sequential { from } | runs::Trigger::Delegation { from }) => {
            format!("{word} (from {from})")
        }
        Some(runs::Trigger::Subagent { parent }) => format!("{word} (of {parent})"),
        _ => word,
    }
}

/// The run's model: a Model (v0.9+), or provider/model.
fn model_text(model: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    match (s(&model["provider"]), s(&model["model"]), s(&model["modelRef"])) {
        (_, _, r) if !r.is_empty() => format!("Model {r}"),
        (p, m, _) if !p.is_empty() => format!("{p}/{m}"),
        (_, m, _) => m,
    }
}

fn tokens_text(t: runs::Tokens) -> String {
    format!(
        "{} (input {}, output {}), {} tool call{}, model time {}ms",
        t.total(),
        t.input_tokens,
        t.output_tokens,
        t.tool_calls,
        if t.tool_calls == 1 { "" } else { "s" },
        t.duration_ms
    )
}

/// The runs it delegated to, one a line.
fn delegates(out: &mut String, delegates: &Value) {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    if let Some(delegates) = delegates.as_array().filter(|d| !d.is_empty()) {
        let _ = writeln!(out, "Delegates:");
        for d in delegates {
            let target = s(&d["targetPersona"]);
            let _ = writeln!(
                out,
                "  {}  {}  {}",
                escape(&s(&d["childRunName"])),
                escape(if target.is_empty() { "sub-agent" } else { &target }),
                escape(&s(&d["phase"]))
            );
        }
    }
}

/// A multi-line field: its name, then each line indented and escaped
/// (newlines are the text's own; every other control character is escaped).
fn block(out: &mut String, name: &str, text: &str) {
    if text.is_empty() {
        let _ = writeln!(out, "{:<14}<none>", format!("{name}:"));
        return;
    }
    let _ = writeln!(out, "{name}:");
    for line in text.lines() {
        let _ = writeln!(out, "  {}", escape(line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runs::{Cost, Tokens, Trigger};
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: Args,
    }

    fn at(s: i64) -> Option<Timestamp> {
        Some(Timestamp::from_second(1_764_600_000 + s).unwrap())
    }

    fn rows() -> Vec<RunRow> {
        vec![
            RunRow {
                name: "team-sre-schedule-2".into(),
                persona: "sre".into(),
                instance: "team-sre".into(),
                trigger: Some(Trigger::Schedule { schedule: "team-sre-schedule".into(), kind: "sweep".into() }),
                phase: "Succeeded".into(),
                created: at(0),
                started: at(5),
                completed: at(65),
                tokens: Some(Tokens {
                    input_tokens: 1200,
                    output_tokens: 300,
                    total_tokens: 1500,
                    tool_calls: 2,
                    duration_ms: 900,
                }),
                cost: Some(Cost { amount_micro: 6000, currency: "USD".into() }),
                error: String::new(),
            },
            RunRow {
                name: "team-dev-run-1764600000".into(),
                persona: "dev".into(),
                instance: "team-dev".into(),
                trigger: Some(Trigger::Tui),
                phase: "Failed".into(),
                created: at(-120),
                started: at(-110),
                completed: at(-100),
                error: "quota\nexceeded \u{1b}[31m".into(),
                ..RunRow::default()
            },
            RunRow { name: "team-dev-x1y2z".into(), persona: "dev".into(), created: at(90), ..RunRow::default() },
        ]
    }

    #[test]
    fn the_runs_table() {
        let now = at(100).unwrap();
        insta::assert_snapshot!(table(&rows(), true, true, now, Palette::plain()));
    }

    #[test]
    fn filters_by_phase_any_case_and_by_age() {
        let args = |extra: &[&str]| {
            let mut argv = vec!["runs", "team"];
            argv.extend(extra);
            Cli::try_parse_from(argv).unwrap().args
        };
        let now = at(100).unwrap();
        let kept = |a: &Args| rows().iter().filter(|r| keep(r, a, now)).map(|r| r.name.clone()).collect::<Vec<_>>();
        assert_eq!(kept(&args(&["--phase", "failed"])), ["team-dev-run-1764600000"]);
        assert_eq!(kept(&args(&["--phase", "Pending"])), ["team-dev-x1y2z"], "no phase yet reads as Pending");
        assert_eq!(kept(&args(&["--since", "2m"])), ["team-sre-schedule-2", "team-dev-x1y2z"]);
        assert_eq!(kept(&args(&["--since", "4m"])).len(), 3);
        let mut undated = rows();
        undated[0].created = None;
        assert!(!keep(&undated[0], &args(&["--since", "1h"]), now), "a run of unknown age is not within --since");
        assert!(keep(&undated[0], &args(&[]), now));
    }

    #[test]
    fn a_run_in_full() {
        let run = serde_json::json!({
            "metadata": {"name": "team-sre-schedule-2", "namespace": "ns", "creationTimestamp": "2026-12-01T14:40:00Z",
                         "labels": {"sympozium.ai/instance": "team-sre", "sympozium.ai/schedule": "team-sre-schedule", "sympozium.ai/type": "sweep"}},
            "spec": {"instanceRef": "team-sre", "task": "Check\nthe cluster.", "model": {"provider": "openai", "model": "gpt-4o"}},
            "status": {"phase": "Succeeded", "startedAt": "2026-12-01T14:40:05Z", "completedAt": "2026-12-01T14:41:05Z",
                       "jobName": "team-sre-schedule-2", "podName": "team-sre-schedule-2-abcde",
                       "tokenUsage": {"inputTokens": 1200, "outputTokens": 300, "totalTokens": 1500, "toolCalls": 1, "durationMs": 900},
                       "costEstimate": {"amountMicro": 6000, "currency": "USD", "priceKey": "openai/gpt-4o"},
                       "delegates": [{"childRunName": "team-dev-deleg-x", "targetPersona": "dev", "phase": "Running"}],
                       "result": "All good.\nNode \u{1b}]0;x\u{7}7 ok."}});
        let now = "2026-12-01T14:45:00Z".parse().unwrap();
        insta::assert_snapshot!(describe(&run, "sre", false, Some(0), now, Palette::plain()));
    }
}

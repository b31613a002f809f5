//! `kubectl personapack status PACK`: the live truth per persona, an overall
//! verdict, `--watch` to follow it and `--wait` to block on it in scripts.

use std::fmt::Write as _;
use std::process::ExitCode;

use super::Ctx;
use super::wait::WaitFlags;
use crate::analysis::Report;
use crate::color::Palette;
use crate::error::Result;
use crate::escape::escape;
use crate::model::MemoryForm;
use crate::output::{self, Cell, Format, emit};
use crate::stamp::Fix;

#[derive(Debug, clap::Args)]
#[command(after_help = "Exit codes (without --watch or --wait):
  0  healthy: Ready (enabled), or Inactive (disabled)
  1  the status could not be read (kubectl's error)
  2  not there yet: Progressing, Disabling, NotReconciled, Terminating
  3  unhealthy: Degraded, Failing (a persona's latest runs failed), Error

Examples:
  # The live state of a team, its runs' health and one verdict
  kubectl personapack status platform-team -n team-a

  # In a script: go on only when the team is healthy
  kubectl personapack status platform-team -n team-a >/dev/null && echo healthy

  # Wait until the controller has brought it up
  kubectl personapack status platform-team -n team-a --wait --timeout 5m")]
pub struct Args {
    /// The PersonaPack to report on
    pub pack: String,

    /// Output format (json or yaml give the report as a document)
    #[arg(short = 'o', long, value_parser = output::Offered(output::DOCUMENTS))]
    pub output: Option<Format>,

    /// Don't print the personas table's headers
    #[arg(long)]
    pub no_headers: bool,

    /// Keep watching and redraw when anything changes (Ctrl-C to stop)
    #[arg(short = 'w', long, conflicts_with = "wait")]
    pub watch: bool,

    #[command(flatten)]
    pub wait: WaitFlags,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    output::only(args.output, output::DOCUMENTS)?;
    let conn = ctx.conn.connect().await?;
    let namespace = conn.namespace.clone();
    if args.wait.wait {
        args.wait.apply(&conn, &namespace, &args.pack, ctx.palette).await?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut redraw = output::Redraw::default();
    // --watch redraws when something changes, told by watches: nothing is
    // asked of the server while nothing changes.
    let mut changes = args.watch.then(|| conn.report_changes(&namespace, &args.pack));
    loop {
        let (text, code) = match conn.report(&namespace, &args.pack).await {
            Ok(report) => (present(&report, &args, ctx.palette)?, report.verdict.exit_code()),
            // A watch rides out the API server restarting: it says so and looks again.
            Err(e) if args.watch && e.is_transient() => {
                (format!("{}\n(looking again when the server is back)\n", e.report()), 1)
            }
            Err(e) => return Err(e),
        };
        if !args.watch {
            emit(&text)?;
            // The verdict's exit code (0 healthy, 2 not there yet, 3 unhealthy), for scripts.
            return Ok(ExitCode::from(code));
        }
        redraw.show(text)?;
        let more = match changes.as_mut() {
            // Ctrl-C ends the watch.
            Some(c) => crate::interrupt::unless_interrupted(c.next()).await.is_ok(),
            None => false,
        };
        if !more {
            return Ok(ExitCode::SUCCESS);
        }
    }
}

fn present(report: &Report, args: &Args, palette: Palette) -> Result<String> {
    match args.output {
        Some(fmt @ (Format::Json | Format::Yaml)) => {
            output::serialize(&serde_json::to_value(report).unwrap_or_default(), fmt)
        }
        _ => Ok(render(report, !args.no_headers, palette)),
    }
}

/// LAST RUN: the newest run's phase and age, with the failures in a row.
fn last_run(p: &crate::analysis::PersonaState, now: jiff::Timestamp) -> Cell {
    let Some(h) = p.runs.as_ref().filter(|h| h.last_phase.is_some()) else { return Cell::dim("-") };
    let phase = h.last_phase.as_deref().unwrap_or_default();
    let streak = if h.failures_in_a_row > 1 { format!(" x{}", h.failures_in_a_row) } else { String::new() };
    Cell::phase(format!("{phase}{streak} ({} ago)", output::age(h.last_created, now)))
}

/// The status text (snapshot-tested).
pub fn render(report: &Report, headers: bool, palette: Palette) -> String {
    render_at(report, headers, palette, jiff::Timestamp::now())
}

pub fn render_at(report: &Report, headers: bool, palette: Palette, now: jiff::Timestamp) -> String {
    let mut out = header(report, palette);
    out.push('\n');
    out.push_str(&persona_table(report, headers, palette, now));
    out.push_str(&sections(report));
    out
}

/// The verdict line, the pack's phase and reason, and its Model (v0.9+).
fn header(report: &Report, palette: Palette) -> String {
    let mut out = String::new();
    let (have, want) = report.installed();
    let _ = writeln!(
        out,
        "{} {}/{}: {} ({})",
        report.era.kind(),
        escape(&report.namespace),
        escape(&report.name),
        palette.phase(report.verdict.as_str()),
        if report.enabled {
            format!("enabled, {have}/{want} {}s installed", report.era.member())
        } else {
            "disabled".into()
        }
    );
    let _ = writeln!(out, "Phase: {}", palette.phase(&escape(report.phase.as_deref().unwrap_or("-"))));
    let _ = writeln!(out, "Reason: {}", escape(&report.reason));
    if let Some(m) = &report.model {
        // v0.9+: the Model every agent config without its own provider runs on.
        let state = match (m.found, m.phase.as_deref(), m.endpoint.as_deref()) {
            (false, _, _) => "not found".to_string(),
            (true, Some("Ready"), Some(url)) => format!("Ready, {url}"),
            (true, phase, _) => phase.unwrap_or("-").to_string(),
        };
        let _ = writeln!(out, "Model: {} ({})", escape(&m.name), palette.phase(&escape(&state)));
    }
    out
}

/// One row a persona: its instance, schedule, runs and memory.
fn persona_table(report: &Report, headers: bool, palette: Palette, now: jiff::Timestamp) -> String {
    // One word for "not there" in every column, tree's: `Missing` where the
    // controller should have made it; `-` where nothing is expected (a
    // disabled pack, a persona without a schedule).
    let yes_no = |exists: bool, phase: Option<&String>| match (exists, phase) {
        (false, _) if report.enabled => Cell::phase("Missing"),
        (false, _) => Cell::dim("-"),
        (true, Some(p)) => Cell::phase(p),
        (true, None) => Cell::plain("present"),
    };
    let memory = |p: &crate::analysis::PersonaState| match p.memory_form {
        None => yes_no(false, None),
        Some(_) if p.seeds_not_applied => Cell::phase("NotSeeded"),
        Some(MemoryForm::Seeded) => Cell::plain("seeded"),
        Some(_) => Cell::plain("present"),
    };
    let rows: Vec<Vec<Cell>> = report
        .personas
        .iter()
        .map(|p| {
            if p.excluded {
                let left = p.instance.exists || p.schedule.as_ref().is_some_and(|s| s.exists);
                let note = if left { "excluded (still being removed)" } else { "excluded" };
                let mut row = vec![Cell::plain(&p.name), Cell::dim(note)];
                row.extend(std::iter::repeat_n(Cell::dim("-"), 7));
                return row;
            }
            let (sched, cron, runs, next) = match &p.schedule {
                None => (Cell::dim("-"), "-".to_string(), "-".to_string(), "-".to_string()),
                Some(s) if s.suspended => (
                    Cell::phase("Suspended"),
                    s.schedule.clone().unwrap_or_else(|| "-".into()),
                    runs_cell(s),
                    "-".to_string(),
                ),
                Some(s) => (
                    yes_no(s.exists, s.phase.as_ref()),
                    s.schedule.clone().unwrap_or_else(|| "-".into()),
                    runs_cell(s),
                    s.next_run_time.clone().unwrap_or_else(|| "-".into()),
                ),
            };
            vec![
                Cell::plain(&p.name),
                yes_no(p.instance.exists, p.instance.phase.as_ref()),
                sched,
                Cell::plain(cron),
                Cell::plain(runs),
                last_run(p, now),
                Cell::plain(next),
                memory(p),
                Cell::plain(if p.reported_installed { "yes" } else { "no" }),
            ]
        })
        .collect();
    output::table(
        &["PERSONA", "INSTANCE", "SCHEDULE", "CRON", "RUNS", "LAST RUN", "NEXT RUN", "MEMORY", "REPORTED"],
        &rows,
        headers,
        palette,
    )
}

/// How many runs a schedule made, and when last.
fn runs_cell(s: &crate::analysis::ScheduleState) -> String {
    match (s.total_runs, &s.last_run_time) {
        (Some(n), Some(t)) => format!("{n} (last {t})"),
        (Some(n), None) => n.to_string(),
        _ => "-".into(),
    }
}

/// What needs the reader's attention, each with the command that helps:
/// failing runs, orphans, unseeded memory, unused Secrets, drift.
fn sections(report: &Report) -> String {
    let mut out = String::new();
    let failing: Vec<_> = report
        .personas
        .iter()
        .filter(|p| !p.excluded)
        .filter_map(|p| p.runs.as_ref().filter(|h| h.failures_in_a_row > 0).map(|h| (p, h)))
        .collect();
    if !failing.is_empty() {
        out.push_str("\nFailing runs (the latest finished runs failed):\n");
        for (p, h) in failing {
            let _ = writeln!(
                out,
                "  {}: {} in a row, last error: {}\n    kubectl personapack runs {} -n {} --persona {} --phase Failed",
                escape(&p.name),
                h.failures_in_a_row,
                escape(h.last_error.as_deref().unwrap_or("(none recorded)")),
                escape(&report.name),
                escape(&report.namespace),
                escape(&p.name)
            );
        }
    }
    let paused: Vec<_> =
        report.personas.iter().filter(|p| !p.excluded && p.schedule.as_ref().is_some_and(|s| s.suspended)).collect();
    if !paused.is_empty() {
        let names: Vec<String> = paused.iter().map(|p| escape(&p.name)).collect();
        let _ = writeln!(
            out,
            "\nSuspended (no scheduled run starts; agents and memory kept): {}\n  kubectl personapack resume {} -n {}",
            names.join(", "),
            escape(&report.name),
            escape(&report.namespace)
        );
    }
    if !report.orphans.is_empty() {
        out.push_str("\nOrphans (labelled for this pack, persona no longer in spec.personas):\n");
        for o in &report.orphans {
            let _ = writeln!(out, "  {}/{} (persona {})", o.kind, escape(&o.name), escape(&o.persona));
        }
    }
    let unseeded: Vec<_> = report.personas.iter().filter(|p| p.seeds_not_applied && !p.excluded).collect();
    if !unseeded.is_empty() {
        out.push_str(
            "\nSeeds not applied (the SympoziumInstance controller created the memory first; nothing upstream writes them later):\n",
        );
        for p in unseeded {
            let _ = writeln!(
                out,
                "  ConfigMap/{} (persona {}, {} seed{}): kubectl personapack seed {} -n {} --persona {}",
                escape(&p.memory.name),
                escape(&p.name),
                p.seeds,
                if p.seeds == 1 { "" } else { "s" },
                escape(&report.name),
                escape(&report.namespace),
                escape(&p.name)
            );
        }
    }
    if !report.unused_secrets.is_empty() {
        out.push_str(&super::unused_secrets_text(&report.namespace, &report.unused_secrets));
    }
    if !report.drift.is_empty() {
        let _ = writeln!(out, "\nDrift from the pack (details: kubectl personapack diff {}):", escape(&report.name));
        for d in &report.drift {
            let who = match d.fix {
                Fix::Controller => "the controller reverts it",
                _ => "never propagated: recreate the persona",
            };
            let _ = writeln!(out, "  {}/{} {}: {who}", d.kind, escape(&d.name), escape(&d.path));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{self, Observed, Verdict};
    use crate::cmd::fixtures::platform_team;
    use crate::model::{Instance, Schedule};
    use serde_json::json;

    fn observed() -> Observed {
        let inst = |n: &str, p: &str, phase: &str| {
            Instance::from_value(
                &json!({"metadata": {"name": n, "labels": {"sympozium.ai/persona": p}}, "status": {"phase": phase}}),
            )
        };
        let sched = |n: &str, p: &str| {
            Schedule::from_value(&json!({"metadata": {"name": n, "labels": {"sympozium.ai/persona": p}},
                "spec": {"instanceRef": "x", "schedule": "4/30 * * * *", "task": "t"},
                "status": {"phase": "Active", "totalRuns": 12, "lastRunTime": "2026-11-28T11:30:00Z"}}))
        };
        Observed {
            instances: vec![
                inst("platform-team-security-guardian", "security-guardian", "Running"),
                inst("platform-team-old-persona", "old-persona", "Running"),
            ],
            schedules: vec![sched("platform-team-security-guardian-schedule", "security-guardian")],
            memory: [("platform-team-security-guardian-memory".to_string(), MemoryForm::Seeded)].into(),
            our_secrets: vec!["platform-team-openai-key".to_string(), "platform-team-anthropic-key".to_string()],
            model: None,
            runs: None,
        }
    }

    #[test]
    fn degraded_with_an_orphan() {
        let report = analysis::assess(&platform_team(), &observed());
        insta::assert_snapshot!(render(&report, true, Palette::plain()));
    }

    #[test]
    fn wait_goals() {
        let mut report = analysis::assess(&platform_team(), &observed());
        assert_eq!(analysis::goal(&report), (false, None), "Degraded is not an end state");
        report.verdict = Verdict::Ready;
        assert_eq!(analysis::goal(&report), (true, None));
        report.enabled = false;
        assert_eq!(analysis::goal(&report), (false, None), "Ready is not the goal of a disabled pack");
        report.verdict = Verdict::Disabling;
        assert_eq!(report.orphans.len(), 1);
        assert_eq!(analysis::goal(&report), (false, Some(report.reason.clone())), "an orphan ends the wait early");
        report.orphans.clear();
        assert_eq!(analysis::goal(&report), (false, None), "plain disabling keeps waiting");
    }
}

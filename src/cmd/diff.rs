//! `kubectl personapack diff PACK`: live instances and schedules against what
//! the controller would stamp now, field by field, each difference with who
//! fixes it. Exit codes as `kubectl diff`: 0 same, 1 different, >1 error.

use std::fmt::Write as _;
use std::process::ExitCode;

use super::{Ctx, warn_unreadable};
use crate::cluster::Connection;
use crate::error::Result;
use crate::escape::escape;
use crate::model::PersonaPack;
use crate::output::{self, Format, emit};
use crate::stamp::{self, Difference, Fix};

#[derive(Debug, clap::Args)]
#[command(after_help = "Exit codes: 0 the live agents are what the controller would stamp, 1 they differ, 2 an error.

Examples:
  # What differs between the live agents and the pack, and who fixes each difference
  kubectl personapack diff platform-team -n team-a")]
pub struct Args {
    /// The PersonaPack to compare with what its controller stamped
    pub pack: String,

    /// Output format: json or yaml give the differences as a document
    #[arg(short = 'o', long, value_parser = output::Offered(output::DOCUMENTS))]
    pub output: Option<Format>,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    // kubectl diff: errors exit 2, so that 1 only ever means "differs".
    match compare(&args, ctx).await {
        Ok(code) => Ok(code),
        Err(e) if e.is_broken_pipe() => Ok(ExitCode::SUCCESS),
        Err(e) => {
            crate::error::print(&e);
            Ok(ExitCode::from(2))
        }
    }
}

async fn compare(args: &Args, ctx: &Ctx) -> Result<ExitCode> {
    output::only(args.output, output::DOCUMENTS)?;
    let conn = ctx.conn.connect().await?;
    let (pack, differences) = differences(&conn, &conn.namespace.clone(), &args.pack).await?;
    let text = match args.output {
        Some(fmt @ (Format::Json | Format::Yaml)) => {
            output::serialize(&serde_json::to_value(&differences).unwrap_or_default(), fmt)?
        }
        _ => render(&pack, &differences),
    };
    emit(&text)?;
    Ok(if differences.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The pack and its differences (shared with `status`'s drift section).
pub async fn differences(conn: &Connection, ns: &str, name: &str) -> Result<(PersonaPack, Vec<Difference>)> {
    let stamped = conn.stamped(ns, name, false).await?;
    let pack = stamped.pack;
    warn_unreadable(pack.era.singular(), ns, name, &pack.warnings);
    let memory = crate::analysis::pack_memory(&pack, stamped.memory);
    let (instances, schedules) = (stamped.instances, stamped.schedules);
    let live: Vec<_> = instances.into_iter().chain(schedules).chain(memory).collect();
    let endpoint = conn.model_endpoint(&pack).await?;
    let d = stamp::diff(&pack, &live, endpoint.as_deref());
    Ok((pack, d))
}

/// What the user can do about one difference.
pub fn remedy(pack: &PersonaPack, d: &Difference) -> String {
    let (name, ns) = (escape(&pack.meta.name), escape(&pack.meta.namespace));
    match d.fix {
        Fix::Controller => "the controller puts this back on its next reconcile".into(),
        Fix::Create => "missing: the controller creates it on its next reconcile (is it running?)".into(),
        Fix::Remove => "not planned (persona excluded or pack disabled): the controller deletes it".into(),
        Fix::Manual => format!(
            "persona {} is no longer in the pack: nothing removes it (and a disable never finishes); delete it by hand",
            escape(&d.persona)
        ),
        Fix::Seed => format!(
            "the SympoziumInstance controller created this memory first, so the persona's seeds were never written; while no agent has written memories, write them with:\n      kubectl personapack seed {name} -n {ns} --persona {p}",
            p = escape(&d.persona)
        ),
        Fix::Recreate => format!(
            "never propagated to an existing instance; recreate it by excluding and re-including the persona:\n      kubectl personapack disable {name} -n {ns} --persona {p} --yes && kubectl personapack enable {name} -n {ns} --persona {p}",
            p = escape(&d.persona)
        ),
    }
}

fn short(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "<none>".into(),
        serde_json::Value::String(s) => escape(s),
        other => escape(&other.to_string()),
    }
}

/// The differences as text, grouped by object.
pub fn render(pack: &PersonaPack, differences: &[Difference]) -> String {
    if differences.is_empty() {
        return format!(
            "{}/{} matches what the controller stamps: no differences\n",
            pack.era.qualified(),
            escape(&pack.meta.name)
        );
    }
    let mut out = String::new();
    let mut last = String::new();
    for d in differences {
        let head = format!("{}/{}", d.kind, escape(&d.name));
        if head != last {
            let _ = writeln!(out, "{head} (persona {})", escape(&d.persona));
            last = head;
        }
        if d.path.is_empty() {
            let _ = writeln!(out, "  {}", remedy(pack, d));
            continue;
        }
        let _ = writeln!(
            out,
            "  {}\n    live:    {}\n    planned: {}\n    {}",
            d.path,
            short(&d.live),
            short(&d.planned),
            remedy(pack, d)
        );
    }
    out
}

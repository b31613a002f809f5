//! `kubectl personapack migrate (PACK... | -A | -f FILE...)`: carry teams
//! across the PersonaPack → Ensemble upgrade (migration.rs says what and in
//! which order), or convert manifests offline with -f.

use std::process::ExitCode;

use serde_json::Value;

use super::{Ctx, DryRun, DryRunFlag};
use crate::cluster::{Connection, resource_of};
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::migration::{self, Found, MIGRATED_FROM, Step};
use crate::model::Era;
use crate::output::{self, Format, emit};

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # After upgrading Sympozium to v0.9 or later: see what migrating a team does, then do it
  kubectl personapack migrate platform-team -n team-a --dry-run
  kubectl personapack migrate platform-team -n team-a

  # Every PersonaPack in the cluster
  kubectl personapack migrate -A

  # Offline: the Ensembles a GitOps repository's PersonaPacks become
  kubectl personapack migrate -f packs/ > ensembles.yaml")]
pub struct Args {
    /// The PersonaPacks to migrate (each becomes the Ensemble of its name)
    #[arg(conflicts_with_all = ["filename", "all_namespaces"])]
    pub packs: Vec<String>,

    /// Every PersonaPack, in every namespace
    #[arg(short = 'A', long, conflicts_with = "filename")]
    pub all_namespaces: bool,

    /// Convert PersonaPacks from YAML or JSON files, directories or "-" (stdin), offline, and print Ensembles (repeatable)
    #[arg(short = 'f', long, value_name = "FILE")]
    pub filename: Vec<String>,

    #[command(flatten)]
    pub dry: DryRunFlag,

    /// The Ensembles as json|yaml (with -f: yaml by default; in the cluster, with --dry-run)
    #[arg(short = 'o', long, value_name = "FORMAT", value_parser = output::Offered(output::DOCUMENTS))]
    pub output: Option<Format>,

    /// How long to wait for each old object's deletion to finish
    #[arg(long, default_value = "2m", value_name = "DURATION", value_parser = crate::error::duration_arg)]
    pub timeout: std::time::Duration,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    output::only(args.output, output::DOCUMENTS)?;
    if !args.filename.is_empty() {
        return offline(&args);
    }
    if args.packs.is_empty() && !args.all_namespaces {
        return Err(Error::usage(
            "name the PersonaPacks to migrate, or -A for all of them (or -f FILE to convert manifests)",
        ));
    }
    if args.output.is_some() && args.dry.dry_run == DryRun::None {
        return Err(Error::usage(
            "-o/--output goes with --dry-run (or -f): it prints the Ensembles migrate would write",
        ));
    }
    let no_ensembles = || {
        Error::usage(format!(
            "this cluster serves no Ensembles (sympozium.ai/v1alpha1): upgrade Sympozium to {} first (its CRDs and controller), then migrate; to convert manifests offline, use migrate -f",
            Era::Ensemble.releases()
        ))
    };
    let conn = match ctx.conn.connect_to(Some(Era::Ensemble)).await {
        Err(Error::KindNotServed { .. } | Error::NoSympoziumApi) => return Err(no_ensembles()),
        other => other?,
    };
    let served = conn.served_now().await?.unwrap_or_default();
    if !served.has(Era::Ensemble) {
        return Err(no_ensembles());
    }
    if let Ok(found) = conn.sympozium_controllers().await?
        && let Some(why) = migration::old_controller(&found)
    {
        return Err(Error::usage(why));
    }
    let packs = packs(&conn, &args, served.has(Era::PersonaPack)).await?;
    if packs.is_empty() {
        if !args.all_namespaces {
            return Ok(ExitCode::SUCCESS); // each name was migrated already, and said so
        }
        let place =
            if args.all_namespaces { "any namespace".to_string() } else { format!("{} namespace", conn.namespace) };
        eprintln!("No PersonaPacks found in {place}: nothing to migrate.");
        return Ok(ExitCode::SUCCESS);
    }
    // Every pack planned before anything is written: one refusal changes nothing.
    let mut plans = Vec::new();
    let mut refusals = Vec::new();
    for pack in &packs {
        let ns = pack["metadata"]["namespace"].as_str().unwrap_or_default().to_string();
        let name = pack["metadata"]["name"].as_str().unwrap_or_default();
        let (objects, ensemble) =
            futures::try_join!(conn.migration_objects(&ns), conn.pack_of(Era::Ensemble, &ns, name))?;
        match migration::plan(&Found { pack, ensemble: ensemble.as_ref(), objects: &objects }) {
            Ok(steps) => plans.push((ns, steps)),
            Err(why) => refusals.push(why),
        }
    }
    if let Some(last) = refusals.pop() {
        for why in refusals {
            crate::error::print(&Error::usage(escape(&why)));
        }
        return Err(Error::usage(escape(&last)));
    }
    if args.dry.dry_run == DryRun::Client {
        return show(&plans, &args);
    }
    let mut shown = Vec::new();
    for (ns, steps) in &plans {
        shown.extend(carry(&conn, ns, steps, &args).await?);
    }
    if let Some(format) = args.output {
        // A server dry run's Ensembles as the server would write them: one List, as kubectl prints several.
        emit(&output::document(shown, false, format)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The PersonaPacks asked for (-A: all). A name with no PersonaPack is
/// done if migrate wrote its Ensemble, else not found.
async fn packs(conn: &Connection, args: &Args, served: bool) -> Result<Vec<Value>> {
    if !served {
        if args.all_namespaces {
            return Ok(Vec::new());
        }
        return Err(Error::usage(format!(
            "this cluster serves no PersonaPacks: nothing to migrate (kubectl personapack list -n {})",
            escape(&conn.namespace)
        )));
    }
    if args.all_namespaces {
        return conn.old_packs(None).await;
    }
    let ns = conn.namespace.clone();
    let mut out = Vec::new();
    for name in &args.packs {
        if let Some(p) = conn.pack_of(Era::PersonaPack, &ns, name).await? {
            out.push(p);
            continue;
        }
        let migrated = conn.pack_of(Era::Ensemble, &ns, name).await?;
        if migrated.is_some_and(|e| e["metadata"]["annotations"][MIGRATED_FROM].is_string()) {
            emit(&format!("{}/{} unchanged (already migrated)\n", Era::Ensemble.qualified(), escape(name)))?;
            continue;
        }
        return Err(Error::Server {
            reason: "NotFound".into(),
            message: format!("personapacks.{} \"{}\" not found", crate::model::GROUP, escape(name)),
            code: 404,
            hints: vec![format!(
                "The PersonaPacks in this namespace: kubectl personapack list -n {} --kind personapack",
                escape(&ns)
            )],
        });
    }
    Ok(out)
}

/// A client dry run: each step's line, or with -o the Ensembles.
fn show(plans: &[(String, Vec<Step>)], args: &Args) -> Result<ExitCode> {
    if let Some(format) = args.output {
        let ensembles = plans.iter().flat_map(|(_, s)| s).filter_map(|s| match s {
            Step::Write { ensemble } => Some(ensemble.clone()),
            _ => None,
        });
        emit(&output::document(ensembles.collect(), false, format)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    for step in plans.iter().flat_map(|(_, s)| s) {
        emit(&format!("{}{}\n", line(step), DryRun::Client.suffix()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What a step does, in kubectl's words.
fn line(step: &Step) -> String {
    match step {
        Step::Keep { kind, name, why, .. } => format!("{}/{} kept, {why}", kind.qualified(), escape(name)),
        Step::Remove { kind, name, .. } => format!("{}/{} deleted", kind.qualified(), escape(name)),
        Step::Write { ensemble } => {
            format!(
                "{}/{} created",
                Era::Ensemble.qualified(),
                escape(ensemble["metadata"]["name"].as_str().unwrap_or_default())
            )
        }
        Step::Release { name, patch, .. } => {
            let how = if patch.is_some() { " (finalizer released)" } else { "" };
            format!("{}/{} deleted{how}", Era::PersonaPack.qualified(), escape(name))
        }
    }
}

/// One pack's steps, in order; each deletion waited for before the next
/// step, so the new Agents never meet the old ones' objects. Returns the
/// Ensembles written when -o asks for them (a server dry run).
async fn carry(conn: &Connection, ns: &str, steps: &[Step], args: &Args) -> Result<Vec<Value>> {
    let dry = args.dry.dry_run == DryRun::Server;
    let mut removed = Vec::new();
    let mut shown = Vec::new();
    for step in steps {
        match step {
            Step::Keep { kind, name, patch, .. } => conn.json_patch(&resource_of(*kind), ns, name, patch, dry).await?,
            Step::Remove { kind, name, uid, patch, propagation } => {
                let ar = resource_of(*kind);
                if let Some(p) = patch {
                    conn.json_patch(&ar, ns, name, p, dry).await?;
                }
                conn.delete_any(&ar, ns, name, uid, *propagation, dry).await?;
                removed.push((ar, name, uid));
            }
            Step::Write { ensemble } => {
                finish_removals(conn, ns, &mut removed, args.timeout, dry).await?;
                let written = conn.create_strict(ns, ensemble, dry).await?;
                if args.output.is_some() {
                    shown.push(output::strip_managed_fields(written));
                    continue;
                }
                super::test_gate().await;
            }
            Step::Release { name, uid, patch } => {
                finish_removals(conn, ns, &mut removed, args.timeout, dry).await?;
                let ar = crate::cluster::Kind::Pack.resource(Era::PersonaPack);
                if let Some(p) = patch {
                    conn.json_patch(&ar, ns, name, p, dry).await?;
                }
                conn.delete_any(&ar, ns, name, uid, migration::Propagation::Orphan, dry).await?;
                if !dry && !conn.wait_gone(&ar, ns, name, uid, args.timeout).await? {
                    return Err(still_there(Era::PersonaPack.qualified(), name, ns, args.timeout));
                }
            }
        }
        if args.output.is_none() {
            emit(&format!("{}{}\n", line(step), args.dry.dry_run.suffix()))?;
        }
    }
    Ok(shown)
}

/// Wait for the old objects deleted so far to be gone (their dependents first).
async fn finish_removals(
    conn: &Connection,
    ns: &str,
    removed: &mut Vec<(kube::core::ApiResource, &String, &String)>,
    limit: std::time::Duration,
    dry: bool,
) -> Result<()> {
    if dry {
        return Ok(());
    }
    for (ar, name, uid) in removed.drain(..) {
        if !conn.wait_gone(&ar, ns, name, uid, limit).await? {
            let qualified = format!("{}.{}", ar.kind.to_lowercase(), crate::model::GROUP);
            return Err(still_there(qualified, name, ns, limit));
        }
    }
    Ok(())
}

fn still_there(qualified: String, name: &str, ns: &str, limit: std::time::Duration) -> Error {
    Error::WaitFailed(format!(
        "{qualified}/{} is still being deleted after {}: run kubectl personapack migrate again to finish (kubectl get {qualified} {} -n {} -o yaml shows what holds it)",
        escape(name),
        humantime(limit),
        escape(name),
        escape(ns)
    ))
}

fn humantime(d: std::time::Duration) -> String {
    crate::output::human_duration(d.as_secs() as i64)
}

/// `-f`: the Ensembles the files' PersonaPacks become, offline.
fn offline(args: &Args) -> Result<ExitCode> {
    if args.dry.dry_run != DryRun::None {
        return Err(Error::usage("--dry-run goes with a cluster's packs: -f writes nothing, it prints the Ensembles"));
    }
    let mut ensembles = Vec::new();
    for (file, doc) in super::render::manifests(&args.filename)? {
        let name = escape(doc["metadata"]["name"].as_str().unwrap_or_default());
        if doc["kind"] == Era::Ensemble.kind() {
            eprintln!("Warning: {}: ensemble \"{name}\" is an Ensemble already: printed as it is", escape(&file));
            ensembles.push(doc);
            continue;
        }
        let converted = migration::to_ensemble(&doc);
        for field in &converted.dropped {
            eprintln!(
                "Warning: {}: personapack \"{name}\": {} has no place in an Ensemble: dropped",
                escape(&file),
                escape(field)
            );
        }
        ensembles.push(converted.ensemble);
    }
    let format = args.output.unwrap_or(Format::Yaml);
    let text = match format {
        Format::Yaml => {
            let docs: Result<Vec<String>> = ensembles.iter().map(|e| output::serialize(e, Format::Yaml)).collect();
            docs?.join("---\n")
        }
        _ => output::document(ensembles, false, format)?,
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

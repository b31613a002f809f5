//! `kubectl personapack disable PACK`: say what the controller will delete,
//! confirm, then one merge patch. `--persona` excludes single personas instead.

use std::io::IsTerminal;
use std::process::ExitCode;

use serde_json::json;

use super::{Ctx, DryRun, WriteFlags, warn_unreadable};
use crate::activation::{self, DisableImpact};
use crate::cluster::Connection;
use crate::cluster::{Kind, guard};
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::{PersonaPack, instance_name, memory_name, schedule_name};
use crate::output::emit;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Disable a team (asks first; the controller deletes its agents and memory)
  kubectl personapack disable platform-team -n team-a

  # Leave one persona out, without asking, and wait for the controller
  kubectl personapack disable platform-team -n team-a --persona sre-watchdog --yes --wait")]
pub struct Args {
    /// The PersonaPack to disable
    pub pack: String,

    /// Exclude only these personas (spec.excludePersonas); the pack stays enabled
    #[arg(long, value_delimiter = ',', value_name = "PERSONA")]
    pub persona: Vec<String>,

    /// Don't ask for confirmation (required when stdin is not a terminal)
    #[arg(short = 'y', long)]
    pub yes: bool,

    /// Also delete Secrets this plugin wrote for the pack that authRefs no longer names (the controller never does)
    #[arg(long)]
    pub prune_secrets: bool,

    #[command(flatten)]
    pub write: WriteFlags,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    args.write.check()?;
    let conn = ctx.conn.connect().await?;
    let namespace = conn.namespace.clone();
    let pack = conn.get_pack(&namespace, &args.pack).await?;
    warn_unreadable(pack.era.singular(), &pack.meta.namespace, &pack.meta.name, &pack.warnings);

    // The patch from a read of the pack; excluding is computed from the read's
    // list, so it is guarded (and re-read on conflict).
    let persona = args.persona.clone();
    let compute = |p: &PersonaPack| -> Result<(serde_json::Value, bool)> {
        if persona.is_empty() {
            Ok((json!({"spec": {"enabled": false}}), false))
        } else {
            Ok((activation::plan_exclude(p, &persona)?, true))
        }
    };
    let (patch, guarded) = compute(&pack)?;
    let already = announce(&conn, &pack, &args.persona).await?;
    let dry = args.write.dry.dry_run != DryRun::None;
    if !already && !dry && !args.yes && !confirmed()? {
        eprintln!("Cancelled: nothing was changed.");
        return Ok(ExitCode::FAILURE);
    }

    if dry {
        return dry_run(&conn, &args, &pack, &patch, guarded).await;
    }
    super::test_gate().await;
    let patched = conn.patch_pack_from_read(&namespace, &pack.meta.name, pack.clone(), compute).await?;
    emit(&format!("{}/{} {}\n", pack.era.qualified(), escape(&pack.meta.name), patched.word()))?;
    if args.persona.is_empty() {
        // The controller deletes what authRefs names; what it no longer names stays.
        super::unused_secrets(&conn, &namespace, &pack.meta.name, &patched.referenced_secrets, args.prune_secrets)
            .await?;
    }
    args.write.wait.apply(&conn, &namespace, &pack.meta.name, ctx.palette).await?;
    Ok(ExitCode::SUCCESS)
}

/// Say what disabling (or excluding) makes the controller delete, or that
/// it is done already (then true).
async fn announce(conn: &Connection, pack: &PersonaPack, persona: &[String]) -> Result<bool> {
    let kind = pack.era.singular();
    let (impact_text, already) = if persona.is_empty() {
        let impact = impact(conn, pack, None).await?;
        (impact.describe(pack.era, &pack.meta.name), !pack.spec.enabled)
    } else {
        let impact = impact(conn, pack, Some(persona)).await?;
        let objects = impact.objects(pack.era);
        let text = format!(
            "Excluding {} from {kind} \"{}\" makes the Sympozium controller delete {}, {} and {}.",
            persona.iter().map(|p| escape(p)).collect::<Vec<_>>().join(", "),
            escape(&pack.meta.name),
            objects[0],
            objects[1],
            objects[2]
        );
        let already = persona.iter().all(|p| pack.is_excluded(p));
        (text, already)
    };

    if already {
        // Nothing to delete and nothing to warn about: say so, as kubectl does for a no-op.
        let name = escape(&pack.meta.name);
        if persona.is_empty() {
            eprintln!("{kind} \"{name}\" is already disabled");
        } else {
            let personas = persona.iter().map(|p| escape(p)).collect::<Vec<_>>().join(", ");
            eprintln!("{kind} \"{name}\" already excludes {personas}");
        }
    } else {
        // Cluster text in it was escaped where it was put together.
        eprintln!("{impact_text}");
    }
    Ok(already)
}

/// The user's yes on a terminal (refused without one: pass --yes).
fn confirmed() -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::usage("refusing to disable without confirmation: pass --yes (stdin is not a terminal)"));
    }
    dialoguer::Confirm::new()
        .with_prompt("Proceed?")
        .default(false)
        .interact()
        .map_err(|e| Error::usage(format!("confirmation: {e}")))
}

/// `--dry-run=client` prints the patch (or, with -o, the pack after it);
/// `--dry-run=server` sends it for the server to validate.
async fn dry_run(
    conn: &Connection,
    args: &Args,
    pack: &PersonaPack,
    patch: &serde_json::Value,
    guarded: bool,
) -> Result<ExitCode> {
    let (name, qualified) = (escape(&pack.meta.name), pack.era.qualified());
    let shown = super::merge_patch_text(pack, &guard(patch.clone(), guarded, pack))?;
    let text = if args.write.dry.dry_run == DryRun::Client {
        match args.write.output {
            Some(format) => {
                let mut after = pack.raw.clone();
                crate::model::merge_patch(&mut after, patch);
                super::dry_run_objects(vec![after], format)?
            }
            None => format!("{shown}{qualified}/{name} patched (dry run)\n"),
        }
    } else {
        // Validated unguarded: a newer version of the pack is not an error of the request.
        let after = conn.patch_pack(&pack.meta.namespace, &pack.meta.name, patch, true).await?;
        match args.write.output {
            Some(format) => super::dry_run_objects(vec![after], format)?,
            None => format!("{shown}{qualified}/{name} patched (server dry run)\n"),
        }
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Count what the controller will delete: the labelled instances and
/// schedules (of `only` these personas, if given), memory ConfigMaps, and —
/// for a whole-pack disable — the managed credential Secrets.
async fn impact(conn: &Connection, pack: &PersonaPack, only: Option<&[String]>) -> Result<DisableImpact> {
    let ns = &pack.meta.namespace;
    let name = &pack.meta.name;
    let selector = format!("{}={name}", pack.era.label_pack());
    let (instances, schedules) = futures::try_join!(
        conn.list(Kind::Instance, Some(ns), Some(&selector), None),
        conn.list(Kind::Schedule, Some(ns), Some(&selector), None),
    )?;
    let personas: Vec<String> = match only {
        Some(list) => list.to_vec(),
        None => pack.spec.personas.iter().map(|p| p.name.clone()).collect(),
    };
    let named = |v: &serde_json::Value, names: &[String]| {
        v["metadata"]["name"].as_str().is_some_and(|n| names.iter().any(|x| x == n))
    };
    let instance_names: Vec<String> = personas.iter().map(|p| instance_name(name, p)).collect();
    let schedule_names: Vec<String> = personas.iter().map(|p| schedule_name(name, p)).collect();
    let mut memory = 0;
    for p in &personas {
        if conn.configmap_meta(ns, &memory_name(name, p)).await?.is_some() {
            memory += 1;
        }
    }
    let mut impact = DisableImpact {
        instances: instances.iter().filter(|i| only.is_none() || named(i, &instance_names)).count(),
        schedules: schedules.iter().filter(|s| only.is_none() || named(s, &schedule_names)).count(),
        memory,
        ..Default::default()
    };
    if only.is_none() {
        for s in pack.auth_secrets() {
            if let Some(meta) = conn.secret_meta(ns, s).await?
                && pack.is_managed_secret(s, &meta.labels)
            {
                impact.secrets.push(s.to_string());
            }
        }
        // v0.8 empties authRefs on disable; v0.9+ leaves them.
        impact.clears_auth_refs = pack.era == crate::model::Era::PersonaPack && !pack.spec.auth_refs.is_empty();
    }
    Ok(impact)
}

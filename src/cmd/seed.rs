//! `kubectl personapack seed PACK`: write the personas' memory seeds that
//! Sympozium v0.8.x lost. Two of its controllers race to create
//! `<pack>-<persona>-memory`; when the SympoziumInstance controller wins, the
//! ConfigMap holds its initial text and the seeds are never written. This
//! replaces only that untouched initial text, guarded by the resourceVersion
//! it was read at, so memories an agent has written are never overwritten.

use std::process::ExitCode;

use serde_json::json;

use super::{Ctx, DryRun, warn_unreadable};
use crate::error::Result;
use crate::escape::escape;
use crate::model::{INSTANCE_MEMORY, MEMORY_KEY, MemoryForm, PersonaPack, memory_form, memory_name, seeded_memory};
use crate::output::emit;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  # Write the memory seeds Sympozium lost (only into untouched memory)
  kubectl personapack seed platform-team -n team-a

  # See what it would write
  kubectl personapack seed platform-team -n team-a --persona sre-watchdog --dry-run")]
pub struct Args {
    /// The PersonaPack whose personas' seeds to write
    pub pack: String,

    /// Only these personas (comma-separated or repeated); default: every active persona with seeds
    #[arg(long, value_delimiter = ',', value_name = "PERSONA")]
    pub persona: Vec<String>,

    #[command(flatten)]
    pub dry: super::DryRunFlag,
}

/// What happened to one persona's memory.
enum Outcome {
    Seeded,
    AlreadySeeded,
    /// Not there yet: the pack controller creates it with the seeds.
    Absent,
    /// An agent (or someone) wrote to it: never overwritten.
    Written,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    let conn = ctx.conn.connect().await?;
    let ns = conn.namespace.clone();
    let pack = conn.get_pack(&ns, &args.pack).await?;
    warn_unreadable(pack.era.singular(), &ns, &pack.meta.name, &pack.warnings);
    crate::activation::check_personas(&pack, &args.persona)?;
    let personas: Vec<&str> = pack
        .active_personas()
        .map(|p| p.name.as_str())
        .filter(|p| args.persona.is_empty() || args.persona.iter().any(|x| x == p))
        .filter(|p| !pack.seeds(p).is_empty())
        .collect();
    if personas.is_empty() {
        eprintln!(
            "{} \"{}\": no active {} with memory seeds: nothing to do",
            pack.era.singular(),
            escape(&pack.meta.name),
            pack.era.member()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let suffix = args.dry.dry_run.suffix();
    let mut refused = false;
    for persona in personas {
        let name = memory_name(&pack.meta.name, persona);
        let outcome = seed_one(&conn, &pack, persona, &name, args.dry.dry_run).await?;
        let shown = escape(&name);
        match outcome {
            Outcome::Seeded => emit(&format!("configmap/{shown} seeded{suffix}\n"))?,
            Outcome::AlreadySeeded => emit(&format!("configmap/{shown} unchanged (already seeded)\n"))?,
            Outcome::Absent => eprintln!(
                "configmap/{shown} not found: the Sympozium controller creates it with the seeds while the pack is enabled"
            ),
            Outcome::Written => {
                refused = true;
                // One persona's refusal; the others go on (kubectl's way with many objects).
                crate::error::print(&crate::error::Error::usage(format!(
                    "configmap/{shown} holds memories written since it was created: the seeds were not written (nothing changed); add them by hand if you still want them"
                )));
            }
        }
    }
    Ok(if refused { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

async fn seed_one(
    conn: &crate::cluster::Connection,
    pack: &PersonaPack,
    persona: &str,
    name: &str,
    dry: DryRun,
) -> Result<Outcome> {
    let ns = &pack.meta.namespace;
    let Some(cm) = conn.configmap(ns, name).await? else { return Ok(Outcome::Absent) };
    let labels = cm.metadata.labels.clone().unwrap_or_default();
    if memory_form(&labels) == MemoryForm::Seeded {
        return Ok(Outcome::AlreadySeeded);
    }
    let data = cm.data.clone().unwrap_or_default();
    let untouched = memory_form(&labels) == MemoryForm::InstanceDefault
        && data.len() == 1
        && data.get(MEMORY_KEY).is_some_and(|m| m == INSTANCE_MEMORY);
    if !untouched {
        return Ok(Outcome::Written);
    }
    if dry == DryRun::Client {
        return Ok(Outcome::Seeded);
    }
    // The resourceVersion read above: if an agent writes in between, the
    // server refuses with Conflict and nothing is overwritten.
    let mut labels = serde_json::Map::new();
    labels.insert(pack.era.label_pack().into(), json!(pack.meta.name));
    labels.insert(pack.era.label_member().into(), json!(persona));
    labels.insert("sympozium.ai/memory".into(), json!("true"));
    let patch = json!({
        "metadata": {
            "resourceVersion": cm.metadata.resource_version,
            "labels": labels,
        },
        "data": {MEMORY_KEY: seeded_memory(pack.seeds(persona))},
    });
    conn.patch_configmap(ns, name, &patch, dry == DryRun::Server).await?;
    Ok(Outcome::Seeded)
}

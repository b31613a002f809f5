//! `kubectl personapack check`: what an operator runs before and after an
//! upgrade, and whenever something seems off (check.rs judges; this reads
//! the cluster and prints one line per finding, the fix under it).

use std::collections::{BTreeMap, BTreeSet};
use std::process::ExitCode;

use kube::core::{ApiResource, GroupVersionKind};
use serde_json::Value;

use super::Ctx;
use crate::check::{self, Level, Snapshot};
use crate::cluster::{Connection, Kind};
use crate::error::{Error, Result};
use crate::model::{Era, GROUP, Meta, VERSION};
use crate::output::{self, Format, emit};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Checks: which Sympozium API the cluster serves and what the other era left behind; which controller
runs and whether it reconciles the packs; packs stuck Terminating; Secrets (and their keys), channel
Secrets, policies, Models and SkillPacks that enabled packs name but do not exist; credentials kubectl-personapack
wrote that nothing references; memory PVCs not Bound. Exit status: 1 when something must be fixed, else 0.

Examples:
  # Before and after upgrading Sympozium
  kubectl personapack check

  # For a script
  kubectl personapack check -o json"
)]
pub struct Args {
    /// Output format: json or yaml (the findings, and the worst level)
    #[arg(short = 'o', long, value_parser = output::Offered(output::DOCUMENTS))]
    pub output: Option<Format>,
}

pub async fn run(args: Args, ctx: &Ctx) -> Result<ExitCode> {
    output::only(args.output, output::DOCUMENTS)?;
    let snapshot = match connect(ctx).await? {
        Some(conn) => read(&conn).await?,
        None => Snapshot::default(),
    };
    let findings = check::findings(&snapshot);
    let worst = check::worst(&findings);
    match args.output {
        Some(format) => {
            let doc = serde_json::json!({"findings": findings, "worst": worst});
            emit(&output::serialize(&doc, format)?)?;
        }
        None => {
            let mut text = String::new();
            for f in &findings {
                let glyph = match f.level {
                    Level::Ok => ctx.palette.good(f.level.glyph()),
                    Level::Warning => ctx.palette.warn(f.level.glyph()),
                    Level::Error => ctx.palette.bad(f.level.glyph()),
                };
                text.push_str(&format!("{glyph} {}\n", f.message));
                if let Some(fix) = &f.fix {
                    text.push_str(&format!("  {}\n", ctx.palette.dim(&format!("→ {fix}"))));
                }
            }
            emit(&text)?;
        }
    }
    Ok(if worst == Level::Error { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// A connection speaking to Ensembles if served, else PersonaPacks; None
/// when the cluster serves neither (that is the finding).
async fn connect(ctx: &Ctx) -> Result<Option<Connection>> {
    for era in [Era::Ensemble, Era::PersonaPack] {
        match ctx.conn.connect_to(Some(era)).await {
            Ok(c) => return Ok(Some(c)),
            Err(Error::KindNotServed { .. } | Error::NoSympoziumApi) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

fn resource(group: &str, version: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, version, kind), plural)
}

fn key(v: &Value) -> (String, String) {
    let m = Meta::from_value(v);
    (m.namespace, m.name)
}

async fn read(conn: &Connection) -> Result<Snapshot> {
    let served = conn.served_now().await?.unwrap_or_default();
    let era = conn.era();
    let sympozium = |kind: &str, plural: &str| resource(GROUP, VERSION, kind, plural);
    let ours = format!("{}={},{}", crate::names::MANAGED_BY_LABEL, crate::names::MANAGED_BY, era.label_pack());
    let skillpack = sympozium("SkillPack", "skillpacks");
    let (secret, pvc, policy) = (
        resource("", "v1", "Secret", "secrets"),
        resource("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
        sympozium("SympoziumPolicy", "sympoziumpolicies"),
    );
    let (packs, left_packs, left_instances, controllers, our_secrets, pvcs, policies, models, skillpacks) = futures::try_join!(
        conn.list_packs(None, None),
        async {
            if served.has(Era::Ensemble) && served.has(Era::PersonaPack) {
                conn.old_packs(None).await
            } else {
                Ok(Vec::new())
            }
        },
        async {
            match era {
                Era::Ensemble => conn.list_everywhere(&Kind::Instance.resource(Era::PersonaPack), None).await,
                Era::PersonaPack => Ok(Vec::new()),
            }
        },
        conn.sympozium_controllers(),
        conn.list_everywhere(&secret, Some(&ours)),
        conn.list_everywhere(&pvc, Some("sympozium.ai/component=memory-db")),
        conn.list_everywhere(&policy, None),
        async {
            match era {
                Era::Ensemble => conn.list_everywhere(&sympozium("Model", "models"), None).await,
                Era::PersonaPack => Ok(Vec::new()),
            }
        },
        conn.list_everywhere(&skillpack, None),
    )?;
    let wanted: BTreeSet<(String, String)> = packs
        .iter()
        .filter(|p| p.spec.enabled)
        .flat_map(|p| {
            let ns = p.meta.namespace.clone();
            let auth = p.spec.auth_refs.iter().map(|r| r.secret.clone());
            auth.chain(p.spec.channel_configs.values().cloned()).map(move |s| (ns.clone(), s)).collect::<Vec<_>>()
        })
        .collect();
    let keys = futures::future::try_join_all(wanted.into_iter().map(|(ns, name)| async move {
        let keys = conn.secret_keys(&ns, &name).await?;
        Ok::<_, Error>(((ns, name), keys))
    }))
    .await?;
    let owned_by_pack = |v: &Value| {
        v["metadata"]["ownerReferences"].as_array().into_iter().flatten().any(|r| r["kind"] == Era::PersonaPack.kind())
    };
    Ok(Snapshot {
        packs_served: served.has(Era::PersonaPack),
        ensembles_served: served.has(Era::Ensemble),
        packs,
        left_packs: left_packs.iter().map(Meta::from_value).collect(),
        left_instances: left_instances.iter().map(|v| (Meta::from_value(v), owned_by_pack(v))).collect(),
        controllers,
        secrets: keys.into_iter().collect::<BTreeMap<_, _>>(),
        our_secrets: our_secrets.iter().map(Meta::from_value).collect(),
        memory_pvcs: pvcs
            .iter()
            .map(|v| (Meta::from_value(v), v["status"]["phase"].as_str().unwrap_or_default().to_string()))
            .collect(),
        policies: policies.iter().map(key).collect(),
        skillpacks: skillpacks.iter().map(key).collect(),
        models: models.iter().map(key).collect(),
    })
}

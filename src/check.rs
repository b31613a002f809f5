//! `check`'s judgements: what the cluster serves and what an upgrade left
//! behind, whether a controller reconciles, what packs reference that does
//! not exist. Pure: cmd/check.rs reads the cluster into a `Snapshot` and
//! prints the findings, one line each with the command that fixes it.

use std::collections::{BTreeMap, BTreeSet};

use crate::escape::escape;
use crate::model::{Era, Meta, PersonaPack};
use crate::pause::{Controller, release_of_image};

/// How bad a finding is; the exit code follows the worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Warning,
    Error,
}

impl Level {
    /// Its glyph, as `flux check` and `cmctl check` print them.
    pub fn glyph(self) -> &'static str {
        match self {
            Level::Ok => "✔",
            Level::Warning => "!",
            Level::Error => "✗",
        }
    }
}

/// One line of `check`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    pub level: Level,
    pub message: String,
    /// The command (or step) that fixes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

fn ok(message: String) -> Finding {
    Finding { level: Level::Ok, message, fix: None }
}
fn warning(message: String, fix: String) -> Finding {
    Finding { level: Level::Warning, message, fix: Some(fix) }
}
fn error(message: String, fix: String) -> Finding {
    Finding { level: Level::Error, message, fix: Some(fix) }
}

/// What `check` read.
#[derive(Debug)]
pub struct Snapshot {
    /// Which kinds the server serves.
    pub packs_served: bool,
    pub ensembles_served: bool,
    /// The packs of the era in use (Ensembles when both are served).
    pub packs: Vec<PersonaPack>,
    /// PersonaPacks left beside Ensembles (metadata), when both are served.
    pub left_packs: Vec<Meta>,
    /// SympoziumInstances beside Agents: (metadata, owned by a PersonaPack).
    pub left_instances: Vec<(Meta, bool)>,
    /// The controller Deployments (Err: why they could not be read).
    pub controllers: Result<Vec<Controller>, String>,
    /// Every Secret a pack references, by (namespace, name): its keys (None: absent).
    pub secrets: BTreeMap<(String, String), Option<Vec<String>>>,
    /// Secrets kubectl-personapack wrote for a pack (its label).
    pub our_secrets: Vec<Meta>,
    /// Memory PVCs (`-memory-db`) and their phase.
    pub memory_pvcs: Vec<(Meta, String)>,
    /// SympoziumPolicies, Models and SkillPacks that exist, by (namespace, name).
    pub policies: BTreeSet<(String, String)>,
    pub skillpacks: BTreeSet<(String, String)>,
    pub models: BTreeSet<(String, String)>,
}

impl Default for Snapshot {
    fn default() -> Self {
        Snapshot {
            packs_served: false,
            ensembles_served: false,
            packs: Vec::new(),
            left_packs: Vec::new(),
            left_instances: Vec::new(),
            controllers: Ok(Vec::new()),
            secrets: BTreeMap::new(),
            our_secrets: Vec::new(),
            memory_pvcs: Vec::new(),
            policies: BTreeSet::new(),
            skillpacks: BTreeSet::new(),
            models: BTreeSet::new(),
        }
    }
}

/// The era in use: Ensembles when served (what a v0.9+ controller reconciles).
fn era(s: &Snapshot) -> Era {
    if s.ensembles_served { Era::Ensemble } else { Era::PersonaPack }
}

/// Every finding, worst last within each check, in the order an operator reads them.
pub fn findings(s: &Snapshot) -> Vec<Finding> {
    if !s.packs_served && !s.ensembles_served {
        return vec![error(
            "the cluster serves no Sympozium API (sympozium.ai/v1alpha1: neither PersonaPacks nor Ensembles)".into(),
            "install Sympozium (sympozium install, or its Helm chart)".into(),
        )];
    }
    let mut out = api(s);
    out.extend(controllers(s, era(s)));
    out.extend(reconciled(s));
    out.extend(references(s));
    out.extend(skills(s));
    out.extend(credentials(s));
    out.extend(memory(s));
    out
}

/// The API, and what the other era left beside it.
fn api(s: &Snapshot) -> Vec<Finding> {
    let e = era(s);
    let mut out = vec![ok(format!("{}s served (Sympozium {})", e.kind(), e.releases()))];
    if !s.ensembles_served {
        return out;
    }
    if !s.left_packs.is_empty() {
        let names: Vec<String> =
            s.left_packs.iter().map(|m| format!("{}/{}", escape(&m.namespace), escape(&m.name))).collect();
        out.push(error(
            format!(
                "{} PersonaPack{} left from Sympozium v0.8 that no controller reconciles: {}",
                names.len(),
                plural(names.len()),
                names.join(", ")
            ),
            "kubectl personapack migrate -A (each becomes the Ensemble of its name, memory kept)".into(),
        ));
    } else if s.packs_served {
        out.push(ok("the PersonaPack CRD is still installed, with no PersonaPack left (kubectl delete crd personapacks.sympozium.ai removes it)".into()));
    }
    let (owned, standalone): (Vec<_>, Vec<_>) = s.left_instances.iter().partition(|(_, owned)| *owned);
    if !owned.is_empty() && s.left_packs.is_empty() {
        out.push(error(
            format!("{} SympoziumInstance{} of a PersonaPack that is gone", owned.len(), plural(owned.len())),
            "kubectl get sympoziuminstances -A (delete them: their pack no longer exists)".into(),
        ));
    }
    for (m, _) in standalone {
        out.push(warning(
            format!(
                "sympoziuminstance {}/{} (Sympozium v0.8) is not a pack's and nothing reconciles it",
                escape(&m.namespace),
                escape(&m.name)
            ),
            "recreate it as an Agent (sympozium.ai/v1alpha1), then delete it".into(),
        ));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Which controller runs, by its Deployment, and whether it is of the era served.
fn controllers(s: &Snapshot, era: Era) -> Vec<Finding> {
    let found = match &s.controllers {
        Err(why) => {
            return vec![warning(
                format!("the Sympozium controller cannot be seen ({why})"),
                "kubectl get deployments -n sympozium-system".into(),
            )];
        }
        Ok(found) => found,
    };
    if found.is_empty() {
        return vec![warning(
            "no Sympozium controller Deployment found (app.kubernetes.io/part-of=sympozium, component=controller)"
                .into(),
            "kubectl get deployments -A -l app.kubernetes.io/part-of=sympozium".into(),
        )];
    }
    found
        .iter()
        .map(|c| {
            let at = format!("deployment {}/{}", escape(&c.namespace), escape(&c.name));
            match release_of_image(&c.image) {
                Some(r) if (r < crate::migration::ENSEMBLE_SINCE) == (era == Era::Ensemble) => error(
                    format!("the Sympozium {r} controller ({at}) does not reconcile {}s", era.kind()),
                    format!("upgrade Sympozium so that its controller serves {}s ({})", era.kind(), era.releases()),
                ),
                Some(r) => ok(format!("Sympozium {r} controller ({at})")),
                None => ok(format!("Sympozium controller ({at}, image {})", escape(&c.image))),
            }
        })
        .collect()
}

/// Evidence of reconciling, per pack: the controller's finalizer and a
/// status phase; a pack deleting on a finalizer no controller removes.
fn reconciled(s: &Snapshot) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut silent = Vec::new();
    for p in &s.packs {
        let name = format!("{}/{}", escape(&p.meta.namespace), escape(&p.meta.name));
        if p.meta.deleting && !p.meta.finalizers.is_empty() {
            out.push(warning(
                format!(
                    "{} {name} is Terminating, held by {}",
                    p.era.singular(),
                    escape(&p.meta.finalizers.join(", "))
                ),
                format!(
                    "kubectl personapack status {} -n {} (is the controller running?)",
                    escape(&p.meta.name),
                    escape(&p.meta.namespace)
                ),
            ));
        }
        let seen = p.meta.finalizers.iter().any(|f| f == p.era.finalizer()) || p.status.phase.is_some();
        if !seen {
            silent.push(name);
        }
    }
    for m in s.left_packs.iter().filter(|m| m.deleting) {
        out.push(error(
            format!(
                "personapack {}/{} is stuck Terminating on {} (no controller removes it)",
                escape(&m.namespace),
                escape(&m.name),
                Era::PersonaPack.finalizer()
            ),
            format!(
                "kubectl personapack migrate {} -n {} (releases it; its memory is kept)",
                escape(&m.name),
                escape(&m.namespace)
            ),
        ));
    }
    if !silent.is_empty() {
        out.push(error(
            format!("no controller has reconciled {}: no finalizer, no status", silent.join(", ")),
            "check that the Sympozium controller runs and can read them (its logs)".into(),
        ));
    } else if !s.packs.is_empty() {
        out.push(ok(format!(
            "{} {}{} reconciled by a controller",
            s.packs.len(),
            s.packs[0].era.kind(),
            plural(s.packs.len())
        )));
    }
    out
}

/// Objects enabled packs name that do not exist: Secrets (and the key the
/// provider reads), channel Secrets, the policy, the Model.
fn references(s: &Snapshot) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in s.packs.iter().filter(|p| p.spec.enabled && !p.meta.deleting) {
        let (ns, name) = (&p.meta.namespace, &p.meta.name);
        let fix = |what: &str| format!("kubectl personapack enable {} -n {} ({what})", escape(name), escape(ns));
        let at = format!("{} {}/{}", p.era.singular(), escape(ns), escape(name));
        for r in &p.spec.auth_refs {
            match s.secrets.get(&(ns.clone(), r.secret.clone())) {
                Some(None) => out.push(error(
                    format!("{at}: its provider Secret {} does not exist", escape(&r.secret)),
                    fix("give the key again: --api-key-stdin"),
                )),
                Some(Some(keys)) => {
                    let want = crate::activation::key_field_of(r.provider.as_deref().unwrap_or_default());
                    if let Some(want) = want.filter(|k| !keys.iter().any(|have| have == k)) {
                        out.push(error(
                            format!("{at}: Secret {} has no {want} key", escape(&r.secret)),
                            fix("give the key again: --api-key-stdin"),
                        ));
                    }
                }
                None => {}
            }
        }
        for (channel, secret) in &p.spec.channel_configs {
            if matches!(s.secrets.get(&(ns.clone(), secret.clone())), Some(None)) {
                out.push(error(
                    format!("{at}: the {} channel's Secret {} does not exist", escape(channel), escape(secret)),
                    fix(&format!("--channel-token-stdin {}", escape(channel))),
                ));
            }
        }
        if let Some(policy) = p.spec.policy_ref.as_ref().filter(|r| !r.is_empty())
            && !s.policies.contains(&(ns.clone(), policy.clone()))
        {
            out.push(error(
                format!("{at}: its SympoziumPolicy {} does not exist", escape(policy)),
                format!("kubectl get sympoziumpolicies -n {} (create it, or enable with another --policy)", escape(ns)),
            ));
        }
        if let Some(model) = p.spec.model_ref.as_ref().filter(|r| !r.is_empty())
            && !s.models.contains(&(ns.clone(), model.clone()))
        {
            out.push(error(
                format!("{at}: its Model {} does not exist (its agents wait for it)", escape(model)),
                format!("kubectl get models -n {} (create it, or enable with another --model-ref)", escape(ns)),
            ));
        }
    }
    out
}

/// Where the agent runner looks for a skill's SkillPack: the run's
/// namespace, then this one (v0.10.46 `resolveSkillSidecars`, as `sympozium
/// install` puts the built-in skills there).
const SYSTEM_NAMESPACE: &str = "sympozium-system";

/// Skills of enabled packs that name no SkillPack: the runner skips them
/// without a word (`SkillPack not found, skipping sidecar`).
fn skills(s: &Snapshot) -> Vec<Finding> {
    let mut out = Vec::new();
    for p in s.packs.iter().filter(|p| p.spec.enabled && !p.meta.deleting) {
        let ns = &p.meta.namespace;
        let found = |skill: &str| {
            [ns.as_str(), SYSTEM_NAMESPACE].iter().any(|n| s.skillpacks.contains(&(n.to_string(), skill.to_string())))
        };
        let mut missing: Vec<&str> = p
            .spec
            .personas
            .iter()
            .filter(|m| !p.spec.exclude_personas.contains(&m.name))
            .flat_map(|m| m.skills.iter().map(String::as_str))
            .filter(|k| *k != "mcp-bridge" && !found(k))
            .collect();
        missing.sort();
        missing.dedup();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|k| escape(k)).collect();
            out.push(warning(
                format!(
                    "{} {}/{}: no SkillPack {} in its namespace or {SYSTEM_NAMESPACE} (its agents run without it)",
                    p.era.singular(),
                    escape(ns),
                    escape(&p.meta.name),
                    names.join(", ")
                ),
                format!(
                    "kubectl get skillpacks -n {SYSTEM_NAMESPACE} (sympozium install puts the built-in skills there)"
                ),
            ));
        }
    }
    out
}

/// Secrets kubectl-personapack wrote that no pack references any more.
fn credentials(s: &Snapshot) -> Vec<Finding> {
    let referenced: BTreeSet<(&str, &str)> = s
        .packs
        .iter()
        .flat_map(|p| {
            let ns = p.meta.namespace.as_str();
            let auth = p.spec.auth_refs.iter().map(move |r| (ns, r.secret.as_str()));
            auth.chain(p.spec.channel_configs.values().map(move |v| (ns, v.as_str())))
        })
        .collect();
    s.our_secrets
        .iter()
        .filter(|m| !referenced.contains(&(m.namespace.as_str(), m.name.as_str())))
        .map(|m| {
            warning(
                format!(
                    "secret {}/{} (written by kubectl-personapack) is referenced by no pack",
                    escape(&m.namespace),
                    escape(&m.name)
                ),
                format!("kubectl delete secret {} -n {}", escape(&m.name), escape(&m.namespace)),
            )
        })
        .collect()
}

/// Memory PVCs that are not Bound: the memory server cannot start.
fn memory(s: &Snapshot) -> Vec<Finding> {
    s.memory_pvcs
        .iter()
        .filter(|(_, phase)| phase != "Bound")
        .map(|(m, phase)| {
            let phase = if phase.is_empty() { "Pending" } else { phase.as_str() };
            warning(
                format!(
                    "memory PVC {}/{} is {} (its memory server cannot start)",
                    escape(&m.namespace),
                    escape(&m.name),
                    escape(phase)
                ),
                format!("kubectl describe pvc {} -n {} (its events say why)", escape(&m.name), escape(&m.namespace)),
            )
        })
        .collect()
}

/// The exit code: 1 when anything must be fixed, else 0.
pub fn worst(findings: &[Finding]) -> Level {
    findings.iter().map(|f| f.level).max().unwrap_or(Level::Ok)
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;

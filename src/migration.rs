//! Carrying a team across the upgrade Sympozium ships no tool for: a v0.8
//! PersonaPack becomes the v0.10 Ensemble of the same name, and what its old
//! objects hold that must survive (memory ConfigMaps, PVCs, credentials) is
//! handed over before they go. Pure: `to_ensemble` maps a manifest (also
//! offline, `migrate -f`), `plan` orders the steps over what the cluster
//! holds; cluster/migration.rs reads and writes, cmd/migrate.rs says it.
//!
//! Why this order (read in both controllers): the old instances own the
//! `-memory-db` PVCs and sometimes the memory ConfigMap (garbage collection
//! would take them), so those lose their old owners first. The old schedules
//! and instances go next, before any Ensemble exists: v0.10.46's controller
//! adopts a schedule of its name in place (the old owner stays, and takes it
//! down later), and its Agent controller re-attaches an existing
//! `<agent>-memory-db` PVC and keeps an existing memory ConfigMap. The
//! PersonaPack is the source of the Ensemble until it is written, so it goes
//! last: a run cut at any step is finished by the next.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::escape::escape;
use crate::model::{Era, PACK_FIELDS, PERSONA_FIELDS};
use crate::pause::{Controller, Release, release_of_image};

/// The annotation on an Ensemble migrate wrote: the PersonaPack's UID.
pub const MIGRATED_FROM: &str = "kubectl-personapack/migrated-from";

/// Metadata the API server or a client writes for itself: not carried over.
const NOT_CARRIED: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration"];

/// An Ensemble converted from a PersonaPack, and every field of the pack
/// that has no place in it (dropped, named, never in silence).
#[derive(Clone, Debug, PartialEq)]
pub struct Converted {
    pub ensemble: Value,
    pub dropped: Vec<String>,
}

/// The Ensemble a PersonaPack manifest becomes: every setting (personas as
/// `agentConfigs`), labels and annotations; no status (its controller
/// writes one). With a UID (a pack read from a cluster), the Ensemble says
/// where it came from.
pub fn to_ensemble(pack: &Value) -> Converted {
    let mut dropped = Vec::new();
    let mut spec = Map::new();
    if let Some(fields) = pack["spec"].as_object() {
        for (key, value) in fields {
            match key.as_str() {
                "personas" => {
                    let list = value.as_array().map(Vec::as_slice).unwrap_or_default();
                    let configs = list.iter().enumerate().map(|(i, p)| agent_config(i, p, &mut dropped)).collect();
                    spec.insert(Era::Ensemble.members_field().into(), Value::Array(configs));
                }
                k if PACK_FIELDS.contains(&k) => {
                    spec.insert(key.clone(), value.clone());
                }
                _ => dropped.push(format!("spec.{key}")),
            }
        }
    }
    spec.entry(Era::Ensemble.members_field()).or_insert_with(|| json!([]));
    let meta = &pack["metadata"];
    let mut metadata = Map::new();
    for key in ["name", "namespace", "labels"] {
        if let Some(v) = meta.get(key).filter(|v| !v.is_null()) {
            metadata.insert(key.into(), v.clone());
        }
    }
    let mut annotations: Map<String, Value> = meta["annotations"].as_object().cloned().unwrap_or_default();
    annotations.retain(|k, _| !NOT_CARRIED.contains(&k.as_str()));
    if let Some(uid) = meta["uid"].as_str() {
        annotations.insert(MIGRATED_FROM.into(), Value::String(uid.into()));
    }
    if !annotations.is_empty() {
        metadata.insert("annotations".into(), Value::Object(annotations));
    }
    let ensemble = json!({
        "apiVersion": format!("{}/{}", crate::model::GROUP, crate::model::VERSION),
        "kind": Era::Ensemble.kind(),
        "metadata": metadata,
        "spec": spec,
    });
    Converted { ensemble, dropped }
}

fn agent_config(index: usize, persona: &Value, dropped: &mut Vec<String>) -> Value {
    let Some(fields) = persona.as_object() else {
        dropped.push(format!("spec.personas[{index}] (not an object)"));
        return json!({});
    };
    let mut out = Map::new();
    for (key, value) in fields {
        if PERSONA_FIELDS.contains(&key.as_str()) {
            out.insert(key.clone(), value.clone());
        } else {
            dropped.push(format!("spec.personas[{index}].{key}"));
        }
    }
    Value::Object(out)
}

/// An object of the cluster as migrate reads it (metadata, and a Secret's
/// or PVC's kind).
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    pub kind: ObjectKind,
    pub meta: Value,
}

impl Object {
    fn name(&self) -> &str {
        self.meta["name"].as_str().unwrap_or_default()
    }
    fn uid(&self) -> &str {
        self.meta["uid"].as_str().unwrap_or_default()
    }
    fn owned_by(&self, uids: &BTreeSet<&str>) -> bool {
        owner_uids(&self.meta).any(|u| uids.contains(u))
    }
}

fn owner_uids(meta: &Value) -> impl Iterator<Item = &str> {
    meta["ownerReferences"].as_array().into_iter().flatten().filter_map(|r| r["uid"].as_str())
}

/// The kinds migrate touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObjectKind {
    ConfigMap,
    PersistentVolumeClaim,
    Secret,
    SympoziumSchedule,
    SympoziumInstance,
}

impl ObjectKind {
    /// kubectl's `kind/name` prefix for it.
    pub fn qualified(self) -> &'static str {
        match self {
            ObjectKind::ConfigMap => "configmap",
            ObjectKind::PersistentVolumeClaim => "persistentvolumeclaim",
            ObjectKind::Secret => "secret",
            ObjectKind::SympoziumSchedule => "sympoziumschedule.sympozium.ai",
            ObjectKind::SympoziumInstance => "sympoziuminstance.sympozium.ai",
        }
    }
}

/// How a deletion treats what the object owns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Propagation {
    /// Its dependents go first, the object last (the old instance: its
    /// Deployments and Services have names the new Agent's will take).
    Foreground,
    Background,
    /// Its dependents stay, without it (the PersonaPack: whatever else it
    /// still owns is not migrate's to delete).
    Orphan,
}

/// One write of a migration, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Keep an object: a JSON patch that drops its old owners and renames
    /// its old-era labels.
    Keep { kind: ObjectKind, name: String, patch: Value, why: String },
    /// Remove an old object: its finalizers no controller will remove
    /// dropped first (a patch), then deleted (UID-guarded).
    Remove { kind: ObjectKind, name: String, uid: String, patch: Option<Value>, propagation: Propagation },
    /// Create the Ensemble.
    Write { ensemble: Value },
    /// Release the PersonaPack's finalizer and delete it, orphaning the rest.
    Release { name: String, uid: String, patch: Option<Value> },
}

/// What one pack's migration found in the cluster: the pack, an Ensemble
/// of its name if one exists, and the objects of its namespace that may be
/// its (instances, schedules, ConfigMaps, PVCs, Secrets; metadata).
pub struct Found<'a> {
    pub pack: &'a Value,
    pub ensemble: Option<&'a Value>,
    pub objects: &'a [Object],
}

/// The finalizers of the old era's kinds: with no v0.8 controller left,
/// nothing else removes them (the instance's; the schedule's, which v0.10's
/// schedule controller would also remove, were it running).
const OLD_FINALIZERS: &[&str] = &["sympozium.ai/finalizer", "sympozium.ai/schedule-finalizer"];

/// The steps that carry one pack across, or why it cannot be (nothing to
/// write then). Empty when it already was.
pub fn plan(found: &Found) -> Result<Vec<Step>, String> {
    let pack = found.pack;
    let name = pack["metadata"]["name"].as_str().unwrap_or_default();
    let pack_uid = pack["metadata"]["uid"].as_str().unwrap_or_default();
    let converted = to_ensemble(pack);
    if !converted.dropped.is_empty() {
        return Err(format!(
            "personapack \"{name}\" has fields an Ensemble has no place for: {} (nothing changed; remove them from the pack, or carry them over by hand)",
            converted.dropped.join(", ")
        ));
    }
    let deleting = pack["metadata"]["deletionTimestamp"].is_string();
    let write = match found.ensemble {
        // Deleted by its user: released, not carried over.
        _ if deleting => false,
        None => true,
        Some(e) if e["metadata"]["annotations"][MIGRATED_FROM] == pack_uid => false,
        Some(e) if e["spec"] == converted.ensemble["spec"] => false,
        // A disabled pack carries no team (no agents, no memory): the
        // Ensemble its name already has (a chart's built-in) stays as it is.
        Some(_) if pack["spec"]["enabled"] != true => false,
        Some(_) => {
            return Err(format!(
                "ensemble \"{name}\" already exists and is not this pack's migration: nothing changed (compare them with kubectl get ensemble {name} -o yaml; delete the Ensemble, or rename one of them, then migrate again)"
            ));
        }
    };
    let pack_uids = BTreeSet::from([pack_uid]);
    let by_pack = &pack_uids;
    let old = |kind: ObjectKind| found.objects.iter().filter(move |o| o.kind == kind && o.owned_by(by_pack));
    let instances: Vec<&Object> = old(ObjectKind::SympoziumInstance).collect();
    let mut old_uids: BTreeSet<&str> = instances.iter().map(|o| o.uid()).collect();
    old_uids.insert(pack_uid);
    let memory: BTreeSet<String> = member_names(pack).iter().map(|p| crate::model::memory_name(name, p)).collect();
    let secrets = referenced_secrets(pack);

    let mut steps = Vec::new();
    for o in found.objects {
        let keep = match o.kind {
            ObjectKind::ConfigMap => memory.contains(o.name()),
            ObjectKind::PersistentVolumeClaim => o.owned_by(&old_uids),
            ObjectKind::Secret => secrets.contains(o.name()) || o.owned_by(&pack_uids),
            _ => false,
        };
        if let Some(step) = keep.then(|| keep_step(o, &old_uids, name)).flatten() {
            steps.push(step);
        }
    }
    for o in old(ObjectKind::SympoziumSchedule) {
        steps.push(remove_step(o, Propagation::Background));
    }
    for o in instances {
        steps.push(remove_step(o, Propagation::Foreground));
    }
    if write {
        steps.push(Step::Write { ensemble: converted.ensemble });
    }
    steps.push(Step::Release { name: name.into(), uid: pack_uid.into(), patch: finalizer_patch(&pack["metadata"]) });
    Ok(steps)
}

/// Every member's name, excluded ones too (their memory, should it still
/// be there, is kept as well).
fn member_names(pack: &Value) -> Vec<String> {
    let list = pack["spec"][Era::PersonaPack.members_field()].as_array();
    list.into_iter().flatten().filter_map(|p| p["name"].as_str().map(String::from)).collect()
}

/// The Secrets a pack names: its provider keys and its channels' tokens.
fn referenced_secrets(pack: &Value) -> BTreeSet<String> {
    let spec = &pack["spec"];
    let auth = spec["authRefs"].as_array().into_iter().flatten().filter_map(|r| r["secret"].as_str());
    let channels = spec["channelConfigs"].as_object().into_iter().flat_map(|m| m.values()).filter_map(Value::as_str);
    auth.chain(channels).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// Drop the old owners and rename the old era's labels (`persona-pack`,
/// `persona`) to the new (`ensemble`, `agent-config`); None when there is
/// nothing to change. A JSON patch whose `test` guards exactly what it
/// replaces: a concurrent write elsewhere (an agent's memory) is no conflict.
fn keep_step(o: &Object, old_uids: &BTreeSet<&str>, pack: &str) -> Option<Step> {
    let meta = &o.meta;
    let mut ops = Vec::new();
    let mut why = Vec::new();
    let refs = meta["ownerReferences"].as_array().cloned().unwrap_or_default();
    let (gone, kept): (Vec<&Value>, Vec<&Value>) =
        refs.iter().partition(|r| r["uid"].as_str().is_some_and(|u| old_uids.contains(u)));
    if !gone.is_empty() {
        let owners: Vec<String> = gone
            .iter()
            .map(|r| format!("{} {}", r["kind"].as_str().unwrap_or_default(), r["name"].as_str().unwrap_or_default()))
            .collect();
        why.push(format!("released from {}", owners.join(", ")));
        ops.extend(replace_tested("/metadata/ownerReferences", &Value::Array(refs.clone()), json!(kept)));
    }
    let (was, now) = (Era::PersonaPack, Era::Ensemble);
    // Another pack's label (a Secret two packs share) is left as it is.
    if meta["labels"][was.label_pack()].as_str().is_none_or(|v| v == pack) {
        let before = ops.len();
        for (old, new) in [(was.label_pack(), now.label_pack()), (was.label_member(), now.label_member())] {
            if let Some(v) = meta["labels"][old].as_str() {
                ops.push(json!({"op": "remove", "path": format!("/metadata/labels/{}", pointer(old))}));
                ops.push(json!({"op": "add", "path": format!("/metadata/labels/{}", pointer(new)), "value": v}));
            }
        }
        if ops.len() > before {
            why.push("relabelled for the Ensemble".into());
        }
    }
    if ops.is_empty() {
        return None;
    }
    Some(Step::Keep { kind: o.kind, name: o.name().into(), patch: Value::Array(ops), why: why.join(", ") })
}

/// A JSON pointer's escaping of one key (`/` and `~`).
fn pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Replace a field only while it still holds what was read.
fn replace_tested(path: &str, was: &Value, now: Value) -> [Value; 2] {
    [json!({"op": "test", "path": path, "value": was}), json!({"op": "replace", "path": path, "value": now})]
}

fn remove_step(o: &Object, propagation: Propagation) -> Step {
    Step::Remove {
        kind: o.kind,
        name: o.name().into(),
        uid: o.uid().into(),
        patch: finalizer_patch(&o.meta),
        propagation,
    }
}

/// A JSON patch dropping the finalizers no running controller will remove
/// (the old era's and the PersonaPack's), while the list is as read; None
/// when none is there.
fn finalizer_patch(meta: &Value) -> Option<Value> {
    let all: Vec<&str> = meta["finalizers"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let stale = |f: &&str| OLD_FINALIZERS.contains(f) || *f == Era::PersonaPack.finalizer();
    if !all.iter().any(stale) {
        return None;
    }
    let kept: Vec<&str> = all.iter().copied().filter(|f| !stale(f)).collect();
    Some(Value::Array(replace_tested("/metadata/finalizers", &json!(all), json!(kept)).to_vec()))
}

/// The first release of the Ensemble era.
pub const ENSEMBLE_SINCE: Release = Release(0, 9, 0);

/// Why migrate must wait: a controller of the PersonaPack era still runs
/// (it would stamp the old objects again as they are removed). A controller
/// whose image names no release is not held against the cluster.
pub fn old_controller(found: &[Controller]) -> Option<String> {
    let (c, release) = found
        .iter()
        .filter_map(|c| release_of_image(&c.image).map(|r| (c, r)))
        .filter(|(_, r)| *r < ENSEMBLE_SINCE)
        .min_by_key(|(_, r)| *r)?;
    Some(format!(
        "the Sympozium {release} controller (deployment {}/{}) still runs: it would stamp the old objects again as migrate removes them; upgrade Sympozium to {} first (its CRDs and controller), then migrate: nothing changed",
        escape(&c.namespace),
        escape(&c.name),
        Era::Ensemble.releases()
    ))
}

#[cfg(test)]
#[path = "migration_tests.rs"]
mod tests;

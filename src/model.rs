//! The typed model of PersonaPack (`sympozium.ai/v1alpha1`) and of the kinds
//! it generates, as ../shared/docs/sympozium-personapack.md describes them for
//! Sympozium v0.8.x (including v0.8.27's `relationships` and `workflowType`).
//!
//! Objects are read leniently: a field of the wrong type is dropped with a
//! warning naming its path, so one malformed field never hides a whole pack.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const GROUP: &str = "sympozium.ai";
pub const VERSION: &str = "v1alpha1";

/// Which Sympozium API a cluster speaks: v0.8's PersonaPack, or the Ensemble
/// of v0.9 and later (docs/sympozium-v0.10-ensemble.md). The lifecycle is the
/// same; the names below are what changed. "Pack" and "persona" in this
/// code mean an Ensemble and its agent configs too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Era {
    #[default]
    PersonaPack,
    Ensemble,
}

impl Era {
    pub const ALL: [Era; 2] = [Era::PersonaPack, Era::Ensemble];

    /// The era of an object's `kind` (None: neither).
    pub fn of_kind(kind: &str) -> Option<Era> {
        Era::ALL.into_iter().find(|e| e.kind() == kind)
    }
    /// The other era.
    pub fn other(self) -> Era {
        match self {
            Era::PersonaPack => Era::Ensemble,
            Era::Ensemble => Era::PersonaPack,
        }
    }
    pub fn kind(self) -> &'static str {
        match self {
            Era::PersonaPack => "PersonaPack",
            Era::Ensemble => "Ensemble",
        }
    }
    pub fn plural(self) -> &'static str {
        match self {
            Era::PersonaPack => "personapacks",
            Era::Ensemble => "ensembles",
        }
    }
    /// kubectl's name for the kind in messages: `personapack`, `ensemble`.
    pub fn singular(self) -> &'static str {
        match self {
            Era::PersonaPack => "personapack",
            Era::Ensemble => "ensemble",
        }
    }
    /// `personapack.sympozium.ai`: what `-o name` and mutations print before `/<name>`.
    pub fn qualified(self) -> String {
        format!("{}.{GROUP}", self.singular())
    }
    /// The spec's list of members (personas, agent configs).
    pub fn members_field(self) -> &'static str {
        match self {
            Era::PersonaPack => "personas",
            Era::Ensemble => "agentConfigs",
        }
    }
    /// One member, in words.
    pub fn member(self) -> &'static str {
        match self {
            Era::PersonaPack => "persona",
            Era::Ensemble => "agent config",
        }
    }
    /// The label the controller puts on everything it stamps for a pack.
    pub fn label_pack(self) -> &'static str {
        match self {
            Era::PersonaPack => "sympozium.ai/persona-pack",
            Era::Ensemble => "sympozium.ai/ensemble",
        }
    }
    /// The label naming the member an object was stamped for.
    pub fn label_member(self) -> &'static str {
        match self {
            Era::PersonaPack => "sympozium.ai/persona",
            Era::Ensemble => "sympozium.ai/agent-config",
        }
    }
    /// The finalizer the controller adds on its first reconcile of any pack.
    pub fn finalizer(self) -> &'static str {
        match self {
            Era::PersonaPack => "sympozium.ai/personapack-finalizer",
            Era::Ensemble => "sympozium.ai/ensemble-finalizer",
        }
    }
    /// The kind stamped per member, and its plural: the agent itself.
    pub fn agent_kind(self) -> (&'static str, &'static str) {
        match self {
            Era::PersonaPack => ("SympoziumInstance", "sympoziuminstances"),
            Era::Ensemble => ("Agent", "agents"),
        }
    }
    /// The schedule's field naming its agent.
    pub fn agent_ref(self) -> &'static str {
        match self {
            Era::PersonaPack => "instanceRef",
            Era::Ensemble => "agentRef",
        }
    }
}

/// The controller's default model when a persona names none.
pub const DEFAULT_MODEL: &str = "gpt-4o";

/// Names the generated objects get (controller §3.4–3.6).
pub fn instance_name(pack: &str, persona: &str) -> String {
    format!("{pack}-{persona}")
}
pub fn schedule_name(pack: &str, persona: &str) -> String {
    format!("{pack}-{persona}-schedule")
}
pub fn memory_name(pack: &str, persona: &str) -> String {
    format!("{pack}-{persona}-memory")
}

/// Two v0.8.28 controllers race to create `<pack>-<persona>-memory`, and
/// neither overwrites the other's: which one won decides whether a persona's
/// seeds were ever written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MemoryForm {
    /// The PersonaPack controller's (`sympozium.ai/memory=true`): the seeds, no owner.
    Seeded,
    /// The SympoziumInstance controller's (`sympozium.ai/component=memory`,
    /// owned by the instance): `INSTANCE_MEMORY` and no seeds.
    InstanceDefault,
    /// Neither controller's labels (made by hand or by something else).
    Other,
}

/// What the SympoziumInstance controller writes into a memory ConfigMap it
/// creates; while the data is exactly this, no agent has written memories.
pub const INSTANCE_MEMORY: &str = "# Agent Memory\n\nNo memories recorded yet.\n";
/// The key both controllers write memory under.
pub const MEMORY_KEY: &str = "MEMORY.md";

pub fn memory_form(labels: &BTreeMap<String, String>) -> MemoryForm {
    if labels.get("sympozium.ai/memory").is_some_and(|v| v == "true") {
        MemoryForm::Seeded
    } else if labels.get("sympozium.ai/component").is_some_and(|v| v == "memory") {
        MemoryForm::InstanceDefault
    } else {
        MemoryForm::Other
    }
}

/// Can `s` stand as a label value (and so in a selector)? ≤ 63 characters of
/// `[A-Za-z0-9._-]`, starting and ending alphanumeric, or empty.
pub fn is_label_value(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_alphanumeric();
    s.is_empty()
        || (s.len() <= 63
            && s.starts_with(ok)
            && s.ends_with(ok)
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
}

/// A Kubernetes object name (DNS-1123 subdomain): ≤ 253 characters of
/// `[a-z0-9.-]`, starting and ending alphanumeric.
pub fn is_dns_subdomain(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !s.is_empty()
        && s.len() <= 253
        && s.starts_with(ok)
        && s.ends_with(ok)
        && s.chars().all(|c| ok(c) || c == '-' || c == '.')
}

/// The memory document the PersonaPack controller seeds (`reconcileMemorySeeds`).
pub fn seeded_memory(seeds: &[String]) -> String {
    let mut md = String::from("# Memory\n\n");
    for seed in seeds {
        md.push_str(&format!("- {seed}\n"));
    }
    md
}

/// What a reader could not take from an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub path: String,
    pub problem: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.problem)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub created: Option<Timestamp>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub finalizers: Vec<String>,
    pub resource_version: String,
    pub deleting: bool,
}

impl Meta {
    pub fn from_value(v: &Value) -> Meta {
        let m = &v["metadata"];
        let s = |k: &str| m[k].as_str().unwrap_or_default().to_string();
        Meta {
            name: s("name"),
            namespace: s("namespace"),
            uid: s("uid"),
            created: m["creationTimestamp"].as_str().and_then(|t| t.parse().ok()),
            labels: serde_json::from_value(m["labels"].clone()).unwrap_or_default(),
            annotations: serde_json::from_value(m["annotations"].clone()).unwrap_or_default(),
            finalizers: serde_json::from_value(m["finalizers"].clone()).unwrap_or_default(),
            resource_version: s("resourceVersion"),
            deleting: m.get("deletionTimestamp").is_some_and(|d| !d.is_null()),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PackSpec {
    pub enabled: bool,
    pub description: Option<String>,
    pub category: Option<String>,
    pub version: Option<String>,
    pub workflow_type: Option<String>,
    pub relationships: Vec<Relationship>,
    /// An Ensemble's `agentConfigs`.
    #[serde(alias = "agentConfigs")]
    pub personas: Vec<Persona>,
    pub auth_refs: Vec<SecretRef>,
    pub exclude_personas: Vec<String>,
    pub channel_configs: BTreeMap<String, String>,
    pub policy_ref: Option<String>,
    #[serde(rename = "baseURL")]
    pub base_url: Option<String>,
    pub skill_params: BTreeMap<String, BTreeMap<String, String>>,
    pub task_override: Option<String>,
    pub channel_access_control: BTreeMap<String, ChannelAccessControl>,
    pub agent_sandbox: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Relationship {
    pub source: String,
    pub target: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub condition: Option<String>,
    pub timeout: Option<String>,
    pub result_format: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Persona {
    pub name: String,
    pub display_name: Option<String>,
    pub system_prompt: String,
    pub model: Option<String>,
    pub skills: Vec<String>,
    pub tool_policy: Option<ToolPolicy>,
    pub schedule: Option<PersonaSchedule>,
    pub memory: Option<PersonaMemory>,
    pub channels: Vec<String>,
    pub web_endpoint: Option<WebEndpoint>,
    pub lifecycle: Option<Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ToolPolicy {
    pub allow: Vec<String>,
    pub deny: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonaSchedule {
    /// `heartbeat` (the CRD default), `scheduled` or `sweep`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub interval: Option<String>,
    pub cron: Option<String>,
    pub task: String,
}

impl PersonaSchedule {
    /// `cron X` wins over `every X`, as in the controller.
    pub fn timing(&self) -> String {
        match (self.cron.as_deref().filter(|c| !c.is_empty()), self.interval.as_deref().filter(|i| !i.is_empty())) {
            (Some(c), _) => format!("cron {c}"),
            (None, Some(i)) => format!("every {i}"),
            (None, None) => "hourly (no cron or interval)".into(),
        }
    }
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("heartbeat")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonaMemory {
    pub enabled: Option<bool>,
    pub seeds: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebEndpoint {
    pub enabled: bool,
    pub hostname: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SecretRef {
    pub provider: Option<String>,
    pub secret: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ChannelAccessControl {
    pub allowed_senders: Vec<String>,
    pub denied_senders: Vec<String>,
    pub allowed_chats: Vec<String>,
    pub deny_message: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PackStatus {
    /// `Inactive`, `Ready` or `Error`; absent until a controller reconciled.
    pub phase: Option<String>,
    pub persona_count: Option<i64>,
    pub installed_count: i64,
    pub installed_personas: Vec<InstalledPersona>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InstalledPersona {
    pub name: String,
    pub instance_name: String,
    pub schedule_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PersonaPack {
    /// PersonaPack or Ensemble, by the object's kind.
    pub era: Era,
    pub meta: Meta,
    pub spec: PackSpec,
    pub status: PackStatus,
    pub warnings: Vec<Warning>,
    /// The object as read: writes that must keep unknown fields start from it.
    pub raw: Value,
}

impl PersonaPack {
    pub fn from_value(v: &Value) -> PersonaPack {
        let mut warnings = Vec::new();
        let era = v["kind"].as_str().and_then(Era::of_kind).unwrap_or_default();
        // Only the era's own members field is read (the other is an alias of it).
        let mut spec = v["spec"].clone();
        if let Some(m) = spec.as_object_mut() {
            m.remove(era.other().members_field());
        }
        let spec = lenient(&spec, "spec", &mut warnings);
        let status = lenient(&v["status"], "status", &mut warnings);
        PersonaPack { era, meta: Meta::from_value(v), spec, status, warnings, raw: v.clone() }
    }

    /// Fields of the spec (and its personas) this plugin does not know — a
    /// newer Sympozium's, or a typo that a permissive CRD kept. Shown, not fatal.
    pub fn unknown_fields(&self) -> Vec<String> {
        const SPEC: &[&str] = &[
            "enabled",
            "description",
            "category",
            "version",
            "workflowType",
            "relationships",
            "personas",
            "authRefs",
            "excludePersonas",
            "channelConfigs",
            "policyRef",
            "baseURL",
            "skillParams",
            "taskOverride",
            "channelAccessControl",
            "agentSandbox",
        ];
        // v0.9 and later (ensemble_types.go).
        const ENSEMBLE: &[&str] = &[
            "agentConfigs",
            "providerHeaders",
            "providerHeadersSecretRef",
            "modelRef",
            "channelTriggers",
            "slackOptions",
            "channelVolumes",
            "channelVolumeMounts",
            "sharedMemory",
            "stimulus",
            "volumes",
            "volumeMounts",
        ];
        const AGENT_CONFIG: &[&str] = &[
            "provider",
            "baseURL",
            "providerHeaders",
            "providerHeadersSecretRef",
            "skillParams",
            "channelConfigs",
            "channelAccessControl",
            "channelTriggers",
            "slackOptions",
            "mcpServers",
            "subagents",
            "env",
            "runTimeout",
        ];
        let ensemble = self.era == Era::Ensemble;
        let known_spec = |k: &str| {
            SPEC.contains(&k) && k != "personas" || ensemble && ENSEMBLE.contains(&k) || !ensemble && k == "personas"
        };
        let known_member = |k: &str| PERSONA.contains(&k) || ensemble && AGENT_CONFIG.contains(&k);
        const PERSONA: &[&str] = &[
            "name",
            "displayName",
            "systemPrompt",
            "model",
            "skills",
            "toolPolicy",
            "schedule",
            "memory",
            "channels",
            "webEndpoint",
            "lifecycle",
        ];
        let mut out = Vec::new();
        if let Some(spec) = self.raw["spec"].as_object() {
            out.extend(spec.keys().filter(|k| !known_spec(k)).map(|k| format!("spec.{k}")));
        }
        let members = self.era.members_field();
        for (i, p) in self.raw["spec"][members].as_array().into_iter().flatten().enumerate() {
            if let Some(p) = p.as_object() {
                out.extend(p.keys().filter(|k| !known_member(k)).map(|k| format!("spec.{members}[{i}].{k}")));
            }
        }
        out
    }

    pub fn is_excluded(&self, persona: &str) -> bool {
        self.spec.exclude_personas.iter().any(|e| e == persona)
    }

    /// Personas the controller should have stamped (spec order, excluded ones left out).
    pub fn active_personas(&self) -> impl Iterator<Item = &Persona> {
        self.spec.personas.iter().filter(|p| !self.is_excluded(&p.name))
    }

    /// Whether the controller stamps a schedule for `persona`: it has one, and
    /// (v0.9+) it is not the target of a `sequential` relationship, which its
    /// predecessor's completion starts instead.
    pub fn is_scheduled(&self, persona: &Persona) -> bool {
        persona.schedule.is_some()
            && !(self.era == Era::Ensemble
                && self.spec.relationships.iter().any(|r| r.kind == "sequential" && r.target == persona.name))
    }

    /// `status.personaCount`, else the spec's count (as the CRD's column would show nothing).
    pub fn persona_count(&self) -> i64 {
        self.status.persona_count.unwrap_or(self.spec.personas.len() as i64)
    }

    /// Names of Secrets in authRefs, deduplicated, in order.
    pub fn auth_secrets(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.spec.auth_refs {
            if !r.secret.is_empty() && !out.contains(&r.secret.as_str()) {
                out.push(&r.secret);
            }
        }
        out
    }

    /// Every Secret the pack names: authRefs, then channelConfigs; deduplicated.
    pub fn referenced_secrets(&self) -> Vec<&str> {
        let mut out = self.auth_secrets();
        for s in self.spec.channel_configs.values() {
            if !s.is_empty() && !out.contains(&s.as_str()) {
                out.push(s);
            }
        }
        out
    }

    /// The seeds of a persona (empty when it has none).
    pub fn seeds(&self, persona: &str) -> &[String] {
        self.spec
            .personas
            .iter()
            .find(|p| p.name == persona)
            .and_then(|p| p.memory.as_ref())
            .map(|m| m.seeds.as_slice())
            .unwrap_or_default()
    }

    /// Would the controller delete this Secret on disable (§3.7)?
    pub fn is_managed_secret(&self, name: &str, labels: &BTreeMap<String, String>) -> bool {
        let pack = &self.meta.name;
        labels.get(self.era.label_pack()).is_some_and(|p| p == pack)
            || name == format!("{pack}-credentials")
            || (name.starts_with(&format!("{pack}-")) && name.ends_with("-key"))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InstanceStatus {
    /// `Running`, `Serving` or `Error`.
    pub phase: Option<String>,
    pub active_agent_pods: Option<i64>,
    pub total_agent_runs: Option<i64>,
}

/// The Model an Ensemble's `modelRef` names (v0.9+), as the controller finds it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelState {
    /// The modelRef as written (`name` or `namespace/name`).
    pub name: String,
    pub found: bool,
    pub phase: Option<String>,
    pub endpoint: Option<String>,
}

impl ModelState {
    /// A Model object as found, under the name an Ensemble's modelRef gives it.
    pub fn found(name: String, model: &Value) -> ModelState {
        let text = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(String::from);
        ModelState {
            name,
            found: true,
            phase: text(&model["status"]["phase"]),
            endpoint: text(&model["status"]["endpoint"]),
        }
    }

    /// The controller stamps only once the Model is Ready (and then uses its endpoint).
    pub fn is_ready(&self) -> bool {
        self.phase.as_deref() == Some("Ready")
    }
    /// Why nothing is stamped yet, when the Model is not Ready.
    pub fn waiting(&self) -> Option<String> {
        match (self.found, self.phase.as_deref()) {
            (false, _) => Some(format!("waiting for Model {:?}, which does not exist", self.name)),
            (true, Some("Ready")) => None,
            (true, phase) => {
                Some(format!("waiting for Model {:?} to be Ready (phase {})", self.name, phase.unwrap_or("-")))
            }
        }
    }
}

/// A SympoziumInstance, as far as the plugin reads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Instance {
    pub meta: Meta,
    pub model: Option<String>,
    pub status: InstanceStatus,
    pub warnings: Vec<Warning>,
}

impl Instance {
    pub fn from_value(v: &Value) -> Instance {
        let mut warnings = Vec::new();
        let status = lenient(&v["status"], "status", &mut warnings);
        let model = v["spec"]["agents"]["default"]["model"].as_str().map(str::to_string);
        Instance { meta: Meta::from_value(v), model, status, warnings }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScheduleSpec {
    /// An Ensemble's schedule names its Agent in `agentRef`.
    #[serde(alias = "agentRef")]
    pub instance_ref: String,
    pub schedule: String,
    pub task: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub suspend: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScheduleStatus {
    /// `Active`, `Suspended` or `Error`.
    pub phase: Option<String>,
    pub last_run_time: Option<String>,
    pub next_run_time: Option<String>,
    pub last_run_name: Option<String>,
    pub total_runs: Option<i64>,
}

/// A SympoziumSchedule, as far as the plugin reads it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schedule {
    pub meta: Meta,
    pub spec: ScheduleSpec,
    pub status: ScheduleStatus,
    pub warnings: Vec<Warning>,
}

impl Schedule {
    pub fn from_value(v: &Value) -> Schedule {
        let mut warnings = Vec::new();
        let spec = lenient(&v["spec"], "spec", &mut warnings);
        let status = lenient(&v["status"], "status", &mut warnings);
        Schedule { meta: Meta::from_value(v), spec, status, warnings }
    }
}

/// Deserialize `value` as `T`; each field of the wrong type is removed (and
/// reported as a warning at its path) until the rest deserializes.
pub fn lenient<T: DeserializeOwned + Default>(value: &Value, root: &str, warnings: &mut Vec<Warning>) -> T {
    if value.is_null() {
        return T::default();
    }
    let mut value = value.clone();
    // Each round removes one bad field; a bound keeps hostile input cheap.
    for _ in 0..256 {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => return t,
            Err(err) => {
                let path = err.path().clone();
                let shown = match path.to_string().as_str() {
                    "." | "" => root.to_string(),
                    p => format!("{root}.{p}"),
                };
                warnings.push(Warning { path: shown, problem: err.into_inner().to_string() });
                if !remove_at(&mut value, &path) {
                    return T::default();
                }
            }
        }
    }
    warnings.push(Warning { path: root.into(), problem: "too many malformed fields; ignored".into() });
    T::default()
}

/// Remove the value at `path` (its last map key or sequence element).
fn remove_at(value: &mut Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut cur = value;
    for seg in parents {
        cur = match (seg, cur) {
            (Segment::Map { key }, Value::Object(m)) => match m.get_mut(key) {
                Some(v) => v,
                None => return false,
            },
            (Segment::Seq { index }, Value::Array(a)) => match a.get_mut(*index) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, cur) {
        (Segment::Map { key }, Value::Object(m)) => m.remove(key).is_some(),
        (Segment::Seq { index }, Value::Array(a)) if *index < a.len() => {
            a.remove(*index);
            true
        }
        _ => false,
    }
}

/// A JSON merge patch (RFC 7386) applied to `target`: what the server will
/// make of the plugin's patch, for a client dry run.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(changes) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    let map = target.as_object_mut().expect("made an object above");
    for (key, value) in changes {
        if value.is_null() {
            map.remove(key);
        } else {
            merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_patch_is_rfc_7386() {
        let mut doc = serde_json::json!({"spec": {"enabled": false, "authRefs": [{"provider": "a"}], "baseURL": "x"}, "kind": "PersonaPack"});
        merge_patch(
            &mut doc,
            &serde_json::json!({"spec": {"enabled": true, "authRefs": null, "personas": [{"name": "p"}], "baseURL": "y"}}),
        );
        assert_eq!(
            doc,
            serde_json::json!({"spec": {"enabled": true, "personas": [{"name": "p"}], "baseURL": "y"}, "kind": "PersonaPack"})
        );
        merge_patch(&mut doc, &serde_json::json!({"spec": "gone"}));
        assert_eq!(doc["spec"], "gone");
    }
    use serde_json::json;

    #[test]
    fn reads_a_full_pack() {
        let v = json!({
            "metadata": {"name": "platform-team", "namespace": "sympozium-system", "creationTimestamp": "2026-11-28T10:00:00Z"},
            "spec": {
                "enabled": true, "category": "platform", "workflowType": "delegation",
                "relationships": [{"source": "a", "target": "b", "type": "delegation"}],
                "authRefs": [{"provider": "openai", "secret": "platform-team-openai-key"}],
                "baseURL": "http://x", "excludePersonas": ["b"],
                "skillParams": {"github-gitops": {"repo": "o/r"}},
                "personas": [
                    {"name": "a", "systemPrompt": "p", "schedule": {"type": "sweep", "interval": "30m", "task": "t"},
                     "memory": {"enabled": true, "seeds": ["s1"]}},
                    {"name": "b", "systemPrompt": "q"}
                ]
            },
            "status": {"phase": "Ready", "personaCount": 2, "installedCount": 1,
                       "installedPersonas": [{"name": "a", "instanceName": "platform-team-a"}]}
        });
        let p = PersonaPack::from_value(&v);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert!(p.spec.enabled);
        assert_eq!(p.spec.base_url.as_deref(), Some("http://x"));
        assert_eq!(p.spec.relationships[0].kind, "delegation");
        assert_eq!(p.spec.personas[0].schedule.as_ref().unwrap().timing(), "every 30m");
        assert_eq!(p.active_personas().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["a"]);
        assert_eq!(p.status.installed_personas[0].instance_name, "platform-team-a");
        assert_eq!(p.meta.created.unwrap().to_string(), "2026-11-28T10:00:00Z");
    }

    #[test]
    fn absent_fields_mean_catalog_and_unreconciled() {
        let p = PersonaPack::from_value(&json!({"metadata": {"name": "x"}, "spec": {"personas": []}}));
        assert!(!p.spec.enabled);
        assert_eq!(p.status.phase, None);
        assert_eq!(p.status.installed_count, 0);
        assert_eq!(p.persona_count(), 0);
    }

    #[test]
    fn malformed_fields_are_dropped_with_their_path() {
        let v = json!({
            "metadata": {"name": "x"},
            "spec": {"enabled": "yes", "description": "kept",
                     "personas": [{"name": "a", "systemPrompt": "p", "skills": "not-a-list"}, {"name": "b", "systemPrompt": "q"}]},
            "status": {"installedCount": "three", "phase": "Ready"}
        });
        let p = PersonaPack::from_value(&v);
        assert_eq!(p.spec.description.as_deref(), Some("kept"));
        assert!(!p.spec.enabled);
        assert_eq!(p.spec.personas.len(), 2);
        assert!(p.spec.personas[0].skills.is_empty());
        assert_eq!(p.status.phase.as_deref(), Some("Ready"));
        let paths: Vec<&str> = p.warnings.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(paths, vec!["spec.enabled", "spec.personas[0].skills", "status.installedCount"]);
    }

    #[test]
    fn unknown_fields_are_named() {
        let p = PersonaPack::from_value(&json!({"metadata": {"name": "x"}, "spec": {
            "sharedMemory": {"enabled": true}, "personas": [{"name": "a", "systemPrompt": "p", "provider": "openai"}]}}));
        assert_eq!(p.unknown_fields(), vec!["spec.sharedMemory", "spec.personas[0].provider"]);
        assert!(p.warnings.is_empty(), "unknown is not malformed");
    }

    #[test]
    fn an_ensemble_reads_into_the_same_model() {
        let p = PersonaPack::from_value(&json!({"kind": "Ensemble", "metadata": {"name": "x"}, "spec": {
            "modelRef": "m", "sharedMemory": {"enabled": true}, "personas": [],
            "agentConfigs": [{"name": "a", "systemPrompt": "p", "provider": "openai", "subagents": {}, "typo": 1}]},
            "status": {"personaCount": 1, "installedPersonas": [{"name": "a", "instanceName": "x-a"}]}}));
        assert_eq!(p.era, Era::Ensemble);
        assert_eq!(p.spec.personas.len(), 1, "agentConfigs are the personas");
        assert_eq!(p.spec.personas[0].name, "a");
        assert_eq!(p.status.installed_personas[0].instance_name, "x-a");
        // v0.10's own fields are known; v0.8's `personas` and a typo are not.
        assert_eq!(p.unknown_fields(), vec!["spec.personas", "spec.agentConfigs[0].typo"]);
        let labelled = BTreeMap::from([("sympozium.ai/ensemble".to_string(), "x".to_string())]);
        assert!(p.is_managed_secret("anything", &labelled));
        let s = Schedule::from_value(&json!({"spec": {"agentRef": "x-a", "schedule": "* * * * *", "task": "t"}}));
        assert_eq!(s.spec.instance_ref, "x-a");
        assert_eq!(Era::of_kind("PersonaPack"), Some(Era::PersonaPack));
        assert_eq!(Era::of_kind("Agent"), None);
        assert_eq!(Era::Ensemble.qualified(), "ensemble.sympozium.ai");
    }

    #[test]
    fn an_ensembles_malformed_field_is_named_by_its_own_path() {
        let p = PersonaPack::from_value(&json!({"kind": "Ensemble", "metadata": {"name": "x"}, "spec": {
            "agentConfigs": [{"name": "a", "systemPrompt": "p", "skills": "not-a-list"}]}}));
        let paths: Vec<&str> = p.warnings.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(paths, vec!["spec.agentConfigs[0].skills"]);
        assert_eq!(p.spec.personas.len(), 1);
    }

    #[test]
    fn a_spec_of_the_wrong_type_is_reported_not_fatal() {
        let p = PersonaPack::from_value(&json!({"metadata": {"name": "x"}, "spec": "garbage"}));
        assert_eq!(p.spec, PackSpec::default());
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].path, "spec");
    }

    #[test]
    fn managed_secrets_follow_the_controller_rule() {
        let p = PersonaPack::from_value(&json!({"metadata": {"name": "team"}, "spec": {"personas": []}}));
        let none = BTreeMap::new();
        assert!(p.is_managed_secret("team-openai-key", &none));
        assert!(p.is_managed_secret("team-credentials", &none));
        assert!(!p.is_managed_secret("my-openai-key", &none));
        let labelled = BTreeMap::from([(Era::PersonaPack.label_pack().to_string(), "team".to_string())]);
        assert!(p.is_managed_secret("anything", &labelled));
    }
}

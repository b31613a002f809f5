//! The pack itself (PersonaPack or Ensemble): its spec, personas and status,
//! read leniently.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::*;

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
    /// v0.9+: the Model the agents run on.
    pub model_ref: Option<String>,
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

/// A PersonaPack's spec fields (v0.8.28 `personapack_types.go`); an
/// Ensemble's have the same names and types but `personas` (`agentConfigs`).
pub const PACK_FIELDS: &[&str] = &[
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

/// A persona's fields (v0.8.28), all of them an agent config's too.
pub const PERSONA_FIELDS: &[&str] = &[
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
            PACK_FIELDS.contains(&k) && k != "personas"
                || ensemble && ENSEMBLE.contains(&k)
                || !ensemble && k == "personas"
        };
        let known_member = |k: &str| PERSONA_FIELDS.contains(&k) || ensemble && AGENT_CONFIG.contains(&k);
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

    /// The Model the pack's agents run on (v0.9+); empty when none.
    pub fn model_ref(&self) -> &str {
        self.spec.model_ref.as_deref().unwrap_or_default()
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

//! Pure planning for `enable` and `disable`: providers and their credentials
//! as upstream names them, the Secret to write, the merge patch to send, and
//! what the controller will delete on disable. No I/O here.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::model::{LABEL_PACK, PersonaPack, instance_name, memory_name};
use crate::output::escape;

/// Model providers, as the Sympozium TUI and API offer them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Provider {
    Openai,
    Anthropic,
    AzureOpenai,
    Ollama,
    LmStudio,
    LlamaServer,
    Bedrock,
    Custom,
}

/// Whether a provider needs an API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyNeed {
    Required,
    Optional,
    None,
}

impl Provider {
    pub const ALL: [Provider; 8] = [
        Provider::Openai,
        Provider::Anthropic,
        Provider::AzureOpenai,
        Provider::Ollama,
        Provider::LmStudio,
        Provider::LlamaServer,
        Provider::Bedrock,
        Provider::Custom,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Provider::Openai => "openai",
            Provider::Anthropic => "anthropic",
            Provider::AzureOpenai => "azure-openai",
            Provider::Ollama => "ollama",
            Provider::LmStudio => "lm-studio",
            Provider::LlamaServer => "llama-server",
            Provider::Bedrock => "bedrock",
            Provider::Custom => "custom",
        }
    }

    /// The Secret data key the agent runner reads the key from.
    pub fn key_field(self) -> &'static str {
        match self {
            Provider::Openai => "OPENAI_API_KEY",
            Provider::Anthropic => "ANTHROPIC_API_KEY",
            Provider::AzureOpenai => "AZURE_OPENAI_API_KEY",
            Provider::Bedrock => "AWS_SECRET_ACCESS_KEY",
            _ => "API_KEY",
        }
    }

    pub fn key_need(self) -> KeyNeed {
        match self {
            Provider::Openai | Provider::Anthropic | Provider::AzureOpenai | Provider::Bedrock => KeyNeed::Required,
            Provider::LmStudio | Provider::LlamaServer | Provider::Custom => KeyNeed::Optional,
            Provider::Ollama => KeyNeed::None,
        }
    }

    /// The model the Sympozium TUI offers by default.
    pub fn default_model(self) -> Option<&'static str> {
        match self {
            Provider::Openai => Some("gpt-4o"),
            Provider::Anthropic => Some("claude-sonnet-4-20250514"),
            Provider::Ollama => Some("llama3"),
            Provider::Bedrock => Some("anthropic.claude-sonnet-4-20250514-v1:0"),
            _ => None,
        }
    }

    /// Local providers' default endpoints (upstream API and TUI defaults).
    pub fn default_base_url(self) -> Option<&'static str> {
        match self {
            Provider::Ollama => Some("http://ollama.default.svc:11434/v1"),
            Provider::LmStudio => Some("http://localhost:1234/v1"),
            Provider::LlamaServer => Some("http://localhost:8080/v1"),
            _ => None,
        }
    }

    /// Upstream's credential Secret name for a pack and provider.
    pub fn secret_name(self, pack: &str) -> String {
        format!("{pack}-{}-key", self.name())
    }
}

/// The credential as read from stdin, the environment or a prompt. Never
/// printed: `Debug` is redacted on purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub data: BTreeMap<String, String>,
}

/// The key's bytes are overwritten when the credential goes (copies made to
/// send it — the request body — are beyond reach).
impl Drop for Credential {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        for v in self.data.values_mut() {
            v.zeroize();
        }
    }
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credential({} keys, redacted)", self.data.len())
    }
}

impl Credential {
    /// One API key for a provider (bedrock takes its AWS set through `aws`).
    pub fn api_key(provider: Provider, key: String) -> Credential {
        Credential { data: BTreeMap::from([(provider.key_field().to_string(), key)]) }
    }

    /// Bedrock's AWS credentials, as upstream stores them.
    pub fn aws(region: String, access_key: String, secret_key: String, session: Option<String>) -> Credential {
        let mut data = BTreeMap::from([
            ("AWS_REGION".to_string(), region),
            ("AWS_ACCESS_KEY_ID".to_string(), access_key),
            ("AWS_SECRET_ACCESS_KEY".to_string(), secret_key),
        ]);
        if let Some(s) = session {
            data.insert("AWS_SESSION_TOKEN".into(), s);
        }
        Credential { data }
    }
}

/// Everything `enable` was asked to set; absent means "leave as is".
#[derive(Clone, Debug, Default)]
pub struct EnableRequest {
    pub provider: Option<Provider>,
    /// An existing Secret to reference instead of writing one.
    pub secret: Option<String>,
    pub credential: Option<Credential>,
    pub model: Option<String>,
    pub base_url: Option<String>,
    pub task: Option<String>,
    /// The exact exclude list (`--exclude`).
    pub exclude: Option<Vec<String>>,
    /// Personas to re-include (`enable --persona`); then nothing else changes.
    pub include: Vec<String>,
    pub skill_params: Vec<(String, String, String)>,
    pub policy: Option<String>,
    pub channel_secrets: Vec<(String, String)>,
}

/// A Secret to create (or update) with the credential.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretPlan {
    pub name: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub data: Credential,
}

impl SecretPlan {
    /// The Secret object; `redact` replaces every value (for dry runs).
    pub fn object(&self, redact: bool) -> Value {
        let data: Map<String, Value> = self
            .data
            .data
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(if redact { "<redacted>".into() } else { v.clone() })))
            .collect();
        json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": self.name, "namespace": self.namespace, "labels": self.labels},
            "type": "Opaque",
            "stringData": data,
        })
    }
}

/// What a Secret write did, in kubectl apply's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    Created,
    Configured,
    Unchanged,
}

impl Written {
    pub fn word(self) -> &'static str {
        match self {
            Written::Created => "created",
            Written::Configured => "configured",
            Written::Unchanged => "unchanged",
        }
    }
}

pub const MANAGED_BY: &str = "kubectl-personapack";

/// Every key enable has ever written into a provider Secret: the only keys it
/// may remove from a Secret of its own (a stale bedrock session token, say).
pub const KEY_FIELDS: &[&str] = &[
    "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY",
    "AZURE_OPENAI_API_KEY",
    "API_KEY",
    "AWS_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// Did kubectl-personapack write this Secret, for this pack?
pub fn is_our_secret(labels: &BTreeMap<String, String>, pack: &str) -> bool {
    labels.get("app.kubernetes.io/managed-by").is_some_and(|v| v == MANAGED_BY)
        && labels.get(crate::model::LABEL_PACK).is_some_and(|v| v == pack)
}

/// An existing Secret as enable compares it: its data and its labels.
pub type ExistingSecret<'a> = (&'a BTreeMap<String, Vec<u8>>, &'a BTreeMap<String, String>);

/// What writing `plan` over `existing` (its data and labels) does, in kubectl
/// apply's words, and the merge patch that does it. Keys are removed only from
/// a Secret of ours, and only keys enable itself writes; an adopted Secret
/// keeps every key it had.
pub fn secret_change(plan: &SecretPlan, pack: &str, existing: Option<ExistingSecret>) -> (Written, Value) {
    let Some((have, have_labels)) = existing else { return (Written::Created, Value::Null) };
    let want = &plan.data.data;
    let ours = is_our_secret(have_labels, pack);
    let stale: Vec<&String> =
        have.keys().filter(|k| ours && !want.contains_key(*k) && KEY_FIELDS.contains(&k.as_str())).collect();
    let same_data = stale.is_empty() && want.iter().all(|(k, v)| have.get(k).is_some_and(|b| b == v.as_bytes()));
    let same_labels = plan.labels.iter().all(|(k, v)| have_labels.get(k) == Some(v));
    if same_data && same_labels {
        return (Written::Unchanged, Value::Null);
    }
    let mut data = Map::new();
    for k in stale {
        data.insert(k.clone(), Value::Null);
    }
    let string_data: Map<String, Value> = want.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    (Written::Configured, json!({"metadata": {"labels": plan.labels}, "data": data, "stringData": string_data}))
}

/// What `enable` will write.
#[derive(Clone, Debug, PartialEq)]
pub struct EnablePlan {
    pub secret: Option<SecretPlan>,
    /// A JSON merge patch for the PersonaPack.
    pub patch: Value,
    /// The patch carries values computed from the current object, so it is
    /// guarded by `metadata.resourceVersion` (a conflict means re-read, re-plan).
    pub guarded: bool,
    /// Secrets the patch refers to that must already exist (checked before writing).
    pub must_exist: Vec<String>,
    /// Lines for the user: what this will do.
    pub summary: Vec<String>,
    /// Things worth a warning (stderr), not a refusal.
    pub warnings: Vec<String>,
}

/// Validate persona names against the pack; refuse unknown ones, listing the valid.
pub fn check_personas(pack: &PersonaPack, names: &[String]) -> Result<()> {
    let valid: Vec<&str> = pack.spec.personas.iter().map(|p| p.name.as_str()).collect();
    let unknown: Vec<&String> = names.iter().filter(|n| !valid.contains(&n.as_str())).collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(Error::usage(format!(
        "personapack \"{}\" has no persona {}; its personas are: {}",
        escape(&pack.meta.name),
        unknown.iter().map(|u| format!("\"{}\"", escape(u))).collect::<Vec<_>>().join(", "),
        valid.iter().map(|v| escape(v)).collect::<Vec<_>>().join(", ")
    )))
}

/// Names the controller will create must be valid: each becomes a label
/// value and `<pack>-<persona>-memory` a Service name (DNS-1035, ≤ 63).
pub fn check_generated_names(pack: &PersonaPack) -> Result<()> {
    for p in pack.active_personas() {
        let name = memory_name(&pack.meta.name, &p.name);
        let ok_chars = name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && !name.ends_with('-');
        if name.len() > 63 || !ok_chars {
            return Err(Error::usage(format!(
                "persona \"{}\": the controller would name its memory Service \"{}\" ({} characters), which is not a valid DNS-1035 label of at most 63 characters; exclude the persona or use a shorter pack name",
                escape(&p.name),
                escape(&name),
                name.len()
            )));
        }
    }
    Ok(())
}

/// Plan an `enable` of `pack` (as read) for `req`.
pub fn plan_enable(pack: &PersonaPack, req: &EnableRequest) -> Result<EnablePlan> {
    let name = &pack.meta.name;
    let mut spec = Map::new();
    let mut summary = Vec::new();
    let mut warnings = Vec::new();
    let mut guarded = false;
    let mut secret = None;
    let mut must_exist = Vec::new();

    check_personas(pack, &req.include)?;
    if let Some(ex) = &req.exclude {
        check_personas(pack, ex)?;
    }

    // Re-including personas touches excludePersonas and nothing else.
    if !req.include.is_empty() {
        let kept: Vec<String> =
            pack.spec.exclude_personas.iter().filter(|e| !req.include.contains(e)).cloned().collect();
        spec.insert("excludePersonas".into(), if kept.is_empty() { Value::Null } else { json!(kept) });
        guarded = true;
        for p in &req.include {
            if pack.is_excluded(p) {
                summary.push(format!("re-include persona {p}: the controller recreates {}", instance_name(name, p)));
            } else {
                summary.push(format!("persona {p} is not excluded: nothing to do"));
            }
        }
        if !pack.spec.enabled {
            warnings.push(format!("personapack \"{name}\" is disabled: the personas come up when it is enabled"));
        }
        return Ok(EnablePlan { secret, patch: json!({"spec": spec}), guarded, must_exist, summary, warnings });
    }

    spec.insert("enabled".into(), json!(true));
    summary.push(format!("enable personapack {name}"));

    if let Some(provider) = req.provider {
        let secret_name = match (&req.secret, &req.credential) {
            (Some(s), _) => {
                must_exist.push(s.clone());
                summary.push(format!("use existing Secret {s} for {}", provider.name()));
                Some(s.clone())
            }
            (None, Some(cred)) => {
                let s = provider.secret_name(name);
                secret = Some(SecretPlan {
                    name: s.clone(),
                    namespace: pack.meta.namespace.clone(),
                    labels: BTreeMap::from([
                        (LABEL_PACK.to_string(), name.clone()),
                        ("app.kubernetes.io/managed-by".to_string(), MANAGED_BY.to_string()),
                    ]),
                    data: cred.clone(),
                });
                summary.push(format!(
                    "write Secret {s} with {} (value never shown)",
                    cred.data.keys().cloned().collect::<Vec<_>>().join(", ")
                ));
                Some(s)
            }
            (None, None) if provider.key_need() == KeyNeed::Required => {
                return Err(Error::usage(format!(
                    "provider {} needs an API key: pass --api-key-stdin, --api-key-env VAR or --secret NAME, or run on a terminal to be prompted",
                    provider.name()
                )));
            }
            (None, None) => None,
        };
        match secret_name {
            Some(s) => {
                spec.insert("authRefs".into(), json!([{"provider": provider.name(), "secret": s}]));
                summary.push(format!("set authRefs to [{}: {s}]", provider.name()));
            }
            None => {
                // Keyless: no Secret, and no dangling reference to an old one.
                spec.insert("authRefs".into(), Value::Null);
                if !pack.spec.auth_refs.is_empty() {
                    summary.push("remove authRefs (keyless provider)".into());
                }
            }
        }
        // The provider's endpoint: the flag, else its default (none for cloud providers).
        match req.base_url.clone().or(provider.default_base_url().map(String::from)) {
            Some(url) => {
                summary.push(format!("set baseURL {url}"));
                spec.insert("baseURL".into(), json!(url));
            }
            None => {
                if pack.spec.base_url.is_some() {
                    summary.push("remove baseURL (the provider's own endpoint)".into());
                }
                spec.insert("baseURL".into(), Value::Null);
            }
        }
    } else {
        if req.secret.is_some() || req.credential.is_some() {
            return Err(Error::usage("--secret and an API key need --provider"));
        }
        if let Some(url) = &req.base_url {
            spec.insert("baseURL".into(), json!(url));
            summary.push(format!("set baseURL {url}"));
        }
        if pack.spec.auth_refs.is_empty() {
            warnings.push(format!(
                "personapack \"{name}\" has no authRefs: its agents get no API key (fine only for keyless local providers; pass --provider)"
            ));
        }
    }

    if let Some(model) = &req.model {
        // Every persona's model: the whole list, guarded against a concurrent change.
        // Start from the raw list so fields this plugin does not model survive.
        let mut personas = pack.raw["spec"]["personas"].as_array().cloned().unwrap_or_default();
        for p in personas.iter_mut().filter(|p| p.is_object()) {
            p["model"] = json!(model);
        }
        spec.insert("personas".into(), Value::Array(personas));
        guarded = true;
        summary.push(format!("set model {model} on every persona"));
    }
    if let Some(task) = &req.task {
        spec.insert("taskOverride".into(), json!(task));
        summary.push(format!("set team objective: {task}"));
    }
    if let Some(ex) = &req.exclude {
        let mut list: Vec<String> = Vec::new();
        for e in ex {
            if !list.contains(e) {
                list.push(e.clone());
            }
        }
        summary.push(if list.is_empty() {
            "exclude no persona".into()
        } else {
            format!("exclude {}", list.join(", "))
        });
        spec.insert("excludePersonas".into(), if list.is_empty() { Value::Null } else { json!(list) });
    }
    if !req.skill_params.is_empty() {
        let mut params = Map::new();
        for (skill, key, value) in &req.skill_params {
            let entry = params.entry(skill.clone()).or_insert_with(|| json!({}));
            entry[key] = json!(value);
            summary.push(format!("set skill param {skill}.{key}={value}"));
        }
        spec.insert("skillParams".into(), Value::Object(params));
    }
    if let Some(policy) = &req.policy {
        spec.insert("policyRef".into(), json!(policy));
        summary.push(format!("set policyRef {policy}"));
    }
    if !req.channel_secrets.is_empty() {
        let mut ch = Map::new();
        for (t, s) in &req.channel_secrets {
            ch.insert(t.clone(), json!(s));
            must_exist.push(s.clone());
            summary.push(format!("use Secret {s} for channel {t}"));
        }
        spec.insert("channelConfigs".into(), Value::Object(ch));
    }

    // Validate what the controller will name, with the exclusions applied.
    let mut effective = pack.clone();
    if let Some(ex) = &req.exclude {
        effective.spec.exclude_personas = ex.clone();
    }
    check_generated_names(&effective)?;

    Ok(EnablePlan { secret, patch: json!({"spec": spec}), guarded, must_exist, summary, warnings })
}

/// Exclude personas (`disable --persona`): the new list, deduplicated, order kept.
pub fn plan_exclude(pack: &PersonaPack, names: &[String]) -> Result<Value> {
    check_personas(pack, names)?;
    let mut list = pack.spec.exclude_personas.clone();
    for n in names {
        if !list.contains(n) {
            list.push(n.clone());
        }
    }
    Ok(json!({"spec": {"excludePersonas": list}}))
}

/// What disabling will make the controller delete (controller §3.2, §3.7).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DisableImpact {
    pub instances: usize,
    pub schedules: usize,
    pub memory: usize,
    /// Credential Secrets the controller deletes (they exist and match its rule).
    pub secrets: Vec<String>,
    pub clears_auth_refs: bool,
}

impl DisableImpact {
    pub fn describe(&self, pack: &str) -> String {
        let mut parts = vec![
            count(self.instances, "SympoziumInstance", "SympoziumInstances"),
            count(self.schedules, "SympoziumSchedule", "SympoziumSchedules"),
            count(self.memory, "memory ConfigMap", "memory ConfigMaps"),
        ];
        if !self.secrets.is_empty() {
            let what = if self.secrets.len() == 1 { "the credential Secret" } else { "the credential Secrets" };
            parts.push(format!("{what} {}", self.secrets.iter().map(|s| escape(s)).collect::<Vec<_>>().join(", ")));
        }
        let mut s = format!(
            "Disabling personapack \"{}\" makes the Sympozium controller delete {}",
            escape(pack),
            parts.join(", ")
        );
        if self.clears_auth_refs {
            s.push_str(", and clear spec.authRefs");
        }
        s.push('.');
        s
    }
}

/// "1 Secret", "3 Secrets": counts read as sentences.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack() -> PersonaPack {
        PersonaPack::from_value(&json!({
            "metadata": {"name": "team", "namespace": "ns"},
            "spec": {"excludePersonas": ["b"], "personas": [
                {"name": "a", "systemPrompt": "x", "schedule": {"type": "sweep", "interval": "5m", "task": "t"}},
                {"name": "b", "systemPrompt": "y"}]}
        }))
    }

    #[test]
    fn openai_with_a_key_writes_the_upstream_secret_and_authref() {
        let req = EnableRequest {
            provider: Some(Provider::Openai),
            credential: Some(Credential::api_key(Provider::Openai, "sk-test".into())),
            ..Default::default()
        };
        let plan = plan_enable(&pack(), &req).unwrap();
        let s = plan.secret.as_ref().unwrap();
        assert_eq!(s.name, "team-openai-key");
        assert_eq!(s.data.data["OPENAI_API_KEY"], "sk-test");
        assert_eq!(s.labels[LABEL_PACK], "team");
        assert_eq!(
            plan.patch,
            json!({"spec": {"enabled": true, "authRefs": [{"provider": "openai", "secret": "team-openai-key"}], "baseURL": null}})
        );
        assert!(!plan.guarded);
        assert!(!format!("{plan:?}").contains("sk-test"), "Debug must not leak the key");
        assert!(s.object(true).to_string().contains("<redacted>"));
        assert!(!s.object(true).to_string().contains("sk-test"));
    }

    #[test]
    fn keyless_provider_gets_no_secret_and_no_authref() {
        let req = EnableRequest { provider: Some(Provider::Ollama), ..Default::default() };
        let plan = plan_enable(&pack(), &req).unwrap();
        assert!(plan.secret.is_none());
        assert_eq!(
            plan.patch,
            json!({"spec": {"enabled": true, "authRefs": null, "baseURL": "http://ollama.default.svc:11434/v1"}})
        );
    }

    #[test]
    fn a_key_is_required_for_cloud_providers() {
        let req = EnableRequest { provider: Some(Provider::Anthropic), ..Default::default() };
        let err = plan_enable(&pack(), &req).unwrap_err().to_string();
        assert!(err.contains("provider anthropic needs an API key"), "{err}");
    }

    #[test]
    fn existing_secret_must_exist_and_is_referenced() {
        let req = EnableRequest { provider: Some(Provider::Openai), secret: Some("mine".into()), ..Default::default() };
        let plan = plan_enable(&pack(), &req).unwrap();
        assert_eq!(plan.must_exist, vec!["mine"]);
        assert_eq!(plan.patch["spec"]["authRefs"], json!([{"provider": "openai", "secret": "mine"}]));
    }

    #[test]
    fn no_provider_only_flips_enabled_and_warns() {
        let plan = plan_enable(&pack(), &EnableRequest::default()).unwrap();
        assert_eq!(plan.patch, json!({"spec": {"enabled": true}}));
        assert!(plan.warnings[0].contains("no authRefs"));
    }

    #[test]
    fn model_sets_every_persona_and_is_guarded() {
        let req = EnableRequest { model: Some("gpt-4.1".into()), ..Default::default() };
        let plan = plan_enable(&pack(), &req).unwrap();
        assert!(plan.guarded);
        let personas = plan.patch["spec"]["personas"].as_array().unwrap();
        assert_eq!(personas.len(), 2);
        assert!(personas.iter().all(|p| p["model"] == "gpt-4.1"));
        assert_eq!(personas[0]["schedule"]["interval"], "5m");
        assert!(!plan.patch.to_string().contains("null"), "no field is deleted by accident");
    }

    #[test]
    fn include_and_exclude_edit_the_list_exactly() {
        let req = EnableRequest { include: vec!["b".into()], ..Default::default() };
        let plan = plan_enable(&pack(), &req).unwrap();
        assert_eq!(plan.patch, json!({"spec": {"excludePersonas": null}}));
        assert!(plan.guarded);
        assert_eq!(
            plan_exclude(&pack(), &["a".into(), "b".into(), "a".into()]).unwrap(),
            json!({"spec": {"excludePersonas": ["b", "a"]}})
        );
        let err = plan_exclude(&pack(), &["zed".into()]).unwrap_err().to_string();
        assert_eq!(err, "error: personapack \"team\" has no persona \"zed\"; its personas are: a, b");
    }

    #[test]
    fn names_too_long_for_kubernetes_are_refused() {
        let mut p = pack();
        p.meta.name = "a".repeat(60);
        let err = plan_enable(&p, &EnableRequest::default()).unwrap_err().to_string();
        assert!(err.contains("not a valid DNS-1035 label of at most 63 characters"), "{err}");
        // Excluding the offending persona makes it acceptable.
        let req = EnableRequest { exclude: Some(vec!["a".into(), "b".into()]), ..Default::default() };
        assert!(plan_enable(&p, &req).is_ok());
    }

    #[test]
    fn skill_params_policy_channels_and_task() {
        let req = EnableRequest {
            skill_params: vec![("github-gitops".into(), "repo".into(), "o/r".into())],
            policy: Some("strict".into()),
            channel_secrets: vec![("slack".into(), "team-slack-secret".into())],
            task: Some("Ship it".into()),
            ..Default::default()
        };
        let plan = plan_enable(&pack(), &req).unwrap();
        assert_eq!(
            plan.patch,
            json!({"spec": {"enabled": true, "taskOverride": "Ship it", "skillParams": {"github-gitops": {"repo": "o/r"}},
                   "policyRef": "strict", "channelConfigs": {"slack": "team-slack-secret"}}})
        );
        assert_eq!(plan.must_exist, vec!["team-slack-secret"]);
    }

    #[test]
    fn a_secret_keeps_every_key_enable_did_not_write() {
        let req = EnableRequest {
            provider: Some(Provider::Openai),
            credential: Some(Credential::api_key(Provider::Openai, "sk-new".into())),
            ..Default::default()
        };
        let plan = plan_enable(&pack(), &req).unwrap();
        let s = plan.secret.as_ref().unwrap();
        let ours = s.labels.clone();
        let foreign = BTreeMap::from([("team".to_string(), "billing".to_string())]);
        let data = |pairs: &[(&str, &str)]| -> BTreeMap<String, Vec<u8>> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect()
        };
        assert_eq!(secret_change(s, "team", None).0, Written::Created);
        let same = data(&[("OPENAI_API_KEY", "sk-new")]);
        assert_eq!(secret_change(s, "team", Some((&same, &ours))).0, Written::Unchanged);
        // Ours: a stale key of enable's own goes, a key someone added stays.
        let mixed = data(&[("OPENAI_API_KEY", "sk-old"), ("AWS_SESSION_TOKEN", "t"), ("BILLING_DB_PASSWORD", "p")]);
        let (w, patch) = secret_change(s, "team", Some((&mixed, &ours)));
        assert_eq!(w, Written::Configured);
        assert_eq!(patch["data"], json!({"AWS_SESSION_TOKEN": null}));
        assert_eq!(patch["stringData"], json!({"OPENAI_API_KEY": "sk-new"}));
        // Adopted (not ours): nothing is removed, ever.
        let (w, patch) = secret_change(s, "team", Some((&mixed, &foreign)));
        assert_eq!(w, Written::Configured);
        assert_eq!(patch["data"], json!({}));
        assert!(is_our_secret(&ours, "team") && !is_our_secret(&ours, "other") && !is_our_secret(&foreign, "team"));
    }

    #[test]
    fn disable_impact_reads_like_a_sentence() {
        let i = DisableImpact {
            instances: 2,
            schedules: 1,
            memory: 2,
            secrets: vec!["team-openai-key".into()],
            clears_auth_refs: true,
        };
        assert_eq!(
            i.describe("team"),
            "Disabling personapack \"team\" makes the Sympozium controller delete 2 SympoziumInstances, 1 SympoziumSchedule, 2 memory ConfigMaps, the credential Secret team-openai-key, and clear spec.authRefs."
        );
    }
}

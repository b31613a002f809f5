//! Pure planning for `enable` and `disable`: providers and their credentials
//! as upstream names them, the Secret to write, the merge patch to send, and
//! what the controller will delete on disable. No I/O here.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::{Era, PersonaPack, instance_name, memory_name};

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
    /// One value under one key (a bot token, the GitHub token).
    pub fn one(key: &str, value: String) -> Credential {
        Credential { data: BTreeMap::from([(key.to_string(), value)]) }
    }

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

/// Channel types a persona can be bound to, in the TUI's order, with the
/// Secret data key its bot token goes in (WhatsApp pairs by QR: no token).
pub const CHANNELS: [(&str, Option<&str>); 4] = [
    ("telegram", Some("TELEGRAM_BOT_TOKEN")),
    ("slack", Some("SLACK_BOT_TOKEN")),
    ("discord", Some("DISCORD_BOT_TOKEN")),
    ("whatsapp", None),
];

/// The token key of a channel type; `None` for an unknown type.
pub fn channel_token_key(channel: &str) -> Option<Option<&'static str>> {
    CHANNELS.iter().find(|(c, _)| *c == channel).map(|(_, k)| *k)
}

/// The Secret key a channel's bot token goes in; refused for an unknown
/// channel or one without a token (WhatsApp pairs by QR code).
pub fn channel_token_field(flag: &str, channel: &str) -> Result<&'static str> {
    match channel_token_key(channel) {
        Some(Some(key)) => Ok(key),
        Some(None) => Err(Error::usage(format!("{flag}: channel {channel} takes no token (it pairs by QR code)"))),
        None => Err(Error::usage(format!("{flag}: unknown channel {channel:?} (channels: {})", channel_names()))),
    }
}

pub fn channel_names() -> String {
    CHANNELS.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

/// Upstream's (the TUI's) name for a pack's channel token Secret.
pub fn channel_secret_name(pack: &str, channel: &str) -> String {
    format!("{pack}-{channel}-secret")
}

/// Where Sympozium keeps the github-gitops skill's token (its web API and TUI
/// both write it there; the skill's sidecar mounts it by this name).
pub const GITHUB_TOKEN_SECRET: &str = "github-gitops-token";
pub const GITHUB_TOKEN_NAMESPACE: &str = "sympozium-system";
pub const GITHUB_TOKEN_KEY: &str = "GH_TOKEN";

/// The secret values gathered for one `enable` (read by `cmd/enable/tokens.rs`).
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    pub credential: Option<Credential>,
    pub channels: Vec<(String, Credential)>,
    pub github: Option<Credential>,
}

/// One persona's own edits (the web API's `personas[]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PersonaEdit {
    pub name: String,
    pub system_prompt: Option<String>,
    pub skills: Option<Vec<String>>,
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
    /// An Ensemble's Model (`Some("")` removes it).
    pub model_ref: Option<String>,
    pub task: Option<String>,
    /// The exact exclude list (`--exclude`).
    pub exclude: Option<Vec<String>>,
    /// Personas to re-include (`enable --persona`); then nothing else changes.
    pub include: Vec<String>,
    pub skill_params: Vec<(String, String, String)>,
    pub policy: Option<String>,
    /// Channel types bound to every persona (replacing their lists, as upstream does).
    pub channels: Vec<String>,
    /// Bot tokens to store in `<pack>-<channel>-secret`.
    pub channel_tokens: Vec<(String, Credential)>,
    /// Existing Secrets holding a channel's token.
    pub channel_secrets: Vec<(String, String)>,
    /// Every scheduled persona's heartbeat: an interval (sets `interval`,
    /// clears `cron`, as the web API does) or a cron line (the reverse, as the TUI does).
    pub heartbeat: Option<String>,
    /// `spec.agentSandbox`: `Some(Some(runtimeClass))` on, `Some(None)` off.
    pub agent_sandbox: Option<Option<String>>,
    /// The github-gitops skill's token (Secret `github-gitops-token`).
    pub github_token: Option<Credential>,
    pub persona_edits: Vec<PersonaEdit>,
}

/// A Secret to create (or update) with the credential.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretPlan {
    pub name: String,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub data: Credential,
    /// What it holds.
    pub role: SecretRole,
}

/// What a planned Secret holds, for its messages.
#[derive(Clone, Debug, PartialEq)]
pub enum SecretRole {
    /// The provider's key (its name: `openai`, ...).
    ProviderKey(&'static str),
    /// A channel's bot token (the channel type).
    ChannelToken(String),
    GithubToken,
}

impl SecretRole {
    /// "the openai key", "the slack bot token", "the GitHub token".
    pub fn purpose(&self) -> String {
        match self {
            SecretRole::ProviderKey(p) => format!("the {p} key"),
            SecretRole::ChannelToken(c) => format!("the {c} bot token"),
            SecretRole::GithubToken => "the GitHub token".into(),
        }
    }

    /// How to use an existing Secret of that name instead of writing it.
    pub fn use_existing(&self, name: &str) -> String {
        match self {
            SecretRole::ProviderKey(_) => format!("Use it as it is with --secret {name}"),
            SecretRole::ChannelToken(c) => format!("Use it as it is with --channel-secret {c}={name}"),
            SecretRole::GithubToken => "Leave it as it is (omit the GitHub token)".into(),
        }
    }
}

impl SecretPlan {
    /// Did kubectl-personapack write the Secret with these labels, for the
    /// same owner (the pack; for the GitHub token, the skill)?
    pub fn is_ours(&self, labels: &BTreeMap<String, String>) -> bool {
        self.labels.iter().all(|(k, v)| labels.get(k) == Some(v))
    }

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
    "TELEGRAM_BOT_TOKEN",
    "SLACK_BOT_TOKEN",
    "DISCORD_BOT_TOKEN",
    "GH_TOKEN",
];

/// An existing Secret as enable compares it: its data and its labels.
pub type ExistingSecret<'a> = (&'a BTreeMap<String, Vec<u8>>, &'a BTreeMap<String, String>);

/// What writing `plan` over `existing` (its data and labels) does, in kubectl
/// apply's words, and the merge patch that does it. Keys are removed only from
/// a Secret of ours, and only keys enable itself writes; an adopted Secret
/// keeps every key it had.
pub fn secret_change(plan: &SecretPlan, existing: Option<ExistingSecret>) -> (Written, Value) {
    let Some((have, have_labels)) = existing else { return (Written::Created, Value::Null) };
    let want = &plan.data.data;
    let ours = plan.is_ours(have_labels);
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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnablePlan {
    /// Secrets to create or update, in order: the provider's key, channel
    /// tokens, the GitHub token.
    pub secrets: Vec<SecretPlan>,
    /// A JSON merge patch for the PersonaPack.
    pub patch: Value,
    /// The patch carries values computed from the current object, so it is
    /// guarded by `metadata.resourceVersion` (a conflict means re-read, re-plan).
    pub guarded: bool,
    /// Secrets the patch refers to that must already exist (checked before
    /// writing), each with what to do when it does not.
    pub must_exist: Vec<(String, String)>,
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

/// The plan as it is built: the spec patch and what goes with it.
struct Draft<'a> {
    pack: &'a PersonaPack,
    spec: Map<String, Value>,
    /// `spec.personas` from the raw object (fields this plugin does not model
    /// survive), once any step edits a persona; sent whole and guarded.
    personas: Option<Vec<Value>>,
    plan: EnablePlan,
}

impl<'a> Draft<'a> {
    fn new(pack: &'a PersonaPack) -> Self {
        Draft { pack, spec: Map::new(), personas: None, plan: EnablePlan::default() }
    }

    fn set(&mut self, field: &str, value: Value, line: impl Into<String>) {
        self.spec.insert(field.into(), value);
        self.say(line);
    }

    fn say(&mut self, line: impl Into<String>) {
        let line = line.into();
        if !line.is_empty() {
            self.plan.summary.push(line);
        }
    }

    /// Every persona, to edit in place.
    fn personas(&mut self) -> &mut Vec<Value> {
        let raw = &self.pack.raw;
        let field = self.pack.era.members_field();
        self.personas.get_or_insert_with(|| raw["spec"][field].as_array().cloned().unwrap_or_default())
    }

    /// A Secret of ours for this pack.
    fn secret(&mut self, name: String, data: &Credential, role: SecretRole) {
        let pack = &self.pack.meta;
        self.say(format!(
            "write Secret {name} with {} (value never shown)",
            data.data.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
        self.plan.secrets.push(SecretPlan {
            name,
            namespace: pack.namespace.clone(),
            labels: BTreeMap::from([
                (self.pack.era.label_pack().to_string(), pack.name.clone()),
                (crate::names::MANAGED_BY_LABEL.to_string(), crate::names::MANAGED_BY.to_string()),
            ]),
            data: data.clone(),
            role,
        });
    }

    fn finish(mut self) -> EnablePlan {
        if let Some(list) = self.personas.take() {
            self.spec.insert(self.pack.era.members_field().into(), Value::Array(list));
            self.plan.guarded = true;
        }
        self.plan.patch = json!({"spec": self.spec});
        self.plan
    }
}

/// Plan an `enable` of `pack` (as read) for `req`: one step per thing asked,
/// in the wizard's order.
pub fn plan_enable(pack: &PersonaPack, req: &EnableRequest) -> Result<EnablePlan> {
    check_personas(pack, &req.include)?;
    if let Some(ex) = &req.exclude {
        check_personas(pack, ex)?;
    }
    let edited: Vec<String> = req.persona_edits.iter().map(|e| e.name.clone()).collect();
    check_personas(pack, &edited)?;
    if !req.include.is_empty() {
        return Ok(plan_reinclude(pack, &req.include));
    }
    let mut d = Draft::new(pack);
    d.set("enabled", json!(true), format!("enable {} {}", pack.era.singular(), pack.meta.name));
    plan_provider(&mut d, req)?;
    plan_model_ref(&mut d, req)?;
    plan_model(&mut d, req);
    plan_team(&mut d, req);
    plan_agent_sandbox(&mut d, req);
    plan_channels(&mut d, req)?;
    plan_heartbeat(&mut d, req)?;
    plan_persona_edits(&mut d, req);
    plan_github_token(&mut d, req);

    // Validate what the controller will name, with the exclusions applied.
    let mut effective = pack.clone();
    if let Some(ex) = &req.exclude {
        effective.spec.exclude_personas = ex.clone();
    }
    check_generated_names(&effective)?;
    Ok(d.finish())
}

/// Re-including personas touches excludePersonas and nothing else.
fn plan_reinclude(pack: &PersonaPack, include: &[String]) -> EnablePlan {
    let name = &pack.meta.name;
    let mut d = Draft::new(pack);
    let kept: Vec<String> = pack.spec.exclude_personas.iter().filter(|e| !include.contains(e)).cloned().collect();
    d.spec.insert("excludePersonas".into(), if kept.is_empty() { Value::Null } else { json!(kept) });
    d.plan.guarded = true;
    for p in include {
        if pack.is_excluded(p) {
            d.say(format!("re-include persona {p}: the controller recreates {}", instance_name(name, p)));
        } else {
            d.say(format!("persona {p} is not excluded: nothing to do"));
        }
    }
    if !pack.spec.enabled {
        d.plan.warnings.push(format!("personapack \"{name}\" is disabled: the personas come up when it is enabled"));
    }
    d.finish()
}

/// The provider: its key (a Secret of ours, or an existing one), authRefs, baseURL.
fn plan_provider(d: &mut Draft, req: &EnableRequest) -> Result<()> {
    let pack = d.pack;
    let Some(provider) = req.provider else {
        if req.secret.is_some() || req.credential.is_some() {
            return Err(Error::usage("--secret and an API key need --provider"));
        }
        if let Some(url) = &req.base_url {
            d.set("baseURL", json!(url), format!("set baseURL {url}"));
        }
        let model_ref = req.model_ref.as_deref().or(pack.raw["spec"]["modelRef"].as_str()).unwrap_or_default();
        if pack.spec.auth_refs.is_empty() && model_ref.is_empty() {
            d.plan.warnings.push(format!(
                "{} \"{}\" has no authRefs: its agents get no API key (fine only for keyless local providers; pass --provider)",
                pack.era.singular(),
                pack.meta.name
            ));
        }
        return Ok(());
    };
    let secret_name = match (&req.secret, &req.credential) {
        (Some(s), _) => {
            d.plan
                .must_exist
                .push((s.clone(), "create it first, or give the key with --api-key-stdin / --api-key-env".to_string()));
            d.say(format!("use existing Secret {s} for {}", provider.name()));
            Some(s.clone())
        }
        (None, Some(cred)) => {
            let s = provider.secret_name(&pack.meta.name);
            d.secret(s.clone(), cred, SecretRole::ProviderKey(provider.name()));
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
        Some(s) => d.set(
            "authRefs",
            json!([{"provider": provider.name(), "secret": s}]),
            format!("set authRefs to [{}: {s}]", provider.name()),
        ),
        // Keyless: no Secret, and no dangling reference to an old one.
        None => {
            let line = if pack.spec.auth_refs.is_empty() { "" } else { "remove authRefs (keyless provider)" };
            d.set("authRefs", Value::Null, line);
        }
    }
    // The provider's endpoint: the flag, else its default (none for cloud providers).
    match req.base_url.clone().or(provider.default_base_url().map(String::from)) {
        Some(url) => d.set("baseURL", json!(url), format!("set baseURL {url}")),
        None => {
            let line = if pack.spec.base_url.is_some() { "remove baseURL (the provider's own endpoint)" } else { "" };
            d.set("baseURL", Value::Null, line);
        }
    }
    Ok(())
}

/// An Ensemble's Model (v0.9+), as the v0.10 web API sets it: the Model's
/// endpoint replaces baseURL and no key is needed (authRefs go). A provider
/// given to a pack with a modelRef replaces the Model (the web API would keep
/// it, and the provider's key would serve only agent configs pinned to it).
fn plan_model_ref(d: &mut Draft, req: &EnableRequest) -> Result<()> {
    let pack = d.pack;
    let current = pack.raw["spec"]["modelRef"].as_str().unwrap_or_default().to_string();
    match req.model_ref.as_deref() {
        Some(_) if pack.era != Era::Ensemble => Err(Error::usage(format!(
            "--model-ref needs an Ensemble (Sympozium v0.9 or later, where Models arrived): {} \"{}\" is a PersonaPack",
            pack.era.singular(),
            pack.meta.name
        ))),
        Some(m) if !m.is_empty() && (req.provider.is_some() || req.base_url.is_some()) => Err(Error::usage(format!(
            "--model-ref {m} serves the agents from the Model, without a key: it cannot go with --provider or --base-url"
        ))),
        Some("") => {
            let line = if current.is_empty() { String::new() } else { format!("remove modelRef {current}") };
            d.set("modelRef", Value::Null, line);
            Ok(())
        }
        Some(m) => {
            d.set(
                "modelRef",
                json!(m),
                format!("set modelRef {m}: the Model's endpoint serves the agents, no API key"),
            );
            let line = if pack.spec.auth_refs.is_empty() { "" } else { "remove authRefs (the Model needs no key)" };
            d.set("authRefs", Value::Null, line);
            let line = if pack.spec.base_url.is_some() { "remove baseURL (the Model's endpoint)" } else { "" };
            d.set("baseURL", Value::Null, line);
            Ok(())
        }
        None if !current.is_empty() && req.provider.is_some() => {
            d.set("modelRef", Value::Null, format!("remove modelRef {current} (the provider serves the agents now)"));
            Ok(())
        }
        None => Ok(()),
    }
}

/// Every persona's model (opt-in: the web API's way; the TUI always sets one).
fn plan_model(d: &mut Draft, req: &EnableRequest) {
    let Some(model) = &req.model else { return };
    for p in d.personas().iter_mut().filter(|p| p.is_object()) {
        p["model"] = json!(model);
    }
    d.say(format!("set model {model} on every persona"));
}

/// The team as a whole: objective, exclusions, skill parameters, policy.
fn plan_team(d: &mut Draft, req: &EnableRequest) {
    if let Some(task) = &req.task {
        d.set("taskOverride", json!(task), format!("set team objective: {task}"));
    }
    if let Some(ex) = &req.exclude {
        let mut list: Vec<String> = Vec::new();
        for e in ex {
            if !list.contains(e) {
                list.push(e.clone());
            }
        }
        let line = if list.is_empty() { "exclude no persona".into() } else { format!("exclude {}", list.join(", ")) };
        d.set("excludePersonas", if list.is_empty() { Value::Null } else { json!(list) }, line);
    }
    if !req.skill_params.is_empty() {
        let mut params = Map::new();
        for (skill, key, value) in &req.skill_params {
            let entry = params.entry(skill.clone()).or_insert_with(|| json!({}));
            entry[key] = json!(value);
            d.say(format!("set skill param {skill}.{key}={value}"));
        }
        d.spec.insert("skillParams".into(), Value::Object(params));
    }
    if let Some(policy) = &req.policy {
        d.set("policyRef", json!(policy), format!("set policyRef {policy}"));
    }
}

/// Agent Sandbox for every run of the pack's instances (`spec.agentSandbox`).
fn plan_agent_sandbox(d: &mut Draft, req: &EnableRequest) {
    match &req.agent_sandbox {
        None => {}
        Some(Some(class)) => d.set(
            "agentSandbox",
            json!({"enabled": true, "runtimeClass": class}),
            format!("run agents in Agent Sandbox (runtime class {class})"),
        ),
        Some(None) => {
            let line = if d.pack.spec.agent_sandbox.is_some() { "turn Agent Sandbox off" } else { "" };
            d.set("agentSandbox", Value::Null, line);
        }
    }
}

/// Channels: every persona bound to the channel types asked for (its list
/// replaced, as both upstream paths do), each channel's token in a Secret of
/// ours or an existing one, named in channelConfigs.
fn plan_channels(d: &mut Draft, req: &EnableRequest) -> Result<()> {
    let name = d.pack.meta.name.clone();
    let mut configs = Map::new();
    for (channel, cred) in &req.channel_tokens {
        let s = channel_secret_name(&name, channel);
        d.secret(s.clone(), cred, SecretRole::ChannelToken(channel.clone()));
        configs.insert(channel.clone(), json!(s));
    }
    for (channel, s) in &req.channel_secrets {
        d.plan.must_exist.push((
            s.clone(),
            format!("create it first (with the bot token), or give the token with --channel-token-env {channel}=VAR"),
        ));
        d.say(format!("use Secret {s} for channel {channel}"));
        configs.insert(channel.clone(), json!(s));
    }
    for channel in &req.channels {
        let needs_token = channel_token_key(channel).flatten();
        let covered =
            configs.contains_key(channel) || d.pack.spec.channel_configs.get(channel).is_some_and(|s| !s.is_empty());
        if let (Some(key), false) = (needs_token, covered) {
            return Err(Error::usage(format!(
                "channel {channel} needs its bot token ({key}): pass --channel-token-env {channel}=VAR, --channel-token-stdin {channel} or --channel-secret {channel}=SECRET, or run on a terminal to be prompted"
            )));
        }
    }
    if !configs.is_empty() {
        d.spec.insert("channelConfigs".into(), Value::Object(configs));
    }
    if !req.channels.is_empty() {
        let list = json!(req.channels);
        for p in d.personas().iter_mut().filter(|p| p.is_object()) {
            p["channels"] = list.clone();
        }
        d.say(format!("bind every persona to {}", req.channels.join(", ")));
    }
    Ok(())
}

/// Every scheduled persona's heartbeat: an interval replaces the cron (the
/// web API's `heartbeatInterval`), a cron line replaces the interval (the TUI).
fn plan_heartbeat(d: &mut Draft, req: &EnableRequest) -> Result<()> {
    let Some(every) = &req.heartbeat else { return Ok(()) };
    let cron = every.contains(' ');
    if cron && every.split_whitespace().count() != 5 {
        return Err(Error::usage(format!("--heartbeat {every:?}: a cron line has five fields")));
    }
    if !cron && !crate::stamp::is_known_interval(every) {
        return Err(Error::usage(format!(
            "--heartbeat {every:?}: not an interval the controller knows ({}), nor a cron line",
            crate::stamp::KNOWN_INTERVALS.join(", ")
        )));
    }
    let (set, clear) = if cron { ("cron", "interval") } else { ("interval", "cron") };
    let mut changed = 0;
    for p in d.personas().iter_mut() {
        if let Some(sc) = p.get_mut("schedule").and_then(Value::as_object_mut) {
            sc.insert(set.into(), json!(every));
            sc.remove(clear);
            changed += 1;
        }
    }
    d.say(format!(
        "set the heartbeat of {} to {set} {every}",
        count(changed, "scheduled persona", "scheduled personas")
    ));
    Ok(())
}

/// One persona's own system prompt and skills (the web API's `personas[]`).
fn plan_persona_edits(d: &mut Draft, req: &EnableRequest) {
    for edit in &req.persona_edits {
        let mut lines = Vec::new();
        for p in d.personas().iter_mut().filter(|p| p["name"] == json!(edit.name)) {
            if let Some(prompt) = &edit.system_prompt {
                p["systemPrompt"] = json!(prompt);
                lines.push(format!(
                    "set the system prompt of persona {} ({} characters)",
                    edit.name,
                    prompt.chars().count()
                ));
            }
            if let Some(skills) = &edit.skills {
                p["skills"] = json!(skills);
                lines.push(format!("set the skills of persona {} to {}", edit.name, skills.join(", ")));
            }
        }
        for l in lines {
            d.say(l);
        }
    }
}

/// The github-gitops skill's token, where Sympozium keeps it: shared by
/// every pack, so labelled for the skill, not the pack (disable leaves it).
fn plan_github_token(d: &mut Draft, req: &EnableRequest) {
    let Some(token) = &req.github_token else { return };
    d.say(format!(
        "write Secret {GITHUB_TOKEN_SECRET} in namespace {GITHUB_TOKEN_NAMESPACE} with {GITHUB_TOKEN_KEY} (value never shown)"
    ));
    d.plan.secrets.push(SecretPlan {
        name: GITHUB_TOKEN_SECRET.into(),
        namespace: GITHUB_TOKEN_NAMESPACE.into(),
        labels: BTreeMap::from([
            (crate::names::MANAGED_BY_LABEL.to_string(), crate::names::MANAGED_BY.to_string()),
            ("app.kubernetes.io/component".to_string(), "skill-secret".to_string()),
            ("sympozium.ai/skill".to_string(), "github-gitops".to_string()),
        ]),
        data: token.clone(),
        role: SecretRole::GithubToken,
    });
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
    /// The objects deleted, as a list for a sentence.
    pub fn objects(&self, era: Era) -> Vec<String> {
        let (agent, _) = era.agent_kind();
        vec![
            count(self.instances, agent, &format!("{agent}s")),
            count(self.schedules, "SympoziumSchedule", "SympoziumSchedules"),
            count(self.memory, "memory ConfigMap", "memory ConfigMaps"),
        ]
    }

    /// The sentence `disable` prints before asking.
    pub fn describe(&self, era: Era, pack: &str) -> String {
        let mut parts = self.objects(era);
        if !self.secrets.is_empty() {
            let what = if self.secrets.len() == 1 { "the credential Secret" } else { "the credential Secrets" };
            parts.push(format!("{what} {}", self.secrets.iter().map(|s| escape(s)).collect::<Vec<_>>().join(", ")));
        }
        let mut s = format!(
            "Disabling {} \"{}\" makes the Sympozium controller delete {}",
            era.singular(),
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

    fn ensemble(extra: Value) -> PersonaPack {
        let mut v = json!({
            "kind": "Ensemble", "metadata": {"name": "team", "namespace": "ns"},
            "spec": {"authRefs": [{"provider": "openai", "secret": "team-openai-key"}], "baseURL": "http://old",
                     "agentConfigs": [{"name": "a", "systemPrompt": "x"}]}
        });
        crate::model::merge_patch(&mut v, &extra);
        PersonaPack::from_value(&v)
    }

    /// `--model-ref`: the v0.10 web API's way (modelRef set, baseURL and
    /// authRefs gone); Ensembles only; not with a provider; a provider given
    /// later replaces the Model; the patch speaks of agentConfigs.
    #[test]
    fn a_model_ref_replaces_key_and_endpoint_on_ensembles_only() {
        let req = EnableRequest { model_ref: Some("local".into()), ..Default::default() };
        let plan = plan_enable(&ensemble(json!({})), &req).unwrap();
        assert_eq!(plan.patch["spec"]["modelRef"], "local");
        assert!(plan.patch["spec"]["authRefs"].is_null() && plan.patch["spec"].get("authRefs").is_some());
        assert!(plan.patch["spec"]["baseURL"].is_null() && plan.patch["spec"].get("baseURL").is_some());
        assert!(plan.warnings.is_empty(), "no 'no authRefs' warning with a Model: {:?}", plan.warnings);
        assert!(plan.summary.iter().any(|l| l.starts_with("enable ensemble team")), "{:?}", plan.summary);

        let e = plan_enable(&pack(), &req).unwrap_err();
        assert!(e.to_string().contains("--model-ref needs an Ensemble"), "{e}");
        let both = EnableRequest { provider: Some(Provider::Ollama), ..req.clone() };
        assert!(
            plan_enable(&ensemble(json!({})), &both).unwrap_err().to_string().contains("cannot go with --provider")
        );

        let with_model = ensemble(json!({"spec": {"modelRef": "local"}}));
        let switch = EnableRequest { provider: Some(Provider::Ollama), ..Default::default() };
        let plan = plan_enable(&with_model, &switch).unwrap();
        assert!(plan.patch["spec"]["modelRef"].is_null() && plan.patch["spec"].get("modelRef").is_some());
        let clear = EnableRequest { model_ref: Some(String::new()), ..Default::default() };
        let plan = plan_enable(&with_model, &clear).unwrap();
        assert!(plan.patch["spec"].get("modelRef").is_some_and(Value::is_null));

        let m = EnableRequest { model: Some("m1".into()), ..Default::default() };
        let plan = plan_enable(&ensemble(json!({})), &m).unwrap();
        assert_eq!(plan.patch["spec"]["agentConfigs"][0]["model"], "m1");
        assert!(plan.patch["spec"].get("personas").is_none());
    }

    /// Each provider's names as Sympozium v0.8.28 uses them: the Secret key the
    /// agent runner reads, the TUI's default model, the local endpoints.
    #[test]
    fn providers_name_what_upstream_names() {
        let table: Vec<_> = Provider::ALL
            .iter()
            .map(|p| (p.name(), p.key_field(), p.key_need(), p.default_model(), p.default_base_url()))
            .collect();
        assert_eq!(
            table,
            vec![
                ("openai", "OPENAI_API_KEY", KeyNeed::Required, Some("gpt-4o"), None),
                ("anthropic", "ANTHROPIC_API_KEY", KeyNeed::Required, Some("claude-sonnet-4-20250514"), None),
                ("azure-openai", "AZURE_OPENAI_API_KEY", KeyNeed::Required, None, None),
                ("ollama", "API_KEY", KeyNeed::None, Some("llama3"), Some("http://ollama.default.svc:11434/v1")),
                ("lm-studio", "API_KEY", KeyNeed::Optional, None, Some("http://localhost:1234/v1")),
                ("llama-server", "API_KEY", KeyNeed::Optional, None, Some("http://localhost:8080/v1")),
                (
                    "bedrock",
                    "AWS_SECRET_ACCESS_KEY",
                    KeyNeed::Required,
                    Some("anthropic.claude-sonnet-4-20250514-v1:0"),
                    None
                ),
                ("custom", "API_KEY", KeyNeed::Optional, None, None),
            ]
        );
        assert_eq!(Provider::Anthropic.secret_name("team"), "team-anthropic-key");
    }

    #[test]
    fn openai_with_a_key_writes_the_upstream_secret_and_authref() {
        let req = EnableRequest {
            provider: Some(Provider::Openai),
            credential: Some(Credential::api_key(Provider::Openai, "sk-test".into())),
            ..Default::default()
        };
        let plan = plan_enable(&pack(), &req).unwrap();
        let s = plan.secrets.first().unwrap();
        assert_eq!(s.name, "team-openai-key");
        assert_eq!(s.data.data["OPENAI_API_KEY"], "sk-test");
        assert_eq!(s.labels[Era::PersonaPack.label_pack()], "team");
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
        assert!(plan.secrets.is_empty());
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
        assert_eq!(plan.must_exist.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), vec!["mine"]);
        assert_eq!(plan.patch["spec"]["authRefs"], json!([{"provider": "openai", "secret": "mine"}]));
    }

    #[test]
    fn no_provider_only_flips_enabled_and_warns() {
        let plan = plan_enable(&pack(), &EnableRequest::default()).unwrap();
        assert_eq!(plan.patch, json!({"spec": {"enabled": true}}));
        assert!(plan.warnings[0].contains("no authRefs"));

        // A Secret or a key alone, without a provider, is refused.
        for req in [
            EnableRequest { secret: Some("mine".into()), ..Default::default() },
            EnableRequest { credential: Some(Credential::api_key(Provider::Openai, "k".into())), ..Default::default() },
        ] {
            assert_eq!(
                plan_enable(&pack(), &req).unwrap_err().report(),
                "error: --secret and an API key need --provider"
            );
        }
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

        // Re-including in a disabled pack says when the persona comes up; enabled, nothing to say.
        assert!(plan.warnings.iter().any(|w| w.contains("is disabled: the personas come up when it is enabled")));
        let mut enabled = pack();
        enabled.spec.enabled = true;
        assert!(plan_enable(&enabled, &req).unwrap().warnings.is_empty());
        // --exclude sets the list exactly, each name once.
        let req = EnableRequest { exclude: Some(vec!["b".into(), "a".into(), "b".into()]), ..Default::default() };
        assert_eq!(plan_enable(&pack(), &req).unwrap().patch["spec"]["excludePersonas"], json!(["b", "a"]));
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

        // `<pack>-<persona>-memory` of exactly 63 characters is fine, 64 is not.
        let named = |name: &str, persona: &str| {
            let mut p = pack();
            p.meta.name = name.into();
            p.spec.personas.truncate(1);
            p.spec.personas[0].name = persona.into();
            p.spec.exclude_personas.clear();
            plan_enable(&p, &EnableRequest::default()).is_ok()
        };
        assert!(named(&"a".repeat(54), "x"), "63 characters");
        assert!(!named(&"a".repeat(55), "x"), "64 characters");
        // Lower-case letters, digits and '-' only, starting with a letter.
        assert!(named("team-2", "lead-1"));
        assert!(!named("team", "Lead"), "upper case");
        assert!(!named("team", "le_ad"), "underscore");
        assert!(!named("2team", "lead"), "a digit first");
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
        assert_eq!(plan.must_exist.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), vec!["team-slack-secret"]);
    }

    #[test]
    fn channels_bind_every_persona_and_tokens_go_in_upstreams_secrets() {
        let req = EnableRequest {
            channels: vec!["slack".into(), "whatsapp".into()],
            channel_tokens: vec![("slack".into(), Credential::one("SLACK_BOT_TOKEN", "xoxb".into()))],
            ..Default::default()
        };
        let plan = plan_enable(&pack(), &req).unwrap();
        let s = plan.secrets.first().unwrap();
        assert_eq!((s.name.as_str(), s.data.data["SLACK_BOT_TOKEN"].as_str()), ("team-slack-secret", "xoxb"));
        assert_eq!(s.labels[Era::PersonaPack.label_pack()], "team");
        assert_eq!(plan.patch["spec"]["channelConfigs"], json!({"slack": "team-slack-secret"}));
        for p in plan.patch["spec"]["personas"].as_array().unwrap() {
            assert_eq!(p["channels"], json!(["slack", "whatsapp"]));
        }
        assert!(plan.guarded, "the whole persona list is sent");
        // A token channel with neither token nor Secret is refused, naming the ways to give one.
        let req = EnableRequest { channels: vec!["telegram".into()], ..Default::default() };
        let err = plan_enable(&pack(), &req).unwrap_err().report();
        assert!(err.contains("channel telegram needs its bot token (TELEGRAM_BOT_TOKEN)"), "{err}");
        assert!(err.contains("--channel-token-env telegram=VAR") && !err.contains("api-key"), "{err}");
        // ... unless the pack already names a Secret for it.
        let mut p = pack();
        p.spec.channel_configs.insert("telegram".into(), "old".into());
        assert!(plan_enable(&p, &req).is_ok());
    }

    #[test]
    fn channel_token_fields_and_refusals() {
        let field = |c: &str| channel_token_field("--channel-token-env", c);
        assert_eq!(
            (field("telegram").unwrap(), field("slack").unwrap(), field("discord").unwrap()),
            ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "DISCORD_BOT_TOKEN")
        );
        assert_eq!(
            field("whatsapp").unwrap_err().report(),
            "error: --channel-token-env: channel whatsapp takes no token (it pairs by QR code)"
        );
        assert_eq!(
            field("irc").unwrap_err().report(),
            "error: --channel-token-env: unknown channel \"irc\" (channels: telegram, slack, discord, whatsapp)"
        );
        assert_eq!(channel_secret_name("team", "slack"), "team-slack-secret");
    }

    /// A credential never shows its values, not even in debug output.
    #[test]
    fn a_credential_debugs_without_its_values() {
        let c = Credential::aws("eu-west-1".into(), "AKIA".into(), "secret-value".into(), Some("session".into()));
        assert_eq!(format!("{c:?}"), "Credential(4 keys, redacted)");
    }

    #[test]
    fn heartbeat_interval_clears_cron_and_cron_clears_interval() {
        let raw = json!({"metadata": {"name": "team", "namespace": "ns"}, "spec": {"personas": [
            {"name": "a", "schedule": {"type": "heartbeat", "cron": "0 9 * * *", "task": "t"}},
            {"name": "b", "schedule": {"type": "sweep", "interval": "5m", "task": "u"}},
            {"name": "c"}]}});
        let p = PersonaPack::from_value(&raw);
        let plan = plan_enable(&p, &EnableRequest { heartbeat: Some("6h".into()), ..Default::default() }).unwrap();
        let personas = plan.patch["spec"]["personas"].as_array().unwrap();
        assert_eq!(personas[0]["schedule"], json!({"type": "heartbeat", "interval": "6h", "task": "t"}));
        assert_eq!(personas[1]["schedule"], json!({"type": "sweep", "interval": "6h", "task": "u"}));
        assert!(personas[2].get("schedule").is_none(), "a persona without a schedule gets none");
        assert!(
            plan.summary.iter().any(|l| l == "set the heartbeat of 2 scheduled personas to interval 6h"),
            "{:?}",
            plan.summary
        );
        let plan =
            plan_enable(&p, &EnableRequest { heartbeat: Some("*/30 * * * *".into()), ..Default::default() }).unwrap();
        assert_eq!(
            plan.patch["spec"]["personas"][1]["schedule"],
            json!({"type": "sweep", "cron": "*/30 * * * *", "task": "u"})
        );
        for bad in ["45m", "* * *", "hourly"] {
            assert!(
                plan_enable(&p, &EnableRequest { heartbeat: Some(bad.into()), ..Default::default() }).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn agent_sandbox_persona_edits_and_the_github_token() {
        let req = EnableRequest {
            agent_sandbox: Some(Some("gvisor".into())),
            persona_edits: vec![PersonaEdit {
                name: "b".into(),
                system_prompt: Some("New.".into()),
                skills: Some(vec!["memory".into()]),
            }],
            github_token: Some(Credential::one(GITHUB_TOKEN_KEY, "ghp".into())),
            ..Default::default()
        };
        let plan = plan_enable(&pack(), &req).unwrap();
        assert_eq!(plan.patch["spec"]["agentSandbox"], json!({"enabled": true, "runtimeClass": "gvisor"}));
        let personas = plan.patch["spec"]["personas"].as_array().unwrap();
        assert_eq!(
            (personas[0]["systemPrompt"].as_str(), personas[1]["systemPrompt"].as_str()),
            (Some("x"), Some("New."))
        );
        assert_eq!(personas[1]["skills"], json!(["memory"]));
        let s = plan.secrets.first().unwrap();
        assert_eq!((s.name.as_str(), s.namespace.as_str()), ("github-gitops-token", "sympozium-system"));
        assert_eq!(s.data.data["GH_TOKEN"], "ghp");
        assert!(
            !s.labels.contains_key(Era::PersonaPack.label_pack()),
            "shared by every pack: disable must not take it"
        );
        assert_eq!(s.labels["sympozium.ai/skill"], "github-gitops");
        // Off clears it; an unknown persona is refused.
        let plan = plan_enable(&pack(), &EnableRequest { agent_sandbox: Some(None), ..Default::default() }).unwrap();
        assert_eq!(plan.patch["spec"]["agentSandbox"], Value::Null);
        let req = EnableRequest {
            persona_edits: vec![PersonaEdit { name: "zz".into(), ..Default::default() }],
            ..Default::default()
        };
        assert!(plan_enable(&pack(), &req).unwrap_err().report().contains("has no persona \"zz\""));
    }

    #[test]
    fn a_secret_keeps_every_key_enable_did_not_write() {
        let req = EnableRequest {
            provider: Some(Provider::Openai),
            credential: Some(Credential::api_key(Provider::Openai, "sk-new".into())),
            ..Default::default()
        };
        let plan = plan_enable(&pack(), &req).unwrap();
        let s = plan.secrets.first().unwrap();
        let ours = s.labels.clone();
        let foreign = BTreeMap::from([("team".to_string(), "billing".to_string())]);
        let data = |pairs: &[(&str, &str)]| -> BTreeMap<String, Vec<u8>> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect()
        };
        assert_eq!(secret_change(s, None).0, Written::Created);
        let same = data(&[("OPENAI_API_KEY", "sk-new")]);
        assert_eq!(secret_change(s, Some((&same, &ours))).0, Written::Unchanged);
        // Ours, nothing stale, another key value: configured.
        let older = data(&[("OPENAI_API_KEY", "sk-old")]);
        assert_eq!(secret_change(s, Some((&older, &ours))).0, Written::Configured);
        assert_eq!(
            (Written::Created.word(), Written::Configured.word(), Written::Unchanged.word()),
            ("created", "configured", "unchanged")
        );
        // Ours: a stale key of enable's own goes, a key someone added stays.
        let mixed = data(&[("OPENAI_API_KEY", "sk-old"), ("AWS_SESSION_TOKEN", "t"), ("BILLING_DB_PASSWORD", "p")]);
        let (w, patch) = secret_change(s, Some((&mixed, &ours)));
        assert_eq!(w, Written::Configured);
        assert_eq!(patch["data"], json!({"AWS_SESSION_TOKEN": null}));
        assert_eq!(patch["stringData"], json!({"OPENAI_API_KEY": "sk-new"}));
        // Adopted (not ours): nothing is removed, ever.
        let (w, patch) = secret_change(s, Some((&mixed, &foreign)));
        assert_eq!(w, Written::Configured);
        assert_eq!(patch["data"], json!({}));
        let mut other = s.clone();
        other.labels.insert(Era::PersonaPack.label_pack().into(), "other".into());
        assert!(s.is_ours(&ours) && !other.is_ours(&ours) && !s.is_ours(&foreign));
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
            i.describe(Era::PersonaPack, "team"),
            "Disabling personapack \"team\" makes the Sympozium controller delete 2 SympoziumInstances, 1 SympoziumSchedule, 2 memory ConfigMaps, the credential Secret team-openai-key, and clear spec.authRefs."
        );
    }
}

//! The enable planner: a request (what was asked to change) and the pack as
//! read become the merge patch to send and the Secrets to write.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::draft::Draft;
use super::ensemble::EnsembleEdits;
use super::*;
use crate::error::{Error, Result};
use crate::escape::escape;
use crate::model::{Era, PersonaPack, instance_name, memory_name};

/// One persona's own edits (the web API's `personas[]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PersonaEdit {
    pub name: String,
    pub system_prompt: Option<String>,
    pub skills: Option<Vec<String>>,
    /// An agent config's own model, provider and base URL (Ensembles: a
    /// provider pins the agent to it, off the Ensemble's Model).
    pub model: Option<String>,
    pub provider: Option<String>,
    pub base_url: Option<String>,
    /// An agent config's subagent limits (`subagents`), whole.
    pub subagents: Option<Value>,
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
    /// An Ensemble's Model.
    pub model_ref: Change<String>,
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
    /// `spec.agentSandbox`: on with a runtime class, or off.
    pub agent_sandbox: Change<String>,
    /// The github-gitops skill's token (Secret `github-gitops-token`).
    pub github_token: Option<Credential>,
    pub persona_edits: Vec<PersonaEdit>,
    /// What only an Ensemble has.
    pub ensemble: EnsembleEdits,
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
    plan_persona_edits(&mut d, req)?;
    super::ensemble::plan_ensemble(&mut d, req)?;
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
        let model_ref = match &req.model_ref {
            Change::Set(m) => m.as_str(),
            Change::Remove => "",
            Change::Keep => pack.model_ref(),
        };
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
    let current = pack.model_ref().to_string();
    match &req.model_ref {
        Change::Set(_) | Change::Remove if pack.era != Era::Ensemble => Err(Error::usage(format!(
            "--model-ref needs an Ensemble (Sympozium v0.9 or later, where Models arrived): {} \"{}\" is a PersonaPack",
            pack.era.singular(),
            pack.meta.name
        ))),
        Change::Set(m) if req.provider.is_some() || req.base_url.is_some() => Err(Error::usage(format!(
            "--model-ref {m} serves the agents from the Model, without a key: it cannot go with --provider or --base-url"
        ))),
        Change::Remove => {
            let line = if current.is_empty() { String::new() } else { format!("remove modelRef {current}") };
            d.set("modelRef", Value::Null, line);
            Ok(())
        }
        Change::Set(m) => {
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
        Change::Keep if !current.is_empty() && req.provider.is_some() => {
            d.set("modelRef", Value::Null, format!("remove modelRef {current} (the provider serves the agents now)"));
            Ok(())
        }
        Change::Keep => Ok(()),
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
        Change::Keep => {}
        Change::Set(class) => d.set(
            "agentSandbox",
            json!({"enabled": true, "runtimeClass": class}),
            format!("run agents in Agent Sandbox (runtime class {class})"),
        ),
        Change::Remove => {
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
fn plan_persona_edits(d: &mut Draft, req: &EnableRequest) -> Result<()> {
    let era = d.pack.era;
    for edit in &req.persona_edits {
        if era != Era::Ensemble && (edit.provider.is_some() || edit.base_url.is_some() || edit.subagents.is_some()) {
            return Err(Error::usage(format!(
                "--persona-provider, --persona-base-url and --persona-subagents need an Ensemble (Sympozium v0.9 or later): personapack \"{}\" has no such field",
                escape(&d.pack.meta.name)
            )));
        }
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
            if let Some(sub) = &edit.subagents {
                p["subagents"] = sub.clone();
                lines.push(format!("set the subagent limits of {} {} to {sub}", era.member(), edit.name));
            }
            for (field, value) in [("model", &edit.model), ("provider", &edit.provider), ("baseURL", &edit.base_url)] {
                if let Some(v) = value {
                    p[field] = json!(v);
                    lines.push(format!("set the {field} of {} {} to {v}", era.member(), edit.name));
                }
            }
        }
        for l in lines {
            d.say(l);
        }
    }
    Ok(())
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

//! An Ensemble's stimulus, triggered now: the AgentRun Sympozium v0.10.46
//! builds for it (`controller.BuildStimulusRun`, which its web API's `POST
//! /api/v1/ensembles/NAME/stimulus/trigger` and the controller's readiness
//! edge share), and the status the trigger marks. Pure: cmd/run.rs writes.

use serde_json::{Map, Value, json};

use crate::model::PersonaPack;
use crate::runs::{LABEL_INSTANCE, LABEL_STARTED_BY, go_duration, put};

/// The stimulus of an Ensemble and the agent config it wakes (the first
/// `stimulus` relationship's target), or why it has none, as the web API says it.
pub fn target(pack: &PersonaPack) -> Result<(&Value, &str), String> {
    let stimulus = &pack.raw["spec"]["stimulus"];
    if !stimulus.is_object() {
        return Err("no stimulus configured (spec.stimulus)".into());
    }
    let target = pack.spec.relationships.iter().find(|r| r.kind == "stimulus").map(|r| r.target.as_str());
    target.map(|t| (stimulus, t)).ok_or_else(|| {
        "spec.stimulus is set but no relationship of type stimulus names the agent config it wakes".into()
    })
}

/// The provider a run on `agent` uses, as the controller resolves it: the
/// Ensemble controller's provider label, an authRef's provider, a provider
/// named in an authRef's Secret, a keyless local endpoint, else openai.
pub fn provider(agent: &Value) -> String {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let label = s(&agent["metadata"]["labels"]["sympozium.ai/provider"]);
    if !label.is_empty() {
        return label;
    }
    let refs = agent["spec"]["authRefs"].as_array().cloned().unwrap_or_default();
    if let Some(p) = refs.iter().map(|r| s(&r["provider"])).find(|p| !p.is_empty()) {
        return p;
    }
    for r in &refs {
        let secret = s(&r["secret"]);
        if let Some(p) = ["anthropic", "azure-openai", "bedrock", "lm-studio", "ollama", "openai"]
            .iter()
            .find(|p| secret.contains(*p))
        {
            return p.to_string();
        }
    }
    let base = s(&agent["spec"]["agents"]["default"]["baseURL"]);
    if !base.is_empty() {
        return if base.contains("ollama") || base.contains(":11434") {
            "ollama"
        } else if base.contains("lm-studio") || base.contains(":1234") {
            "lm-studio"
        } else {
            "custom"
        }
        .into();
    }
    "openai".into()
}

/// The run a manual trigger creates on `agent` (the target's Agent) at
/// `now_ms` (Unix milliseconds), field for field as Go encodes it: empty
/// omitempty fields left out, the others always written. One deliberate
/// difference: the plugin's label, so `runs` can say who started it.
pub fn run(pack: &PersonaPack, stimulus: &Value, agent: &Value, now_ms: i64) -> Value {
    let name = agent["metadata"]["name"].as_str().unwrap_or_default();
    let persona = agent["metadata"]["labels"]["sympozium.ai/agent-config"].as_str().unwrap_or_default();
    let spec = &agent["spec"];
    let default = &spec["agents"]["default"];
    let text = |v: &Value| json!(v.as_str().unwrap_or_default());
    let auth = spec["authRefs"]
        .as_array()
        .and_then(|refs| refs.iter().filter_map(|r| r["secret"].as_str()).find(|s| !s.trim().is_empty()))
        .unwrap_or_default();
    let mut model = Map::new();
    model.insert("provider".into(), json!(provider(agent)));
    model.insert("model".into(), text(&default["model"]));
    model.insert("authSecretRef".into(), json!(auth));
    put(&mut model, "baseURL", &default["baseURL"]);
    put(&mut model, "providerHeaders", &default["providerHeaders"]);
    put(&mut model, "providerHeadersSecretRef", &default["providerHeadersSecretRef"]);
    let mut run_spec = Map::new();
    run_spec.insert("agentRef".into(), json!(name));
    run_spec.insert("agentId".into(), json!(format!("stimulus-{}", stimulus["name"].as_str().unwrap_or_default())));
    run_spec.insert("sessionKey".into(), json!(""));
    run_spec.insert("task".into(), text(&stimulus["prompt"]));
    run_spec.insert("model".into(), Value::Object(model));
    for field in ["skills", "imagePullSecrets", "volumes", "volumeMounts"] {
        put(&mut run_spec, field, &spec[field]);
    }
    put(&mut run_spec, "env", &default["env"]);
    if let Some(t) = default["runTimeout"].as_str().and_then(go_duration) {
        run_spec.insert("timeout".into(), json!(t));
    }
    if let Some(policy) = tool_policy(pack, persona) {
        run_spec.insert("toolPolicy".into(), policy);
    }
    json!({
        "apiVersion": format!("{}/{}", crate::model::GROUP, crate::model::VERSION),
        "kind": "AgentRun",
        "metadata": {
            "name": format!("{name}-stimulus-{}", now_ms.rem_euclid(100_000)),
            "labels": {
                LABEL_INSTANCE: name,
                "sympozium.ai/ensemble": pack.meta.name,
                "sympozium.ai/stimulus": "true",
                "sympozium.ai/trigger-source": "manual",
                LABEL_STARTED_BY: crate::names::FIELD_MANAGER,
            },
        },
        "spec": run_spec,
    })
}

/// The agent config's tool policy (allow, deny), when it has one.
fn tool_policy(pack: &PersonaPack, persona: &str) -> Option<Value> {
    let configs = pack.raw["spec"]["agentConfigs"].as_array()?;
    let tp = configs.iter().find(|c| c["name"] == persona)?.get("toolPolicy").filter(|t| t.is_object())?;
    let mut out = Map::new();
    put(&mut out, "allow", &tp["allow"]);
    put(&mut out, "deny", &tp["deny"]);
    Some(Value::Object(out))
}

/// What the trigger marks on the Ensemble's status, so the controller's
/// readiness edge does not deliver the same stimulus again.
pub fn delivered(pack: &PersonaPack) -> Value {
    let generation = pack.raw["status"]["stimulusGeneration"].as_i64().unwrap_or(0);
    json!({"status": {"stimulusGeneration": generation + 1, "stimulusDelivered": true}})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(spec: Value) -> PersonaPack {
        PersonaPack::from_value(&json!({
            "apiVersion": "sympozium.ai/v1alpha1", "kind": "Ensemble",
            "metadata": {"name": "team", "namespace": "ns"},
            "spec": spec, "status": {"stimulusGeneration": 2}
        }))
    }

    fn agent(labels: Value, spec: Value) -> Value {
        json!({"metadata": {"name": "team-lead", "labels": labels}, "spec": spec})
    }

    #[test]
    fn the_target_is_the_first_stimulus_relationship() {
        let p = pack(json!({"stimulus": {"name": "kick", "prompt": "Go."}, "relationships": [
            {"source": "a", "target": "b", "type": "sequential"},
            {"source": "kick", "target": "lead", "type": "stimulus"},
            {"source": "kick", "target": "other", "type": "stimulus"}]}));
        let (s, t) = target(&p).unwrap();
        assert_eq!((s["prompt"].as_str(), t), (Some("Go."), "lead"));
        assert!(target(&pack(json!({}))).unwrap_err().contains("no stimulus configured"));
        let no_edge = pack(json!({"stimulus": {"name": "k", "prompt": "p"}, "relationships": [
            {"source": "a", "target": "b", "type": "delegation"}]}));
        assert!(target(&no_edge).unwrap_err().contains("no relationship of type stimulus"));
    }

    #[test]
    fn the_provider_is_resolved_as_the_controller_does() {
        let p = |labels: Value, spec: Value| provider(&agent(labels, spec));
        assert_eq!(
            p(json!({"sympozium.ai/provider": "anthropic"}), json!({"authRefs": [{"provider": "openai"}]})),
            "anthropic"
        );
        assert_eq!(p(json!({}), json!({"authRefs": [{"secret": "s"}, {"provider": "bedrock"}]})), "bedrock");
        assert_eq!(p(json!({}), json!({"authRefs": [{"secret": "team-lm-studio-key"}]})), "lm-studio");
        let base = |url: &str| p(json!({}), json!({"agents": {"default": {"baseURL": url}}}));
        assert_eq!(base("http://ollama.local:80"), "ollama");
        assert_eq!(base("http://x:11434/v1"), "ollama");
        assert_eq!(base("http://x:1234/v1"), "lm-studio");
        assert_eq!(base("http://lm-studio/v1"), "lm-studio");
        assert_eq!(base("http://vllm/v1"), "custom");
        assert_eq!(p(json!({}), json!({})), "openai");
    }

    #[test]
    fn the_run_is_the_controllers_stimulus_run() {
        let p = pack(json!({"stimulus": {"name": "kick", "prompt": "Go."}, "agentConfigs": [
            {"name": "lead", "toolPolicy": {"deny": ["execute_command"]}}]}));
        let a = json!({"metadata": {"name": "team-lead", "labels": {"sympozium.ai/agent-config": "lead"}}, "spec": {
            "authRefs": [{"provider": "openai", "secret": " "}, {"secret": "team-openai-key"}],
            "skills": [{"skillPackRef": "memory"}], "volumes": [],
            "agents": {"default": {"model": "gpt-4o", "baseURL": "", "env": {"A": "1"}, "runTimeout": "90s"}}}});
        let r = run(&p, &p.raw["spec"]["stimulus"], &a, 1_764_600_012_345);
        assert_eq!(r["metadata"]["name"], "team-lead-stimulus-12345");
        assert_eq!(r["metadata"]["labels"]["sympozium.ai/trigger-source"], "manual");
        assert_eq!(r["metadata"]["labels"]["sympozium.ai/instance"], "team-lead");
        assert_eq!(r["metadata"]["labels"]["sympozium.ai/ensemble"], "team");
        assert_eq!(
            r["spec"],
            json!({"agentRef": "team-lead", "agentId": "stimulus-kick", "sessionKey": "", "task": "Go.",
                "model": {"provider": "openai", "model": "gpt-4o", "authSecretRef": "team-openai-key"},
                "skills": [{"skillPackRef": "memory"}], "env": {"A": "1"}, "timeout": "1m30s",
                "toolPolicy": {"deny": ["execute_command"]}})
        );
        assert_eq!(delivered(&p), json!({"status": {"stimulusGeneration": 3, "stimulusDelivered": true}}));
    }
}

//! What the Sympozium v0.10 controller stamps for an agent config of an
//! Ensemble (docs/sympozium-v0.10-ensemble.md): one function per upstream
//! function of `ensemble_controller.go`, named after it. Fields v0.8 never had
//! are read from the agent config's JSON as written (`raw`), as the Go
//! structs carry them through.

use serde_json::{Map, Value, json};

use super::{meta, observability};
use crate::model::{DEFAULT_MODEL, GROUP, Persona, PersonaPack, VERSION, instance_name};

/// A non-empty string field of `v`.
fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v[key].as_str().filter(|s| !s.is_empty())
}

/// A non-empty object, list or string field of `v` (Go's `omitempty`).
fn present(v: &Value, key: &str) -> Option<Value> {
    match &v[key] {
        Value::Object(m) if !m.is_empty() => Some(v[key].clone()),
        Value::Array(a) if !a.is_empty() => Some(v[key].clone()),
        Value::String(s) if !s.is_empty() => Some(v[key].clone()),
        _ => None,
    }
}

/// The agent config pins its own provider (a "mixed ensemble"): the
/// ensemble's Model endpoint is not for it (upstream `personaOverridesEndpoint`).
fn overrides_endpoint(raw: &Value) -> bool {
    text(raw, "provider").is_some()
}

/// upstream `resolveModel`.
fn resolve_model(pack: &PersonaPack, p: &Persona, raw: &Value, endpoint: &str) -> String {
    let model_ref = text(&pack.raw["spec"], "modelRef");
    match model_ref {
        Some(m) if !endpoint.is_empty() && !overrides_endpoint(raw) => m.to_string(),
        _ => p.model.clone().filter(|m| !m.is_empty()).unwrap_or_else(|| DEFAULT_MODEL.into()),
    }
}

/// upstream `resolveAuthRefs`: none for a cluster-local model; a pinned
/// provider's own refs when the ensemble has any.
fn resolve_auth_refs(pack: &PersonaPack, raw: &Value, endpoint: &str) -> Vec<Value> {
    let all: Vec<Value> = pack.spec.auth_refs.iter().map(|r| serde_json::to_value(r).unwrap_or_default()).collect();
    let mut refs = if endpoint.is_empty() { all.clone() } else { Vec::new() };
    if let Some(provider) = text(raw, "provider") {
        let matched: Vec<Value> = pack
            .spec
            .auth_refs
            .iter()
            .filter(|r| r.provider.as_deref() == Some(provider))
            .map(|r| serde_json::to_value(r).unwrap_or_default())
            .collect();
        if !matched.is_empty() {
            refs = matched;
        }
    }
    refs
}

/// upstream `resolveBaseURL`: the ensemble's, else the Model's endpoint; the
/// agent config's own always wins.
fn resolve_base_url(pack: &PersonaPack, raw: &Value, endpoint: &str) -> Option<String> {
    let mut url = pack.spec.base_url.clone().filter(|u| !u.is_empty());
    if !endpoint.is_empty() && !overrides_endpoint(raw) {
        url = Some(endpoint.to_string());
    }
    text(raw, "baseURL").map(str::to_string).or(url)
}

/// upstream `mergeProviderHeaders`: the agent config's keys win.
fn merge_provider_headers(ensemble: &Value, agent: &Value) -> Option<Value> {
    let mut merged = Map::new();
    for source in [ensemble, agent] {
        for (k, v) in source.as_object().into_iter().flatten() {
            merged.insert(k.clone(), v.clone());
        }
    }
    (!merged.is_empty()).then_some(Value::Object(merged))
}

/// upstream `buildAgent`: the Agent `<ensemble>-<agent config>`, whole (the
/// controller writes exactly this spec over an existing Agent).
pub fn build_agent(pack: &PersonaPack, p: &Persona, raw: &Value, endpoint: &str) -> Value {
    let s = &pack.raw["spec"];
    let mut agent = json!({"model": resolve_model(pack, p, raw, endpoint)});
    if let Some(url) = resolve_base_url(pack, raw, endpoint) {
        agent["baseURL"] = json!(url);
    }
    if let Some(h) = merge_provider_headers(&s["providerHeaders"], &raw["providerHeaders"]) {
        agent["providerHeaders"] = h;
    }
    if let Some(r) = text(raw, "providerHeadersSecretRef").or(text(s, "providerHeadersSecretRef")) {
        agent["providerHeadersSecretRef"] = json!(r);
    }
    if let Some(sb) = present(s, "agentSandbox") {
        agent["agentSandbox"] = sb;
    }
    for key in ["lifecycle", "subagents", "env", "runTimeout"] {
        if let Some(v) = present(raw, key) {
            agent[key] = v;
        }
    }
    // A memory block decides (its `enabled` as written: absent is false);
    // without one, memory is on at 256 KB.
    let (enabled, size) = match raw.get("memory").filter(|m| m.is_object()) {
        Some(m) => (m["enabled"].as_bool().unwrap_or(false), m["maxSizeKB"].as_i64().filter(|n| *n > 0).unwrap_or(256)),
        None => (true, 256),
    };
    let mut memory = json!({"enabled": enabled, "maxSizeKB": size});
    if !p.system_prompt.is_empty() {
        memory["systemPrompt"] = json!(p.system_prompt);
    }
    let mut spec = json!({
        "agents": {"default": agent},
        "memory": memory,
        "observability": observability(),
        "skills": build_desired_skills(pack, p, raw),
    });
    if let Some(d) = p.display_name.as_ref().filter(|d| !d.is_empty()) {
        spec["displayName"] = json!(d);
    }
    let auth = resolve_auth_refs(pack, raw, endpoint);
    if !auth.is_empty() {
        spec["authRefs"] = json!(auth);
    }
    for key in ["volumes", "volumeMounts"] {
        if let Some(v) = present(s, key) {
            spec[key] = v;
        }
    }
    let channels: Vec<Value> = p.channels.iter().map(|ch| build_channel_spec(s, raw, ch)).collect();
    if !channels.is_empty() {
        spec["channels"] = json!(channels);
    }
    if let Some(m) = present(raw, "mcpServers") {
        spec["mcpServers"] = m;
    }
    if let Some(policy) = text(s, "policyRef") {
        spec["policyRef"] = json!(policy);
    }
    let mut metadata = meta(pack, &instance_name(&pack.meta.name, &p.name), &p.name, true, &[]);
    if let Some(provider) = text(raw, "provider") {
        metadata["labels"]["sympozium.ai/provider"] = json!(provider);
    }
    json!({"apiVersion": format!("{GROUP}/{VERSION}"), "kind": "Agent", "metadata": metadata, "spec": spec})
}

/// upstream `buildDesiredSkills`: skills minus `mcp-bridge`, each with the
/// agent config's params, else the ensemble's (whole maps, never merged);
/// `memory` always; `web-endpoint` with its hostname and rate limits.
fn build_desired_skills(pack: &PersonaPack, p: &Persona, raw: &Value) -> Vec<Value> {
    let ensemble_params = &pack.raw["spec"]["skillParams"];
    let mut skills: Vec<Value> = Vec::new();
    for sk in p.skills.iter().filter(|sk| *sk != "mcp-bridge") {
        let mut r = json!({"skillPackRef": sk});
        let own = present(&raw["skillParams"], sk);
        if let Some(params) = own.or_else(|| present(ensemble_params, sk)) {
            r["params"] = params;
        }
        skills.push(r);
    }
    if !skills.iter().any(|sk| sk["skillPackRef"] == "memory") {
        skills.push(json!({"skillPackRef": "memory"}));
    }
    let web = &raw["webEndpoint"];
    if web["enabled"].as_bool() == Some(true) {
        let mut params = Map::new();
        if let Some(h) = text(web, "hostname") {
            params.insert("hostname".into(), json!(h));
        }
        let limit = &web["rateLimit"];
        for (field, key) in [("requestsPerMinute", "rate_limit_rpm"), ("burstSize", "rate_limit_burst")] {
            if let Some(n) = limit[field].as_i64().filter(|n| *n > 0) {
                params.insert(key.into(), json!(n.to_string()));
            }
        }
        skills.push(json!({"skillPackRef": "web-endpoint", "params": params}));
    }
    skills
}

/// upstream `buildChannelSpec`: the agent config's settings first, then the
/// ensemble's, per channel.
fn build_channel_spec(s: &Value, raw: &Value, ch: &str) -> Value {
    let secret = text(&raw["channelConfigs"], ch).or(text(&s["channelConfigs"], ch)).unwrap_or_default();
    let mut c = json!({"type": ch, "configRef": {"secret": secret}});
    let first =
        |key: &str| raw[key].get(ch).filter(|v| !v.is_null()).or(s[key].get(ch).filter(|v| !v.is_null())).cloned();
    if let Some(ac) = first("channelAccessControl") {
        c["accessControl"] = ac;
    }
    if let Some(tr) = first("channelTriggers") {
        c["triggers"] = tr;
    }
    if ch == "slack"
        && let Some(opts) = present(raw, "slackOptions").or_else(|| present(s, "slackOptions"))
    {
        c["slack"] = opts;
    }
    if let Some(v) = present(&s["channelVolumes"], ch) {
        c["volumes"] = v;
    }
    if let Some(v) = present(&s["channelVolumeMounts"], ch) {
        c["volumeMounts"] = v;
    }
    c
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::model::PersonaPack;
    use crate::stamp::render;

    fn ensemble() -> PersonaPack {
        PersonaPack::from_value(&json!({
            "apiVersion": "sympozium.ai/v1alpha1", "kind": "Ensemble",
            "metadata": {"name": "team", "namespace": "ns", "uid": "u1"},
            "spec": {
                "enabled": true, "modelRef": "local", "baseURL": "http://ensemble",
                "authRefs": [{"provider": "openai", "secret": "team-openai-key"},
                             {"provider": "anthropic", "secret": "team-anthropic-key"}],
                "skillParams": {"s": {"k": "ensemble"}, "t": {"k": "ensemble"}},
                "providerHeaders": {"X-A": "1", "X-B": "1"},
                "relationships": [{"source": "lead", "target": "follower", "type": "sequential"}],
                "agentSandbox": {"enabled": true, "runtimeClass": "gvisor"},
                "volumes": [{"name": "v", "emptyDir": {}}], "volumeMounts": [],
                "channelVolumes": {"slack": [{"name": "cv", "emptyDir": {}}]},
                "slackOptions": {"threadReplies": true},
                "agentConfigs": [
                    {"name": "lead", "systemPrompt": "p", "provider": "anthropic", "model": "claude",
                     "providerHeaders": {"X-B": "2"}, "skills": ["s", "t", "mcp-bridge"],
                     "skillParams": {"s": {"k": "own"}},
                     "memory": {"seeds": ["x"]},
                     "webEndpoint": {"enabled": true, "hostname": "h", "rateLimit": {"requestsPerMinute": 10}},
                     "schedule": {"type": "heartbeat", "interval": "5m", "task": "t", "firstTick": "immediate"},
                     "runTimeout": "5m", "subagents": {"maxDepth": 1}, "env": {"A": "1"},
                     "mcpServers": [{"name": "m"}], "lifecycle": {"preRun": []}},
                    {"name": "follower", "systemPrompt": "q", "channels": ["slack"],
                     "channelConfigs": {"slack": "own-slack"}, "runTimeout": "", "env": {}, "mcpServers": [],
                     "channelTriggers": {"slack": {"mentionOnly": true}},
                     "schedule": {"type": "sweep", "interval": "5m", "task": "t"}}
                ]
            }
        }))
    }

    fn agent<'a>(objs: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
        objs.iter().find(|o| o["kind"] == "Agent" && o["metadata"]["name"] == name).unwrap()
    }

    #[test]
    fn agents_follow_build_agent() {
        let objs = render(&ensemble(), None);
        let kinds: Vec<&str> = objs.iter().map(|o| o["kind"].as_str().unwrap()).collect();
        // The sequential successor gets no schedule; the lead's seeds are written.
        assert_eq!(kinds, ["Agent", "ConfigMap", "SympoziumSchedule", "Agent"]);
        let lead = agent(&objs, "team-lead");
        assert_eq!(lead["metadata"]["labels"]["sympozium.ai/ensemble"], "team");
        assert_eq!(lead["metadata"]["labels"]["sympozium.ai/agent-config"], "lead");
        assert_eq!(lead["metadata"]["labels"]["sympozium.ai/provider"], "anthropic");
        assert_eq!(lead["metadata"]["ownerReferences"][0]["kind"], "Ensemble");
        let d = &lead["spec"]["agents"]["default"];
        assert_eq!(d["model"], "claude");
        assert_eq!(d["baseURL"], "http://ensemble");
        assert_eq!(d["providerHeaders"], json!({"X-A": "1", "X-B": "2"}), "the agent config's header wins");
        assert_eq!(lead["spec"]["authRefs"], json!([{"provider": "anthropic", "secret": "team-anthropic-key"}]));
        assert_eq!(lead["spec"]["memory"], json!({"enabled": false, "maxSizeKB": 256, "systemPrompt": "p"}));
        let skills = &lead["spec"]["skills"];
        assert_eq!(
            skills[0],
            json!({"skillPackRef": "s", "params": {"k": "own"}}),
            "own params replace the ensemble's"
        );
        assert_eq!(skills[1], json!({"skillPackRef": "t", "params": {"k": "ensemble"}}));
        assert_eq!(skills[2], json!({"skillPackRef": "memory"}));
        assert_eq!(
            skills[3],
            json!({"skillPackRef": "web-endpoint", "params": {"hostname": "h", "rate_limit_rpm": "10"}})
        );
        let sched = objs.iter().find(|o| o["kind"] == "SympoziumSchedule").unwrap();
        assert_eq!(sched["spec"]["agentRef"], "team-lead");
        assert_eq!(sched["spec"]["firstTick"], "immediate");
        assert!(sched["spec"].get("instanceRef").is_none());

        // What v0.10 carries through, as written, and Go's omitempty drops.
        assert_eq!(d["agentSandbox"], json!({"enabled": true, "runtimeClass": "gvisor"}));
        assert_eq!(d["runTimeout"], "5m");
        assert_eq!(d["subagents"], json!({"maxDepth": 1}));
        assert_eq!(d["env"], json!({"A": "1"}));
        assert_eq!(d["lifecycle"], json!({"preRun": []}));
        assert_eq!(lead["spec"]["mcpServers"], json!([{"name": "m"}]));
        assert_eq!(lead["spec"]["volumes"], json!([{"name": "v", "emptyDir": {}}]));
        assert!(lead["spec"].get("volumeMounts").is_none());

        let follower = agent(&objs, "team-follower");
        let fd = &follower["spec"]["agents"]["default"];
        for gone in ["runTimeout", "env", "subagents", "lifecycle"] {
            assert!(fd.get(gone).is_none(), "{gone}: {fd}");
        }
        assert!(follower["spec"].get("mcpServers").is_none());
        assert_eq!(
            follower["spec"]["channels"][0],
            json!({"type": "slack", "configRef": {"secret": "own-slack"}, "triggers": {"mentionOnly": true},
                   "slack": {"threadReplies": true}, "volumes": [{"name": "cv", "emptyDir": {}}]})
        );
        assert_eq!(follower["spec"]["agents"]["default"]["model"], "gpt-4o");
        assert_eq!(follower["spec"]["memory"], json!({"enabled": true, "maxSizeKB": 256, "systemPrompt": "q"}));
        assert_eq!(follower["spec"]["authRefs"].as_array().unwrap().len(), 2, "no provider: every ref");
        assert_eq!(follower["spec"]["channels"][0]["configRef"]["secret"], "own-slack");
        assert!(follower["metadata"]["labels"].get("sympozium.ai/provider").is_none());
    }

    #[test]
    fn a_ready_model_serves_every_agent_config_without_its_own_provider() {
        let objs = render(&ensemble(), Some("http://model:8000/v1"));
        let follower = agent(&objs, "team-follower");
        assert_eq!(follower["spec"]["agents"]["default"]["model"], "local");
        assert_eq!(follower["spec"]["agents"]["default"]["baseURL"], "http://model:8000/v1");
        assert!(follower["spec"].get("authRefs").is_none(), "a cluster-local model needs no key");
        let lead = agent(&objs, "team-lead");
        assert_eq!(lead["spec"]["agents"]["default"]["model"], "claude", "a pinned provider keeps its model");
        assert_eq!(lead["spec"]["agents"]["default"]["baseURL"], "http://ensemble");
        assert_eq!(lead["spec"]["authRefs"], json!([{"provider": "anthropic", "secret": "team-anthropic-key"}]));
    }

    /// v0.9+ replaces an Agent's whole spec (a field only the live one has is
    /// drift) but keeps a schedule's suspend.
    #[test]
    fn an_agent_is_compared_whole_and_a_schedules_suspend_is_kept() {
        let pack = ensemble();
        let mut live = render(&pack, None);
        for o in live.iter_mut().filter(|o| o["kind"] != "ConfigMap") {
            o["spec"]["suspend"] = json!(true);
        }
        let d = crate::stamp::diff(&pack, &live, None);
        let got: Vec<(&str, &str)> = d.iter().map(|x| (x.name.as_str(), x.path.as_str())).collect();
        assert_eq!(got, [("team-lead", "spec.suspend"), ("team-follower", "spec.suspend")]);
        assert!(d.iter().all(|x| x.fix == crate::stamp::Fix::Controller), "v0.9+ rewrites an Agent's spec: {d:?}");
    }

    /// Omitted or non-positive sizes and limits are the defaults, an empty
    /// display name none; an agent config's null channel setting is the ensemble's.
    #[test]
    fn zero_sizes_and_empty_names_are_left_to_the_defaults() {
        let with = |config: serde_json::Value| {
            let pack = PersonaPack::from_value(
                &json!({"kind": "Ensemble", "metadata": {"name": "team", "namespace": "ns"},
                "spec": {"enabled": true, "channelTriggers": {"slack": {"mentionOnly": true}}, "agentConfigs": [config]}}),
            );
            render(&pack, None).into_iter().find(|o| o["kind"] == "Agent").unwrap()
        };
        let a = with(
            json!({"name": "a", "systemPrompt": "p", "memory": {"enabled": true, "maxSizeKB": 0}, "displayName": "",
            "webEndpoint": {"enabled": true, "rateLimit": {"requestsPerMinute": 0, "burstSize": 5}},
            "channels": ["slack"], "channelTriggers": {"slack": null}}),
        );
        assert_eq!(a["spec"]["memory"]["maxSizeKB"], 256);
        assert!(a["spec"].get("displayName").is_none());
        let web = a["spec"]["skills"].as_array().unwrap().iter().find(|s| s["skillPackRef"] == "web-endpoint").unwrap();
        assert_eq!(web["params"], json!({"rate_limit_burst": "5"}));
        assert_eq!(a["spec"]["channels"][0]["triggers"], json!({"mentionOnly": true}));
        let b = with(
            json!({"name": "b", "systemPrompt": "p", "memory": {"enabled": true, "maxSizeKB": 512}, "displayName": "Bee"}),
        );
        assert_eq!(b["spec"]["memory"]["maxSizeKB"], 512);
        assert_eq!(b["spec"]["displayName"], "Bee");
    }
}

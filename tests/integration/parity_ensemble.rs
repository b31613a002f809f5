//! `enable` on Ensembles side by side with Sympozium v0.10.46's own web API
//! (`PATCH /api/v1/ensembles/NAME`, `patchEnsemble`): one copy of a built-in
//! Ensemble enabled through each, the real v0.10.46 controller stamping both;
//! the Ensemble spec, the Secrets and the stamped Agents and schedules
//! compared, every deliberate difference asserted and set aside; and for the
//! plugin's copy, `diff` finds nothing (render = what the controller stamped).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::common::*;

const KEY: &str = "sk-parity-0123456789";

fn get(ns: &str, args: &[&str]) -> Value {
    let mut all = vec!["get"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-n", ns, "-o", "json"]);
    serde_json::from_str(&kubectl_ok(&all)).unwrap()
}

fn copy_builtin(ns: &str) {
    let src = get("sympozium-system", &["ensemble", "platform-team"]);
    let copy = json!({"apiVersion": src["apiVersion"], "kind": "Ensemble",
                      "metadata": {"name": "platform-team", "namespace": ns}, "spec": src["spec"]});
    apply(ns, &serde_json::to_string(&copy).unwrap());
}

/// Ready with an Agent for every active agent config.
fn settle(ns: &str) {
    wait_until(&format!("platform-team in {ns} Ready with its agents"), 90, || {
        let e = get(ns, &["ensemble", "platform-team"]);
        let active = e["spec"]["agentConfigs"].as_array().unwrap().len();
        let agents = get(ns, &["agents", "-l", "sympozium.ai/ensemble=platform-team"]);
        (e["status"]["phase"] == "Ready" && agents["items"].as_array().unwrap().len() == active).then_some(())
    });
}

fn prune(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.values_mut().for_each(prune);
            m.retain(|_, v| !(v.is_null() || v == "" || v == &json!([]) || v == &json!({})));
        }
        Value::Array(a) => a.iter_mut().for_each(prune),
        _ => {}
    }
}

/// The Ensemble's spec, each Secret's keys and labels (managed-by apart),
/// the Agents and schedules (labels, owners, spec).
fn snapshot(ns: &str) -> Value {
    let e = get(ns, &["ensemble", "platform-team"]);
    let mut secrets = BTreeMap::new();
    for s in get(ns, &["secrets"])["items"].as_array().unwrap() {
        let mut labels = s["metadata"]["labels"].as_object().cloned().unwrap_or_default();
        let by = labels.remove("app.kubernetes.io/managed-by");
        let keys: Vec<&String> = s["data"].as_object().map(|d| d.keys().collect()).unwrap_or_default();
        secrets.insert(
            s["metadata"]["name"].as_str().unwrap().to_string(),
            json!({"keys": keys, "labels": labels, "by": by}),
        );
    }
    let stamped = |kind: &str| -> BTreeMap<String, Value> {
        get(ns, &[kind, "-l", "sympozium.ai/ensemble=platform-team"])["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let owners: Vec<Value> = o["metadata"]["ownerReferences"]
                    .as_array()
                    .map(|a| a.iter().map(|r| json!([r["kind"], r["name"]])).collect())
                    .unwrap_or_default();
                let view = json!({"labels": o["metadata"]["labels"], "owners": owners, "spec": o["spec"]});
                (o["metadata"]["name"].as_str().unwrap().to_string(), view)
            })
            .collect()
    };
    let mut snap = json!({"spec": e["spec"], "secrets": secrets, "agents": stamped("agents"), "schedules": stamped("sympoziumschedules")});
    prune(&mut snap);
    snap
}

/// One enable through both: the web API's body (with the OpenAI key every
/// scenario sets) and the plugin's flags (with the same key on stdin);
/// `differences` asserts and sets aside what differs by design.
fn peer(name: &str, web: Value, flags: &[&str], differences: fn(&mut Value, &mut Value)) {
    ensemble_server();
    let (web_ns, our_ns) = (Ns::new(&format!("{name}-web")), Ns::new(&format!("{name}-ours")));
    for ns in [&web_ns, &our_ns] {
        copy_builtin(ns.as_str());
    }
    let mut body = json!({"enabled": true, "provider": "openai", "apiKey": KEY});
    body.as_object_mut().unwrap().extend(web.as_object().unwrap().clone());
    let path = format!("/api/v1/ensembles/platform-team?namespace={}", web_ns.as_str());
    // The web API looks its new Secret up through an informer that may not
    // have seen it yet ("secret ... not found"), and its read-modify-Update
    // loses to the controller's own write to a fresh copy ("the object has
    // been modified", a 500): its user would send again.
    let (code, text) = wait_until("the web API's enable", 20, || {
        let (code, text) = web_api("PATCH", &path, &body);
        let again = (code == 400 && text.contains("not found in namespace"))
            || (code == 500 && text.contains("the object has been modified"));
        (!again).then_some((code, text))
    });
    assert_eq!(code, 200, "web API: {text}");
    let mut args =
        vec!["enable", "platform-team", "-n", our_ns.as_str(), "-y", "--provider", "openai", "--api-key-stdin"];
    args.extend_from_slice(flags);
    let r = run_with_stdin(&mut plugin(&args), KEY);
    assert_eq!(r.code, 0, "plugin: {}{}", r.stdout, r.stderr);
    settle(web_ns.as_str());
    settle(our_ns.as_str());
    let (mut theirs, mut ours) = (snapshot(web_ns.as_str()), snapshot(our_ns.as_str()));
    for (s, by) in [(&mut theirs, "sympozium"), (&mut ours, "kubectl-personapack")] {
        let secret = &mut s["secrets"]["platform-team-openai-key"];
        assert_eq!(secret["by"], by, "who wrote the key: {secret}");
        secret.as_object_mut().unwrap().remove("by");
    }
    differences(&mut theirs, &mut ours);
    assert!(
        theirs == ours,
        "{name}: the web API and the plugin differ\n--- web API\n{}\n--- plugin\n{}",
        serde_json::to_string_pretty(&theirs).unwrap(),
        serde_json::to_string_pretty(&ours).unwrap()
    );
    let r = run(&mut plugin(&["diff", "platform-team", "-n", our_ns.as_str()]));
    assert_eq!(r.code, 0, "render equals what the controller stamped: {}{}", r.stdout, r.stderr);
}

fn same(_: &mut Value, _: &mut Value) {}

const EDGES: &str = r#"[{"source":"platform-audit","target":"platform-engineer","type":"stimulus"},{"source":"platform-engineer","target":"security-guardian","type":"sequential","condition":"after the build"},{"source":"security-guardian","target":"sre-watchdog","type":"delegation","timeout":"10m"}]"#;

#[test]
fn ensemble_parity_openai_key() {
    peer("ens-openai", json!({}), &[], same);
}

#[test]
fn ensemble_parity_relationships_replaced() {
    peer(
        "ens-rel",
        json!({"relationships": serde_json::from_str::<Value>(EDGES).unwrap()}),
        &["--relationships", EDGES],
        same,
    );
}

/// Relationships cleared under platform-team's delegation workflow and
/// stimulus: the web API writes it and the controller then refuses the
/// graph ("requires at least one delegation relationship edge") and never
/// reconciles the team; the plugin refuses before writing, nothing changed.
#[test]
fn ensemble_relationships_the_controller_would_refuse_are_not_written() {
    ensemble_server();
    let ns = Ns::new("ens-rel-refused");
    copy_builtin(ns.as_str());
    // (The controller writes the copy's finalizer and status meanwhile: the
    // spec and its generation are what the plugin must not have changed.)
    let before = get(ns.as_str(), &["ensemble", "platform-team"]);
    let r = run(&mut plugin(&["enable", "platform-team", "-n", ns.as_str(), "-y", "--relationships", "[]"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("the controller would not reconcile this relationship graph: workflowType \"delegation\" requires at least one delegation relationship edge"),
        "{}",
        r.stderr
    );
    let after = get(ns.as_str(), &["ensemble", "platform-team"]);
    assert_eq!(
        (&after["metadata"]["generation"], &after["spec"]),
        (&before["metadata"]["generation"], &before["spec"]),
        "nothing written"
    );
}

#[test]
fn ensemble_parity_workflow_type() {
    peer("ens-workflow", json!({"workflowType": "pipeline"}), &["--workflow-type", "pipeline"], same);
}

#[test]
fn ensemble_parity_shared_memory() {
    peer(
        "ens-shared",
        json!({"sharedMemory": {"enabled": true, "storageSize": "2Gi"}}),
        &["--shared-memory", "--shared-memory-size", "2Gi"],
        same,
    );
}

#[test]
fn ensemble_parity_stimulus_manual() {
    peer(
        "ens-stimulus",
        json!({"stimulus": {"name": "platform-audit", "prompt": "Audit the platform now.", "trigger": "manual"}}),
        &["--stimulus-prompt", "Audit the platform now.", "--stimulus-trigger", "manual"],
        same,
    );
}

#[test]
fn ensemble_parity_agent_config_model() {
    peer(
        "ens-model",
        json!({"agentConfigs": [{"name": "security-guardian", "model": "gpt-4.1"}]}),
        &["--persona-model", "security-guardian=gpt-4.1"],
        same,
    );
}

#[test]
fn ensemble_parity_agent_config_provider_and_base_url() {
    peer(
        "ens-provider",
        json!({"agentConfigs": [{"name": "platform-engineer", "provider": "anthropic", "baseURL": "http://proxy.example:8080/v1"}]}),
        &[
            "--persona-provider",
            "platform-engineer=anthropic",
            "--persona-base-url",
            "platform-engineer=http://proxy.example:8080/v1",
        ],
        same,
    );
}

#[test]
fn ensemble_parity_agent_config_prompt_and_skills() {
    let prompt = std::env::temp_dir().join(format!("ens-prompt-{}.md", std::process::id()));
    std::fs::write(&prompt, "Watch the cluster; page nobody.").unwrap();
    let flag = format!("sre-watchdog={}", prompt.display());
    peer(
        "ens-prompt",
        json!({"agentConfigs": [{"name": "sre-watchdog", "systemPrompt": "Watch the cluster; page nobody.", "skills": ["k8s-ops", "memory"]}]}),
        &["--system-prompt-file", &flag, "--persona-skills", "sre-watchdog=k8s-ops,memory"],
        same,
    );
}

#[test]
fn ensemble_parity_heartbeat() {
    peer("ens-heartbeat", json!({"heartbeatInterval": "1h"}), &["--heartbeat", "1h"], same);
}

/// firstTick is the schedules' own (the web API has no field for it): the
/// one difference is
/// every schedule's first tick, in the spec and as stamped.
#[test]
fn ensemble_parity_first_tick_after_interval() {
    fn first_tick(theirs: &mut Value, ours: &mut Value) {
        // (The CRD defaults an unset firstTick to immediate.)
        for (name, s) in ours["schedules"].as_object_mut().unwrap() {
            assert_eq!(s["spec"]["firstTick"], "afterInterval", "{name}");
            s["spec"].as_object_mut().unwrap().remove("firstTick");
            let theirs = theirs["schedules"][name]["spec"].as_object_mut().unwrap();
            assert_eq!(theirs.remove("firstTick"), Some(json!("immediate")), "{name}");
        }
        for c in theirs["spec"]["agentConfigs"].as_array_mut().unwrap() {
            if let Some(s) = c.get_mut("schedule").and_then(Value::as_object_mut) {
                assert_ne!(s.remove("firstTick"), Some(json!("afterInterval")));
            }
        }
        for c in ours["spec"]["agentConfigs"].as_array_mut().unwrap() {
            if let Some(s) = c.get_mut("schedule").and_then(Value::as_object_mut) {
                assert_eq!(s.remove("firstTick"), Some(json!("afterInterval")));
            }
        }
    }
    peer("ens-first-tick", json!({}), &["--first-tick", "afterInterval"], first_tick);
}

#[test]
fn ensemble_parity_agent_config_subagents() {
    peer(
        "ens-subagents",
        json!({"agentConfigs": [{"name": "platform-engineer", "subagents": {"maxDepth": 2, "maxConcurrent": 3}}]}),
        &["--persona-subagents", r#"platform-engineer={"maxDepth":2,"maxConcurrent":3}"#],
        same,
    );
}

#[test]
fn ensemble_parity_channel_access_control() {
    let acl = r#"{"slack":{"allowedSenders":["U123"],"denyMessage":"Not for you."}}"#;
    peer(
        "ens-acl",
        json!({"channelAccessControl": serde_json::from_str::<Value>(acl).unwrap()}),
        &["--channel-access-control", acl],
        same,
    );
}

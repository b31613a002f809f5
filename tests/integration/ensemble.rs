//! The Ensemble era (Sympozium v0.9 and later) against the real v0.10.46
//! controller: the v0.8.28 suite's lifecycle scenario, run on Ensembles.

use serde_json::Value;

use crate::common::*;

/// `kubectl get KIND -n NS -o json` items.
fn items(ns: &str, kind: &str, selector: &str) -> Vec<Value> {
    let out = kubectl_ok(&["get", kind, "-n", ns, "-l", selector, "-o", "json"]);
    serde_json::from_str::<Value>(&out).unwrap()["items"].as_array().cloned().unwrap_or_default()
}

/// A document with Go's `omitempty` applied: nulls, empty strings, lists and
/// maps dropped, so a rendered spec and a served one compare field for field.
fn pruned(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), pruned(v)))
                .filter(|(_, v)| {
                    !matches!(v, Value::Null) && v != "" && v != &Value::Array(vec![]) && v != &serde_json::json!({})
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(pruned).collect()),
        other => other.clone(),
    }
}

fn names(objs: &[Value]) -> Vec<String> {
    let mut n: Vec<String> = objs.iter().map(|o| o["metadata"]["name"].as_str().unwrap().to_string()).collect();
    n.sort();
    n
}

/// Rendered objects of `kind` equal, spec and labels, to the live ones.
fn render_matches_live(ns: &str, pack: &str, rendered: &[Value], kind: &str, plural: &str) {
    let planned: Vec<&Value> = rendered.iter().filter(|o| o["kind"] == kind).collect();
    let live = items(ns, plural, &format!("sympozium.ai/ensemble={pack}"));
    assert_eq!(names(&planned.iter().map(|v| (*v).clone()).collect::<Vec<_>>()), names(&live), "{kind} names");
    for p in planned {
        let name = p["metadata"]["name"].as_str().unwrap();
        let l = live.iter().find(|l| l["metadata"]["name"] == name).unwrap();
        let mut live_spec = l["spec"].clone();
        if kind == "SympoziumSchedule" {
            // Kept from the live object by the controller; not the ensemble's.
            live_spec.as_object_mut().unwrap().remove("suspend");
        }
        assert_eq!(pruned(&p["spec"]), pruned(&live_spec), "{kind}/{name} spec: rendered vs served");
        for (k, v) in p["metadata"]["labels"].as_object().unwrap() {
            assert_eq!(&l["metadata"]["labels"][k], v, "{kind}/{name} label {k}");
        }
        assert_eq!(l["metadata"]["ownerReferences"][0]["kind"], "Ensemble", "{kind}/{name} owned by the Ensemble");
    }
}

/// The v0.8 suite's lifecycle on the real v0.10.46 controller: enable with a
/// provider and key (into a namespace of its own), wait Ready, status, tree,
/// render equal to what the controller stamped, diff 0, switch provider,
/// exclude one agent config, disable, enable again, delete → GC.
#[test]
fn the_v0_8_lifecycle_runs_on_ensembles() {
    ensemble_server();
    const KEY: &str = "sk-ensemble-7a6b5c4d";
    let ns = Ns::new("ens");
    let n = ns.as_str();
    let pack = "developer-team";

    let r = run_with_stdin(
        &mut plugin(&[
            "enable",
            pack,
            "-n",
            "sympozium-system",
            "--into",
            n,
            "--provider",
            "openai",
            "--api-key-stdin",
            "--wait",
            "--timeout",
            "90s",
        ]),
        KEY,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("ensemble.sympozium.ai/{pack} copied from namespace")), "{}", r.stderr);
    assert!(r.stdout.contains(&format!("ensemble.sympozium.ai/{pack} patched")), "{}", r.stdout);
    assert!(r.stdout.contains(&format!("ensemble.sympozium.ai/{pack} Ready")), "{}", r.stdout);
    assert!(!r.stdout.contains(KEY) && !r.stderr.contains(KEY));
    let secret = kubectl_ok(&["get", "secret", "developer-team-openai-key", "-n", n, "-o", "json"]);
    let secret: Value = serde_json::from_str(&secret).unwrap();
    assert_eq!(secret["metadata"]["labels"]["sympozium.ai/ensemble"], pack, "labelled with the ensemble");

    // Status: every agent config's Agent; the sequential successor has no schedule.
    let r = run(&mut plugin(&["status", pack, "-n", n, "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["verdict"], "Ready", "{report}");
    let personas = report["personas"].as_array().unwrap();
    assert_eq!(personas.len(), 7);
    assert!(personas.iter().all(|p| p["instance"]["exists"] == true), "{report}");
    let qa = personas.iter().find(|p| p["name"] == "qa-engineer").unwrap();
    assert!(qa["schedule"].is_null(), "qa-engineer follows backend-dev and frontend-dev: no schedule: {qa}");
    let r = run(&mut plugin(&["status", pack, "-n", n]));
    assert!(
        r.stdout.starts_with(&format!("Ensemble {n}/{pack}: Ready (enabled, 7/7 agent configs installed)")),
        "{}",
        r.stdout
    );

    // Tree: the Ensemble owns its Agents and schedules.
    let r = run(&mut plugin(&["tree", pack, "-n", n]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for want in [
        format!("Ensemble/{pack}"),
        "├─Agent/developer-team-backend-dev".into(),
        "SympoziumSchedule/developer-team-tech-lead-schedule".into(),
        "ConfigMap/developer-team-tech-lead-memory".into(),
        "Secret/developer-team-openai-key (authRefs)".into(),
        // The ensemble's shared memory, owned by it and labelled with it.
        "├─Deployment/developer-team-shared-memory".into(),
        "├─Service/developer-team-shared-memory".into(),
    ] {
        assert!(r.stdout.contains(&want), "{want} in\n{}", r.stdout);
    }

    // Render = what the controller stamped, field for field; diff agrees.
    let check_render = || {
        let r = run(&mut plugin(&["render", pack, "-n", n, "-o", "json"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let rendered: Value = serde_json::from_str(&r.stdout).unwrap();
        let rendered = rendered["items"].as_array().unwrap().clone();
        render_matches_live(n, pack, &rendered, "Agent", "agents");
        render_matches_live(n, pack, &rendered, "SympoziumSchedule", "sympoziumschedules");
        let r = run(&mut plugin(&["diff", pack, "-n", n]));
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        assert_eq!(
            r.stdout,
            format!("ensemble.sympozium.ai/{pack} matches what the controller stamps: no differences\n")
        );
    };
    check_render();

    // Drift on an Agent is found, and the controller reverts it (v0.9+).
    kubectl_ok(&[
        "patch",
        "agent",
        "developer-team-docs-writer",
        "-n",
        n,
        "--type=merge",
        "-p",
        r#"{"spec":{"agents":{"default":{"model":"hand-edited"}}}}"#,
    ]);
    let r = run(&mut plugin(&["diff", pack, "-n", n]));
    if r.code == 1 {
        assert!(
            r.stdout.contains("spec.agents.default.model") && r.stdout.contains("the controller puts this back"),
            "{}",
            r.stdout
        );
    }
    wait_until("the controller reverting the Agent", 60, || {
        (run(&mut plugin(&["diff", pack, "-n", n])).code == 0).then_some(())
    });

    // Provider switch: every Agent moves to the new key.
    let r = run_with_stdin(
        &mut plugin(&[
            "enable",
            pack,
            "-n",
            n,
            "--provider",
            "anthropic",
            "--api-key-stdin",
            "--wait",
            "--timeout",
            "90s",
        ]),
        "sk-ant-ensemble",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for a in items(n, "agents", &format!("sympozium.ai/ensemble={pack}")) {
        assert_eq!(a["spec"]["authRefs"][0]["secret"], "developer-team-anthropic-key", "{}", a["metadata"]["name"]);
    }
    check_render();

    // One agent config excluded: its Agent, schedule and memory go.
    let r = run(&mut plugin(&[
        "disable",
        pack,
        "-n",
        n,
        "--persona",
        "docs-writer",
        "--yes",
        "--wait",
        "--timeout",
        "90s",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Excluding docs-writer from ensemble \"developer-team\" makes the Sympozium controller delete 1 Agent, 1 SympoziumSchedule and 1 memory ConfigMap."), "{}", r.stderr);
    let agents = names(&items(n, "agents", &format!("sympozium.ai/ensemble={pack}")));
    assert_eq!(agents.len(), 6);
    assert!(!agents.contains(&"developer-team-docs-writer".to_string()));
    check_render();

    // Disable: the controller deletes what it stamped and the managed key; v0.9+ keeps authRefs.
    let r = run(&mut plugin(&["disable", pack, "-n", n, "--yes", "--wait", "--timeout", "90s"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("delete 6 Agents, 5 SympoziumSchedules, 6 memory ConfigMaps, the credential Secret developer-team-anthropic-key."), "{}", r.stderr);
    assert!(r.stdout.contains(&format!("ensemble.sympozium.ai/{pack} Inactive")), "{}", r.stdout);
    assert!(items(n, "agents,sympoziumschedules", &format!("sympozium.ai/ensemble={pack}")).is_empty());
    let auth = kubectl_ok(&["get", "ensemble", pack, "-n", n, "-o", "jsonpath={.spec.authRefs[0].secret}"]);
    assert_eq!(auth, "developer-team-anthropic-key");
    assert!(kubectl(&["get", "secret", "developer-team-anthropic-key", "-n", n]).status.code() == Some(1));

    // Enabled again, then deleted: the garbage collector takes the Agents.
    let r = run_with_stdin(
        &mut plugin(&[
            "enable",
            pack,
            "-n",
            n,
            "--provider",
            "openai",
            "--api-key-stdin",
            "--wait",
            "--timeout",
            "90s",
        ]),
        KEY,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(items(n, "agents", &format!("sympozium.ai/ensemble={pack}")).len(), 6);
    kubectl_ok(&["delete", "ensemble", pack, "-n", n, "--wait=false"]);
    wait_until("the garbage collector removing the Agents and schedules", 90, || {
        items(n, "agents,sympoziumschedules", &format!("sympozium.ai/ensemble={pack}")).is_empty().then_some(())
    });
    let r = run(&mut plugin(&["describe", pack, "-n", n]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(&format!("ensembles.sympozium.ai \"{pack}\" not found")), "{}", r.stderr);
}

/// The catalog reads as on v0.8: list (the CRD's columns), `-o name`,
/// describe; render offline from a file matches render from the cluster.
#[test]
fn the_catalog_lists_describes_and_renders_offline() {
    ensemble_server();
    let r = run(&mut plugin(&["list", "-n", "sympozium-system"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let header = r.stdout.lines().next().unwrap();
    assert!(header.starts_with("NAME") && header.contains("PERSONAS") && header.contains("PHASE"), "{header}");
    assert_eq!(r.stdout.lines().count(), 9, "the chart's eight ensembles: {}", r.stdout);
    assert!(r.stdout.contains("devops-pipeline-example") && r.stdout.contains("pipeline"), "{}", r.stdout);
    let r = run(&mut plugin(&["list", "-n", "sympozium-system", "-o", "name"]));
    assert!(r.stdout.lines().all(|l| l.starts_with("ensemble.sympozium.ai/")), "{}", r.stdout);

    let r = run(&mut plugin(&["describe", "platform-team", "-n", "sympozium-system"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("security-guardian") && r.stdout.contains("Relationships:"), "{}", r.stdout);
    // v0.10's own settings: the Model, shared memory, the stimulus, per agent config.
    for want in [
        "Model Ref:      <none>",
        "Shared Memory:  enabled, 1Gi",
        "Stimulus:       platform-audit (fires once every agent is ready): Audit the cluster",
        "Agent Configs:",
    ] {
        assert!(r.stdout.contains(want), "{want} in\n{}", r.stdout);
    }
    let r = run(&mut plugin(&["describe", "subagent-analysis-example", "-n", "sympozium-system"]));
    assert!(
        r.stdout.contains("lead-analyst: subagents (maxDepth 2, maxConcurrent 6, maxChildrenPerAgent 8)"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("has no such field"), "every v0.10 field is known: {}", r.stdout);

    // Completion offers the ensembles and their agent configs.
    let complete = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["__complete"];
        all.extend(args);
        let r = run(&mut plugin(&all));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout.lines().filter(|l| !l.starts_with(':') && !l.is_empty()).map(String::from).collect()
    };
    assert_eq!(complete(&["describe", "-n", "sympozium-system", "dev"]), ["developer-team", "devops-pipeline-example"]);
    let agents = complete(&["disable", "platform-team", "-n", "sympozium-system", "--persona", ""]);
    assert_eq!(agents, ["platform-engineer", "security-guardian", "sre-watchdog"]);

    let obj = kubectl_ok(&["get", "ensemble", "platform-team", "-n", "sympozium-system", "-o", "json"]);
    let mut obj: Value = serde_json::from_str(&obj).unwrap();
    obj["spec"]["enabled"] = Value::Bool(true);
    let file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(file.path(), obj.to_string()).unwrap();
    let offline = run(&mut plugin(&["render", "-f", file.path().to_str().unwrap(), "-o", "json"]));
    assert_eq!(offline.code, 0, "{}", offline.stderr);
    let online = run(&mut plugin(&["render", "platform-team", "-n", "sympozium-system", "-o", "json"]));
    assert_eq!(online.code, 0, "{}", online.stderr);
    assert_eq!(offline.stdout, online.stdout, "offline and online render agree");
    let rendered: Value = serde_json::from_str(&offline.stdout).unwrap();
    let kinds: Vec<&str> = rendered["items"].as_array().unwrap().iter().map(|o| o["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"Agent") && !kinds.contains(&"SympoziumInstance"), "{kinds:?}");
}

/// `enable --model-ref` with the real Model controller: while the Model is
/// Loading the controller stamps nothing and `--wait` names the Model; once
/// its server is ready (its pod running on the simulated node),
/// every Agent runs on the Model's endpoint without a key, and render/diff
/// predict exactly that. A missing Model is refused before anything is written.
#[test]
fn a_model_ref_is_resolved_as_the_controller_does() {
    ensemble_server();
    let ns = Ns::new("ens-model");
    let n = ns.as_str();
    let pack = "platform-team";
    let r = run(&mut plugin(&["enable", pack, "-n", "sympozium-system", "--into", n, "--model-ref", "nowhere"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Model \"nowhere\" not found"), "{}", r.stderr);
    let r = run(&mut plugin(&["enable", pack, "-n", "sympozium-system", "--model-ref", "x", "--provider", "ollama"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("cannot go with --provider"), "{}", r.stderr);

    loading_model(n);

    let r = run(&mut plugin(&[
        "enable",
        pack,
        "-n",
        "sympozium-system",
        "--into",
        n,
        "--model-ref",
        "local-llm",
        "--wait",
        "--timeout",
        "5s",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("Warning: Model \"local-llm\" is not Ready (phase Loading)"), "{}", r.stderr);
    assert!(r.stderr.contains("waiting for Model \"local-llm\" to be Ready (phase Loading)"), "{}", r.stderr);
    assert!(
        items(n, "agents", &format!("sympozium.ai/ensemble={pack}")).is_empty(),
        "nothing stamped before the Model is Ready"
    );
    let spec = kubectl_ok(&["get", "ensemble", pack, "-n", n, "-o", "jsonpath={.spec.modelRef} {.spec.authRefs}"]);
    assert_eq!(spec.trim(), "local-llm");

    serve_model(n);
    let r = run(&mut plugin(&["status", pack, "-n", n, "--wait", "--timeout", "90s"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let endpoint = kubectl_ok(&["get", "model", "local-llm", "-n", n, "-o", "jsonpath={.status.endpoint}"]);
    assert!(endpoint.starts_with("http://"), "{endpoint}");
    let agents = items(n, "agents", &format!("sympozium.ai/ensemble={pack}"));
    assert_eq!(agents.len(), 3);
    for a in &agents {
        assert_eq!(a["spec"]["agents"]["default"]["model"], "local-llm", "{}", a["metadata"]["name"]);
        assert_eq!(a["spec"]["agents"]["default"]["baseURL"], endpoint.as_str());
        assert!(a["spec"]["authRefs"].is_null(), "a cluster-local model needs no key: {}", a["spec"]);
    }
    let r = run(&mut plugin(&["status", pack, "-n", n]));
    assert!(r.stdout.contains(&format!("Model: local-llm (Ready, {endpoint})")), "{}", r.stdout);
    let r = run(&mut plugin(&["render", pack, "-n", n, "-o", "json"]));
    let rendered: Value = serde_json::from_str(&r.stdout).unwrap();
    render_matches_live(n, pack, rendered["items"].as_array().unwrap(), "Agent", "agents");
    let r = run(&mut plugin(&["diff", pack, "-n", n]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

/// A Model `local-llm` (vLLM) in `ns` that the real Model controller holds
/// at `Loading`: its inference server asks for a GPU node the simulated
/// cluster does not have yet, so its pod stays Pending.
fn loading_model(ns: &str) {
    let model = format!(
        "apiVersion: sympozium.ai/v1alpha1\nkind: Model\nmetadata: {{name: local-llm, namespace: {ns}}}\nspec:\n  source: {{modelID: org/model}}\n  inference: {{serverType: vllm}}\n  nodeSelector: {{{}: a100}}\n",
        gpu_label(ns)
    );
    let file = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(file.path(), model).unwrap();
    kubectl_ok(&["apply", "-f", file.path().to_str().unwrap()]);
    wait_until("the Model controller starting the inference server", 60, || {
        let phase = kubectl_ok(&["get", "model", "local-llm", "-n", ns, "-o", "jsonpath={.status.phase}"]);
        (phase == "Loading").then_some(())
    });
}

/// The label of the "GPU node" `loading_model`'s inference server waits for:
/// one per test (its namespace), so one test's node never serves another's Model.
fn gpu_label(ns: &str) -> String {
    format!("testenv.personapack.dev/gpu-{ns}")
}

/// The GPU node arrives (the simulated node gets the label): the scheduler
/// binds the inference server's pod, KWOK runs it, its Deployment is ready,
/// and the Model controller makes the Model `Ready` with its endpoint.
fn serve_model(ns: &str) {
    kubectl_ok(&["label", "node", "kwok-node", "--overwrite", &format!("{}=a100", gpu_label(ns))]);
    wait_until("the Model Ready", 90, || {
        let phase = kubectl_ok(&["get", "model", "local-llm", "-n", ns, "-o", "jsonpath={.status.phase}"]);
        (phase == "Ready").then_some(())
    });
}

/// The wizard on an Ensemble offers the cluster's Models (the v0.10 web UI's
/// modelRef) before a provider; picking one asks for no provider, key or
/// model, and the Ensemble runs on the Model.
#[test]
fn the_wizard_offers_the_clusters_models() {
    ensemble_server();
    let ns = Ns::new("ens-wizard");
    let n = ns.as_str();
    loading_model(n);
    serve_model(n);
    let down = "\u{1b}[B";
    let steps = serde_json::json!([
        ["Serve the agents with", format!("{down}\r")], // Model local-llm
        ["Team objective", "\r"],
        ["Agent Sandbox", "\r"],
        ["Channels", "\r"],
        ["Heartbeat", "\r"],
        ["First scheduled run", format!("{down}\r")], // afterInterval
        ["Stimulus \"platform-audit\" fires", format!("{down}\r")], // manual
        ["leave out", "\r"],
        ["Edit a", "\r"],
        ["Apply", "y"]
    ])
    .to_string();
    let args = ["enable", "platform-team", "-n", "sympozium-system", "--into", n, "--wait"];
    let r = crate::activation::drive(&steps, &args);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("Enabling ensemble \"platform-team\""), "{}", r.stdout);
    assert!(r.stdout.contains("Model local-llm (Ready)"), "{}", r.stdout);
    assert!(!r.stdout.contains("? Model provider") && !r.stdout.contains("API key for"), "{}", r.stdout);
    assert!(r.stdout.contains("set modelRef local-llm"), "{}", r.stdout);
    assert!(r.stdout.contains("ensemble.sympozium.ai/platform-team Ready"), "{}", r.stdout);
    let model_ref = kubectl_ok(&["get", "ensemble", "platform-team", "-n", n, "-o", "jsonpath={.spec.modelRef}"]);
    assert_eq!(model_ref, "local-llm");
    for a in items(n, "agents", "sympozium.ai/ensemble=platform-team") {
        assert_eq!(a["spec"]["agents"]["default"]["model"], "local-llm");
    }
    // The Ensemble's own steps: no schedule runs at once, the stimulus waits to be triggered.
    let schedules = items(n, "sympoziumschedules", "sympozium.ai/ensemble=platform-team");
    assert!(!schedules.is_empty() && schedules.iter().all(|s| s["spec"]["firstTick"] == "afterInterval"));
    let trigger = kubectl_ok(&["get", "ensemble", "platform-team", "-n", n, "-o", "jsonpath={.spec.stimulus.trigger}"]);
    assert_eq!(trigger, "manual");
    let runs = kubectl_ok(&["get", "agentruns", "-n", n, "-o", "name"]);
    assert!(runs.trim().is_empty(), "nothing ran: {runs}");
}

/// Cluster text on an Ensemble is hostile too: v0.10's own fields (the
/// stimulus, provider header names, an agent config's provider and base URL)
/// are printed escaped by every command that shows them.
#[test]
fn an_ensembles_own_text_is_escaped() {
    ensemble_server();
    let ns = Ns::new("ens-hostile");
    let n = ns.as_str();
    let esc = "\\u001b]0;owned\\u0007\\u001b[2J";
    let yaml = format!(
        r#"apiVersion: sympozium.ai/v1alpha1
kind: Ensemble
metadata: {{name: hostile, namespace: {n}}}
spec:
  description: "team {esc}"
  providerHeaders: {{"X-{esc}": "v"}}
  stimulus: {{name: "kick {esc}", prompt: "go {esc}"}}
  agentConfigs:
  - name: a
    displayName: "A {esc}"
    systemPrompt: "p {esc}"
    provider: "openai {esc}"
    baseURL: "http://x/{esc}"
    runTimeout: "5m"
"#
    );
    let file = tempfile::Builder::new().suffix(".yaml").tempfile().unwrap();
    std::fs::write(file.path(), yaml).unwrap();
    kubectl_ok(&["apply", "-f", file.path().to_str().unwrap()]);
    for args in [
        vec!["list", "-n", n, "-o", "wide"],
        vec!["describe", "hostile", "-n", n],
        vec!["status", "hostile", "-n", n],
        vec!["tree", "hostile", "-n", n],
    ] {
        let r = run(&mut plugin(&args));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        for raw in ['\u{1b}', '\u{7}'] {
            assert!(!r.stdout.contains(raw) && !r.stderr.contains(raw), "{args:?} printed a raw control character");
        }
    }
    let r = run(&mut plugin(&["describe", "hostile", "-n", n]));
    for shown in
        ["Stimulus:       kick \\u{1b}]0;owned\\u{7}", "X-\\u{1b}]0;owned", "a: provider openai \\u{1b}]0;owned"]
    {
        assert!(r.stdout.contains(shown), "{shown} in\n{}", r.stdout);
    }
}

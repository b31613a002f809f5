//! Across the upgrade Sympozium ships no tool for, on one API server
//! (tests/cluster/upgrade.sh): teams enabled and run under v0.8.28, then its
//! controller stopped, v0.10.46's CRDs applied over the old ones by
//! server-side apply and its controller started; `check` finds what was
//! left, `migrate` carries the teams over with their memory (one migration
//! cut halfway and finished by the next), `check` is then clean. And
//! `migrate -f` on upstream's built-in packs against v0.10.46.

use std::collections::BTreeMap;
use std::process::Stdio;

use serde_json::Value;

use crate::agent::{self, Transcript, Usage};
use crate::common::*;

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&kubectl_ok(args)).unwrap()
}

fn items(args: &[&str]) -> Vec<Value> {
    json(args)["items"].as_array().cloned().unwrap_or_default()
}

fn name(v: &Value) -> String {
    v["metadata"]["name"].as_str().unwrap_or_default().to_string()
}

/// What migrate may write of an object, to tell that a dry run wrote none of it.
fn written_part(v: &Value) -> Value {
    let m = &v["metadata"];
    serde_json::json!([
        m["uid"],
        m["labels"],
        m["ownerReferences"],
        m["finalizers"],
        m["deletionTimestamp"],
        v["spec"],
        v["data"]
    ])
}

const KINDS: &str = "personapacks,sympoziuminstances,sympoziumschedules,configmaps,persistentvolumeclaims,secrets";

fn state(ns: &str) -> BTreeMap<String, Value> {
    items(&["get", KINDS, "-n", ns, "-o", "json"])
        .iter()
        .map(|v| (format!("{}/{}", v["kind"].as_str().unwrap_or_default(), name(v)), written_part(v)))
        .collect()
}

fn enable(ns: &str, pack: &str, extra: &[&str]) {
    let mut args =
        vec!["enable", pack, "-n", "sympozium-system", "--into", ns, "--provider", "openai", "--api-key-stdin"];
    args.extend_from_slice(&["--model", "gpt-4o", "--wait", "--timeout", "120s"]);
    args.extend_from_slice(extra);
    let r = run_with_stdin(&mut plugin(&args), "sk-upgrade-test");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn teams_cross_the_upgrade_with_their_memory_and_settings() {
    let _server = upgrade_server();
    let ns = Ns::new("upgrade");
    let n = ns.as_str();
    create_secret(n, "team-slack", "SLACK_BOT_TOKEN=xoxb-upgrade");
    enable(
        n,
        "platform-team",
        &[
            "--exclude",
            "sre-watchdog",
            "--skill-param",
            "k8s-ops.namespace=prod",
            "--channel-secret",
            "slack=team-slack",
        ],
    );
    enable(n, "devops-essentials", &[]);

    // A run of each era's controller finishes and the controller writes the agent's memory.
    let agent_run = crate::node::first_run(n, "security-guardian");
    let memory = "# Memory\n- node-7 was NotReady twice before the upgrade";
    let usage = Usage { input: 100, output: 20, tool_calls: 1, duration_ms: 900 };
    agent::play(n, &agent_run, &Transcript::success("All nodes Ready.", usage).with_memory(memory));
    assert_eq!(agent::finished(n, &agent_run)["phase"], "Succeeded");
    let cm = json(&["get", "configmap", "platform-team-security-guardian-memory", "-n", n, "-o", "json"]);
    assert_eq!(cm["data"]["MEMORY.md"], memory);
    let pvcs = wait_until("every memory PVC Bound", 120, || {
        let pvcs = items(&["get", "pvc", "-n", n, "-l", "sympozium.ai/component=memory-db", "-o", "json"]);
        let names: Vec<String> = pvcs.iter().map(name).collect();
        let both = ["platform-team-security-guardian-memory-db", "devops-essentials-incident-responder-memory-db"];
        (both.iter().all(|b| names.iter().any(|n| n == b)) && pvcs.iter().all(|p| p["status"]["phase"] == "Bound"))
            .then_some(pvcs)
    });
    let memories: BTreeMap<String, Value> =
        items(&["get", "configmaps", "-n", n, "-l", "sympozium.ai/memory=true", "-o", "json"])
            .iter()
            .map(|c| (name(c), c["data"].clone()))
            .collect();
    assert!(memories.contains_key("devops-essentials-incident-responder-memory"), "{memories:?}");
    let pvc_uids: BTreeMap<String, Value> = pvcs.iter().map(|p| (name(p), p["metadata"]["uid"].clone())).collect();
    let secret_uid =
        json(&["get", "secret", "platform-team-openai-key", "-n", n, "-o", "json"])["metadata"]["uid"].clone();

    upgrade_step("upgrade");

    let r = run(&mut plugin(&["check"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("PersonaPacks left from Sympozium v0.8 that no controller reconciles"), "{}", r.stdout);
    assert!(r.stdout.contains("→ kubectl personapack migrate -A"), "{}", r.stdout);

    // Refused, nothing written: while a v0.8 controller still runs; a pack that does not exist.
    let before = state(n);
    let image = |tag: &str| format!("manager=ghcr.io/sympozium-ai/sympozium/controller:{tag}");
    let set_image = |tag: &str| {
        kubectl_ok(&["set", "image", "deployment/sympozium-controller-manager", &image(tag), "-n", "sympozium-system"])
    };
    set_image("v0.8.28");
    let r = run(&mut plugin(&["migrate", "-A"]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains(
            "the Sympozium v0.8.28 controller (deployment sympozium-system/sympozium-controller-manager) still runs"
        ),
        "{}",
        r.stderr
    );
    set_image("v0.10.46");
    let r = run(&mut plugin(&["migrate", "platform-team", "no-such-pack", "-n", n]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("personapacks.sympozium.ai \"no-such-pack\" not found"), "{}", r.stderr);
    assert_eq!(state(n), before, "a refused migrate changed the cluster");

    // A dry run writes nothing.
    let r = run(&mut plugin(&["migrate", "-A", "--dry-run"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&"ensemble.sympozium.ai/platform-team created (dry run)".to_string()), "{}", r.stdout);
    let r = run(&mut plugin(&["migrate", "-A", "--dry-run=server", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    let names: Vec<String> = list["items"].as_array().unwrap().iter().map(name).collect();
    assert!(
        names.contains(&"platform-team".to_string()) && names.contains(&"devops-essentials".to_string()),
        "{names:?}"
    );
    assert!(list["items"][0]["metadata"]["uid"].is_string(), "the server's answer: {list}");
    assert_eq!(state(n), before, "a dry run changed the cluster");
    assert!(items(&["get", "ensembles", "-n", n, "-o", "json"]).is_empty());

    // Cut after the Ensemble is written, before the PersonaPack is released.
    let dir = tempfile::tempdir().unwrap();
    let gate = dir.path().join("gate");
    let mut child = plugin(&["migrate", "devops-essentials", "-n", n])
        .env("KUBECTL_PERSONAPACK_TEST_GATE", &gate)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Before its gate, migrate waits for the garbage collector to finish the old instances'
    // foreground deletions (their Deployments, ReplicaSets, Pods): slow on a loaded machine.
    wait_for_gate_within(&gate, "migrate, its Ensemble written", 240);
    child.kill().unwrap();
    child.wait().unwrap();
    kubectl_ok(&["get", "ensemble", "devops-essentials", "-n", n]);
    kubectl_ok(&["get", "personapack", "devops-essentials", "-n", n]);

    // The next run finishes it, and carries every other pack.
    let r = run(&mut plugin(&["migrate", "-A"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("personapack.sympozium.ai/devops-essentials deleted (finalizer released)"),
        "{}",
        r.stdout
    );
    assert!(items(&["get", "personapacks", "-A", "-o", "json"]).is_empty(), "no PersonaPack left, none Terminating");
    assert!(items(&["get", "sympoziuminstances", "-A", "-o", "json"]).is_empty());

    for pack in ["platform-team", "devops-essentials"] {
        let r = run(&mut plugin(&["status", pack, "-n", n, "--wait", "--timeout", "120s"]));
        assert_eq!(r.code, 0, "{pack}: {}{}", r.stdout, r.stderr);
        let r = run(&mut plugin(&["diff", pack, "-n", n]));
        assert_eq!(r.code, 0, "{pack}'s Agents are what render says: {}{}", r.stdout, r.stderr);
    }
    let e = json(&["get", "ensemble", "platform-team", "-n", n, "-o", "json"]);
    assert_eq!(e["spec"]["excludePersonas"], serde_json::json!(["sre-watchdog"]));
    assert_eq!(e["spec"]["skillParams"]["k8s-ops"]["namespace"], "prod");
    assert_eq!(e["spec"]["channelConfigs"]["slack"], "team-slack");
    assert_eq!(e["spec"]["authRefs"][0]["secret"], "platform-team-openai-key");

    // Memory: every ConfigMap's content, every PVC (same UID) kept, Bound, and mounted by the new Agent's memory server.
    for (cm, data) in &memories {
        let now = json(&["get", "configmap", cm, "-n", n, "-o", "json"]);
        assert_eq!(&now["data"], data, "{cm}");
        assert!(now["metadata"]["labels"]["sympozium.ai/ensemble"].is_string(), "{now}");
    }
    for (pvc, uid) in &pvc_uids {
        let now = json(&["get", "pvc", pvc, "-n", n, "-o", "json"]);
        assert_eq!((&now["metadata"]["uid"], now["status"]["phase"].as_str()), (uid, Some("Bound")), "{pvc}");
        let deploy = pvc.trim_end_matches("-db");
        wait_until(&format!("deployment {deploy} of the new Agent on {pvc}"), 120, || {
            let d: Value =
                serde_json::from_slice(&kubectl(&["get", "deployment", deploy, "-n", n, "-o", "json"]).stdout).ok()?;
            let owner = d["metadata"]["ownerReferences"][0]["kind"].as_str() == Some("Agent");
            let claims: Vec<&str> = d["spec"]["template"]["spec"]["volumes"]
                .as_array()?
                .iter()
                .filter_map(|v| v["persistentVolumeClaim"]["claimName"].as_str())
                .collect();
            (owner && claims == [pvc.as_str()] && d["status"]["readyReplicas"].as_i64() >= Some(1)).then_some(())
        });
    }
    let secret = json(&["get", "secret", "platform-team-openai-key", "-n", n, "-o", "json"]);
    assert_eq!(secret["metadata"]["uid"], secret_uid);
    assert_eq!(secret["metadata"]["labels"]["sympozium.ai/ensemble"], "platform-team");

    // The built-in packs became disabled Ensembles; once their controller has seen them, check is clean.
    kubectl_ok(&[
        "wait",
        "--for=jsonpath={.status.phase}=Inactive",
        "--timeout=90s",
        "-n",
        "sympozium-system",
        "ensembles",
        "--all",
    ]);
    let r = run(&mut plugin(&["check"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // A second run changes nothing.
    let r = run(&mut plugin(&["migrate", "platform-team", "-n", n]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "ensemble.sympozium.ai/platform-team unchanged (already migrated)\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn migrate_f_turns_the_built_in_packs_into_ensembles_v0_10_accepts_and_stamps_as_rendered() {
    ensemble_server();
    let ns = Ns::new("migrate-f");
    let n = ns.as_str();
    let dir = upstream().join("sympozium-v0.8.28/config/personas");
    let r = run(&mut plugin(&["migrate", "-f", dir.to_str().unwrap(), "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "no field of upstream's packs is dropped");
    let mut list: Value = serde_json::from_str(&r.stdout).unwrap();
    let packs = list["items"].as_array_mut().unwrap();
    assert_eq!(packs.len(), 5);
    for e in packs.iter_mut() {
        assert_eq!(e["kind"], "Ensemble");
        e["metadata"]["namespace"] = Value::String(n.into());
        e["spec"]["enabled"] = Value::Bool(true);
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), serde_json::to_vec(&list).unwrap()).unwrap();
    let path = file.path().to_str().unwrap();
    // The v0.10.46 API server accepts them, refusing any unknown field.
    kubectl_ok(&["apply", "--dry-run=server", "--validate=strict", "-f", path]);
    kubectl_ok(&["apply", "--validate=strict", "-f", path]);
    for e in list["items"].as_array().unwrap() {
        let pack = name(e);
        let r = run(&mut plugin(&["status", &pack, "-n", n, "--wait", "--timeout", "120s"]));
        assert_eq!(r.code, 0, "{pack}: {}{}", r.stdout, r.stderr);
        // v0.10.46's Agent controller may create a memory ConfigMap before the
        // Ensemble controller seeds it (upstream's race; diff names it and
        // `seed` is its remedy): seeded first, so that diff compares the rest.
        let r = run(&mut plugin(&["seed", &pack, "-n", n]));
        assert_eq!(r.code, 0, "{pack}: {}{}", r.stdout, r.stderr);
        let r = run(&mut plugin(&["diff", &pack, "-n", n]));
        assert_eq!(r.code, 0, "{pack}: the controller stamps what render says: {}{}", r.stdout, r.stderr);
    }
}

#[test]
fn migrate_refuses_a_cluster_that_serves_no_ensembles() {
    let r = run(&mut plugin(&["migrate", "platform-team", "-n", "sympozium-system"]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.starts_with(
            "error: this cluster serves no Ensembles (sympozium.ai/v1alpha1): upgrade Sympozium to v0.9 or later first"
        ),
        "{}",
        r.stderr
    );
    let phase = kubectl_ok(&[
        "get",
        "personapack",
        "platform-team",
        "-n",
        "sympozium-system",
        "-o",
        "jsonpath={.status.phase}",
    ]);
    assert_eq!(phase, "Inactive");
    // check on a v0.8 cluster: its API and controller, nothing left behind.
    let r = run(&mut plugin(&["check", "-o", "json"]));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["findings"][0]["message"], "PersonaPacks served (Sympozium v0.8.x)", "{doc}");
    assert!(
        doc["findings"].as_array().unwrap().iter().any(|f| f["message"]
            == "Sympozium v0.8.28 controller (deployment sympozium-system/sympozium-controller-manager)"),
        "{doc}"
    );
}

//! The plugin against the real Sympozium v0.8.28 controller (built from
//! ../shared/upstream, running out of cluster against the test API server):
//! the plugin enables, the controller stamps, the plugin reads — and what
//! `render` predicts is compared with what the controller actually wrote.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::*;

/// The built-in packs of v0.8.28's `config/personas`, as up.sh installs them.
const BUILT_IN: &[&str] =
    &["developer-team", "devops-essentials", "observability-mcp-team", "platform-team", "research-team"];

fn get_json(ns: &str, what: &str) -> Option<Value> {
    let out = kubectl(&["get", what, "-n", ns, "-o", "json"]);
    out.status.success().then(|| serde_json::from_slice(&out.stdout).unwrap())
}

fn names(ns: &str, kinds: &str, selector: &str) -> BTreeSet<String> {
    kubectl_ok(&["get", kinds, "-n", ns, "-l", selector, "-o", "jsonpath={.items[*].metadata.name}"])
        .split_whitespace()
        .map(String::from)
        .collect()
}

/// `enable PACK` from the catalog in sympozium-system into `ns`, with `args`
/// and an OpenAI-style key in $PERSONAPACK_TEST_KEY; must succeed.
fn enable_into(pack: &str, ns: &str, args: &[&str]) -> Run {
    let mut a = vec!["enable", pack, "-n", "sympozium-system", "--into", ns, "--yes"];
    a.extend(args);
    let r = run(plugin(&a).env("PERSONAPACK_TEST_KEY", "sk-test-not-a-real-key"));
    assert_eq!(r.code, 0, "enable {pack} {args:?}: {}\n{}", r.stdout, r.stderr);
    r
}

/// What `render` predicts for the pack, by (kind, name).
fn rendered(ns: &str, pack: &str) -> Vec<Value> {
    let r = run(&mut plugin(&["render", pack, "-n", ns, "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    doc["items"].as_array().cloned().unwrap_or_default()
}

/// A memory ConfigMap the SympoziumInstance controller created first (upstream's race).
fn is_instance_memory(cm: &Value) -> bool {
    cm["metadata"]["labels"]["sympozium.ai/component"] == "memory"
}

/// Every object `render` predicts exists, and equals what the controller
/// stamped field by field: spec (data for memory), labels, ownerReferences.
/// Nothing labelled with the pack exists beyond them. Memory that lost the
/// race to the instance controller is seeded first (it is checked by
/// `lost_seeds_are_reported_and_written_only_into_untouched_memory`).
fn assert_stamped_as_rendered(ns: &str, pack: &str) {
    let planned = rendered(ns, pack);
    assert!(!planned.is_empty(), "render predicted nothing for {pack}");
    for p in &planned {
        let kind = p["kind"].as_str().unwrap();
        let name = p["metadata"]["name"].as_str().unwrap();
        let what = format!("{}/{name}", kind.to_ascii_lowercase());
        let mut live = wait_until(&format!("{what} stamped"), 60, || get_json(ns, &what));
        let lost_the_race = kind == "ConfigMap" && is_instance_memory(&live);
        if lost_the_race {
            let r = run(&mut plugin(&["seed", pack, "-n", ns]));
            assert_eq!(r.code, 0, "{}", r.stderr);
            live = get_json(ns, &what).unwrap();
        }
        if kind == "ConfigMap" {
            assert_eq!(live["data"], p["data"], "{pack}: {what} data");
            // The pack controller's memory has no owner; seeded instance memory keeps its instance.
            assert_eq!(live["metadata"]["ownerReferences"].is_null(), !lost_the_race, "{what} owner");
            for (k, v) in p["metadata"]["labels"].as_object().unwrap() {
                assert_eq!(&live["metadata"]["labels"][k], v, "{what} label {k}");
            }
        } else {
            assert_eq!(live["spec"], p["spec"], "{pack}: {what} spec");
            assert_eq!(live["metadata"]["labels"], p["metadata"]["labels"], "{what} labels");
            assert_eq!(live["metadata"]["ownerReferences"], p["metadata"]["ownerReferences"], "{what} owner");
        }
    }
    let selector = format!("sympozium.ai/persona-pack={pack}");
    let stamped = names(ns, "sympoziuminstances,sympoziumschedules", &selector);
    let predicted: BTreeSet<String> = planned
        .iter()
        .filter(|p| p["kind"] != "ConfigMap")
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stamped, predicted, "{pack}: stamped instances and schedules");
}

/// The pack's phase once every instance the controller reports is present.
fn phase(ns: &str, pack: &str) -> String {
    kubectl_ok(&["get", "personapack", pack, "-n", ns, "-o", "jsonpath={.status.phase}"])
}

#[test]
fn every_built_in_pack_enables_to_ready_and_matches_render() {
    for pack in BUILT_IN {
        let ns = Ns::new("builtin");
        let r = enable_into(
            pack,
            ns.as_str(),
            &[
                "--provider",
                "openai",
                "--api-key-env",
                "PERSONAPACK_TEST_KEY",
                "--model",
                "gpt-4.1-mini",
                "--task",
                "Keep the lights on.",
                "--base-url",
                "http://llm.example:8000/v1",
                "--wait",
                "--timeout",
                "2m",
            ],
        );
        assert!(r.stdout.contains(&format!("personapack.sympozium.ai/{pack} Ready")), "{pack}: {}", r.stdout);
        assert_eq!(phase(ns.as_str(), pack), "Ready");
        assert_stamped_as_rendered(ns.as_str(), pack);
        let d = run(&mut plugin(&["diff", pack, "-n", ns.as_str()]));
        assert_eq!(d.code, 0, "{pack}: diff after enable:\n{}{}", d.stdout, d.stderr);
        let s = run(&mut plugin(&["status", pack, "-n", ns.as_str(), "-o", "json"]));
        let doc: Value = serde_json::from_str(&s.stdout).unwrap();
        assert_eq!(doc["verdict"], "Ready", "{pack}: {}", s.stdout);
        // Every instance carries the pack's settings as the controller wrote them.
        let inst: Value = serde_json::from_str(&kubectl_ok(&[
            "get",
            "sympoziuminstances",
            "-n",
            ns.as_str(),
            "-l",
            &format!("sympozium.ai/persona-pack={pack}"),
            "-o",
            "json",
        ]))
        .unwrap();
        for i in inst["items"].as_array().unwrap() {
            assert_eq!(i["spec"]["agents"]["default"]["model"], "gpt-4.1-mini");
            assert_eq!(i["spec"]["agents"]["default"]["baseURL"], "http://llm.example:8000/v1");
            assert_eq!(i["spec"]["authRefs"], json!([{"provider": "openai", "secret": format!("{pack}-openai-key")}]));
        }
        for t in kubectl_ok(&["get", "sympoziumschedules", "-n", ns.as_str(), "-o", "jsonpath={.items[*].spec.task}"])
            .split("TEAM OBJECTIVE: ")
            .skip(1)
        {
            assert!(t.starts_with("Keep the lights on.\n\nYOUR ROLE TASK: "), "{t}");
        }
    }
}

#[test]
fn options_that_change_stamping_change_it_as_render_predicts() {
    let ns = Ns::new("options");
    let n = ns.as_str();
    create_secret(n, "team-slack", "SLACK_BOT_TOKEN=xoxb-test");
    apply(n, "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumPolicy\nmetadata: {name: strict}\nspec: {}\n");
    enable_into(
        "developer-team",
        n,
        &[
            "--provider",
            "ollama",
            "--skill-param",
            "github-gitops.repo=org/app",
            "--policy",
            "strict",
            "--channel-secret",
            "slack=team-slack",
            "--exclude",
            "tech-lead,qa-engineer",
            "--wait",
        ],
    );
    assert_stamped_as_rendered(n, "developer-team");
    let excluded = names(n, "sympoziuminstances", "sympozium.ai/persona in (tech-lead,qa-engineer)");
    assert!(excluded.is_empty(), "excluded personas stamped: {excluded:?}");
    let inst = get_json(n, "sympoziuminstance/developer-team-backend-dev").unwrap();
    assert_eq!(inst["spec"]["policyRef"], "strict");
    let gitops = inst["spec"]["skills"].as_array().unwrap().iter().find(|s| s["skillPackRef"] == "github-gitops");
    if let Some(g) = gitops {
        assert_eq!(g["params"], json!({"repo": "org/app"}));
    }

    // Re-include one persona: the controller stamps it, as render predicts.
    let r = run(&mut plugin(&["enable", "developer-team", "-n", n, "--persona", "qa-engineer", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(get_json(n, "sympoziuminstance/developer-team-qa-engineer").is_some());
    assert_stamped_as_rendered(n, "developer-team");

    // A model for every persona reaches the existing instances (the controller re-enforces it).
    let r = run(&mut plugin(&["enable", "developer-team", "-n", n, "--model", "qwen3:8b", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    wait_until("model propagated", 60, || {
        let models =
            kubectl_ok(&["get", "sympoziuminstances", "-n", n, "-o", "jsonpath={.items[*].spec.agents.default.model}"]);
        models.split_whitespace().all(|m| m == "qwen3:8b").then_some(())
    });
    assert_stamped_as_rendered(n, "developer-team");
    let d = run(&mut plugin(&["diff", "developer-team", "-n", n]));
    assert_eq!(d.code, 0, "{}{}", d.stdout, d.stderr);
}

#[test]
fn a_provider_switch_reaches_every_instance_and_the_old_key_is_named_then_pruned() {
    let ns = Ns::new("switch");
    let n = ns.as_str();
    enable_into("platform-team", n, &["--provider", "openai", "--api-key-env", "PERSONAPACK_TEST_KEY", "--wait"]);
    create_secret(n, "team-anthropic", "ANTHROPIC_API_KEY=sk-ant-test");
    let r = run(&mut plugin(&[
        "enable",
        "platform-team",
        "-n",
        n,
        "--provider",
        "anthropic",
        "--secret",
        "team-anthropic",
        "--model",
        "claude-sonnet-4",
        "--wait",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // enable says what the switch left behind, and how to remove it.
    assert!(
        r.stderr.contains("Unused credentials")
            && r.stderr.contains(&format!(
                "Secret/platform-team-openai-key: kubectl delete secret platform-team-openai-key -n {n}"
            )),
        "{}",
        r.stderr
    );
    wait_until("anthropic everywhere", 60, || {
        let refs =
            kubectl_ok(&["get", "sympoziuminstances", "-n", n, "-o", "jsonpath={.items[*].spec.authRefs[0].secret}"]);
        let models =
            kubectl_ok(&["get", "sympoziuminstances", "-n", n, "-o", "jsonpath={.items[*].spec.agents.default.model}"]);
        (refs.split_whitespace().count() == 3
            && refs.split_whitespace().all(|s| s == "team-anthropic")
            && models.split_whitespace().all(|m| m == "claude-sonnet-4"))
        .then_some(())
    });
    assert_stamped_as_rendered(n, "platform-team");
    // status lists the forgotten key too.
    let s = run(&mut plugin(&["status", "platform-team", "-n", n, "--color", "never"]));
    assert!(s.stdout.contains("Secret/platform-team-openai-key: kubectl delete secret"), "{}", s.stdout);
    // The controller never deletes it (it is not in authRefs) — disable does, when asked.
    let r = run(&mut plugin(&["disable", "platform-team", "-n", n, "--yes", "--prune-secrets", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("secret/platform-team-openai-key deleted (unused)"), "{}", r.stdout);
    assert!(get_json(n, "secret/platform-team-openai-key").is_none());
    // ...and never a Secret it did not write: the user's own stays.
    assert!(get_json(n, "secret/team-anthropic").is_some());
}

#[test]
fn disable_removes_what_the_controller_removes_and_deleting_the_pack_collects_the_rest() {
    let ns = Ns::new("disable");
    let n = ns.as_str();
    enable_into("platform-team", n, &["--provider", "openai", "--api-key-env", "PERSONAPACK_TEST_KEY", "--wait"]);
    let all = "sympozium.ai/persona-pack=platform-team";
    assert_eq!(names(n, "sympoziuminstances", all).len(), 3);

    // One persona: its instance, schedule and memory go; the rest stays Ready.
    let r = run(&mut plugin(&["disable", "platform-team", "-n", n, "--persona", "sre-watchdog", "--yes", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for what in
        ["sympoziuminstance/platform-team-sre-watchdog", "sympoziumschedule/platform-team-sre-watchdog-schedule"]
    {
        wait_until(&format!("{what} deleted"), 60, || get_json(n, what).is_none().then_some(()));
    }
    assert_eq!(names(n, "sympoziuminstances", all).len(), 2);
    assert_eq!(phase(n, "platform-team"), "Ready");

    // The whole pack: everything stamped and the managed key go, authRefs cleared, Inactive.
    let r = run(&mut plugin(&["disable", "platform-team", "-n", n, "--yes", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().last(), Some("personapack.sympozium.ai/platform-team Inactive"), "{}", r.stdout);
    assert!(names(n, "sympoziuminstances,sympoziumschedules", all).is_empty());
    assert!(names(n, "configmaps", "sympozium.ai/memory=true").is_empty());
    wait_until("managed key deleted", 30, || get_json(n, "secret/platform-team-openai-key").is_none().then_some(()));
    let refs = kubectl_ok(&["get", "personapack", "platform-team", "-n", n, "-o", "jsonpath={.spec.authRefs}"]);
    assert!(refs.is_empty(), "{refs}");
    // status of a disabled pack expects nothing: no "missing" anywhere.
    let s = run(&mut plugin(&["status", "platform-team", "-n", n, "--color", "never"]));
    assert!(s.stdout.contains(": Inactive (disabled)"), "{}", s.stdout);
    assert!(!s.stdout.contains("Missing"), "{}", s.stdout);

    // Enable again (the exclusion outlives the disable, as upstream keeps
    // excludePersonas), then delete the pack: the garbage collector removes what it owned.
    enable_into("platform-team", n, &["--provider", "ollama", "--wait"]);
    assert_eq!(names(n, "sympoziuminstances", all).len(), 2);
    kubectl_ok(&["delete", "personapack", "platform-team", "-n", n, "--wait=false"]);
    wait_until("instances and schedules collected", 90, || {
        names(n, "sympoziuminstances,sympoziumschedules", all).is_empty().then_some(())
    });
    wait_until("pack gone (finalizer removed by the controller)", 60, || {
        get_json(n, "personapack/platform-team").is_none().then_some(())
    });
}

/// Upstream's race, made deterministic: a persona whose memory the instance
/// controller created (no seeds then), seeds added afterwards — the pack
/// controller never writes them into an existing ConfigMap (v0.10.46's
/// Ensemble controller neither: "don't overwrite user memory").
fn lost_seeds(ensemble: bool) {
    let (kind, field) = if ensemble { ("ensemble", "agentConfigs") } else { ("personapack", "personas") };
    let ns = Ns::new(if ensemble { "seeds-ens" } else { "seeds" });
    let n = ns.as_str();
    let mut yaml =
        pack_yaml("team", "  enabled: true").replace("    memory: {enabled: true, seeds: [\"one\", \"two\"]}\n", "");
    if ensemble {
        yaml = yaml.replace("kind: PersonaPack", "kind: Ensemble").replace("  personas:", "  agentConfigs:");
    }
    apply(n, &yaml);
    for p in ["alpha", "beta"] {
        wait_until(&format!("memory of {p} by the instance controller"), 60, || {
            get_json(n, &format!("configmap/team-{p}-memory")).filter(is_instance_memory)
        });
    }
    // Seeds arrive later (as when the instance controller wins the race).
    let patch = r#"{"spec":{"personas":[
          {"name":"alpha","systemPrompt":"You are alpha.","skills":["k8s-ops","memory"],"schedule":{"type":"sweep","interval":"5m","task":"Sweep things."},"memory":{"enabled":true,"seeds":["one","two"]}},
          {"name":"beta","systemPrompt":"You are beta.","model":"claude-sonnet","memory":{"enabled":true,"seeds":["three"]}},
          {"name":"gamma","systemPrompt":"You are gamma.","schedule":{"type":"scheduled","cron":"0 9 * * 1","task":"Weekly report."}}]}}"#;
    merge_patch(n, &format!("{kind}/team"), &patch.replace("personas", field));
    let phase = |n: &str| kubectl_ok(&["get", kind, "team", "-n", n, "-o", "jsonpath={.status.phase}"]);
    wait_until("Ready after the edit", 60, || (phase(n) == "Ready").then_some(()));
    std::thread::sleep(Duration::from_secs(1)); // one more reconcile: it still writes nothing
    assert!(is_instance_memory(&get_json(n, "configmap/team-alpha-memory").unwrap()));

    let s = run(&mut plugin(&["status", "team", "-n", n, "--color", "never"]));
    assert!(s.stdout.contains("Seeds not applied"), "{}", s.stdout);
    assert!(
        s.stdout.contains(&format!(
            "ConfigMap/team-alpha-memory (persona alpha, 2 seeds): kubectl personapack seed team -n {n} --persona alpha"
        )),
        "{}",
        s.stdout
    );
    let alpha = s.stdout.lines().find(|l| l.starts_with("alpha")).unwrap();
    assert!(alpha.contains("NotSeeded"), "{alpha}");
    let d = run(&mut plugin(&["diff", "team", "-n", n]));
    assert_eq!(d.code, 1, "{}", d.stdout);
    assert!(
        d.stdout.contains("ConfigMap/team-alpha-memory (persona alpha)")
            && d.stdout.contains("kubectl personapack seed team"),
        "{}",
        d.stdout
    );
    let t = run(&mut plugin(&["tree", "team", "-n", n, "--color", "never"]));
    let row = t.stdout.lines().find(|l| l.contains("ConfigMap/team-alpha-memory")).unwrap_or_default();
    assert!(row.contains("SeedsNotApplied"), "{}", t.stdout);

    // An agent wrote into beta's memory: seed must not touch it.
    merge_patch(
        n,
        "configmap/team-beta-memory",
        r##"{"data":{"MEMORY.md":"# Agent Memory\n\n- learned something\n"}}"##,
    );
    let r = run(&mut plugin(&["seed", "team", "-n", n]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("configmap/team-alpha-memory seeded"), "{}", r.stdout);
    assert!(r.stderr.contains("configmap/team-beta-memory holds memories written since"), "{}", r.stderr);
    let beta = get_json(n, "configmap/team-beta-memory").unwrap();
    assert_eq!(beta["data"]["MEMORY.md"], "# Agent Memory\n\n- learned something\n");
    let alpha = get_json(n, "configmap/team-alpha-memory").unwrap();
    assert_eq!(alpha["data"]["MEMORY.md"], "# Memory\n\n- one\n- two\n");
    // Still owned by its instance: the garbage collector keeps working.
    assert_eq!(alpha["metadata"]["ownerReferences"][0]["name"], "team-alpha");
    // Idempotent; and status now says seeded.
    let r = run(&mut plugin(&["seed", "team", "-n", n, "--persona", "alpha"]));
    assert_eq!((r.code, r.stdout.as_str()), (0, "configmap/team-alpha-memory unchanged (already seeded)\n"));
    let s = run(&mut plugin(&["status", "team", "-n", n, "--color", "never"]));
    let alpha = s.stdout.lines().find(|l| l.starts_with("alpha")).unwrap();
    assert!(alpha.contains("seeded"), "{alpha}");
}

#[test]
fn lost_seeds_are_reported_and_written_only_into_untouched_memory() {
    lost_seeds(false);
}

#[test]
fn lost_seeds_on_ensembles_are_reported_and_written_only_into_untouched_memory() {
    ensemble_server();
    lost_seeds(true);
}

/// kubectl-tree v0.6.0 (built from ../shared/upstream) on the same pack: every
/// node it shows, `tree` shows too — including what AgentRuns own.
#[test]
fn tree_shows_every_node_kubectl_tree_shows() {
    let ns = Ns::new("treepeer");
    let n = ns.as_str();
    enable_into("platform-team", n, &["--provider", "ollama", "--wait"]);
    // The schedule controller starts a run at once for a sub-daily cron; each
    // run owns its input ConfigMap.
    wait_until("an AgentRun with its input ConfigMap", 90, || {
        let cms = names(n, "configmaps", "sympozium.ai/agent-run");
        (!cms.is_empty()).then_some(())
    });
    let peer = std::process::Command::new(env().bin.join("kubectl"))
        .args(["tree", "personapack", "platform-team", "-n", n])
        .env("PATH", path_with_plugin())
        .env("KUBECONFIG", env().current())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(peer.status.success(), "kubectl-tree: {}", String::from_utf8_lossy(&peer.stderr));
    let peer_nodes = tree_nodes(&String::from_utf8_lossy(&peer.stdout));
    let r = run(&mut plugin(&["tree", "platform-team", "-n", n, "--color", "never"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ours = tree_nodes(&r.stdout);
    assert!(peer_nodes.iter().any(|x| x.starts_with("AgentRun/")), "{peer_nodes:?}");
    assert!(peer_nodes.iter().any(|x| x.starts_with("ConfigMap/") && x.ends_with("-input")), "{peer_nodes:?}");
    let missing: Vec<_> = peer_nodes.difference(&ours).collect();
    assert!(
        missing.is_empty(),
        "kubectl-tree shows {missing:?} that tree does not:\n{}\n---\n{}",
        String::from_utf8_lossy(&peer.stdout),
        r.stdout
    );
}

/// `Kind/name` of every row of a kubectl-tree-shaped table.
fn tree_nodes(table: &str) -> BTreeSet<String> {
    table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().find(|w| w.contains('/')))
        .map(|w| w.trim_start_matches(|c: char| !c.is_ascii_alphabetic()).to_string())
        .collect()
}

/// With stderr not a terminal, `--wait` prints each progress line whole,
/// ending in a newline, and never a carriage return.
#[test]
fn wait_progress_on_a_pipe_is_whole_lines() {
    let ns = Ns::new("waitpipe");
    let r = enable_into("devops-essentials", ns.as_str(), &["--provider", "ollama", "--wait"]);
    assert!(!r.stderr.contains('\r'), "{:?}", r.stderr);
    assert!(r.stderr.is_empty() || r.stderr.ends_with('\n'), "{:?}", r.stderr);
    assert!(r.stdout.ends_with("personapack.sympozium.ai/devops-essentials Ready\n"), "{}", r.stdout);
}

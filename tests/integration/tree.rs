//! `tree` against the real API server: ownership at any depth, linked and
//! missing objects, partial trees under RBAC, request counts, on a team
//! written by hand on the fixture server (exact shapes at every depth — Ready
//! conditions, a missing instance, pods and jobs no kubelet would run here —
//! held still, which the real controller would change). The real
//! controller's trees are compared with kubectl-tree's in controller.rs.

use serde_json::Value;

use crate::common::*;

fn uid(ns: &str, what: &str) -> String {
    kubectl_ok(&["get", what, "-n", ns, "-o", "jsonpath={.metadata.uid}"])
}

fn owned_by(kind: &str, name: &str, uid: &str, api_version: &str) -> String {
    format!(
        "ownerReferences: [{{apiVersion: {api_version}, kind: {kind}, name: {name}, uid: {uid}, controller: true}}]"
    )
}

/// An enabled pack: alpha stamped with what the instance and run controllers
/// create beneath it; beta's instance missing; gamma excluded.
fn team(ns: &Ns) {
    let n = ns.as_str();
    apply(
        n,
        &pack_yaml(
            "team",
            "  enabled: true\n  excludePersonas: [gamma]\n  authRefs: [{provider: openai, secret: team-openai-key}]\n  channelConfigs: {slack: team-slack-secret}",
        ),
    );
    create_secret(n, "team-openai-key", "OPENAI_API_KEY=x");
    create_secret(n, "team-slack-secret", "SLACK_BOT_TOKEN=x");
    kubectl_ok(&["create", "serviceaccount", "default", "-n", n]);
    stamp(n, "team", "alpha", true);
    patch_status(
        n,
        "sympoziuminstance/team-alpha",
        r#"{"phase":"Serving","conditions":[{"type":"Ready","status":"True","reason":"AgentsUp","message":"ok","lastTransitionTime":"2026-11-28T10:00:00Z"}]}"#,
    );
    let inst = uid(n, "sympoziuminstance/team-alpha");
    let by_inst = owned_by("SympoziumInstance", "team-alpha", &inst, "sympozium.ai/v1alpha1");
    let labels = "labels: {sympozium.ai/instance: team-alpha}";
    apply(
        n,
        &format!(
            r##"apiVersion: v1
kind: ConfigMap
metadata:
  name: team-alpha-memory
  labels: {{sympozium.ai/persona-pack: team, sympozium.ai/persona: alpha, sympozium.ai/memory: "true"}}
data: {{MEMORY.md: "# Memory"}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: team-alpha-memory
  {labels}
  {by_inst}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: m}}}}
  template:
    metadata: {{labels: {{app: m}}}}
    spec: {{containers: [{{name: m, image: memory:1}}]}}
---
apiVersion: v1
kind: Service
metadata:
  name: team-alpha-memory
  {labels}
  {by_inst}
spec: {{ports: [{{port: 80}}]}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: team-alpha-memory-db
  {labels}
  {by_inst}
spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}
---
apiVersion: sympozium.ai/v1alpha1
kind: AgentRun
metadata:
  name: team-alpha-schedule-1
  labels: {{sympozium.ai/instance: team-alpha, sympozium.ai/schedule: team-alpha-schedule}}
  {by_inst}
spec: {{task: t, agentId: team-alpha, instanceRef: team-alpha, sessionKey: s1, model: {{provider: openai, model: gpt-4o, authSecretRef: team-openai-key}}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: unrelated-config}}
data: {{a: b}}
"##
        ),
    );
    let run_uid = uid(n, "agentrun/team-alpha-schedule-1");
    apply(
        n,
        &format!(
            r#"apiVersion: batch/v1
kind: Job
metadata:
  name: team-alpha-schedule-1
  labels: {{sympozium.ai/instance: team-alpha}}
  {}
spec:
  template:
    metadata: {{labels: {{sympozium.ai/instance: team-alpha}}}}
    spec: {{restartPolicy: Never, containers: [{{name: agent, image: agent:1}}]}}
"#,
            owned_by("AgentRun", "team-alpha-schedule-1", &run_uid, "sympozium.ai/v1alpha1")
        ),
    );
    let job_uid = uid(n, "job/team-alpha-schedule-1");
    apply(
        n,
        &format!(
            r#"apiVersion: v1
kind: Pod
metadata:
  name: team-alpha-schedule-1-abcde
  labels: {{sympozium.ai/instance: team-alpha}}
  {}
spec: {{restartPolicy: Never, containers: [{{name: agent, image: agent:1}}]}}
"#,
            owned_by("Job", "team-alpha-schedule-1", &job_uid, "batch/v1")
        ),
    );
}

#[test]
fn the_tree_of_an_enabled_pack() {
    fixture_server("a hand-written team held still (see the module comment)");
    let ns = Ns::new("tree");
    team(&ns);
    let r = run(&mut plugin(&["tree", "team", "-n", ns.as_str(), "--color", "never"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names: Vec<String> = r
        .stdout
        .lines()
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        names,
        [
            "PersonaPack/team",
            "├┈Secret/team-openai-key",
            "├┈Secret/team-slack-secret",
            "├─SympoziumInstance/team-alpha",
            "│",
            "│",
            "│",
            "│",
            "│",
            "│",
            "│",
            "├─SympoziumInstance/team-beta",
            "└─SympoziumSchedule/team-alpha-schedule",
        ],
        "{}",
        r.stdout
    );
    let line = |needle: &str| {
        r.stdout.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle} in\n{}", r.stdout)).to_string()
    };
    assert!(line("SympoziumInstance/team-alpha").contains("True    AgentsUp   Serving"), "{}", r.stdout);
    assert!(line("│ ├─AgentRun/team-alpha-schedule-1").contains(ns.as_str()));
    assert!(line("│ │ └─Job/team-alpha-schedule-1").contains("Pending"));
    assert!(line("│ │   └─Pod/team-alpha-schedule-1-abcde").contains(ns.as_str()));
    assert!(line("│ ├┈ConfigMap/team-alpha-memory (memory of persona alpha)").contains(ns.as_str()));
    assert!(line("│ ├─Deployment/team-alpha-memory").contains("0/1 ready"));
    assert!(line("│ ├─PersistentVolumeClaim/team-alpha-memory-db").contains(ns.as_str()));
    assert!(line("│ └─Service/team-alpha-memory").contains("ClusterIP"));
    assert!(line("├─SympoziumInstance/team-beta").contains("Missing"));
    assert!(!r.stdout.contains("unrelated-config"));
    assert!(!r.stdout.contains("gamma"), "an excluded persona is not expected");
    // The legend goes to stderr: a pipe gets only the table.
    assert!(r.stderr.contains("┈ linked: tied to the pack by Sympozium's names or labels, no ownerReference"));
    assert!(r.stderr.contains("Missing: expected from the pack's spec, not found in the cluster"));
    assert!(!r.stdout.contains("linked: tied") && !r.stdout.contains("Missing: expected"), "{}", r.stdout);

    let r = run(&mut plugin(&["tree", "team", "-n", ns.as_str(), "--depth", "1", "--no-headers", "--color", "never"]));
    assert!(!r.stdout.contains("Deployment") && r.stdout.contains("SympoziumInstance/team-alpha"), "{}", r.stdout);
    assert!(!r.stdout.starts_with("NAMESPACE"));
}

/// `--all-kinds` finds what an instance owns of a kind Sympozium never creates
/// (kubectl-tree's exhaustive walk); `--condition-types` picks the condition
/// that makes READY, first present wins.
#[test]
fn all_kinds_and_condition_types() {
    fixture_server("a hand-written team held still (see the module comment)");
    let ns = Ns::new("treekinds");
    let n = ns.as_str();
    team(&ns);
    let inst = uid(n, "sympoziuminstance/team-alpha");
    apply(
        n,
        &format!(
            "apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: team-alpha-extra\n  {}\ntemplate: {{spec: {{containers: [{{name: c, image: c:1}}]}}}}\n",
            owned_by("SympoziumInstance", "team-alpha", &inst, "sympozium.ai/v1alpha1")
        ),
    );
    let tree = |extra: &[&str]| {
        let mut args = vec!["tree", "team", "-n", n, "--color", "never"];
        args.extend(extra);
        let r = run(&mut plugin(&args));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    assert!(!tree(&[]).contains("PodTemplate/team-alpha-extra"));
    let all = tree(&["--all-kinds"]);
    assert!(all.contains("├─PodTemplate/team-alpha-extra"), "{all}");
    assert!(all.contains("SympoziumInstance/team-beta") && all.contains("Deployment/team-alpha-memory"), "{all}");

    patch_status(
        n,
        "sympoziuminstance/team-alpha",
        r#"{"conditions":[{"type":"Ready","status":"True","reason":"AgentsUp","message":"ok","lastTransitionTime":"2026-11-28T10:00:00Z"},{"type":"Healthy","status":"False","reason":"Sick","message":"no","lastTransitionTime":"2026-11-28T10:00:00Z"}]}"#,
    );
    let line = |out: &str| out.lines().find(|l| l.contains("SympoziumInstance/team-alpha")).unwrap().to_string();
    assert!(line(&tree(&[])).contains("True    AgentsUp"), "{}", tree(&[]));
    let healthy = tree(&["--condition-types", "Healthy,Ready"]);
    assert!(line(&healthy).contains("False   Sick"), "{healthy}");
    let fallback = tree(&["--condition-types", "Absent,Ready"]);
    assert!(line(&fallback).contains("True    AgentsUp"), "{fallback}");
}

#[test]
fn tree_as_json_is_a_nested_document() {
    fixture_server("a hand-written team held still (see the module comment)");
    let ns = Ns::new("treejson");
    team(&ns);
    let r = run(&mut plugin(&["tree", "team", "-n", ns.as_str(), "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["kind"], "PersonaPack");
    assert_eq!(doc["relation"], "owned");
    let child = |n: &Value, kind: &str, name: &str| -> Value {
        n["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == kind && c["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{kind}/{name} under {}", n["name"]))
    };
    let alpha = child(&doc, "SympoziumInstance", "team-alpha");
    assert_eq!(alpha["ready"], "True");
    assert_eq!(alpha["reason"], "AgentsUp");
    assert_eq!(alpha["status"], "Serving");
    assert!(!alpha["uid"].as_str().unwrap().is_empty());
    let pod = child(
        &child(&child(&alpha, "AgentRun", "team-alpha-schedule-1"), "Job", "team-alpha-schedule-1"),
        "Pod",
        "team-alpha-schedule-1-abcde",
    );
    assert_eq!(pod["relation"], "owned");
    assert_eq!(pod["apiVersion"], "v1");
    assert_eq!(child(&alpha, "ConfigMap", "team-alpha-memory")["relation"], "linked");
    assert_eq!(child(&doc, "Secret", "team-openai-key")["relation"], "linked");
    assert_eq!(child(&doc, "SympoziumInstance", "team-beta")["relation"], "missing");
    let r = run(&mut plugin(&["tree", "team", "-n", ns.as_str(), "-o", "yaml"]));
    assert!(r.stdout.contains("relation: missing"), "{}", r.stdout);
}

#[test]
fn a_forbidden_kind_gives_a_warning_and_a_partial_tree() {
    apply("rbac-limited", &pack_yaml("readonly-team", ""));
    let r = run(plugin(&["tree", "readonly-team", "--color", "never"]).env("KUBECONFIG", env().limited()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("PersonaPack/readonly-team"), "{}", r.stdout);
    assert!(
        r.stderr.contains("Warning: cannot list sympoziuminstances.sympozium.ai in namespace rbac-limited: forbidden; the tree may be partial"),
        "{}",
        r.stderr
    );
}

/// Unrelated kinds cost nothing: installing more CRDs does not change the
/// number of requests a tree makes.
#[test]
fn requests_do_not_grow_with_unrelated_kinds_or_objects() {
    fixture_server("a hand-written team held still (see the module comment)");
    let ns = Ns::new("treereq");
    team(&ns);
    // Counted at the server (its audit log), not by the plugin's own word.
    let count = || {
        requests_at_server(|kubeconfig| {
            let r = run(plugin(&["tree", "team", "-n", ns.as_str()]).env("KUBECONFIG", kubeconfig));
            assert_eq!(r.code, 0, "{}", r.stderr);
        })
    };
    let before = count();
    for i in 0..5 {
        apply(
            "default",
            &format!(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: widgets{i}.unrelated.test}}\nspec:\n  group: unrelated.test\n  names: {{kind: Widget{i}, plural: widgets{i}, singular: widget{i}, listKind: Widget{i}List}}\n  scope: Namespaced\n  versions: [{{name: v1, served: true, storage: true, schema: {{openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}}}}}]\n"
            ),
        );
    }
    kubectl_ok(&["wait", "--for=condition=Established", "crd/widgets4.unrelated.test"]);
    // ... nor on unrelated objects of the kinds it does list.
    for i in 0..40 {
        apply(
            ns.as_str(),
            &format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: unrelated-{i}}}\ndata: {{a: b}}\n"),
        );
    }
    let after = count();
    assert_eq!(
        after.len(),
        before.len(),
        "requests must not depend on unrelated kinds or objects: {before:#?} then {after:#?}"
    );
    assert!(!before.is_empty() && before.len() < 50, "{before:#?}");
}

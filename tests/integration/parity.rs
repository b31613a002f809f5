//! `enable` side by side with Sympozium's own web API (v0.8.28 `cmd/apiserver`,
//! `PATCH /api/v1/personapacks/NAME`: what its web UI calls). Each scenario
//! enables one copy of a built-in pack through the web API and another through
//! the plugin, lets the real controller stamp both, and compares the pack
//! spec, the Secrets (names, keys, labels apart from managed-by) and the
//! stamped instances and schedules. Every deliberate difference is asserted
//! as such, then set aside, in `Scenario::differences`; docs/commands.md explains each.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::common::*;

const KEY: &str = "sk-parity-0123456789";

/// One enable, described for both paths.
struct Scenario {
    name: &'static str,
    pack: &'static str,
    /// The web API's request body.
    web: Value,
    /// The plugin's arguments after `enable PACK -n NS -y`.
    args: Vec<String>,
    /// Environment for the plugin (where its tokens come from).
    env: Vec<(&'static str, &'static str)>,
    /// Standard input for the plugin.
    stdin: Option<&'static str>,
    /// Objects both namespaces hold before (e.g. an existing Secret).
    both: fn(&str),
    /// Objects only the web API's namespace needs (what its user makes with kubectl first).
    web_only: fn(&str),
    /// Assert and set aside the deliberate differences: (web, plugin).
    differences: fn(&mut Value, &mut Value),
}

fn nothing(_: &str) {}
fn same(_: &mut Value, _: &mut Value) {}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            name: "",
            pack: "platform-team",
            web: json!({}),
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            both: nothing,
            web_only: nothing,
            differences: same,
        }
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The web API's body with the OpenAI key every scenario also sets (so the
/// instances are what a real enable gives), plus `extra`.
fn with_openai(extra: Value) -> Value {
    let mut body = json!({"enabled": true, "provider": "openai", "apiKey": KEY});
    body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    body
}

fn openai_args(extra: &[&str]) -> Vec<String> {
    let mut a = args(&["--provider", "openai", "--api-key-stdin"]);
    a.extend(args(extra));
    a
}

/// A built-in pack copied, as it is, into `ns` (name, namespace and spec).
pub fn copy_builtin(ns: &str, pack: &str) {
    let src: Value =
        serde_json::from_str(&kubectl_ok(&["get", "personapack", pack, "-n", "sympozium-system", "-o", "json"]))
            .unwrap();
    let copy = json!({"apiVersion": src["apiVersion"], "kind": "PersonaPack",
                      "metadata": {"name": pack, "namespace": ns}, "spec": src["spec"]});
    apply(ns, &serde_json::to_string(&copy).unwrap());
}

/// `PATCH /api/v1/personapacks/NAME?namespace=NS` on Sympozium's web API,
/// as its web UI's user would send it: again after a 400 "secret ... not
/// found". The web API creates the key's Secret, then looks it up through its
/// informer cache, which often has not seen it yet (seen here on most first
/// tries); the second try finds it. Nothing else is retried.
fn web_patch(ns: &str, pack: &str, body: &Value) -> (u16, String) {
    let mut tries = 0;
    loop {
        let (code, text) = web_patch_once(ns, pack, body);
        tries += 1;
        if code == 400 && text.contains("not found in namespace") && tries < 5 {
            std::thread::sleep(std::time::Duration::from_millis(200));
            continue;
        }
        return (code, text);
    }
}

fn web_patch_once(ns: &str, pack: &str, body: &Value) -> (u16, String) {
    web_api("PATCH", &format!("/api/v1/personapacks/{pack}?namespace={ns}"), body)
}

/// Wait until the controller has stamped every active persona of the pack.
pub fn settle(ns: &str, pack: &str) {
    wait_until(&format!("{pack} in {ns} Ready with every persona installed"), 90, || {
        let p: Value =
            serde_json::from_str(&kubectl_ok(&["get", "personapack", pack, "-n", ns, "-o", "json"])).unwrap();
        let active = p["spec"]["personas"].as_array().unwrap().len()
            - p["spec"]["excludePersonas"].as_array().map_or(0, |e| e.len());
        let ready = p["status"]["phase"] == "Ready" && p["status"]["installedCount"] == json!(active);
        let schedules = list(ns, "sympoziumschedules", pack).len();
        (ready && list(ns, "sympoziuminstances", pack).len() == active && schedules == active).then_some(())
    });
}

fn list(ns: &str, kind: &str, pack: &str) -> Vec<Value> {
    let out = kubectl_ok(&["get", kind, "-n", ns, "-l", &format!("sympozium.ai/persona-pack={pack}"), "-o", "json"]);
    serde_json::from_str::<Value>(&out).unwrap()["items"].as_array().unwrap().clone()
}

/// Empty values (`""`, `[]`, `{}`, null) out, recursively: the web API
/// writes the whole Go object back, so a field it does not model with
/// omitempty comes back empty where a merge patch leaves it absent; the
/// controller reads both the same.
fn prune(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.values_mut().for_each(prune);
            m.retain(|_, v| !is_empty(v));
        }
        Value::Array(a) => a.iter_mut().for_each(prune),
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Null)
        || v == ""
        || v.as_array().is_some_and(|a| a.is_empty())
        || v.as_object().is_some_and(|m| m.is_empty())
}

/// What a scenario compares: the pack spec, every Secret in the namespace
/// (keys, labels; `managed-by` kept apart), the instances and schedules
/// (labels, owner kinds and names, spec).
pub fn snapshot(ns: &str, pack: &str) -> Value {
    let p: Value = serde_json::from_str(&kubectl_ok(&["get", "personapack", pack, "-n", ns, "-o", "json"])).unwrap();
    let mut secrets = BTreeMap::new();
    let all: Value = serde_json::from_str(&kubectl_ok(&["get", "secrets", "-n", ns, "-o", "json"])).unwrap();
    for s in all["items"].as_array().unwrap() {
        secrets.insert(s["metadata"]["name"].as_str().unwrap().to_string(), secret_view(s));
    }
    let stamped = |kind: &str| -> BTreeMap<String, Value> {
        list(ns, kind, pack)
            .into_iter()
            .map(|o| {
                let owners: Vec<Value> = o["metadata"]["ownerReferences"]
                    .as_array()
                    .map(|a| a.iter().map(|r| json!([r["kind"], r["name"], r["controller"]])).collect())
                    .unwrap_or_default();
                let view = json!({"labels": o["metadata"]["labels"], "owners": owners, "spec": o["spec"]});
                (o["metadata"]["name"].as_str().unwrap().to_string(), view)
            })
            .collect()
    };
    let mut snap = json!({"spec": p["spec"], "secrets": secrets,
                          "instances": stamped("sympoziuminstances"), "schedules": stamped("sympoziumschedules")});
    prune(&mut snap);
    snap
}

/// A Secret as compared: its data keys and labels, managed-by apart.
fn secret_view(s: &Value) -> Value {
    let mut labels = s["metadata"]["labels"].as_object().cloned().unwrap_or_default();
    let managed_by = labels.remove("app.kubernetes.io/managed-by");
    let keys: Vec<&String> = s["data"].as_object().map(|d| d.keys().collect()).unwrap_or_default();
    json!({"keys": keys, "labels": labels, "managedBy": managed_by})
}

/// managed-by says who wrote a Secret: Sympozium's web API, or this plugin.
fn writers(web: &mut Value, ours: &mut Value, secret: &str) {
    assert_eq!(web["secrets"][secret]["managedBy"], "sympozium", "{}", web["secrets"]);
    assert_eq!(ours["secrets"][secret]["managedBy"], "kubectl-personapack", "{}", ours["secrets"]);
    web["secrets"][secret].as_object_mut().unwrap().remove("managedBy");
    ours["secrets"][secret].as_object_mut().unwrap().remove("managedBy");
}

fn openai_writers(web: &mut Value, ours: &mut Value) {
    writers(web, ours, "platform-team-openai-key");
}

fn peer(sc: Scenario) {
    let web_ns = Ns::new(&format!("{}-web", sc.name));
    let our_ns = Ns::new(&format!("{}-ours", sc.name));
    for ns in [&web_ns, &our_ns] {
        copy_builtin(ns.as_str(), sc.pack);
        (sc.both)(ns.as_str());
    }
    (sc.web_only)(web_ns.as_str());

    let (code, body) = web_patch(web_ns.as_str(), sc.pack, &sc.web);
    assert_eq!(code, 200, "web API: {body}");

    let mut cmd = plugin(&["enable", sc.pack, "-n", our_ns.as_str(), "-y"]);
    cmd.args(&sc.args);
    for (k, v) in &sc.env {
        cmd.env(k, v);
    }
    let r = match sc.stdin {
        Some(input) => run_with_stdin(&mut cmd, input),
        None => run(&mut cmd),
    };
    assert_eq!(r.code, 0, "plugin: {}{}", r.stdout, r.stderr);

    settle(web_ns.as_str(), sc.pack);
    settle(our_ns.as_str(), sc.pack);
    let mut web = snapshot(web_ns.as_str(), sc.pack);
    let mut ours = snapshot(our_ns.as_str(), sc.pack);
    (sc.differences)(&mut web, &mut ours);
    assert!(
        web == ours,
        "{}: the web API and the plugin differ\n--- web API\n{}\n--- plugin\n{}",
        sc.name,
        serde_json::to_string_pretty(&web).unwrap(),
        serde_json::to_string_pretty(&ours).unwrap()
    );
}

#[test]
fn parity_openai_key() {
    peer(Scenario {
        name: "openai",
        web: with_openai(json!({})),
        args: openai_args(&[]),
        stdin: Some(KEY),
        differences: openai_writers,
        ..Default::default()
    });
}

#[test]
fn parity_anthropic_existing_secret_and_base_url() {
    fn secret(ns: &str) {
        create_secret(ns, "team-anthropic", "ANTHROPIC_API_KEY=sk-ant");
    }
    peer(Scenario {
        name: "anthropic",
        web: json!({"enabled": true, "provider": "anthropic", "secretName": "team-anthropic",
                    "baseURL": "https://llm-proxy.example/v1"}),
        args: args(&[
            "--provider",
            "anthropic",
            "--secret",
            "team-anthropic",
            "--base-url",
            "https://llm-proxy.example/v1",
        ]),
        both: secret,
        ..Default::default()
    });
}

#[test]
fn parity_ollama_keyless() {
    peer(Scenario {
        name: "ollama",
        web: json!({"enabled": true, "provider": "ollama"}),
        args: args(&["--provider", "ollama"]),
        ..Default::default()
    });
}

#[test]
fn parity_lm_studio_with_a_key() {
    /// The web API stores a local provider's key as PROVIDER_API_KEY; the
    /// plugin as API_KEY, as Sympozium's TUI does. The agent runner reads both.
    fn key_name(web: &mut Value, ours: &mut Value) {
        writers(web, ours, "platform-team-lm-studio-key");
        assert_eq!(web["secrets"]["platform-team-lm-studio-key"]["keys"], json!(["PROVIDER_API_KEY"]));
        assert_eq!(ours["secrets"]["platform-team-lm-studio-key"]["keys"], json!(["API_KEY"]));
        ours["secrets"]["platform-team-lm-studio-key"]["keys"] = json!(["PROVIDER_API_KEY"]);
    }
    peer(Scenario {
        name: "lmstudio",
        web: json!({"enabled": true, "provider": "lm-studio", "apiKey": KEY}),
        args: args(&["--provider", "lm-studio", "--api-key-stdin"]),
        stdin: Some(KEY),
        differences: key_name,
        ..Default::default()
    });
}

#[test]
fn parity_lm_studio_without_a_key() {
    peer(Scenario {
        name: "lmstudio-nokey",
        web: json!({"enabled": true, "provider": "lm-studio"}),
        args: args(&["--provider", "lm-studio"]),
        ..Default::default()
    });
}

#[test]
fn parity_bedrock_with_a_session_token() {
    fn bedrock(web: &mut Value, ours: &mut Value) {
        writers(web, ours, "platform-team-bedrock-key");
        let keys = json!(["AWS_ACCESS_KEY_ID", "AWS_REGION", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]);
        assert_eq!(ours["secrets"]["platform-team-bedrock-key"]["keys"], keys);
    }
    peer(Scenario {
        name: "bedrock",
        web: json!({"enabled": true, "provider": "bedrock", "awsRegion": "eu-west-1", "awsAccessKeyId": "AKIAPARITY",
                    "awsSecretAccessKey": "parity-secret", "awsSessionToken": "parity-session"}),
        args: args(&["--provider", "bedrock", "--aws-region", "eu-west-1"]),
        env: vec![
            ("AWS_ACCESS_KEY_ID", "AKIAPARITY"),
            ("AWS_SECRET_ACCESS_KEY", "parity-secret"),
            ("AWS_SESSION_TOKEN", "parity-session"),
        ],
        differences: bedrock,
        ..Default::default()
    });
}

#[test]
fn parity_model_override() {
    peer(Scenario {
        name: "model",
        web: with_openai(json!({"model": "gpt-4.1-mini"})),
        args: openai_args(&["--model", "gpt-4.1-mini"]),
        stdin: Some(KEY),
        differences: openai_writers,
        ..Default::default()
    });
}

#[test]
fn parity_channels_with_tokens() {
    /// The web API takes no channel token: its user makes the Secrets with
    /// kubectl first (as the TUI names them) and names them in channelConfigs.
    fn channel_secrets(ns: &str) {
        create_secret(ns, "platform-team-slack-secret", "SLACK_BOT_TOKEN=xoxb-parity");
        create_secret(ns, "platform-team-telegram-secret", "TELEGRAM_BOT_TOKEN=123:parity");
    }
    /// The plugin writes those Secrets itself, labelled as the pack's.
    fn labels(web: &mut Value, ours: &mut Value) {
        openai_writers(web, ours);
        for s in ["platform-team-slack-secret", "platform-team-telegram-secret"] {
            assert_eq!(ours["secrets"][s]["managedBy"], "kubectl-personapack");
            assert_eq!(ours["secrets"][s]["labels"], json!({"sympozium.ai/persona-pack": "platform-team"}));
            assert!(web["secrets"][s].get("labels").is_none() && web["secrets"][s].get("managedBy").is_none());
            ours["secrets"][s] = web["secrets"][s].clone();
        }
    }
    peer(Scenario {
        name: "channels",
        web: with_openai(json!({"channels": ["slack", "telegram", "whatsapp"],
                                "channelConfigs": {"slack": "platform-team-slack-secret",
                                                   "telegram": "platform-team-telegram-secret"}})),
        args: openai_args(&[
            "--channel",
            "slack,telegram,whatsapp",
            "--channel-token-env",
            "slack=PARITY_SLACK",
            "--channel-token-env",
            "telegram=PARITY_TELEGRAM",
        ]),
        env: vec![("PARITY_SLACK", "xoxb-parity"), ("PARITY_TELEGRAM", "123:parity")],
        stdin: Some(KEY),
        web_only: channel_secrets,
        differences: labels,
        ..Default::default()
    });
}

#[test]
fn parity_heartbeat() {
    peer(Scenario {
        name: "heartbeat",
        web: with_openai(json!({"heartbeatInterval": "6h"})),
        args: openai_args(&["--heartbeat", "6h"]),
        stdin: Some(KEY),
        differences: openai_writers,
        ..Default::default()
    });
}

#[test]
fn parity_agent_sandbox() {
    peer(Scenario {
        name: "sandbox",
        web: with_openai(json!({"agentSandbox": {"enabled": true, "runtimeClass": "gvisor"}})),
        args: openai_args(&["--agent-sandbox"]),
        stdin: Some(KEY),
        differences: openai_writers,
        ..Default::default()
    });
}

#[test]
fn parity_skill_params_with_policy() {
    fn writers_dev(web: &mut Value, ours: &mut Value) {
        writers(web, ours, "developer-team-openai-key");
    }
    peer(Scenario {
        name: "skills",
        pack: "developer-team",
        web: with_openai(json!({"skillParams": {"github-gitops": {"repo": "acme/widgets", "branch": "main"}},
                                "policyRef": "default-policy"})),
        args: openai_args(&[
            "--skill-param",
            "github-gitops.repo=acme/widgets",
            "--skill-param",
            "github-gitops.branch=main",
            "--policy",
            "default-policy",
        ]),
        stdin: Some(KEY),
        differences: writers_dev,
        ..Default::default()
    });
}

#[test]
fn parity_persona_prompt_and_skills() {
    let prompt = std::env::temp_dir().join(format!("parity-prompt-{}.md", std::process::id()));
    std::fs::write(&prompt, "You guard the platform.\nReport, never act.").unwrap();
    let prompt_arg = format!("security-guardian={}", prompt.display());
    peer(Scenario {
        name: "personas",
        web: with_openai(json!({"personas": [
            {"name": "security-guardian", "systemPrompt": "You guard the platform.\nReport, never act."},
            {"name": "sre-watchdog", "skills": ["memory", "k8s-ops"]}]})),
        args: openai_args(&["--system-prompt-file", &prompt_arg, "--persona-skills", "sre-watchdog=memory,k8s-ops"]),
        stdin: Some(KEY),
        differences: openai_writers,
        ..Default::default()
    });
    let _ = std::fs::remove_file(prompt);
}

/// The GitHub token goes where both upstream paths put it: Secret
/// github-gitops-token in sympozium-system, shared by every pack, so one
/// copy is written by the web API, compared, removed, then written by the plugin.
#[test]
fn parity_github_token() {
    let _one = GITHUB_TOKEN_SECRET.lock().unwrap_or_else(|e| e.into_inner());
    let web_ns = Ns::new("github-web");
    let our_ns = Ns::new("github-ours");
    for ns in [&web_ns, &our_ns] {
        copy_builtin(ns.as_str(), "developer-team");
    }
    let read = || -> Value {
        let out = kubectl(&["get", "secret", "github-gitops-token", "-n", "sympozium-system", "-o", "json"]);
        assert!(out.status.success(), "no github-gitops-token: {}", String::from_utf8_lossy(&out.stderr));
        let s: Value = serde_json::from_slice(&out.stdout).unwrap();
        let _ = kubectl(&["delete", "secret", "github-gitops-token", "-n", "sympozium-system"]);
        s
    };
    let _ = kubectl(&["delete", "secret", "github-gitops-token", "-n", "sympozium-system", "--ignore-not-found"]);
    let (code, body) = web_patch(web_ns.as_str(), "developer-team", &with_openai(json!({"githubToken": "ghp_parity"})));
    assert_eq!(code, 200, "{body}");
    let web = read();
    let r = run_with_stdin(
        plugin(&[
            "enable",
            "developer-team",
            "-n",
            our_ns.as_str(),
            "-y",
            "--provider",
            "openai",
            "--api-key-env",
            "PARITY_KEY",
            "--github-token-stdin",
        ])
        .env("PARITY_KEY", KEY),
        "ghp_parity\n",
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("secret/github-gitops-token created"), "{}", r.stdout);
    let ours = read();
    let (mut w, mut o) = (secret_view(&web), secret_view(&ours));
    assert_eq!((w["managedBy"].as_str(), o["managedBy"].as_str()), (Some("sympozium"), Some("kubectl-personapack")));
    w.as_object_mut().unwrap().remove("managedBy");
    o.as_object_mut().unwrap().remove("managedBy");
    assert_eq!(w, o);
    assert_eq!(o["keys"], json!(["GH_TOKEN"]));
    assert_eq!(ours["data"]["GH_TOKEN"], web["data"]["GH_TOKEN"], "the same token, stored the same way");
    // Everything else the same too (the pack, its Secret, what the controller stamps).
    settle(web_ns.as_str(), "developer-team");
    settle(our_ns.as_str(), "developer-team");
    let (mut w, mut o) = (snapshot(web_ns.as_str(), "developer-team"), snapshot(our_ns.as_str(), "developer-team"));
    writers(&mut w, &mut o, "developer-team-openai-key");
    assert_eq!(w, o);
}

/// The wizard, driven through a terminal, reaches every new step (GitHub
/// token, Agent Sandbox, channels and their tokens, heartbeat, a persona's
/// prompt and skills) and writes exactly what the same answers as flags write.
#[test]
fn the_wizard_writes_what_the_flags_write() {
    let _one = GITHUB_TOKEN_SECRET.lock().unwrap_or_else(|e| e.into_inner());
    let wiz = Ns::new("wizard-all");
    let flags = Ns::new("flags-all");
    for ns in [&wiz, &flags] {
        copy_builtin(ns.as_str(), "developer-team");
    }
    let _ = kubectl(&["delete", "secret", "github-gitops-token", "-n", "sympozium-system", "--ignore-not-found"]);
    let github = || {
        kubectl_ok(&[
            "get",
            "secret",
            "github-gitops-token",
            "-n",
            "sympozium-system",
            "-o",
            "jsonpath={.data.GH_TOKEN}",
        ])
    };
    let down = "\u{1b}[B";
    let steps = json!([
        ["Model provider", "\r"],
        ["API key", "\r"],
        ["API key for openai", format!("{KEY}\r")],
        ["Model for every persona", "\r"],
        ["GitHub repository", "acme/widgets\r"],
        ["GitHub token", "ghp_wizard\r"],
        ["Team objective", "Ship v2\r"],
        ["Agent Sandbox", "y"],
        ["Channels for every persona", format!("{down} \r")], // slack
        ["slack bot token", "xoxb-wizard\r"],
        ["Heartbeat", format!("{down}{down}{down}\r")], // every 6 hours
        ["Personas to leave out", "\r"],
        ["Edit a persona", format!("{down}\r")], // tech-lead
        ["System prompt", "You lead.\r"],
        ["Skills, comma-separated", "memory,code-review\r"],
        ["Edit a persona", "\r"],
        ["Apply", "y"]
    ])
    .to_string();
    let r = crate::activation::drive(&steps, &["enable", "developer-team", "-n", wiz.as_str()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    for secret in ["xoxb-wizard", "ghp_wizard"] {
        assert!(!r.stdout.contains(secret), "a token was echoed: {}", r.stdout);
    }
    assert!(r.stdout.contains("set the heartbeat of 7 scheduled personas to interval 6h"), "{}", r.stdout);
    let from_wizard = github();
    kubectl_ok(&["delete", "secret", "github-gitops-token", "-n", "sympozium-system"]);

    let prompt = std::env::temp_dir().join(format!("wizard-prompt-{}.md", std::process::id()));
    std::fs::write(&prompt, "You lead.").unwrap();
    let r = run_with_stdin(
        plugin(&[
            "enable",
            "developer-team",
            "-n",
            flags.as_str(),
            "-y",
            "--provider",
            "openai",
            "--api-key-stdin",
            "--skill-param",
            "github-gitops.repo=acme/widgets",
            "--github-token-env",
            "W_GITHUB",
            "--task",
            "Ship v2",
            "--agent-sandbox",
            "--channel-token-env",
            "slack=W_SLACK",
            "--heartbeat",
            "6h",
            "--exclude",
            "--system-prompt-file",
            &format!("tech-lead={}", prompt.display()),
            "--persona-skills",
            "tech-lead=memory,code-review",
        ])
        .env("W_GITHUB", "ghp_wizard")
        .env("W_SLACK", "xoxb-wizard"),
        KEY,
    );
    let _ = std::fs::remove_file(&prompt);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(github(), from_wizard, "the same GitHub token");
    let _ = kubectl(&["delete", "secret", "github-gitops-token", "-n", "sympozium-system"]);
    settle(wiz.as_str(), "developer-team");
    settle(flags.as_str(), "developer-team");
    let (w, f) = (snapshot(wiz.as_str(), "developer-team"), snapshot(flags.as_str(), "developer-team"));
    assert_eq!(w["spec"]["agentSandbox"], json!({"enabled": true, "runtimeClass": "gvisor"}));
    assert_eq!(w["spec"]["personas"][0]["skills"], json!(["memory", "code-review"]));
    assert!(w["secrets"].get("developer-team-slack-secret").is_some(), "{}", w["secrets"]);
    assert!(
        w == f,
        "wizard and flags differ\n--- wizard\n{}\n--- flags\n{}",
        serde_json::to_string_pretty(&w).unwrap(),
        serde_json::to_string_pretty(&f).unwrap()
    );
}

//! `enable` and `disable` against the real API server and the real Sympozium
//! controller: what they write, what they refuse, what they never leak.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

const KEY: &str = "sk-test-9f8e7d6c5b4a";

/// Run the plugin with `stdin` as standard input; the key must not show.
fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Run {
    let r = crate::common::run_with_stdin(cmd, stdin);
    assert_no_key(&r);
    r
}

fn assert_no_key(r: &Run) {
    assert!(!r.stdout.contains(KEY) && !r.stderr.contains(KEY), "the API key leaked:\n{}\n{}", r.stdout, r.stderr);
}

fn get(ns: &Ns, what: &str) -> Value {
    serde_json::from_str(&kubectl_ok(&["get", what, "-n", ns.as_str(), "-o", "json", "--show-managed-fields"])).unwrap()
}

fn secret_data(ns: &Ns, name: &str) -> Value {
    get(ns, &format!("secret/{name}"))["data"].clone()
}

fn b64(s: &str) -> String {
    // Minimal base64 for the assertions (standard alphabet, padded).
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n =
            (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn enable_with_a_key_from_stdin_writes_secret_and_authrefs_only() {
    let ns = Ns::new("enable");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let before = get(&ns, "personapack/team");
    let r = run_with_stdin(
        &mut plugin(&["enable", "team", "-n", ns.as_str(), "--provider", "openai", "--api-key-stdin"]),
        &format!("{KEY}\n"),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "secret/team-openai-key created\npersonapack.sympozium.ai/team patched\n");
    let secret = get(&ns, "secret/team-openai-key");
    assert_eq!(secret["data"], serde_json::json!({"OPENAI_API_KEY": b64(KEY)}));
    assert_eq!(secret["metadata"]["labels"]["sympozium.ai/persona-pack"], "team");
    assert_eq!(secret["metadata"]["labels"]["app.kubernetes.io/managed-by"], "kubectl-personapack");
    let after = get(&ns, "personapack/team");
    assert_eq!(after["spec"]["enabled"], true);
    assert_eq!(after["spec"]["authRefs"], serde_json::json!([{"provider": "openai", "secret": "team-openai-key"}]));
    // Minimal write: every other spec field is exactly as it was.
    let (mut b, mut a) = (before["spec"].clone(), after["spec"].clone());
    for k in ["enabled", "authRefs"] {
        b.as_object_mut().unwrap().remove(k);
        a.as_object_mut().unwrap().remove(k);
    }
    assert_eq!(a, b);
    let managers: Vec<&str> =
        after["metadata"]["managedFields"].as_array().unwrap().iter().filter_map(|m| m["manager"].as_str()).collect();
    assert!(managers.contains(&"kubectl-personapack"), "{managers:?}");

    // Idempotent: the same request again changes nothing.
    let r = run_with_stdin(
        &mut plugin(&["enable", "team", "-n", ns.as_str(), "--provider", "openai", "--api-key-stdin"]),
        KEY,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "secret/team-openai-key unchanged\npersonapack.sympozium.ai/team patched (no change)\n");
    // The spec was not written: its generation is where the first enable left it (the
    // controller's status writes, which go on while memory servers come up, do not count).
    assert_eq!(get(&ns, "personapack/team")["metadata"]["generation"], after["metadata"]["generation"]);
}

#[test]
fn provider_switch_replaces_the_reference() {
    let ns = Ns::new("switch");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let r = run_with_stdin(
        &mut plugin(&["enable", "team", "-n", ns.as_str(), "--provider", "openai", "--api-key-stdin"]),
        KEY,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(plugin(&[
        "enable",
        "team",
        "-n",
        ns.as_str(),
        "--provider",
        "anthropic",
        "--api-key-env",
        "TEAM_KEY",
        "--model",
        "claude-3-5-sonnet",
    ])
    .env("TEAM_KEY", KEY));
    assert_no_key(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(secret_data(&ns, "team-anthropic-key"), serde_json::json!({"ANTHROPIC_API_KEY": b64(KEY)}));
    let pack = get(&ns, "personapack/team");
    assert_eq!(
        pack["spec"]["authRefs"],
        serde_json::json!([{"provider": "anthropic", "secret": "team-anthropic-key"}])
    );
    let models: Vec<&str> =
        pack["spec"]["personas"].as_array().unwrap().iter().map(|p| p["model"].as_str().unwrap()).collect();
    assert_eq!(models, ["claude-3-5-sonnet"; 3]);
    // Fields the plugin does not set survive the personas rewrite.
    assert_eq!(pack["spec"]["personas"][0]["memory"]["seeds"], serde_json::json!(["one", "two"]));
}

#[test]
fn keyless_provider_gets_no_secret_and_no_dangling_authref() {
    let ns = Ns::new("keyless");
    apply(ns.as_str(), &pack_yaml("team", "  authRefs: [{provider: openai, secret: old-key}]"));
    let r = run(&mut plugin(&["enable", "team", "-n", ns.as_str(), "--provider", "ollama", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "personapack.sympozium.ai/team patched\n");
    let pack = get(&ns, "personapack/team");
    assert!(pack["spec"].get("authRefs").is_none(), "{}", pack["spec"]);
    assert_eq!(pack["spec"]["baseURL"], "http://ollama.default.svc:11434/v1");
    assert_eq!(kubectl_ok(&["get", "secrets", "-n", ns.as_str(), "-o", "name"]).trim(), "");
    // The other local providers' default endpoints, and --base-url over them;
    // a cloud provider's base URL is removed.
    for (flags, url) in [
        (vec!["--provider", "lm-studio"], Some("http://localhost:1234/v1")),
        (vec!["--provider", "llama-server"], Some("http://localhost:8080/v1")),
        (vec!["--provider", "lm-studio", "--base-url", "http://lm.studio:1234/v1"], Some("http://lm.studio:1234/v1")),
        (vec!["--provider", "ollama", "--base-url", "http://gpu-box:11434/v1"], Some("http://gpu-box:11434/v1")),
    ] {
        let mut args = vec!["enable", "team", "-n", ns.as_str(), "--yes"];
        args.extend(&flags);
        let r = run(&mut plugin(&args));
        assert_eq!(r.code, 0, "{flags:?}: {}", r.stderr);
        let spec = get(&ns, "personapack/team")["spec"].clone();
        assert_eq!(spec["baseURL"].as_str(), url, "{flags:?}");
        assert!(spec.get("authRefs").is_none(), "{flags:?}: no key, no authRefs");
    }
    let r = run_with_stdin(
        &mut plugin(&["enable", "team", "-n", ns.as_str(), "--yes", "--provider", "anthropic", "--api-key-stdin"]),
        KEY,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(get(&ns, "personapack/team")["spec"].get("baseURL").is_none());
}

#[test]
fn a_missing_secret_is_refused_and_nothing_changes() {
    let ns = Ns::new("nosecret");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let rv = get(&ns, "personapack/team")["metadata"]["resourceVersion"].clone();
    let r = run(&mut plugin(&[
        "enable",
        "team",
        "-n",
        ns.as_str(),
        "--provider",
        "openai",
        "--secret",
        "team-credentials",
    ]));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        format!(
            "error: secret \"team-credentials\" not found in namespace \"{}\": create it first, or give the key with --api-key-stdin / --api-key-env",
            ns.as_str()
        )
    );
    assert_eq!(get(&ns, "personapack/team")["metadata"]["resourceVersion"], rv);
    // With the Secret present, the same command references it.
    create_secret(ns.as_str(), "team-credentials", "OPENAI_API_KEY=x");
    let r = run(&mut plugin(&[
        "enable",
        "team",
        "-n",
        ns.as_str(),
        "--provider",
        "openai",
        "--secret",
        "team-credentials",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(get(&ns, "personapack/team")["spec"]["authRefs"][0]["secret"], "team-credentials");
}

#[test]
fn exclude_and_reinclude_single_personas() {
    let ns = Ns::new("exclude");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true"));
    let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str(), "--persona", "beta,gamma", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(get(&ns, "personapack/team")["spec"]["excludePersonas"], serde_json::json!(["beta", "gamma"]));
    let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str(), "--persona", "gamma", "--yes"]));
    assert_eq!(r.stdout, "personapack.sympozium.ai/team patched (no change)\n", "{}", r.stderr);
    let r = run(&mut plugin(&["enable", "team", "-n", ns.as_str(), "--persona", "beta"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pack = get(&ns, "personapack/team");
    assert_eq!(pack["spec"]["excludePersonas"], serde_json::json!(["gamma"]));
    assert_eq!(pack["spec"]["enabled"], true, "the pack stays enabled");
    let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str(), "--persona", "zed", "--yes"]));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        "error: personapack \"team\" has no persona \"zed\"; its personas are: alpha, beta, gamma"
    );
}

#[test]
fn disable_says_what_will_be_deleted_and_needs_confirmation() {
    let ns = Ns::new("disable");
    apply(
        ns.as_str(),
        &pack_yaml("team", "  enabled: true\n  authRefs: [{provider: openai, secret: team-openai-key}]"),
    );
    create_secret(ns.as_str(), "team-openai-key", "OPENAI_API_KEY=x");
    // The real controllers stamp 3 instances, 2 schedules and 3 memory ConfigMaps.
    wait_phase(ns.as_str(), "team", "Ready");
    wait_until("the three memory ConfigMaps", 60, || {
        let exists =
            |p: &&str| kubectl(&["get", "configmap", &format!("team-{p}-memory"), "-n", ns.as_str()]).status.success();
        ["alpha", "beta", "gamma"].iter().all(exists).then_some(())
    });
    let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str()]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(
        "Disabling personapack \"team\" makes the Sympozium controller delete 3 SympoziumInstances, 2 SympoziumSchedules, 3 memory ConfigMaps, the credential Secret team-openai-key, and clear spec.authRefs."
    ), "{}", r.stderr);
    assert!(r.stderr.contains("error: refusing to disable without confirmation: pass --yes"), "{}", r.stderr);
    assert_eq!(get(&ns, "personapack/team")["spec"]["enabled"], true, "nothing changed");
    // Dry runs need no confirmation and change nothing (the spec's generation: the
    // controller's status writes may go on while the enabled team comes up).
    let rv = get(&ns, "personapack/team")["metadata"]["generation"].clone();
    for (mode, word) in [("--dry-run", "(dry run)"), ("--dry-run=server", "(server dry run)")] {
        let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str(), mode]));
        assert_eq!(r.code, 0, "{mode}: {}", r.stderr);
        // The same shape as enable's dry run: the object named, the patch as YAML.
        assert!(r.stdout.starts_with("# Merge patch for personapack.sympozium.ai/team:\n"), "{}", r.stdout);
        assert!(r.stdout.contains("enabled: false"), "{mode}: {}", r.stdout);
        assert!(r.stdout.ends_with(&format!("personapack.sympozium.ai/team patched {word}\n")), "{}", r.stdout);
    }
    assert_eq!(get(&ns, "personapack/team")["metadata"]["generation"], rv, "dry runs wrote nothing");
    // On a terminal it asks: "n" changes nothing, "y" disables.
    let r = drive(r#"[["Proceed\\?", "n"]]"#, &["disable", "team", "-n", ns.as_str()]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("3 SympoziumInstances") && r.stdout.contains("Cancelled: nothing was changed."),
        "{}",
        r.stdout
    );
    assert_eq!(get(&ns, "personapack/team")["metadata"]["generation"], rv, "declined: nothing written");
    let r = drive(r#"[["Proceed\\?", "y"]]"#, &["disable", "team", "-n", ns.as_str()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("personapack.sympozium.ai/team patched"), "{}", r.stdout);
    // The controller's own full updates drop a false `enabled` (Go's omitempty).
    let enabled = get(&ns, "personapack/team")["spec"]["enabled"].clone();
    assert!(enabled == false || enabled.is_null(), "{enabled}");
}

/// `disable --wait` follows the real controller's removal to Inactive; and
/// names the orphan that makes upstream requeue forever.
#[test]
fn disable_wait_returns_when_inactive_and_fails_on_an_orphan() {
    let ns = Ns::new("disablewait");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true"));
    wait_phase(ns.as_str(), "team", "Ready");
    let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str(), "--yes", "--wait", "--timeout", "60s"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "personapack.sympozium.ai/team patched\npersonapack.sympozium.ai/team Inactive\n");
    let left = kubectl_ok(&["get", "sympoziuminstances,sympoziumschedules", "-n", ns.as_str(), "-o", "name"]);
    assert!(left.trim().is_empty(), "{left}");

    // A persona that left the spec while enabled keeps its instance: upstream requeues forever; we name it.
    merge_patch(ns.as_str(), "personapack/team", r#"{"spec":{"enabled":true}}"#);
    wait_phase(ns.as_str(), "team", "Ready");
    merge_patch(
        ns.as_str(),
        "personapack/team",
        r#"{"spec":{"personas":[{"name":"alpha","systemPrompt":"You are alpha."},{"name":"gamma","systemPrompt":"You are gamma."}]}}"#,
    );
    let start = Instant::now();
    let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str(), "--yes", "--wait", "--timeout", "60s"]));
    assert_eq!(r.code, 1);
    assert!(start.elapsed() < Duration::from_secs(30));
    assert!(
        r.stderr.contains("disable can never finish") && r.stderr.contains("SympoziumInstance team-beta"),
        "{}",
        r.stderr
    );
}

#[test]
fn enable_wait_says_when_no_controller_reconciles() {
    fixture_server("no controller at all: the real one runs beside the main API server");
    let ns = Ns::new("enablewait");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let r = run(&mut plugin(&["enable", "team", "-n", ns.as_str(), "--yes", "--wait", "--timeout", "3s"]));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("personapack.sympozium.ai/team patched"));
    assert!(
        r.stderr.contains("error: nothing has reconciled personapack \"team\" within 3s")
            && r.stderr.contains("is the Sympozium controller (v0.8.x) running?"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_refused_pack_write_leaves_no_secret_behind() {
    // In rbac-writer the limited user may write Secrets but only read packs.
    apply("rbac-writer", &pack_yaml("guarded-team", ""));
    let _ = kubectl(&["delete", "secret", "guarded-team-openai-key", "-n", "rbac-writer", "--ignore-not-found"]);
    // Watch the namespace's Secrets through the run: a plugin that wrote the
    // Secret and deleted it again would leave no Secret, but an event.
    let mut watch = Command::new(env().bin.join("kubectl"))
        .args(["get", "secrets", "-n", "rbac-writer", "--watch-only", "-o", "name"])
        .env("KUBECONFIG", env().current())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let seen = Seen::default();
    collect(watch.stdout.take().unwrap(), &seen);
    // The watch is live once it reports a marker Secret (made again each
    // second: one made before the watch started is never reported).
    let start = Instant::now();
    let mut marker = String::new();
    'live: for i in 0.. {
        let _ = kubectl(&["delete", "secret", &marker, "-n", "rbac-writer", "--ignore-not-found"]);
        marker = format!("watch-marker-{}-{i}", std::process::id());
        create_secret("rbac-writer", &marker, "k=v");
        for _ in 0..20 {
            if seen.lock().unwrap().contains(&format!("{marker}\n")) {
                break 'live;
            }
            std::thread::sleep(Duration::from_millis(50)); // polling for the marker; a marker written before the watch opened is never seen, so another is written
        }
        assert!(start.elapsed() < Duration::from_secs(30), "the Secret watch never started");
    }
    let r = run_with_stdin(
        plugin(&["enable", "guarded-team", "-n", "rbac-writer", "--provider", "openai", "--api-key-stdin"])
            .env("KUBECONFIG", env().limited()),
        KEY,
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("Error from server (Forbidden): personapacks.sympozium.ai \"guarded-team\" is forbidden: User \"limited\" cannot patch resource \"personapacks\""),
        "{}",
        r.stderr
    );
    let left = kubectl_ok(&["get", "secrets", "-n", "rbac-writer", "-o", "name"]);
    assert!(!left.contains("guarded-team-openai-key"), "{left}");
    kubectl_ok(&["delete", "secret", &marker, "-n", "rbac-writer"]);
    wait_until("the Secret watch reporting the marker's deletion", 30, || {
        (seen.lock().unwrap().matches(&format!("{marker}\n")).count() >= 2).then_some(())
    });
    let _ = watch.kill();
    let _ = watch.wait();
    let events = seen.lock().unwrap().clone();
    assert!(!events.contains("guarded-team-openai-key"), "the Secret was written, then removed: {events}");
}

#[test]
fn dry_runs_show_the_patch_and_redact_the_key() {
    let ns = Ns::new("dryrun");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let rv = get(&ns, "personapack/team")["metadata"]["resourceVersion"].clone();
    for mode in ["--dry-run", "--dry-run=client", "--dry-run=server"] {
        let r = run_with_stdin(
            &mut plugin(&["enable", "team", "-n", ns.as_str(), "--provider", "openai", "--api-key-stdin", mode]),
            KEY,
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("OPENAI_API_KEY: <redacted>"), "{}", r.stdout);
        assert!(r.stdout.contains("secret: team-openai-key"), "{}", r.stdout);
        let word = if mode == "--dry-run=server" { "(server dry run)" } else { "(dry run)" };
        assert!(r.stdout.ends_with(&format!("personapack.sympozium.ai/team patched {word}\n")), "{}", r.stdout);
    }
    // With -o: the objects as they would be after the change (client: the patch
    // applied locally; server: what the server made of it), the key redacted.
    for (mode, fmt) in [("--dry-run", "yaml"), ("--dry-run=server", "json")] {
        let r = run_with_stdin(
            &mut plugin(&[
                "enable",
                "team",
                "-n",
                ns.as_str(),
                "--provider",
                "openai",
                "--api-key-stdin",
                "--model",
                "m-1",
                mode,
                "-o",
                fmt,
            ]),
            KEY,
        );
        assert_eq!(r.code, 0, "{mode}: {}", r.stderr);
        let doc: Value = if fmt == "json" {
            serde_json::from_str(&r.stdout).unwrap()
        } else {
            serde_saphyr::from_str(&r.stdout).unwrap()
        };
        assert_eq!(doc["kind"], "List", "{}", r.stdout);
        let secret = &doc["items"][0];
        assert_eq!(
            (secret["kind"].as_str(), secret["stringData"]["OPENAI_API_KEY"].as_str()),
            (Some("Secret"), Some("<redacted>"))
        );
        let pack = &doc["items"][1];
        assert_eq!(pack["spec"]["enabled"], true, "{mode}");
        assert_eq!(pack["spec"]["authRefs"], serde_json::json!([{"provider": "openai", "secret": "team-openai-key"}]));
        assert_eq!(pack["spec"]["personas"][2]["model"], "m-1");
        assert_eq!(pack["spec"]["personas"][0]["systemPrompt"], "You are alpha.", "the rest of the pack kept");
        assert!(pack["metadata"].get("managedFields").is_none());
    }
    let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str(), "--dry-run", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!((after["kind"].as_str(), after["spec"]["enabled"].as_bool()), (Some("PersonaPack"), Some(false)));
    let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str(), "--yes", "-o", "json"]));
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.trim(), "error: -o/--output goes with --dry-run: it prints the objects as they would be");
    assert_eq!(get(&ns, "personapack/team")["metadata"]["resourceVersion"], rv);
    assert_eq!(kubectl_ok(&["get", "secrets", "-n", ns.as_str(), "-o", "name"]).trim(), "");
}

#[test]
fn into_copies_a_catalog_pack_disabled_then_enables_the_copy() {
    let ns = Ns::new("into");
    let r = run(&mut plugin(&[
        "enable",
        "devops-essentials",
        "-n",
        "sympozium-system",
        "--into",
        ns.as_str(),
        "--provider",
        "ollama",
        "--yes",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("copied from namespace \"sympozium-system\" to \"{}\"", ns.as_str())),
        "{}",
        r.stderr
    );
    let copy = get(&ns, "personapack/devops-essentials");
    assert_eq!(copy["spec"]["enabled"], true);
    assert_eq!(copy["spec"]["personas"].as_array().unwrap().len(), 2);
    let source = kubectl_ok(&[
        "get",
        "personapack",
        "devops-essentials",
        "-n",
        "sympozium-system",
        "-o",
        "jsonpath={.spec.enabled}",
    ]);
    assert_eq!(source, "", "the catalog entry stays disabled");
}

#[test]
fn an_api_key_argument_is_refused_without_echoing_it() {
    let r = run(&mut plugin(&["enable", "team", "--provider", "openai", "--api-key", KEY]));
    assert_eq!(r.code, 1);
    assert_no_key(&r);
    assert!(r.stderr.starts_with("error: an API key is never taken as an argument value"), "{}", r.stderr);
}

/// While enable runs (held by --wait), its argv holds no key; nor do its outputs.
#[test]
fn the_key_never_reaches_argv() {
    let ns = Ns::new("argv");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let mut child = plugin(&[
        "enable",
        "team",
        "-n",
        ns.as_str(),
        "--provider",
        "openai",
        "--api-key-env",
        "K",
        "--wait",
        "--timeout",
        "4s",
    ])
    .env("K", KEY)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let pid = child.id();
    let mut samples = 0;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(3) {
        if let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) {
            let argv = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            assert!(!argv.contains(KEY), "key in argv: {argv}");
            if argv.contains("kubectl-personapack") {
                samples += 1; // kubectl has exec'd the plugin: the same pid
            }
        }
        std::thread::sleep(Duration::from_millis(50)); // the sampling interval of the 3 s the plugin is watched for
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(samples > 0, "never saw the plugin's own argv");
    let r = Run {
        code: 0,
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    };
    assert_no_key(&r);
}

pub fn drive(steps: &str, args: &[&str]) -> Run {
    let mut cmd = Command::new("python3");
    cmd.arg(repo().join("tests/integration/pty_drive.py"))
        .arg(steps)
        .arg("--")
        .arg(env().bin.join("kubectl"))
        .arg("personapack")
        .args(args);
    cmd.env("PATH", path_with_plugin())
        .env("KUBECONFIG", env().current())
        .env("KUBECACHEDIR", discovery_cache())
        .env("TERM", "xterm");
    let r = run(&mut cmd);
    assert_no_key(&r);
    r
}

#[test]
fn wizard_through_a_terminal_enables_with_the_answers() {
    let ns = Ns::new("wizard");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let steps = serde_json::json!([
        ["PersonaPack", "\r"],
        ["Model provider", "\u{1b}[B\r"], // anthropic
        ["API key", "\r"],
        ["API key for anthropic", format!("{KEY}\r")],
        ["Model for every persona", "\r"],
        ["Team objective", "Ship the release\r"],
        ["Agent Sandbox", "\r"],
        ["Channels for every persona", "\r"],
        ["Heartbeat", "\r"],
        ["Personas to leave out", "\u{1b}[B\u{1b}[B \r"], // gamma
        ["Edit a persona", "\r"],
        ["Apply", "y"]
    ])
    .to_string();
    let r = drive(&steps, &["enable", "-n", ns.as_str()]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("write Secret team-anthropic-key with ANTHROPIC_API_KEY (value never shown)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("personapack.sympozium.ai/team patched"), "{}", r.stdout);
    let pack = get(&ns, "personapack/team");
    assert_eq!(pack["spec"]["enabled"], true);
    assert_eq!(pack["spec"]["taskOverride"], "Ship the release");
    assert_eq!(pack["spec"]["excludePersonas"], serde_json::json!(["gamma"]));
    // Enter at the model prompt keeps each persona's own (the provider's usual model is only a hint).
    assert!(r.stdout.contains("e.g. claude-sonnet-4-20250514; empty keeps each persona's own"), "{}", r.stdout);
    assert!(pack["spec"]["personas"][0].get("model").is_none(), "{}", pack["spec"]);
    assert_eq!(pack["spec"]["personas"][1]["model"], "claude-sonnet");
    assert_eq!(secret_data(&ns, "team-anthropic-key"), serde_json::json!({"ANTHROPIC_API_KEY": b64(KEY)}));
    // The first screen names the pack; the last says how to follow the rollout.
    let first = format!("Enabling personapack \"team\" in namespace \"{}\": 3 personas, A test team.", ns.as_str());
    assert!(r.stdout.contains(&first), "{}", r.stdout);
    let last = format!("Follow the rollout: kubectl personapack status team -n {} --watch (or --wait)", ns.as_str());
    assert!(r.stdout.trim_end().ends_with(&last), "{}", r.stdout);
    // The row the cursor is on is marked without colour (the transcript has no escapes).
    assert!(r.stdout.lines().any(|l| l.contains("❯") && l.contains("gamma (-)")), "{}", r.stdout);
}

/// Naming an existing Secret offers the namespace's Secrets, checks the one
/// picked for the provider's key at once, and asks again when it lacks it.
#[test]
fn wizard_picks_an_existing_secret_and_checks_its_key() {
    let ns = Ns::new("wizsecret");
    apply(ns.as_str(), &pack_yaml("team", ""));
    create_secret(ns.as_str(), "a-wrong", "TOKEN=x");
    create_secret(ns.as_str(), "team-creds", "OPENAI_API_KEY=never-read-here");
    let steps = serde_json::json!([
        ["Model provider", "\r"],          // openai
        ["API key", "\u{1b}[B\r"],         // an existing Secret
        ["holding OPENAI_API_KEY", "\r"],  // a-wrong
        ["its keys: TOKEN", "\u{1b}[B\r"], // asked again: team-creds
        ["Model for every persona", "\r"],
        ["Team objective", "\r"],
        ["Agent Sandbox", "\r"],
        ["Channels for every persona", "\r"],
        ["Heartbeat", "\r"],
        ["Personas to leave out", "\r"],
        ["Edit a persona", "\r"],
        ["Apply", "y"]
    ])
    .to_string();
    let r = drive(&steps, &["enable", "team", "-n", ns.as_str()]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("Secret \"a-wrong\" has no OPENAI_API_KEY (its keys: TOKEN)"), "{}", r.stdout);
    assert!(!r.stdout.contains("never-read-here"));
    let pack = get(&ns, "personapack/team");
    assert_eq!(pack["spec"]["authRefs"], serde_json::json!([{"provider": "openai", "secret": "team-creds"}]));
    let secrets = kubectl_ok(&["get", "secrets", "-n", ns.as_str(), "-o", "name"]);
    assert_eq!(secrets.lines().count(), 2, "no Secret written: {secrets}");
}

#[test]
fn wizard_interrupted_or_declined_changes_nothing() {
    let ns = Ns::new("wizardno");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let rv = get(&ns, "personapack/team")["metadata"]["resourceVersion"].clone();
    // Ctrl-C at the key prompt.
    let steps = serde_json::json!([
        ["PersonaPack", "\r"],
        ["Model provider", "\r"],
        ["API key", "\r"],
        ["API key for openai", "\u{3}"]
    ])
    .to_string();
    let r = drive(&steps, &["enable", "-n", ns.as_str()]);
    assert_eq!(r.code, 130, "{}", r.stdout);
    assert!(r.stdout.contains("Cancelled: nothing was changed."), "{}", r.stdout);
    // "no" at the end.
    let steps = serde_json::json!([
        ["Model provider", "\u{1b}[B\u{1b}[B\u{1b}[B\r"], // ollama: no key
        ["Model for every persona", "\r"],
        ["Base URL", "\r"],
        ["Team objective", "\r"],
        ["Agent Sandbox", "\r"],
        ["Channels for every persona", "\r"],
        ["Heartbeat", "\r"],
        ["Personas to leave out", "\r"],
        ["Edit a persona", "\r"],
        ["Apply", "n"]
    ])
    .to_string();
    let r = drive(&steps, &["enable", "team", "-n", ns.as_str()]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("Cancelled: nothing was changed."), "{}", r.stdout);
    assert_eq!(get(&ns, "personapack/team")["metadata"]["resourceVersion"], rv);
    assert_eq!(kubectl_ok(&["get", "secrets", "-n", ns.as_str(), "-o", "name"]).trim(), "");
}

/// Every way a key can come in, with request logging on: the key is in no
/// output, and bedrock's AWS set lands where upstream reads it.
#[test]
fn every_enable_path_keeps_the_key_secret() {
    let ns = Ns::new("secretpaths");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let n = ns.as_str();
    // (flags, environment, stdin)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, Option<&'a str>);
    let cases: Vec<Case> = vec![
        (vec!["--provider", "openai", "--api-key-stdin", "-v", "9"], vec![], Some(KEY)),
        (vec!["--provider", "openai", "--api-key-stdin", "--dry-run=server", "-v", "9"], vec![], Some(KEY)),
        (
            vec!["--provider", "azure-openai", "--api-key-env", "K", "--base-url", "https://x.openai.azure.com"],
            vec![("K", KEY)],
            None,
        ),
        (
            vec!["--provider", "custom", "--api-key-env", "K", "--base-url", "http://llm:8000/v1"],
            vec![("K", KEY)],
            None,
        ),
        // A usage error after the key was read: still nowhere in the output.
        (vec!["--provider", "openai", "--api-key-env", "K", "-o", "yaml"], vec![("K", KEY)], None),
        (
            vec!["--provider", "bedrock", "--aws-region", "eu-west-1"],
            vec![("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", KEY), ("AWS_SESSION_TOKEN", "tok")],
            None,
        ),
    ];
    for (flags, envs, stdin) in cases {
        let mut args = vec!["enable", "team", "-n", n];
        args.extend(&flags);
        let mut cmd = plugin(&args);
        for (k, v) in &envs {
            cmd.env(k, v);
        }
        let r = match stdin {
            Some(s) => run_with_stdin(&mut cmd, s),
            None => run(&mut cmd),
        };
        assert_no_key(&r);
        if flags.contains(&"-o") {
            assert_eq!(r.code, 1, "enable has no -o: {}", r.stderr);
            continue;
        }
        assert_eq!(r.code, 0, "{flags:?}: {}", r.stderr);
    }
    assert_eq!(secret_data(&ns, "team-azure-openai-key"), serde_json::json!({"AZURE_OPENAI_API_KEY": b64(KEY)}));
    assert_eq!(secret_data(&ns, "team-custom-key"), serde_json::json!({"API_KEY": b64(KEY)}));
    assert_eq!(
        secret_data(&ns, "team-bedrock-key"),
        serde_json::json!({"AWS_REGION": b64("eu-west-1"), "AWS_ACCESS_KEY_ID": b64("AKIAEXAMPLE"), "AWS_SECRET_ACCESS_KEY": b64(KEY), "AWS_SESSION_TOKEN": b64("tok")})
    );
    let pack = get(&ns, "personapack/team");
    assert_eq!(pack["spec"]["authRefs"], serde_json::json!([{"provider": "bedrock", "secret": "team-bedrock-key"}]));
    assert!(pack["spec"].get("baseURL").is_none(), "a cloud provider uses its own endpoint");
}

//! What a pack author, a kubeconfig or a careless paste can and cannot make
//! the plugin do: each test reproduces one finding of the security review.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::*;

const KEY: &str = "sk-proj-SECURITY-test-7c1d9e";

fn secret(ns: &str, name: &str) -> Option<Value> {
    let out = kubectl(&["get", "secret", name, "-n", ns, "-o", "json"]);
    out.status.success().then(|| serde_json::from_slice(&out.stdout).unwrap())
}

fn decoded(s: &Value, key: &str) -> String {
    let b64 = s["data"][key].as_str().unwrap_or_default();
    let out = Command::new("base64").arg("-d").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    out.stdin.as_ref().unwrap().write_all(b64.as_bytes()).unwrap();
    String::from_utf8(out.wait_with_output().unwrap().stdout).unwrap()
}

fn resource_version(ns: &str, what: &str) -> String {
    kubectl_ok(&["get", what, "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}"])
}

/// Finding 1: A Secret of the provider's name that we did not write is refused, kept
/// whole when adopted, and put back as it was when the pack write fails.
#[test]
fn a_foreign_secret_is_never_overwritten_or_stripped() {
    let ns = Ns::new("foreign");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", ""));
    kubectl_ok(&[
        "create",
        "secret",
        "generic",
        "team-openai-key",
        "-n",
        n,
        "--from-literal=OPENAI_API_KEY=sk-theirs",
        "--from-literal=BILLING_DB_PASSWORD=hunter2",
    ]);
    let before = resource_version(n, "secret/team-openai-key");
    let enable = |extra: &[&str]| {
        let mut a = vec!["enable", "team", "-n", n, "--provider", "openai", "--api-key-stdin", "--yes"];
        a.extend(extra);
        run_with_stdin(&mut plugin(&a), KEY)
    };
    for dry in [&[][..], &["--dry-run"][..], &["--dry-run=server"][..]] {
        let r = enable(dry);
        assert_eq!(r.code, 1, "{dry:?}: {}", r.stdout);
        assert!(
            r.stderr.contains("secret \"team-openai-key\" already exists and was not written by kubectl-personapack"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("--secret team-openai-key") && r.stderr.contains("--adopt-secret"), "{}", r.stderr);
    }
    assert_eq!(resource_version(n, "secret/team-openai-key"), before, "refused: untouched");
    assert_eq!(kubectl_ok(&["get", "personapack", "team", "-n", n, "-o", "jsonpath={.spec.enabled}"]), "");

    // Asked to adopt: a dry run says "configured", not "created"; then the key goes in, every other key stays.
    let r = enable(&["--adopt-secret", "--dry-run"]);
    assert!(r.stdout.contains("secret/team-openai-key configured (dry run)"), "{}", r.stdout);
    let r = enable(&["--adopt-secret"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("secret/team-openai-key configured\n"), "{}", r.stdout);
    let s = secret(n, "team-openai-key").unwrap();
    assert_eq!(decoded(&s, "OPENAI_API_KEY"), KEY);
    assert_eq!(decoded(&s, "BILLING_DB_PASSWORD"), "hunter2", "a key enable did not write is never removed");
    assert_eq!(s["metadata"]["labels"]["app.kubernetes.io/managed-by"], "kubectl-personapack");
    // Now ours: the same command again is a no-op.
    let r = enable(&[]);
    assert!(r.stdout.starts_with("secret/team-openai-key unchanged\n"), "{}", r.stdout);
    assert!(!r.stdout.contains(KEY) && !r.stderr.contains(KEY));
}

/// Finding 1: A changed Secret is put back when the pack write then fails (here the
/// pack is deleted while enable waits between its two writes).
#[test]
fn a_failed_enable_puts_a_changed_secret_back() {
    let ns = Ns::new("restore");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", ""));
    create_secret(n, "team-openai-key", "OPENAI_API_KEY=sk-old");
    kubectl_ok(&[
        "label",
        "secret",
        "team-openai-key",
        "-n",
        n,
        "app.kubernetes.io/managed-by=kubectl-personapack",
        "sympozium.ai/persona-pack=team",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let gate = dir.path().join("gate");
    let mut child = plugin(&["enable", "team", "-n", n, "--provider", "openai", "--api-key-stdin", "--yes"])
        .env("KUBECTL_PERSONAPACK_TEST_GATE", &gate)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(KEY.as_bytes()).unwrap();
    wait_for_gate(&gate, "enable's second write");
    assert_eq!(decoded(&secret(n, "team-openai-key").unwrap(), "OPENAI_API_KEY"), KEY, "written before the pack");
    kubectl_ok(&["delete", "personapack", "team", "-n", n]);
    std::fs::write(&gate, b"").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("the Secret team-openai-key was put back as it was"), "{stderr}");
    assert_eq!(decoded(&secret(n, "team-openai-key").unwrap(), "OPENAI_API_KEY"), "sk-old");
}

/// Finding 2: An exec credential plugin runs on the first request and inherits stdin:
/// the key must already have been read (and nothing of it left there).
#[test]
fn an_exec_credential_plugin_never_sees_the_key() {
    let ns = Ns::new("execauth");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", ""));
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("stdin-seen");
    let token = std::fs::read_to_string(env().dir.join("pki/exec-token")).unwrap();
    let script = dir.path().join("exec-plugin.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\ncat >> {seen}\nprintf '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{token}\"}}}}'\n",
            seen = seen.display(),
            token = token.trim()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let admin = std::fs::read_to_string(env().admin()).unwrap();
    let server = admin.lines().find_map(|l| l.trim().strip_prefix("server: ")).unwrap();
    let ca = admin.lines().find_map(|l| l.trim().strip_prefix("certificate-authority: ")).unwrap();
    let kc = dir.path().join("exec.kubeconfig");
    std::fs::write(
        &kc,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: {server}, certificate-authority: {ca}}}\nusers:\n- name: u\n  user:\n    exec: {{apiVersion: client.authentication.k8s.io/v1, command: {}, interactiveMode: IfAvailable}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n",
            script.display()
        ),
    )
    .unwrap();
    let r = run_with_stdin(
        plugin(&["enable", "team", "-n", n, "--provider", "openai", "--api-key-stdin", "--yes"]).env("KUBECONFIG", &kc),
        KEY,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(seen.exists(), "the exec plugin ran");
    let got = std::fs::read_to_string(&seen).unwrap();
    assert!(!got.contains(KEY), "the exec plugin read the key from stdin: {got:?}");
    assert_eq!(decoded(&secret(n, "team-openai-key").unwrap(), "OPENAI_API_KEY"), KEY);
}

/// Finding 3: Persona names are free text: none with a newline, control character or
/// a directive's shape reaches kubectl's completion protocol.
#[test]
fn completion_drops_hostile_persona_names() {
    let ns = Ns::new("complete");
    let n = ns.as_str();
    let evil = "x\n_activeHelp_ \u{1b}]52;c;cHduZWQ=\u{7}";
    let pack = serde_json::json!({
        "apiVersion": "sympozium.ai/v1alpha1", "kind": "PersonaPack",
        "metadata": {"name": "team"},
        "spec": {"personas": [
            {"name": "good-one", "systemPrompt": "x"},
            {"name": evil, "systemPrompt": "x"},
            {"name": ":4", "systemPrompt": "x"}]}
    });
    apply(n, &pack.to_string());
    let r = run(&mut plugin(&["__complete", "disable", "team", "-n", n, "--persona", ""]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    // One candidate, then the directive line (4: no file completion).
    assert_eq!(lines, ["good-one", ":4"], "{:?}", r.stdout);
    assert!(!r.stdout.contains('\u{1b}') && !r.stdout.contains("_activeHelp_"), "{:?}", r.stdout);
}

/// Finding 8: A persona name that is not a label value never breaks a selector.
#[test]
fn names_that_are_not_label_values_do_not_break_status_or_wait() {
    let ns = Ns::new("labelvalue");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", "  enabled: true").replace("name: beta", "name: Lead Dev"));
    // The real controller cannot stamp "team-Lead Dev": it reports Error.
    let r = run(&mut plugin(&["status", "team", "-n", n, "--wait", "--timeout", "60s"]));
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains("unable to parse requirement"), "{}", r.stderr);
    assert!(r.stderr.contains("the controller reports Error"), "{}", r.stderr);
    let r = run(&mut plugin(&["status", "team", "-n", n, "--color", "never"]));
    assert_eq!(r.code, 3, "Error is unhealthy: {}", r.stderr);
    assert!(r.stdout.contains("Lead Dev"), "{}", r.stdout);
}

/// Finding 9: A duration no clock can hold is refused with the other arguments:
/// no panic, nothing written, the key never read into a crashing process.
#[test]
fn impossible_durations_are_refused_before_any_write() {
    let ns = Ns::new("duration");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", "  enabled: true"));
    wait_phase(n, "team", "Ready");
    let rv = resource_version(n, "personapack/team");
    let huge = "99999999999999999999999h";
    let r = run_with_stdin(
        &mut plugin(&[
            "enable",
            "team",
            "-n",
            n,
            "--provider",
            "openai",
            "--api-key-stdin",
            "--yes",
            "--wait",
            "--timeout",
            huge,
        ]),
        KEY,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("invalid duration"), "{}", r.stderr);
    let r = run(&mut plugin(&["list", "-n", n, "--request-timeout", huge]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("invalid duration"), "{}", r.stderr);
    let r = run(&mut plugin(&["disable", "team", "-n", n, "--yes", "--wait", "--timeout", "soon"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("invalid value 'soon' for '--timeout <DURATION>'"), "{}", r.stderr);
    assert_eq!(resource_version(n, "personapack/team"), rv, "nothing was written");
    assert!(secret(n, "team-openai-key").is_none());
}

/// Finding 10: A key typed where a name belongs is not echoed back.
#[test]
fn a_key_in_the_wrong_flag_is_not_echoed() {
    let ns = Ns::new("echo");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", ""));
    for args in [
        vec!["enable", "team", "-n", n, "--provider", "openai", "--api-key-env", KEY, "--yes"],
        vec!["enable", "team", "-n", n, "--provider", "openai", "--secret", KEY, "--yes"],
    ] {
        let r = run(&mut plugin(&args));
        assert_eq!(r.code, 1, "{args:?}");
        assert!(!r.stderr.contains(KEY) && !r.stdout.contains(KEY), "{args:?} echoed the key: {}", r.stderr);
        assert!(r.stderr.contains("is not shown"), "{}", r.stderr);
    }
}

/// Finding 10: Bidirectional overrides and zero-width characters are escaped like
/// control characters wherever cluster text is printed.
#[test]
fn invisible_reordering_characters_are_escaped() {
    let ns = Ns::new("bidi");
    let n = ns.as_str();
    let pack = pack_yaml("team", "").replace("A test team.", "\"Safe \\u202Eexe.txt\\u200B\"");
    apply(n, &pack);
    for args in [vec!["list", "-n", n, "-o", "wide"], vec!["describe", "team", "-n", n]] {
        let r = run(&mut plugin(&args));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stdout.contains('\u{202e}') && !r.stdout.contains('\u{200b}'), "{args:?}: {:?}", r.stdout);
        assert!(r.stdout.contains("\\u{202e}"), "{args:?}: {}", r.stdout);
    }
}

/// Finding 4: the wizard never pre-fills the base URL from the pack (the key
/// goes there), shows the pack's own whole and escaped, and offers no
/// default that holds terminal escapes; persona errors are escaped.
#[test]
fn the_wizard_never_steers_the_key_to_the_packs_url() {
    let ns = Ns::new("wizurl");
    let n = ns.as_str();
    let lookalike = "http://ollama.default.svc:11434.evil.example/v1";
    let pack = pack_yaml("team", &format!("  baseURL: {lookalike}\n  taskOverride: \"go\\e]52;c;cHduZWQ=\\a\""));
    apply(n, &pack);
    let steps = serde_json::json!([
        ["Model provider", "\u{1b}[B\u{1b}[B\u{1b}[B\r"], // ollama
        ["Model for every persona", "\r"],
        ["Base URL", "\r"],
        ["Team objective", "\r"],
        ["Agent Sandbox", "\r"],
        ["Channels for every persona", "\r"],
        ["Heartbeat", "\r"],
        ["Personas to leave out", "\r"],
        ["Edit a persona", "\r"],
        ["Apply", "y"]
    ])
    .to_string();
    let r = crate::activation::drive(&steps, &["enable", "team", "-n", n]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&format!("The pack's current base URL is \"{lookalike}\"")), "{}", r.stdout);
    assert!(!r.stdout.contains("\u{1b}]52;"), "a cluster escape reached the terminal: {:?}", r.stdout);
    let url = kubectl_ok(&["get", "personapack", "team", "-n", n, "-o", "jsonpath={.spec.baseURL}"]);
    assert_eq!(url, "http://ollama.default.svc:11434/v1", "Enter keeps the provider's own endpoint");

    // Persona names in errors are escaped.
    let hostile = serde_json::json!({
        "apiVersion": "sympozium.ai/v1alpha1", "kind": "PersonaPack", "metadata": {"name": "odd"},
        "spec": {"personas": [{"name": "a\u{1b}[2Jb", "systemPrompt": "x"}]}
    });
    apply(n, &hostile.to_string());
    let r = run(&mut plugin(&["disable", "odd", "-n", n, "--persona", "zed\u{1b}[31m", "--yes"]));
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains('\u{1b}'), "{:?}", r.stderr);
    assert!(r.stderr.contains("a\\u{1b}[2Jb"), "{}", r.stderr);
}

/// A CONNECT proxy on 127.0.0.1 that wants `Proxy-Authorization: Basic
/// <auth>`; whatever host is asked for, it connects to 127.0.0.1:`target`
/// (only loopback, ever). Records each CONNECT line it accepted.
struct ConnectProxy {
    port: u16,
    accepted: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl ConnectProxy {
    fn start(target: u16, auth: &str) -> ConnectProxy {
        use std::io::{BufRead, BufReader, Read};
        use std::net::{TcpListener, TcpStream};
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let accepted = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (seen, want) = (accepted.clone(), format!("Basic {auth}"));
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (seen, want) = (seen.clone(), want.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(client.try_clone().unwrap());
                    let mut head = Vec::new();
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                        head.push(line.trim_end().to_string());
                    }
                    let authorised = head.iter().any(|h| {
                        h.split_once(':').is_some_and(|(name, value)| {
                            name.eq_ignore_ascii_case("proxy-authorization") && value.trim() == want
                        })
                    });
                    let mut client = client;
                    if !head.first().is_some_and(|l| l.starts_with("CONNECT ")) || !authorised {
                        let _ = client.write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n");
                        return;
                    }
                    seen.lock().unwrap().push(head[0].clone());
                    let upstream = TcpStream::connect(("127.0.0.1", target)).unwrap();
                    client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").unwrap();
                    let pump = |mut from: Box<dyn Read + Send>, mut to: TcpStream| {
                        std::thread::spawn(move || {
                            let _ = std::io::copy(&mut from, &mut to);
                            let _ = to.shutdown(std::net::Shutdown::Write);
                        })
                    };
                    pump(Box::new(reader), upstream.try_clone().unwrap());
                    pump(Box::new(upstream), client);
                });
            }
        });
        ConnectProxy { port, accepted }
    }
}

/// Finding 6 and 5: behind a proxy that wants credentials, as kubectl is —
/// from HTTPS_PROXY or the kubeconfig's proxy-url — and the proxy's password
/// (or a server URL's) is never printed.
#[test]
fn a_proxy_with_credentials_is_honoured_and_its_password_never_printed() {
    let admin = std::fs::read_to_string(env().admin()).unwrap();
    let server = admin.lines().find_map(|l| l.trim().strip_prefix("server: https://127.0.0.1:")).unwrap();
    let api_port: u16 = server.trim().parse().unwrap();
    let ca = admin.lines().find_map(|l| l.trim().strip_prefix("certificate-authority: ")).unwrap();
    let token = std::fs::read_to_string(env().dir.join("pki/exec-token")).unwrap();
    // "bob:s3cr3t-proxy-pw" in base64
    let proxy = ConnectProxy::start(api_port, "Ym9iOnMzY3IzdC1wcm94eS1wdw==");
    let dir = tempfile::tempdir().unwrap();
    // A name only the proxy resolves (to loopback); the certificate is checked as localhost's.
    let kubeconfig = |proxy_url: &str| {
        let path = dir.path().join(format!("k{}.kubeconfig", proxy_url.len()));
        let proxy_line = if proxy_url.is_empty() { String::new() } else { format!(", proxy-url: \"{proxy_url}\"") };
        std::fs::write(
            &path,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: \"https://kube.proxied.test:{api_port}\", certificate-authority: {ca}, tls-server-name: localhost{proxy_line}}}\nusers:\n- name: u\n  user: {{token: {}}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u, namespace: sympozium-system}}\ncurrent-context: x\n",
                token.trim()
            ),
        )
        .unwrap();
        path
    };
    let good = format!("http://bob:s3cr3t-proxy-pw@127.0.0.1:{}", proxy.port);
    let bad = format!("http://bob:wr0ng-pw@127.0.0.1:{}", proxy.port);
    let list = |kc: &std::path::Path, https_proxy: Option<&str>| {
        let mut c = plugin(&["list", "--request-timeout", "10s"]);
        c.env("KUBECONFIG", kc).env_remove("HTTPS_PROXY").env_remove("https_proxy").env_remove("NO_PROXY");
        if let Some(p) = https_proxy {
            c.env("HTTPS_PROXY", p);
        }
        run(&mut c)
    };
    let r = list(&kubeconfig(""), Some(&good));
    assert_eq!(r.code, 0, "through HTTPS_PROXY: {}", r.stderr);
    assert!(r.stdout.contains("platform-team"), "{}", r.stdout);
    let r = list(&kubeconfig(&good), None);
    assert_eq!(r.code, 0, "through proxy-url: {}", r.stderr);
    assert!(r.stdout.contains("platform-team"), "{}", r.stdout);
    let seen = proxy.accepted.lock().unwrap().clone();
    assert!(
        seen.len() >= 2 && seen.iter().all(|l| l.starts_with(&format!("CONNECT kube.proxied.test:{api_port} "))),
        "{seen:?}"
    );
    // Refused by the proxy: an error, and neither password in it.
    for r in [list(&kubeconfig(&bad), None), list(&kubeconfig(""), Some(&bad))] {
        assert_eq!(r.code, 1, "{}", r.stdout);
        assert!(!r.stderr.contains("wr0ng-pw") && !r.stderr.contains("s3cr3t"), "{}", r.stderr);
    }
    // A server URL with user info is printed without it.
    let kc = dir.path().join("userinfo.kubeconfig");
    std::fs::write(
        &kc,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: \"https://admin:srv-pa55@127.0.0.1:1\"}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n",
    )
    .unwrap();
    let r = list(&kc, None);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("127.0.0.1:1") && !r.stderr.contains("srv-pa55"), "{}", r.stderr);
}

/// Finding 5: a kubeconfig the parser cannot read, or whose exec plugin
/// fails, is reported without its contents, the plugin's arguments,
/// environment or output.
#[test]
fn kubeconfig_and_exec_plugin_failures_print_no_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.kubeconfig");
    std::fs::write(&broken, "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: TOKEN-in-a-broken-file\n    bad: [unclosed\n").unwrap();
    let r = run(plugin(&["list"]).env("KUBECONFIG", &broken));
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains("TOKEN-in-a-broken-file"), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("reading kubeconfig {}: not a valid kubeconfig at line 7", broken.display())),
        "{}",
        r.stderr
    );

    let script = dir.path().join("failing-plugin.sh");
    std::fs::write(&script, "#!/bin/sh\necho \"token=PLUGIN-OUTPUT-SECRET $SECRET_ENV\" >&2\nexit 3\n").unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let admin = std::fs::read_to_string(env().admin()).unwrap();
    let server = admin.lines().find_map(|l| l.trim().strip_prefix("server: ")).unwrap();
    let kc = dir.path().join("exec.kubeconfig");
    std::fs::write(
        &kc,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: {server}, insecure-skip-tls-verify: true}}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      args: [--password, ARG-SECRET]\n      env: [{{name: SECRET_ENV, value: ENV-SECRET}}]\n      interactiveMode: Never\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n",
            script.display()
        ),
    )
    .unwrap();
    let r = run(plugin(&["list"]).env("KUBECONFIG", &kc));
    assert_eq!(r.code, 1);
    for secret in ["ARG-SECRET", "ENV-SECRET", "PLUGIN-OUTPUT-SECRET"] {
        assert!(!r.stderr.contains(secret), "{secret} printed: {}", r.stderr);
    }
    assert!(r.stderr.contains("exec credential plugin failed (exit status: 3)"), "{}", r.stderr);
}

/// Finding 10: the release workflow runs third-party code pinned by commit,
/// not by a tag its owner can move.
#[test]
fn release_actions_are_pinned_by_commit() {
    let text = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let uses: Vec<&str> =
        text.lines().filter_map(|l| l.trim().trim_start_matches("- ").strip_prefix("uses: ")).collect();
    assert!(!uses.is_empty());
    for u in uses {
        let sha = u.split('@').nth(1).unwrap_or_default().split_whitespace().next().unwrap_or_default();
        assert!(sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()), "not pinned by commit: {u}");
    }
}

/// Channel bot tokens get the provider key's guarantees: never echoed or
/// logged (even at -v 9), redacted in dry runs, refused over a Secret we did
/// not write, idempotent, and rolled back with the key when the pack write fails.
#[test]
fn channel_tokens_are_kept_like_the_key() {
    let ns = Ns::new("chantokens");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", ""));
    const SLACK: &str = "xoxb-never-shown-4711";
    let enable = |extra: &[&str]| {
        let mut args = vec!["enable", "team", "-n", n, "--provider", "openai", "--api-key-env", "T_KEY", "--yes"];
        args.extend_from_slice(extra);
        let mut cmd = plugin(&args);
        cmd.env("T_KEY", KEY).env("T_SLACK", SLACK);
        let r = run(&mut cmd);
        assert!(!r.stdout.contains(SLACK) && !r.stderr.contains(SLACK), "a token was shown: {}{}", r.stdout, r.stderr);
        r
    };
    // A channel that needs a token, given none: refused, naming the ways to give one; nothing written.
    let r = enable(&["--channel", "telegram"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains(
            "channel telegram needs its bot token (TELEGRAM_BOT_TOKEN): pass --channel-token-env telegram=VAR"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(kubectl_ok(&["get", "secrets", "-n", n, "-o", "name"]).trim(), "");
    // A token pasted where the variable's name belongs is not echoed.
    let r = enable(&["--channel-token-env", &format!("slack={SLACK}")]);
    assert_eq!(r.code, 1);
    // Dry runs redact it.
    let r = enable(&["--channel-token-env", "slack=T_SLACK", "--dry-run=server"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("SLACK_BOT_TOKEN: <redacted>")
            && r.stdout.contains("secret/team-slack-secret created (server dry run)"),
        "{}",
        r.stdout
    );
    // A Secret of that name we did not write is refused, pointing at --channel-secret.
    create_secret(n, "team-slack-secret", "SLACK_BOT_TOKEN=theirs");
    let r = enable(&["--channel-token-env", "slack=T_SLACK"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Use it as it is with --channel-secret slack=team-slack-secret"), "{}", r.stderr);
    assert_eq!(decoded(&secret(n, "team-slack-secret").unwrap(), "SLACK_BOT_TOKEN"), "theirs");
    kubectl_ok(&["delete", "secret", "team-slack-secret", "-n", n]);

    // The pack goes away between the Secrets and the pack write: both Secrets go too.
    let dir = tempfile::tempdir().unwrap();
    let gate = dir.path().join("gate");
    let child = plugin(&[
        "enable",
        "team",
        "-n",
        n,
        "--provider",
        "openai",
        "--api-key-env",
        "T_KEY",
        "--channel-token-env",
        "slack=T_SLACK",
        "--yes",
    ])
    .env("T_KEY", KEY)
    .env("T_SLACK", SLACK)
    .env("KUBECTL_PERSONAPACK_TEST_GATE", &gate)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    wait_for_gate(&gate, "enable's pack write");
    assert_eq!(decoded(&secret(n, "team-slack-secret").unwrap(), "SLACK_BOT_TOKEN"), SLACK);
    kubectl_ok(&["delete", "personapack", "team", "-n", n]);
    std::fs::write(&gate, b"").unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the Secret team-slack-secret created for it was deleted again; the Secret team-openai-key created for it was deleted again; nothing is left behind"),
        "{stderr}"
    );
    assert_eq!(kubectl_ok(&["get", "secrets", "-n", n, "-o", "name"]).trim(), "");

    // Written for real (request lines at -v 9), then again: unchanged, and never "unused".
    apply(n, &pack_yaml("team", ""));
    let r = enable(&["--channel-token-env", "slack=T_SLACK", "-v", "9"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("secret/team-slack-secret created"), "{}", r.stdout);
    let r = enable(&["--channel-token-env", "slack=T_SLACK"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("secret/team-slack-secret unchanged")
            && r.stdout.contains("secret/team-openai-key unchanged"),
        "{}",
        r.stdout
    );
    assert!(!r.stderr.contains("Unused credentials"), "{}", r.stderr);
    let pack: Value =
        serde_json::from_str(&kubectl_ok(&["get", "personapack", "team", "-n", n, "-o", "json"])).unwrap();
    assert_eq!(pack["spec"]["channelConfigs"], serde_json::json!({"slack": "team-slack-secret"}));
    for p in pack["spec"]["personas"].as_array().unwrap() {
        assert_eq!(p["channels"], serde_json::json!(["slack"]), "every persona bound");
    }
}

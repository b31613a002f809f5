//! Clear refusals: RBAC, no PersonaPack API, the Ensemble era, unreachable and
//! hanging servers, bad flags. Each is a kubectl-shaped message and exit 1.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::common::*;

#[test]
fn rbac_reads_allowed_writes_and_other_namespaces_refused() {
    apply("rbac-limited", &pack_yaml("readonly-team", ""));
    let limited = env().limited();
    let r = run(plugin(&["list", "--color", "never"]).env("KUBECONFIG", &limited));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("readonly-team"));
    let r = run(plugin(&["list", "-n", "default"]).env("KUBECONFIG", &limited));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        r#"Error from server (Forbidden): personapacks.sympozium.ai is forbidden: User "limited" cannot list resource "personapacks" in API group "sympozium.ai" in the namespace "default""#
    );
    // status needs to list instances too: refused, with the resource named.
    let r = run(plugin(&["status", "readonly-team"]).env("KUBECONFIG", &limited));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("Error from server (Forbidden)") && r.stderr.contains("cannot list resource"),
        "{}",
        r.stderr
    );
}

/// The bare API server has no Sympozium CRDs; then only v0.10.46's own Ensemble CRD.
#[test]
fn missing_crd_then_ensemble_era() {
    let bare = env().bare();
    // A reused environment may still have the Ensemble CRD from a previous run.
    let reset = std::process::Command::new(env().bin.join("kubectl"))
        .args(["delete", "crd", "ensembles.sympozium.ai", "--ignore-not-found", "--wait=true"])
        .env("KUBECONFIG", &bare)
        .output()
        .unwrap();
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    let r = run(plugin(&["list"]).env("KUBECONFIG", &bare));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("Sympozium v0.8.x (which provides PersonaPacks) is not installed"), "{}", r.stderr);
    let r = run(plugin(&["describe", "platform-team"]).env("KUBECONFIG", &bare));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is not installed"), "{}", r.stderr);

    let ensemble = upstream().join("sympozium-v0.10.46/config/crd/bases/sympozium.ai_ensembles.yaml");
    let out = std::process::Command::new(env().bin.join("kubectl"))
        .args(["apply", "--server-side", "-f"])
        .arg(&ensemble)
        .env("KUBECONFIG", &bare)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Polled: `kubectl wait` fails outright while a new CRD has no conditions yet.
    let start = Instant::now();
    loop {
        let out = std::process::Command::new(env().bin.join("kubectl"))
            .args([
                "get",
                "crd/ensembles.sympozium.ai",
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Established\")].status}",
            ])
            .env("KUBECONFIG", &bare)
            .output()
            .unwrap();
        if String::from_utf8_lossy(&out.stdout) == "True" {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "the Ensemble CRD never became Established");
        std::thread::sleep(Duration::from_millis(100));
    }
    let r = run(plugin(&["list", "-A"]).env("KUBECONFIG", &bare));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("runs Sympozium v0.9 or later, where PersonaPack was renamed Ensemble"), "{}", r.stderr);
    let r = run(plugin(&["status", "x"]).env("KUBECONFIG", &bare));
    assert!(r.stderr.contains("renamed Ensemble"), "{}", r.stderr);
}

fn kubeconfig_for(server: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    write!(
        f,
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: \"{server}\", insecure-skip-tls-verify: true}}\nusers:\n- name: u\n  user: {{token: t}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n"
    )
    .unwrap();
    f
}

#[test]
fn unreachable_server_is_named() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    }; // closed again
    let kc = kubeconfig_for(&format!("https://127.0.0.1:{port}"));
    let r = run(plugin(&["list"]).env("KUBECONFIG", kc.path()));
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        format!("The connection to the server 127.0.0.1:{port} was refused - did you specify the right host or port?")
    );
}

/// A listener that accepts and never answers (TLS never completes).
#[test]
fn hanging_server_fails_within_request_timeout() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in l.incoming().flatten() {
            held.push(s); // keep it open, say nothing
        }
    });
    let kc = kubeconfig_for(&format!("https://127.0.0.1:{port}"));
    for cmd in EVERY_SUBCOMMAND {
        let start = Instant::now();
        let mut args = cmd.to_vec();
        args.extend(["--request-timeout", "2s"]);
        let r = run(plugin(&args).env("KUBECONFIG", kc.path()));
        let took = start.elapsed();
        assert_eq!(r.code, if cmd[0] == "diff" { 2 } else { 1 }, "{cmd:?}");
        assert!(took < Duration::from_secs(15), "{cmd:?} took {took:?}");
        assert_eq!(
            r.stderr.trim(),
            format!(
                "Unable to connect to the server https://127.0.0.1:{port}: no response within 2s (--request-timeout)"
            ),
            "{cmd:?}"
        );
    }
}

/// A server that sends headers and half a body, then stalls.
#[test]
fn half_a_response_fails_within_request_timeout() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for mut s in l.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"kind\":\"PersonaPackList\",\"items\":[");
            let _ = s.flush();
            held.push(s);
        }
    });
    let kc = kubeconfig_for(&format!("http://127.0.0.1:{port}"));
    for cmd in EVERY_SUBCOMMAND {
        let mut args = cmd.to_vec();
        args.extend(["--request-timeout", "2s"]);
        let start = Instant::now();
        let r = run(plugin(&args).env("KUBECONFIG", kc.path()));
        assert_eq!(r.code, if cmd[0] == "diff" { 2 } else { 1 }, "{cmd:?}: {}", r.stderr);
        assert!(start.elapsed() < Duration::from_secs(15), "{cmd:?}");
        assert!(
            r.stderr.contains(&format!("Unable to connect to the server http://127.0.0.1:{port}")),
            "{cmd:?}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{cmd:?} printed half a result: {}", r.stdout);
    }
}

/// Every subcommand that talks to the server, with a pack name where it takes one.
const EVERY_SUBCOMMAND: [&[&str]; 9] = [
    &["list"],
    &["describe", "x"],
    &["status", "x"],
    &["tree", "x"],
    &["render", "x"],
    &["diff", "x"],
    &["enable", "x", "--yes"],
    &["disable", "x", "--yes"],
    &["seed", "x"],
];

/// Without the flag a request gives up after the documented default, 30 s; `--request-timeout 0` waits forever
/// (still waiting when the default run has given up).
#[test]
fn the_default_request_timeout_is_30s_and_0_waits_forever() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in l.incoming().flatten() {
            held.push(s);
        }
    });
    let kc = kubeconfig_for(&format!("https://127.0.0.1:{port}"));
    let mut forever = plugin(&["list", "--request-timeout", "0"])
        .env("KUBECONFIG", kc.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let r = run(plugin(&["list"]).env("KUBECONFIG", kc.path()));
    let took = start.elapsed();
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stderr.trim(),
        format!("Unable to connect to the server https://127.0.0.1:{port}: no response within 30s (--request-timeout)")
    );
    assert!(took >= Duration::from_secs(29) && took < Duration::from_secs(90), "took {took:?}");
    // Past the default by a margin: a `0` read as the default has given up by now.
    std::thread::sleep(Duration::from_secs(3));
    let still = forever.try_wait().unwrap();
    let _ = forever.kill();
    let _ = forever.wait();
    assert!(still.is_none(), "--request-timeout 0 gave up: {still:?}");
}

#[test]
fn bad_flags_are_usage_errors_with_exit_1() {
    let r = run(&mut plugin(&["list", "-o", "table"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: invalid value 'table' for '--output <FORMAT>'"), "{}", r.stderr);
    assert!(r.stderr.contains("unable to match a printer suitable for the output format \"table\""), "{}", r.stderr);
    let r = run(&mut plugin(&["list", "--request-timeout", "soon"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .starts_with("error: invalid value 'soon' for '--request-timeout <DURATION>': invalid duration \"soon\""),
        "{}",
        r.stderr
    );
    let r = run(&mut plugin(&["--help"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("kubectl personapack"));
}

#[test]
fn missing_kubeconfig_is_a_client_error() {
    let r = run(&mut plugin(&["list", "--kubeconfig", "/nonexistent/kubeconfig"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: reading kubeconfig /nonexistent/kubeconfig"), "{}", r.stderr);
}

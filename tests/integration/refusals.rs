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

/// The bare API server: no Sympozium CRDs, then v0.10.46's Ensemble CRD, then v0.8.28's PersonaPack CRD beside it, then that alone (behind a stale cache).
#[test]
fn missing_crd_then_ensemble_then_both() {
    let bare = env().bare();
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().to_str().unwrap().to_string();
    let k = |args: &[&str]| {
        let out =
            std::process::Command::new(env().bin.join("kubectl")).args(args).env("KUBECONFIG", &bare).output().unwrap();
        assert!(out.status.success(), "kubectl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let on_bare = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--cache-dir", &cache_dir]);
        run(plugin(&all).env("KUBECONFIG", &bare))
    };
    let crd = |file: &str| upstream().join(file).to_str().unwrap().to_string();
    let ensembles = crd("sympozium-v0.10.46/config/crd/bases/sympozium.ai_ensembles.yaml");
    let packs = crd("sympozium-v0.8.28/config/crd/bases/sympozium.ai_personapacks.yaml");
    // A reused environment may still have the CRDs of a previous run.
    k(&["delete", "crd", "ensembles.sympozium.ai", "personapacks.sympozium.ai", "--ignore-not-found", "--wait=true"]);

    // Neither kind: the refusal names both.
    let r = on_bare(&["list"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("\"personapacks\" or \"ensembles\"") && r.stderr.contains("is not installed"),
        "{}",
        r.stderr
    );
    let r = on_bare(&["describe", "platform-team"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is not installed"), "{}", r.stderr);

    // The Ensemble era: served, and cached where kubectl caches discovery.
    established(&bare, &ensembles, "ensembles");
    let r = on_bare(&["list", "-A"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, "No resources found\n"), "{}", r.stderr);
    let file = std::fs::read_dir(cache.path().join("discovery")).unwrap().next().unwrap().unwrap().path();
    let cached = std::fs::read_to_string(file.join("sympozium.ai/v1alpha1/serverresources.json")).unwrap();
    assert!(cached.contains("\"ensembles\""), "{cached}");
    let r = on_bare(&["list", "--kind", "personapack"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("this cluster serves Ensembles (Sympozium v0.9 or later)"), "{}", r.stderr);

    // Both (an upgrade's leftover CRD): Ensembles, said so; --kind picks.
    established(&bare, &packs, "personapacks");
    let fresh = tempfile::tempdir().unwrap();
    let discovery = "] \"Response\" verb=\"GET\" url=\"";
    let asked =
        |stderr: &str| stderr.lines().any(|l| l.contains(discovery) && l.contains("/apis/sympozium.ai/v1alpha1\""));
    let r = run(plugin(&["list", "-v", "6", "--cache-dir", fresh.path().to_str().unwrap()]).env("KUBECONFIG", &bare));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("Warning: this cluster serves both PersonaPacks and Ensembles; using Ensembles"),
        "{}",
        r.stderr
    );
    assert!(asked(&r.stderr), "a cold cache: one discovery request\n{}", r.stderr);
    // Cached: the next command asks nothing of discovery.
    let r = run(plugin(&["list", "-v", "6", "--cache-dir", fresh.path().to_str().unwrap()]).env("KUBECONFIG", &bare));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!asked(&r.stderr), "a warm cache: no discovery request\n{}", r.stderr);
    assert!(r.stderr.contains("Warning: this cluster serves both"), "{}", r.stderr);
    let r = run(plugin(&["list", "--kind", "personapack", "-n", "x", "--cache-dir", fresh.path().to_str().unwrap()])
        .env("KUBECONFIG", &bare));
    assert_eq!((r.code, r.stderr.as_str()), (0, "No resources found in x namespace.\n"));

    // The Ensemble CRD gone, the cache still saying Ensembles: the request that
    // meets the missing resource looks again, and the PersonaPacks are read.
    k(&["delete", "crd", "ensembles.sympozium.ai", "--wait=true"]);
    let r = on_bare(&["list", "-n", "x"]);
    assert_eq!((r.code, r.stderr.as_str()), (0, "No resources found in x namespace.\n"));
    let cached = std::fs::read_to_string(file.join("sympozium.ai/v1alpha1/serverresources.json")).unwrap();
    assert!(cached.contains("\"personapacks\"") && !cached.contains("\"ensembles\""), "{cached}");
    k(&["delete", "crd", "personapacks.sympozium.ai", "--wait=true"]);
}

/// Apply a CRD and wait until the server serves it (`kubectl wait` fails
/// outright while a new CRD has no conditions yet: polled).
fn established(kubeconfig: &std::path::Path, file: &str, plural: &str) {
    let out = std::process::Command::new(env().bin.join("kubectl"))
        .args(["apply", "--server-side", "-f", file])
        .env("KUBECONFIG", kubeconfig)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    wait_until(&format!("the {plural} CRD Established"), 30, || {
        let out = std::process::Command::new(env().bin.join("kubectl"))
            .args([
                "get",
                &format!("crd/{plural}.sympozium.ai"),
                "-o",
                "jsonpath={.status.conditions[?(@.type==\"Established\")].status}",
            ])
            .env("KUBECONFIG", kubeconfig)
            .output()
            .unwrap();
        (String::from_utf8_lossy(&out.stdout) == "True").then_some(())
    });
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
const EVERY_SUBCOMMAND: [&[&str]; 12] = [
    &["list"],
    &["describe", "x"],
    &["status", "x"],
    &["tree", "x"],
    &["render", "x"],
    &["diff", "x"],
    &["enable", "x", "--yes"],
    &["disable", "x", "--yes"],
    &["seed", "x"],
    &["runs", "x"],
    &["logs", "x", "p"],
    &["run", "x", "p", "--task", "t"],
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

//! Reliability under faults and hostile input, against the real API server:
//! a connection cut between the Secret write and the pack patch, concurrent
//! writers, every subcommand under RBAC, huge and hostile packs.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

const KEY: &str = "sk-fault-0a1b2c3d4e";

/// A TCP forwarder to the API server that can be cut off at once: the
/// listener closes (new connections are refused) and live ones are shut.
struct Proxy {
    port: u16,
    dead: Arc<AtomicBool>,
    conns: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(upstream: u16) -> Proxy {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        let port = l.local_addr().unwrap().port();
        let dead = Arc::new(AtomicBool::new(false));
        let conns: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (d, c) = (dead.clone(), conns.clone());
        std::thread::spawn(move || {
            while !d.load(Ordering::SeqCst) {
                match l.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).unwrap();
                        let server = TcpStream::connect(("127.0.0.1", upstream)).unwrap();
                        c.lock().unwrap().extend([client.try_clone().unwrap(), server.try_clone().unwrap()]);
                        pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
                        pipe(server, client);
                    }
                    // Non-blocking accept, so `dead` is seen between polls.
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
            // dropping `l` here closes the listening socket
        });
        Proxy { port, dead, conns }
    }

    fn kill(&self) {
        self.dead.store(true, Ordering::SeqCst);
        for s in self.conns.lock().unwrap().iter() {
            let _ = s.shutdown(Shutdown::Both);
        }
        // Cut off once the accept loop has dropped the listener: a new connection is refused.
        wait_until("the proxy's listener closed", 10, || {
            TcpStream::connect(("127.0.0.1", self.port)).is_err().then_some(())
        });
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
}

/// The admin kubeconfig pointed at another port on 127.0.0.1.
fn kubeconfig_via(port: u16, dir: &std::path::Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(env().current()).unwrap();
    let upstream = api_port();
    let path = dir.join("via-proxy.kubeconfig");
    std::fs::write(&path, text.replace(&format!("127.0.0.1:{upstream}"), &format!("127.0.0.1:{port}"))).unwrap();
    path
}

fn api_port() -> u16 {
    let text = std::fs::read_to_string(env().current()).unwrap();
    let server = text.lines().find_map(|l| l.trim().strip_prefix("server: https://127.0.0.1:")).unwrap();
    server.trim().parse().unwrap()
}

fn get(ns: &str, what: &str) -> Value {
    serde_json::from_str(&kubectl_ok(&["get", what, "-n", ns, "-o", "json"])).unwrap()
}

#[test]
fn server_gone_between_secret_and_patch_is_reported_and_a_rerun_finishes() {
    let ns = Ns::new("fault");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let dir = tempfile::tempdir().unwrap();
    let proxy = Proxy::start(api_port());
    let kc = kubeconfig_via(proxy.port, dir.path());
    let gate = dir.path().join("gate");
    let mut child = plugin(&[
        "enable",
        "team",
        "-n",
        ns.as_str(),
        "--provider",
        "openai",
        "--api-key-stdin",
        "--request-timeout",
        "5s",
    ])
    .env("KUBECONFIG", &kc)
    .env("KUBECTL_PERSONAPACK_TEST_GATE", &gate)
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    child.stdin.take().unwrap().write_all(KEY.as_bytes()).unwrap();
    wait_for_gate(&gate, "the point between the two writes");
    proxy.kill(); // the API server is gone for the plugin
    std::fs::write(&gate, b"").unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(!stdout.contains(KEY) && !stderr.contains(KEY));
    assert_eq!(stdout, "secret/team-openai-key created\n", "what was done is reported");
    assert!(stderr.contains("was refused") || stderr.contains("Unable to connect"), "{stderr}");
    assert!(
        stderr.contains("The pack was not enabled: the Secret team-openai-key was created but could not be put back; run the same command again"),
        "{stderr}"
    );
    // The cluster: the Secret is there (named above), the pack untouched.
    assert!(get(ns.as_str(), "secret/team-openai-key")["data"]["OPENAI_API_KEY"].is_string());
    assert!(get(ns.as_str(), "personapack/team")["spec"].get("enabled").is_none());

    // A rerun through a live server completes, idempotently.
    let r = run_with_stdin(
        &mut plugin(&["enable", "team", "-n", ns.as_str(), "--provider", "openai", "--api-key-stdin"]),
        KEY,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "secret/team-openai-key unchanged\npersonapack.sympozium.ai/team patched\n");
    assert_eq!(get(ns.as_str(), "personapack/team")["spec"]["authRefs"][0]["secret"], "team-openai-key");
}

/// `enable --model` (a guarded write of the personas list) racing a writer
/// that does what the Sympozium controller does: full updates from its reads.
#[test]
fn concurrent_writers_lose_nothing() {
    let ns = Ns::new("race");
    apply(ns.as_str(), &pack_yaml("team", ""));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (ns, stop) = (ns.as_str().to_string(), stop.clone());
        std::thread::spawn(move || {
            let (mut n, mut ok) = (0, 0);
            // Keep going until the enables are done and a few updates landed.
            while (!stop.load(Ordering::SeqCst) || ok < 3) && n < 300 {
                let mut obj = get(&ns, "personapack/team");
                obj["metadata"]["annotations"] = serde_json::json!({"writer/last": n.to_string()});
                let mut child = Command::new(env().bin.join("kubectl"))
                    .args(["replace", "-f", "-"])
                    .env("KUBECONFIG", env().current())
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                child.stdin.take().unwrap().write_all(obj.to_string().as_bytes()).unwrap();
                // A conflict is that writer's problem, as for the controller.
                if child.wait().is_ok_and(|s| s.success()) {
                    ok += 1;
                }
                n += 1;
            }
            ok
        })
    };
    let mut runs = Vec::new();
    for (i, model) in ["model-a", "model-b", "model-c", "model-d"].iter().enumerate() {
        let task = format!("objective {i}");
        let r = run(&mut plugin(&[
            "enable",
            "team",
            "-n",
            ns.as_str(),
            "--provider",
            "ollama",
            "--model",
            model,
            "--task",
            &task,
            "--yes",
        ]));
        runs.push(r);
    }
    stop.store(true, Ordering::SeqCst);
    let writes = writer.join().unwrap();
    for r in &runs {
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert!(writes >= 3, "the other writer landed {writes} updates");
    let pack = get(ns.as_str(), "personapack/team");
    let spec = &pack["spec"];
    assert_eq!(spec["enabled"], true);
    assert_eq!(spec["taskOverride"], "objective 3");
    assert_eq!(spec["baseURL"], "http://ollama.default.svc:11434/v1");
    let personas = spec["personas"].as_array().unwrap();
    assert_eq!(personas.len(), 3, "no persona lost");
    for p in personas {
        assert_eq!(p["model"], "model-d", "{p}");
    }
    assert_eq!(personas[0]["memory"]["seeds"], serde_json::json!(["one", "two"]), "no field lost");
    assert_eq!(personas[2]["schedule"]["cron"], "0 9 * * 1");
    assert!(pack["metadata"]["annotations"]["writer/last"].is_string(), "the other writer's change survives");
}

/// The guard itself: a spec change lands between enable's read and its
/// patch (the test gate pauses exactly there). `--model` rewrites the
/// personas list, so an unguarded patch would drop the new persona; the
/// guarded one conflicts, re-reads and re-plans, and both changes survive.
#[test]
fn a_spec_change_between_read_and_patch_is_kept_by_the_guard() {
    let ns = Ns::new("guard");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", ""));
    let dir = tempfile::tempdir().unwrap();
    let gate = dir.path().join("gate");
    let child = plugin(&["enable", "team", "-n", n, "--provider", "ollama", "--model", "model-z", "--yes", "-v", "6"])
        .env("KUBECTL_PERSONAPACK_TEST_GATE", &gate)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_gate(&gate, "enable's patch");
    // The other writer: a fourth persona, and a prompt edited.
    kubectl_ok(&[
        "patch",
        "personapack",
        "team",
        "-n",
        n,
        "--type=json",
        "-p",
        r#"[{"op":"add","path":"/spec/personas/-","value":{"name":"delta","systemPrompt":"You are delta."}},
            {"op":"replace","path":"/spec/personas/1/systemPrompt","value":"You are beta, edited."}]"#,
    ]);
    std::fs::write(&gate, b"").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let personas = get(n, "personapack/team")["spec"]["personas"].clone();
    let names: Vec<&str> = personas.as_array().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, ["alpha", "beta", "gamma", "delta"], "the other writer's persona survives");
    assert_eq!(personas[1]["systemPrompt"], "You are beta, edited.", "the other writer's edit survives");
    for p in personas.as_array().unwrap() {
        assert_eq!(p["model"], "model-z", "re-planned from the new read: {p}");
    }
    assert_conflict_then_success(&String::from_utf8_lossy(&out.stderr));
}

/// The request lines of `-v 6`: a pack PATCH refused with 409, then one that landed.
fn assert_conflict_then_success(stderr: &str) {
    let patches: Vec<&str> =
        stderr.lines().filter(|l| l.contains("\"Response\" verb=\"PATCH\"") && l.contains("/personapacks/")).collect();
    let conflict = patches.iter().position(|l| l.contains("status=\"409 Conflict\""));
    assert!(conflict.is_some(), "no conflict happened: {patches:#?}");
    assert!(
        patches[conflict.unwrap()..].iter().any(|l| l.contains("status=\"200 OK\"")),
        "no patch landed after the conflict: {patches:#?}"
    );
}

/// `disable --persona` is guarded the same way: an exclusion another writer
/// added between the read and the patch is kept beside ours.
#[test]
fn disable_persona_keeps_a_concurrent_exclusion() {
    let ns = Ns::new("guarddis");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", ""));
    let dir = tempfile::tempdir().unwrap();
    let gate = dir.path().join("gate");
    let child = plugin(&["disable", "team", "-n", n, "--persona", "beta", "--yes", "-v", "6"])
        .env("KUBECTL_PERSONAPACK_TEST_GATE", &gate)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_gate(&gate, "disable's patch");
    merge_patch(n, "personapack/team", r#"{"spec":{"excludePersonas":["gamma"]}}"#);
    std::fs::write(&gate, b"").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let excluded = get(n, "personapack/team")["spec"]["excludePersonas"].clone();
    assert_eq!(excluded, serde_json::json!(["gamma", "beta"]), "both exclusions survive");
    assert_conflict_then_success(&String::from_utf8_lossy(&out.stderr));
}

/// Every subcommand as the limited user (get/list PersonaPacks in rbac-limited only).
#[test]
fn every_subcommand_under_rbac() {
    apply(
        "rbac-limited",
        &pack_yaml(
            "rbac-probe-team",
            "  enabled: true\n  authRefs: [{provider: openai, secret: rbac-probe-team-openai-key}]",
        ),
    );
    wait_phase("rbac-limited", "rbac-probe-team", "Ready"); // the controller's writes are done
    let before = get("rbac-limited", "personapack/rbac-probe-team");
    let limited = |args: &[&str]| run(plugin(args).env("KUBECONFIG", env().limited()).env("NO_COLOR", "1"));
    // Reads that are permitted work.
    assert_eq!(limited(&["list"]).code, 0);
    let r = limited(&["describe", "rbac-probe-team"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Secret rbac-probe-team-openai-key (unknown: forbidden)"), "{}", r.stdout);
    assert!(r.stdout.contains("Events:         <unable to list: forbidden>"), "{}", r.stdout);
    let r = limited(&["render", "rbac-probe-team"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = limited(&["tree", "rbac-probe-team"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("forbidden; the tree may be partial"));
    // What needs more is refused, naming the verb, the resource and the namespace.
    for (args, code) in [
        (vec!["status", "rbac-probe-team"], 1),
        (vec!["diff", "rbac-probe-team"], 2),
        (vec!["disable", "rbac-probe-team", "--yes"], 1),
        (vec!["enable", "rbac-probe-team", "--provider", "ollama", "--yes"], 1),
        (vec!["list", "-A"], 1),
        (vec!["runs", "rbac-probe-team"], 1),
        (vec!["logs", "rbac-probe-team", "alpha"], 1),
        (vec!["run", "rbac-probe-team", "alpha", "--task", "x"], 1),
    ] {
        let r = limited(&args);
        assert_eq!(r.code, code, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("Error from server (Forbidden): "), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("User \"limited\" cannot "), "{args:?}: {}", r.stderr);
    }
    let r = limited(&["enable", "rbac-probe-team", "--provider", "ollama", "--yes"]);
    assert!(
        r.stderr.contains(
            "cannot patch resource \"personapacks\" in API group \"sympozium.ai\" in the namespace \"rbac-limited\""
        ),
        "{}",
        r.stderr
    );
    // Nothing was written.
    let after = get("rbac-limited", "personapack/rbac-probe-team");
    assert_eq!(after["metadata"]["resourceVersion"], before["metadata"]["resourceVersion"]);
}

#[test]
fn a_thousand_personas_and_hostile_text() {
    fixture_server(
        "an enabled 1,000-persona pack: the real controller would stamp thousands of objects and load the shared environment for minutes; this test is about reading and printing it",
    );
    let ns = Ns::new("hostile");
    let mut personas = String::new();
    for i in 0..1000 {
        personas.push_str(&format!(
            "  - {{name: p{i:04}, systemPrompt: \"x\", schedule: {{type: sweep, interval: 5m, task: t}}}}\n"
        ));
    }
    apply(
        ns.as_str(),
        &format!(
            "apiVersion: sympozium.ai/v1alpha1\nkind: PersonaPack\nmetadata: {{name: big}}\nspec:\n  enabled: true\n  description: \"evil \\e]0;owned\\a \\e[2J\"\n  personas:\n{personas}"
        ),
    );
    for args in [
        vec!["list", "-o", "wide"],
        vec!["describe", "big"],
        vec!["status", "big"],
        vec!["tree", "big"],
        vec!["render", "big"],
    ] {
        let mut a = args.clone();
        a.extend(["-n", ns.as_str(), "--color", "never"]);
        let start = Instant::now();
        let r = run(&mut plugin(&a));
        // status exits by verdict: 2 while a thousand personas are still coming up.
        let want = if args[0] == "status" { [0, 2, 3].as_slice() } else { [0].as_slice() };
        assert!(want.contains(&r.code), "{args:?}: exit {}: {}", r.code, r.stderr);
        assert!(
            !r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{7}'),
            "{args:?} let a control character through"
        );
        assert!(start.elapsed() < Duration::from_secs(30), "{args:?} took {:?}", start.elapsed());
    }
    let r = run(&mut plugin(&["status", "big", "-n", ns.as_str(), "--color", "never"]));
    assert_eq!(r.stdout.lines().filter(|l| l.starts_with('p')).count(), 1000);
    let r = run(&mut plugin(&["diff", "big", "-n", ns.as_str()]));
    assert_eq!(r.code, 1, "2000 objects missing: {}", r.stderr);

    // Names past what Kubernetes allows for the generated objects are refused before any write.
    let long = "n".repeat(60);
    apply(ns.as_str(), &pack_yaml(&long, ""));
    let rv = get(ns.as_str(), &format!("personapack/{long}"))["metadata"]["resourceVersion"].clone();
    let r = run(&mut plugin(&["enable", &long, "-n", ns.as_str(), "--yes"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is not a valid DNS-1035 label of at most 63 characters"), "{}", r.stderr);
    assert_eq!(get(ns.as_str(), &format!("personapack/{long}"))["metadata"]["resourceVersion"], rv);
}

/// Excluding and re-including personas (guarded writes of the list) while
/// status updates keep changing the pack's resourceVersion, as a reconciling
/// controller does.
#[test]
fn persona_edits_survive_status_churn() {
    fixture_server(
        "status written as fast as a client can, by the test alone: the real controller writes far less often",
    );
    let ns = Ns::new("churn");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true"));
    let stop = Arc::new(AtomicBool::new(false));
    let churn = {
        let (ns, stop, kubeconfig) = (ns.as_str().to_string(), stop.clone(), env().current());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) && n < 400 {
                let status = format!(r#"{{"status":{{"phase":"Ready","installedCount":{}}}}}"#, n % 3);
                let out = Command::new(env().bin.join("kubectl"))
                    .args([
                        "patch",
                        "-n",
                        &ns,
                        "personapack/team",
                        "--subresource=status",
                        "--type=merge",
                        "-p",
                        &status,
                    ])
                    .env("KUBECONFIG", &kubeconfig)
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                n += 1;
            }
            n
        })
    };
    for _ in 0..3 {
        let r = run(&mut plugin(&["disable", "team", "-n", ns.as_str(), "--persona", "beta,gamma", "--yes"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        let r = run(&mut plugin(&["enable", "team", "-n", ns.as_str(), "--persona", "gamma"]));
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    stop.store(true, Ordering::SeqCst);
    assert!(churn.join().unwrap() > 0);
    assert_eq!(get(ns.as_str(), "personapack/team")["spec"]["excludePersonas"], serde_json::json!(["beta"]));
}

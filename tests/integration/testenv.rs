//! The test environment itself: what every other test relies on.

use std::process::Command;

use crate::common::*;

/// The real controller stamps; deleting the pack lets the garbage collector
/// remove what it owned (and the controller's finalizer lets the pack go).
#[test]
fn garbage_collector_removes_what_a_deleted_pack_owned() {
    let ns = Ns::new("gc");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true"));
    wait_until("the controller stamping team-alpha", 60, || {
        kubectl(&["get", "sympoziuminstance", "team-alpha", "-n", ns.as_str()]).status.success().then_some(())
    });
    kubectl_ok(&["delete", "personapack", "team", "-n", ns.as_str(), "--wait=false"]);
    wait_for("the garbage collector removing what team owned", 60, || {
        let left = kubectl_ok(&["get", "sympoziuminstances,sympoziumschedules", "-n", ns.as_str(), "-o", "name"]);
        if left.trim().is_empty() { Ok(()) } else { Err(left) }
    });
}

#[test]
fn limited_user_gets_a_real_403_for_a_patch() {
    apply("rbac-limited", &pack_yaml("readonly-team", ""));
    let out = Command::new(env().bin.join("kubectl"))
        .args(["--kubeconfig"])
        .arg(env().limited())
        .args([
            "-n",
            "rbac-limited",
            "patch",
            "personapack",
            "readonly-team",
            "--type=merge",
            "-p",
            r#"{"spec":{"enabled":true}}"#,
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("Error from server (Forbidden)"), "{err}");
    assert!(err.contains(r#"cannot patch resource "personapacks""#), "{err}");
    // ... and reading is allowed.
    let out = Command::new(env().bin.join("kubectl"))
        .arg("--kubeconfig")
        .arg(env().limited())
        .args(["-n", "rbac-limited", "get", "personapack", "readonly-team", "-o", "name"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "personapack.sympozium.ai/readonly-team");
}

/// Upstream's own built-in packs (v0.8.28 `config/personas`), reconciled by
/// the real controller to Inactive before any test runs.
#[test]
fn built_in_packs_are_installed_disabled_and_inactive_in_sympozium_system() {
    let get =
        |path: &str| kubectl_ok(&["get", "personapacks", "-n", "sympozium-system", "-o", &format!("jsonpath={path}")]);
    let names = get("{.items[*].metadata.name}");
    let mut names: Vec<&str> = names.split_whitespace().collect();
    names.sort();
    let mut upstream: Vec<String> = std::fs::read_dir(upstream().join("sympozium-v0.8.28/config/personas"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".yaml").to_string())
        .collect();
    upstream.sort();
    assert_eq!(names, upstream);
    assert_eq!(
        names,
        ["developer-team", "devops-essentials", "observability-mcp-team", "platform-team", "research-team"]
    );
    assert!(!get("{.items[*].spec.enabled}").contains("true"));
    let phases = get("{.items[*].status.phase}");
    assert_eq!(phases.split_whitespace().collect::<Vec<_>>(), ["Inactive"; 5], "{phases}");
    let finalizers = get("{.items[*].metadata.finalizers[0]}");
    assert_eq!(finalizers.matches("sympozium.ai/personapack-finalizer").count(), 5, "{finalizers}");
}

#[test]
fn every_server_listens_on_loopback_only() {
    let pids = std::fs::read_to_string(env().dir.join("pids")).unwrap();
    let pids: Vec<String> = pids.lines().filter_map(|l| l.split_whitespace().nth(1)).map(String::from).collect();
    assert!(pids.len() >= 6, "{pids:?}");
    let ss = Command::new("ss").args(["-ltnpH"]).output().expect("ss (iproute2)");
    let ss = String::from_utf8_lossy(&ss.stdout);
    let mut seen = 0;
    for line in ss.lines() {
        if pids.iter().any(|p| line.contains(&format!("pid={p},"))) {
            seen += 1;
            let local = line.split_whitespace().nth(3).unwrap();
            assert!(local.starts_with("127.0.0.1:"), "listening beyond loopback: {line}");
        }
    }
    assert!(
        seen >= 7,
        "expected etcd, three API servers, the controller manager and the Sympozium controller (metrics, probes) listening:\n{ss}"
    );
}

/// A second, private environment: up, then down, and nothing of ours is left.
#[test]
fn teardown_leaves_no_process_behind() {
    let dir = tempfile::tempdir().unwrap();
    // Whatever happens below, nothing of this environment outlives the test.
    struct Down<'a>(&'a std::path::Path);
    impl Drop for Down<'_> {
        fn drop(&mut self) {
            let _ = Command::new("bash").arg(repo().join("tests/cluster/down.sh")).arg("--dir").arg(self.0).output();
        }
    }
    let _down = Down(dir.path());
    let up = Command::new("bash")
        .arg(repo().join("tests/cluster/up.sh"))
        .arg("--dir")
        .arg(dir.path())
        .arg("--owner-pid")
        .arg(std::process::id().to_string())
        .output()
        .unwrap();
    assert!(up.status.success(), "{}", String::from_utf8_lossy(&up.stderr));
    let pids: Vec<i32> = std::fs::read_to_string(dir.path().join("pids"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1)?.parse().ok())
        .collect();
    assert_eq!(
        pids.len(),
        17,
        "etcd, four API servers, two controller managers, two schedulers and two KWOK nodes, the v0.8.28 and v0.10.46 controllers and web APIs, two NATS: {pids:?}"
    );
    let down =
        Command::new("bash").arg(repo().join("tests/cluster/down.sh")).arg("--dir").arg(dir.path()).output().unwrap();
    assert!(down.status.success());
    for pid in pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists() || is_zombie(pid),
            "process {pid} survived teardown"
        );
    }
}

fn is_zombie(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map(|s| s.contains(") Z ")).unwrap_or(true)
}

/// down.sh signals a recorded pid only while it is still the process up.sh
/// started (same start time): after a reboot the number could be anyone's.
#[test]
fn teardown_never_signals_a_recycled_pid() {
    let dir = tempfile::tempdir().unwrap();
    let mut bystander = Command::new("sleep").arg("60").spawn().unwrap();
    let pid = bystander.id();
    let started = String::from_utf8(
        Command::new("bash")
            .arg(repo().join("tests/cluster/proc-start.sh"))
            .arg(pid.to_string())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let wrong: u64 = started.trim().parse::<u64>().unwrap() + 1;
    std::fs::write(dir.path().join("pids"), format!("kube-apiserver {pid} {wrong}\netcd {pid} {wrong}\n")).unwrap();
    let down =
        Command::new("bash").arg(repo().join("tests/cluster/down.sh")).arg("--dir").arg(dir.path()).output().unwrap();
    assert!(down.status.success(), "{}", String::from_utf8_lossy(&down.stderr));
    assert!(bystander.try_wait().unwrap().is_none(), "down.sh killed a process it did not start");
    // With the right start time it is ours, and it is stopped.
    std::fs::write(dir.path().join("pids"), format!("kube-apiserver {pid} {}\n", started.trim())).unwrap();
    let down =
        Command::new("bash").arg(repo().join("tests/cluster/down.sh")).arg("--dir").arg(dir.path()).output().unwrap();
    assert!(down.status.success());
    wait_until("every recorded process of ours stopped", 15, || bystander.try_wait().unwrap().map(|_| ()));
}

/// The environment as a user meets it: its kubectl reports its real version,
/// and the cache's binaries add no stray plugins to `kubectl plugin list`.
#[test]
fn kubectl_reports_its_version_and_lists_only_real_plugins() {
    let out = kubectl_ok(&["version", "--client"]);
    let versions = std::fs::read_to_string(repo().join("tests/cluster/versions.env")).unwrap();
    let want = versions.lines().find_map(|l| l.strip_prefix("KUBERNETES_VERSION=")).unwrap();
    assert!(out.contains(&format!("Client Version: {want}")), "{out}");
    // The environment's bin directory alone on PATH, as the demo puts it there.
    let list = Command::new(env().bin.join("kubectl"))
        .args(["plugin", "list", "--name-only"])
        .env("PATH", &env().bin)
        .output()
        .unwrap();
    let names = String::from_utf8_lossy(&list.stdout);
    let plugins: Vec<&str> = names.lines().map(str::trim).filter(|l| l.starts_with("kubectl-")).collect();
    assert_eq!(plugins, ["kubectl-krew", "kubectl-tree"], "{names}");
}

/// The Ensemble era's control plane (for issue 14's work): the real
/// Sympozium v0.10.46 controller on its own API server has reconciled the
/// built-in ensembles to Inactive; enabling one stamps an Agent and a schedule
/// per agent config and reaches Ready; deleting it lets that server's garbage
/// collector remove what it owned.
#[test]
fn the_ensemble_era_control_plane_runs_the_real_v0_10_controller() {
    let ke = |args: &[&str]| {
        let out = Command::new(env().bin.join("kubectl"))
            .args(args)
            .env("KUBECONFIG", env().dir.join("ensemble.kubeconfig"))
            .output()
            .unwrap();
        assert!(out.status.success(), "kubectl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let phases = ke(&["get", "ensembles", "-n", "sympozium-system", "-o", "jsonpath={.items[*].status.phase}"]);
    assert_eq!(phases.split_whitespace().collect::<std::collections::BTreeSet<_>>(), ["Inactive"].into());
    assert_eq!(phases.split_whitespace().count(), 8, "the chart's eight ensembles: {phases}");
    // No PersonaPack API on this server: it is Ensemble-era only.
    assert!(!ke(&["api-resources", "--api-group=sympozium.ai", "-o", "name"]).contains("personapacks"));

    let ns = format!("t-ensemble-{}", std::process::id());
    ke(&["create", "namespace", &ns]);
    let src: serde_json::Value =
        serde_json::from_str(&ke(&["get", "ensemble", "developer-team", "-n", "sympozium-system", "-o", "json"]))
            .unwrap();
    let mut spec = src["spec"].clone();
    spec["enabled"] = serde_json::json!(true);
    spec["baseURL"] = serde_json::json!("http://ollama.default.svc:11434/v1");
    let copy = serde_json::json!({"apiVersion": src["apiVersion"], "kind": "Ensemble",
                                  "metadata": {"name": "developer-team", "namespace": ns}, "spec": spec});
    let file = std::env::temp_dir().join(format!("ensemble-{}.json", std::process::id()));
    std::fs::write(&file, copy.to_string()).unwrap();
    ke(&["apply", "-f", file.to_str().unwrap()]);
    let _ = std::fs::remove_file(&file);
    let agents = spec["agentConfigs"].as_array().unwrap().len();
    wait_until("the ensemble Ready with every Agent", 90, || {
        let phase = ke(&["get", "ensemble", "developer-team", "-n", &ns, "-o", "jsonpath={.status.phase}"]);
        let stamped = ke(&["get", "agents", "-n", &ns, "-l", "sympozium.ai/ensemble=developer-team", "-o", "name"]);
        (phase == "Ready" && stamped.lines().count() == agents).then_some(())
    });
    let schedules = ke(&["get", "sympoziumschedules", "-n", &ns, "-o", "jsonpath={.items[*].spec.agentRef}"]);
    assert!(schedules.contains("developer-team-tech-lead"), "{schedules}");
    ke(&["delete", "ensemble", "developer-team", "-n", &ns, "--wait=false"]);
    wait_until("the garbage collector removing the Agents", 90, || {
        ke(&["get", "agents,sympoziumschedules", "-n", &ns, "-o", "name"]).trim().is_empty().then_some(())
    });
    ke(&["delete", "namespace", &ns, "--wait=false"]);
}

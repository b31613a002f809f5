//! `suspend` and `resume` against the real controllers: a suspended team's
//! schedules stay suspended across the Ensemble controller's reconciles, no
//! run starts at the next tick (simulated node), runs start again once
//! resumed, and its memory is untouched; where the controller would revert
//! suspend (v0.8.28, an Ensemble controller before v0.10.44), nothing is written.

use serde_json::Value;

use crate::agent::{self, Transcript, Usage};
use crate::common::*;
use crate::node::{first_run, team};

/// platform-team's two scheduled personas (v0.10.46's sre-watchdog is a
/// sequential successor: it has no schedule of its own).
const SCHEDULED: [&str; 2] = ["platform-engineer", "security-guardian"];

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&kubectl_ok(args)).unwrap()
}

fn schedule(ns: &str, persona: &str) -> Value {
    json(&["get", "sympoziumschedule", &format!("platform-team-{persona}-schedule"), "-n", ns, "-o", "json"])
}

/// The runs a persona's schedule made (`<schedule>-N`), by name.
fn schedule_runs(ns: &str, persona: &str) -> Vec<String> {
    let prefix = format!("agentrun.sympozium.ai/platform-team-{persona}-schedule-");
    kubectl_ok(&["get", "agentruns", "-n", ns, "-o", "name"])
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .map(str::to_string)
        .collect()
}

/// Each persona's memory as it is: the ConfigMap's UID and data, the PVC's UID and phase.
fn memory(ns: &str) -> Vec<Value> {
    crate::node::PERSONAS
        .iter()
        .flat_map(|p| {
            let cm = json(&["get", "configmap", &format!("platform-team-{p}-memory"), "-n", ns, "-o", "json"]);
            let pvc = json(&["get", "pvc", &format!("platform-team-{p}-memory-db"), "-n", ns, "-o", "json"]);
            [
                serde_json::json!([cm["metadata"]["uid"], cm["data"]]),
                serde_json::json!([pvc["metadata"]["uid"], pvc["status"]["phase"]]),
            ]
        })
        .collect()
}

/// The runs of the two schedules and the stimulus not yet finished.
fn active_runs(ns: &str) -> Vec<String> {
    let list = json(&["get", "agentruns", "-n", ns, "-o", "json"]);
    let ours = |r: &Value| {
        let name = r["metadata"]["name"].as_str().unwrap_or_default();
        r["metadata"]["labels"]["sympozium.ai/stimulus"] == "true"
            || SCHEDULED.iter().any(|p| name.starts_with(&format!("platform-team-{p}-schedule-")))
    };
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| ours(r) && !["Succeeded", "Failed"].contains(&r["status"]["phase"].as_str().unwrap_or_default()))
        .map(|r| r["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

fn versions(ns: &str) -> Vec<Value> {
    SCHEDULED.iter().map(|p| schedule(ns, p)["metadata"]["resourceVersion"].clone()).collect()
}

/// The controller Deployment's image, set for a while and put back on drop.
struct ControllerImage(String);

impl ControllerImage {
    fn set(tag: &str) -> ControllerImage {
        let get = ["get", "deployment", "sympozium-controller-manager", "-n", "sympozium-system"];
        let before = kubectl_ok(&[&get[..], &["-o", "jsonpath={.spec.template.spec.containers[0].image}"]].concat());
        let image = format!("ghcr.io/sympozium-ai/sympozium/controller:{tag}");
        kubectl_ok(&[
            "set",
            "image",
            "deployment/sympozium-controller-manager",
            "-n",
            "sympozium-system",
            &format!("manager={image}"),
        ]);
        ControllerImage(before)
    }
}

impl Drop for ControllerImage {
    fn drop(&mut self) {
        let image = format!("manager={}", self.0);
        kubectl(&["set", "image", "deployment/sympozium-controller-manager", "-n", "sympozium-system", &image]);
    }
}

#[test]
fn a_suspended_team_stays_paused_keeps_its_memory_and_resumes() {
    ensemble_server();
    let ns = team("pause");
    let n = ns.as_str();
    // Every minute: while it runs, a tick starts a run each minute.
    let r = run(&mut plugin(&["enable", "platform-team", "-n", n, "--heartbeat", "* * * * *", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    for p in SCHEDULED {
        first_run(n, p);
    }
    wait_until("the ensemble's stimulus run", 90, || {
        let out = kubectl_ok(&["get", "agentruns", "-n", n, "-l", "sympozium.ai/stimulus=true", "-o", "name"]);
        (!out.trim().is_empty()).then_some(())
    });
    // Memory as it stands once every PVC is Bound (a volume still binding is not a change).
    let memory_before = wait_until("every memory PVC Bound", 120, || {
        let m = memory(n);
        m.iter().skip(1).step_by(2).all(|pvc| pvc[1] == "Bound").then_some(m)
    });

    // An Ensemble controller before v0.10.44 would revert it: refused, nothing written.
    {
        let _old = ControllerImage::set("v0.10.43");
        let before = versions(n);
        let r = run(&mut plugin(&["suspend", "platform-team", "-n", n]));
        assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
        assert!(
            r.stderr.starts_with("error: cannot suspend ensemble \"platform-team\": the Sympozium controller here (deployment sympozium-system/sympozium-controller-manager, ghcr.io/sympozium-ai/sympozium/controller:v0.10.43) is v0.10.43"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("kubectl personapack disable platform-team"), "{}", r.stderr);
        assert_eq!(versions(n), before, "nothing written");
    }

    // A dry run writes nothing and shows the schedules as they would be.
    let before = versions(n);
    let r = run(&mut plugin(&["suspend", "platform-team", "-n", n, "--dry-run=server", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(list["items"].as_array().unwrap().iter().all(|s| s["spec"]["suspend"] == true), "{list}");
    assert_eq!(versions(n), before, "a dry run writes nothing");

    let r = run(&mut plugin(&["suspend", "platform-team", "-n", n]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "sympoziumschedule.sympozium.ai/platform-team-security-guardian-schedule suspended\nsympoziumschedule.sympozium.ai/platform-team-platform-engineer-schedule suspended\n",
        "one line a schedule, in the spec's order"
    );
    assert!(r.stderr.contains("agent config \"sre-watchdog\" has no schedule"), "{}", r.stderr);
    for p in SCHEDULED {
        wait_until(&format!("{p}'s schedule Suspended by its controller"), 60, || {
            (schedule(n, p)["status"]["phase"] == "Suspended").then_some(())
        });
    }
    // Again: nothing to do, said so.
    let r = run(&mut plugin(&["suspend", "platform-team", "-n", n, "--persona", "security-guardian"]));
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "sympoziumschedule.sympozium.ai/platform-team-security-guardian-schedule unchanged (already suspended)\n")
    );

    // Every run the schedules and the stimulus started, finished: no
    // active run (Forbid, or an active stimulus run) holds a tick back now.
    for r in active_runs(n) {
        agent::play(n, &r, &Transcript::success("ok", Usage { input: 10, output: 5, tool_calls: 0, duration_ms: 1 }));
        agent::finished(n, &r);
    }

    // Two reconciles that rewrite every schedule (a new team objective): suspend stays.
    for objective in ["Objective one.", "Objective two."] {
        let r = run(&mut plugin(&["enable", "platform-team", "-n", n, "--task", objective]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        for p in SCHEDULED {
            let s = wait_until(&format!("{p}'s schedule rewritten with {objective:?}"), 60, || {
                let s = schedule(n, p);
                s["spec"]["task"].as_str().is_some_and(|t| t.contains(objective)).then_some(s)
            });
            assert_eq!(s["spec"]["suspend"], true, "the controller kept suspend: {s}");
        }
    }

    // status, tree and run see the pause.
    let r = run(&mut plugin(&["status", "platform-team", "-n", n, "--color", "never"]));
    assert!(
        r.stdout.contains(
            "Suspended (no scheduled run starts; agents and memory kept): security-guardian, platform-engineer"
        ),
        "{}",
        r.stdout
    );
    let row = r.stdout.lines().find(|l| l.starts_with("security-guardian ")).unwrap();
    assert_eq!(row.split_whitespace().nth(2), Some("Suspended"), "{row}");
    let r = run(&mut plugin(&["tree", "platform-team", "-n", n, "--color", "never"]));
    assert!(
        r.stdout.lines().any(
            |l| l.contains("SympoziumSchedule/platform-team-security-guardian-schedule") && l.contains("Suspended")
        ),
        "{}",
        r.stdout
    );
    let r = run(&mut plugin(&["run", "platform-team", "security-guardian", "-n", n]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("is suspended: the team is paused"), "{}", r.stderr);

    // A deliberate idle spell past the next minute's tick: the run that must not start.
    let runs_before: Vec<Vec<String>> = SCHEDULED.iter().map(|p| schedule_runs(n, p)).collect();
    let now = jiff::Timestamp::now().as_second();
    std::thread::sleep(std::time::Duration::from_secs((60 - now.rem_euclid(60) + 20) as u64));
    let runs_after: Vec<Vec<String>> = SCHEDULED.iter().map(|p| schedule_runs(n, p)).collect();
    assert_eq!(runs_after, runs_before, "no scheduled run while suspended");
    assert_eq!(memory(n), memory_before, "memory untouched while suspended");

    let r = run(&mut plugin(&["resume", "platform-team", "-n", n]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("platform-team-security-guardian-schedule resumed\n"), "{}", r.stdout);
    for (p, before) in SCHEDULED.iter().zip(&runs_before) {
        wait_until(&format!("{p}'s schedule running again"), 120, || {
            (schedule_runs(n, p).len() > before.len()).then_some(())
        });
    }
    assert_eq!(memory(n), memory_before, "memory untouched by suspend and resume");
}

#[test]
fn suspend_is_refused_on_v0_8_nothing_written() {
    let ns = team("pause-v08");
    let n = ns.as_str();
    let before = versions(n);
    let r = run(&mut plugin(&["suspend", "platform-team", "-n", n]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.starts_with("error: cannot suspend personapack \"platform-team\": Sympozium v0.8.x's controller writes every schedule's spec back"),
        "{}",
        r.stderr
    );
    assert_eq!(versions(n), before, "nothing written");
    assert!(SCHEDULED.iter().all(|p| schedule(n, p)["spec"]["suspend"] != true));
}

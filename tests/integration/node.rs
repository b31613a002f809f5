//! The real controllers run their whole loop on the simulated node
//! (tests/cluster: KWOK, kube-scheduler, the workload controllers): memory
//! servers come up on their volumes, a schedule's run gets its Job and Pod,
//! the AgentRun controller reads the agent's log through the API server and
//! writes the run's status, token usage, cost (v0.10.46) and memory. Only the
//! agent's transcript is the test's (agent.rs).

use serde_json::Value;

use crate::agent::{self, Stream, Transcript, Usage};
use crate::common::*;

/// Enable platform-team into a namespace of its own (every persona on
/// gpt-4o: a model the v0.10.46 price table prices) and wait for it.
pub fn team(prefix: &str) -> Ns {
    let ns = Ns::new(prefix);
    let args = [
        "enable",
        "platform-team",
        "-n",
        "sympozium-system",
        "--into",
        ns.as_str(),
        "--provider",
        "openai",
        "--api-key-stdin",
        "--model",
        "gpt-4o",
        "--wait",
        "--timeout",
        "90s",
    ];
    let r = run_with_stdin(&mut plugin(&args), "sk-node-test");
    assert_eq!(r.code, 0, "{}", r.stderr);
    ns
}

pub const PERSONAS: [&str; 3] = ["platform-engineer", "security-guardian", "sre-watchdog"];

/// The first run of each persona's schedule, once the schedule made it.
pub fn first_run(ns: &str, persona: &str) -> String {
    let name = format!("platform-team-{persona}-schedule-1");
    wait_until(&format!("the schedule's first run {name}"), 90, || {
        kubectl(&["get", "agentrun", &name, "-n", ns]).status.success().then_some(())
    });
    name
}

/// The newest run of a persona's schedule (its runs are numbered in order).
pub fn newest_run(ns: &str, persona: &str) -> String {
    let selector = format!("sympozium.ai/schedule=platform-team-{persona}-schedule");
    let names = kubectl_ok(&["get", "agentrun", "-n", ns, "-l", &selector, "-o", "name"]);
    let number = |n: &&str| n.rsplit('-').next().and_then(|d| d.parse::<u32>().ok());
    let newest = names.lines().max_by_key(number).expect("the schedule has made a run");
    newest.trim_start_matches("agentrun.sympozium.ai/").to_string()
}

/// A run's phase once it has ended (Succeeded or Failed), else None.
pub fn run_phase(ns: &str, run: &str) -> Option<String> {
    let phase = kubectl_ok(&["get", "agentrun", run, "-n", ns, "-o", "jsonpath={.status.phase}"]);
    matches!(phase.as_str(), "Succeeded" | "Failed").then_some(phase)
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&kubectl_ok(args)).unwrap()
}

/// The whole loop, on whichever server the test points at.
fn whole_loop(ns: &str, ensemble: bool) {
    // Every memory server Ready on its Bound volume.
    for p in PERSONAS {
        let deploy = format!("platform-team-{p}-memory");
        wait_until(&format!("deployment {deploy} with a ready replica"), 120, || {
            let out = kubectl(&["get", "deployment", &deploy, "-n", ns, "-o", "json"]);
            let d: Value = serde_json::from_slice(&out.stdout).ok()?;
            (d["status"]["readyReplicas"].as_i64() >= Some(1)).then_some(())
        });
        let pvc = json(&["get", "pvc", &format!("{deploy}-db"), "-n", ns, "-o", "json"]);
        assert_eq!(pvc["status"]["phase"], "Bound", "{pvc}");
    }

    // A schedule's run succeeds, remembering; the controller writes what the agent said.
    // (Both eras' platform-team schedule these two; v0.10's sre-watchdog has no schedule.)
    let ok = first_run(ns, "security-guardian");
    let memory = "# Memory\n- node-7 was NotReady twice this week";
    let usage = Usage { input: 1200, output: 300, tool_calls: 3, duration_ms: 4200 };
    agent::play(ns, &ok, &Transcript::success("All nodes Ready.\nNo pending PVCs.", usage).with_memory(memory));
    let status = agent::finished(ns, &ok);
    assert_eq!(status["phase"], "Succeeded", "{status}");
    assert_eq!(status["result"], "All nodes Ready.\nNo pending PVCs.");
    assert_eq!(
        status["tokenUsage"],
        serde_json::json!({"inputTokens": 1200, "outputTokens": 300, "totalTokens": 1500, "toolCalls": 3, "durationMs": 4200})
    );
    if ensemble {
        // The chart's price table: gpt-4o at $2.50 in, $10 out per million tokens.
        let cost = &status["costEstimate"];
        assert_eq!(cost["amountMicro"], 1200 * 25 / 10 + 300 * 10, "{status}");
        assert_eq!(
            (cost["currency"].as_str(), cost["priceKey"].as_str()),
            (Some("USD"), Some("openai/gpt-4o")),
            "{cost}"
        );
    } else {
        assert!(status.get("costEstimate").is_none(), "v0.8.28 estimates no cost: {status}");
    }
    let cm = json(&["get", "configmap", "platform-team-security-guardian-memory", "-n", ns, "-o", "json"]);
    assert_eq!(cm["data"]["MEMORY.md"], memory, "the controller wrote the agent's memory");
    // seed never overwrites memory an agent wrote.
    let r = run(&mut plugin(&["seed", "platform-team", "-n", ns, "--persona", "security-guardian"]));
    assert!(!r.stdout.contains("seeded\n"), "{}{}", r.stdout, r.stderr);
    let after = json(&["get", "configmap", "platform-team-security-guardian-memory", "-n", ns, "-o", "json"]);
    assert_eq!(after["data"], cm["data"]);

    // A running agent's log reads through the API server; then it fails.
    let bad = first_run(ns, "platform-engineer");
    let pod = agent::running_pod(ns, &bad);
    agent::speak(ns, &pod, &[(Stream::Stderr, "scanning RBAC bindings".into())]);
    let logs = kubectl_ok(&["logs", "-n", ns, &pod, "-c", "agent"]);
    assert!(logs.contains("scanning RBAC bindings"), "{logs}");
    let failure = Transcript::failure("provider returned 401: invalid API key", 1);
    agent::speak(ns, &pod, &failure.lines);
    agent::exit(ns, &pod, failure.exit);
    let status = agent::finished(ns, &bad);
    assert_eq!(status["phase"], "Failed", "{status}");
    assert_eq!(status["error"], "provider returned 401: invalid API key");
    let pod = json(&["get", "pod", &pod, "-n", ns, "-o", "json"]);
    let agent = pod["status"]["containerStatuses"].as_array().unwrap().iter().find(|c| c["name"] == "agent").unwrap();
    assert_eq!(agent["state"]["terminated"]["exitCode"], 1, "{agent}");
}

#[test]
fn v0_8_runs_start_finish_and_remember_on_the_simulated_node() {
    let ns = team("node");
    whole_loop(ns.as_str(), false);
}

#[test]
fn v0_10_runs_start_finish_remember_and_cost_on_the_simulated_node() {
    ensemble_server();
    let ns = team("node-ens");
    whole_loop(ns.as_str(), true);
}

//! Day two on the simulated node: `runs` (what the team did and cost),
//! `logs`, `run` (a run on demand, as Sympozium's web API starts one) and
//! `status`'s run health, against the real controllers; only the agents'
//! transcripts are the test's (agent.rs).

use serde_json::{Value, json};

use crate::agent::{self, Stream, Transcript, Usage};
use crate::common::*;
use crate::node::{first_run, newest_run, run_phase, team};

/// A run of the TUI's shape (`<instance>-run-<unix seconds>`, only the
/// instance label), made by hand as `sympozium` (its TUI) makes it: Go's
/// encoder sends its empty agentId and sessionKey as "".
fn tui_run(ns: &str, persona: &str, ensemble: bool) -> String {
    let instance = format!("platform-team-{persona}");
    let name = format!("{instance}-run-1764600000");
    let agent_ref = if ensemble { "agentRef" } else { "instanceRef" };
    let run = format!(
        "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata:\n  name: {name}\n  labels: {{sympozium.ai/instance: {instance}}}\nspec:\n  {agent_ref}: {instance}\n  agentId: \"\"\n  sessionKey: \"\"\n  task: Look around.\n  model: {{provider: openai, model: gpt-4o, authSecretRef: platform-team-openai-key}}\n"
    );
    apply(ns, &run);
    name
}

/// The table's row for `run`, split into its columns.
fn row<'a>(table: &'a str, run: &str) -> Vec<&'a str> {
    let line =
        table.lines().find(|l| l.split_whitespace().nth(1) == Some(run)).unwrap_or_else(|| panic!("{run} in\n{table}"));
    line.split_whitespace().collect()
}

/// Runs from five triggers (two schedules, the TUI, `run`, and v0.8's third
/// schedule or v0.10's stimulus), succeeded, failed and running: each shown
/// with its persona, trigger, phase, tokens and cost, and the totals line
/// adding up what is shown.
fn runs_of_every_trigger(ensemble: bool) {
    let ns = team("runs");
    let n = ns.as_str();
    let ok = first_run(n, "security-guardian");
    agent::play(
        n,
        &ok,
        &Transcript::success("ok", Usage { input: 1200, output: 300, tool_calls: 2, duration_ms: 900 }),
    );
    let bad = first_run(n, "platform-engineer");
    agent::play(n, &bad, &Transcript::failure("the model refused", 1));
    // v0.8.28 schedules sre-watchdog too; v0.10.46's platform-team wakes
    // platform-engineer with its stimulus instead. Nobody plays either: running.
    let (third, third_trigger, third_persona) = if ensemble {
        let name = wait_until("the ensemble's stimulus run", 90, || {
            let out = kubectl_ok(&["get", "agentruns", "-n", n, "-l", "sympozium.ai/stimulus=true", "-o", "name"]);
            out.lines().next().map(|l| l.trim_start_matches("agentrun.sympozium.ai/").to_string())
        });
        (name, "stimulus", "platform-engineer")
    } else {
        (first_run(n, "sre-watchdog"), "schedule/heartbeat", "sre-watchdog")
    };
    let tui = tui_run(n, "sre-watchdog", ensemble);
    let r = run(&mut plugin(&["run", "platform-team", "security-guardian", "-n", n, "--task", "Check now."]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ours =
        r.stdout.trim().strip_prefix("agentrun.sympozium.ai/").unwrap().strip_suffix(" created").unwrap().to_string();
    agent::play(
        n,
        &ours,
        &Transcript::success("checked", Usage { input: 200, output: 100, tool_calls: 0, duration_ms: 300 }),
    );
    for r in [&ok, &bad, &ours] {
        agent::finished(n, r);
    }
    // v0.10.46's platform-team is a sequence: each run of security-guardian
    // that succeeds starts sre-watchdog's (the controller's own successor runs).
    let successors = if ensemble {
        wait_until("the controller's two sequential successors", 90, || {
            let out = kubectl_ok(&["get", "agentruns", "-n", n, "-l", "sympozium.ai/sequential-from", "-o", "name"]);
            let names: Vec<String> =
                out.lines().map(|l| l.trim_start_matches("agentrun.sympozium.ai/").to_string()).collect();
            (names.len() == 2).then_some(names)
        })
    } else {
        Vec::new()
    };

    let r = run(&mut plugin(&["runs", "platform-team", "-n", n, "--color", "never"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = &r.stdout;
    assert!(t.starts_with("PERSONA   "), "{t}");
    let cost = |c: &str| if ensemble { c.to_string() } else { "-".to_string() };
    let cells = row(t, &ok);
    assert_eq!((cells[0], cells[2], cells[3]), ("security-guardian", "schedule/sweep", "Succeeded"), "{t}");
    assert!(cells.contains(&"1.5k") && cells.contains(&cost("$0.0060").as_str()), "{t}");
    let cells = row(t, &bad);
    assert_eq!((cells[0], cells[2], cells[3]), ("platform-engineer", "schedule/scheduled", "Failed"), "{t}");
    let cells = row(t, &third);
    assert_eq!((cells[0], cells[2]), (third_persona, third_trigger), "{t}");
    assert!(["Pending", "Running"].contains(&cells[3]), "{t}");
    assert_eq!((row(t, &tui)[0], row(t, &tui)[2]), ("sre-watchdog", "tui"), "{t}");
    let cells = row(t, &ours);
    assert_eq!((cells[2], cells[3]), ("kubectl", "Succeeded"), "{t}");
    assert!(cells.contains(&"300") && cells.contains(&cost("$0.0015").as_str()), "{t}");
    for s in &successors {
        let cells = row(t, s);
        assert_eq!((cells[0], cells[2]), ("sre-watchdog", "sequential"), "{t}");
    }
    // The totals add up what is shown (-o wide: exact input and output tokens).
    // (A schedule may tick again meanwhile: the rows, not a fixed count, are the truth.)
    let r = run(&mut plugin(&["runs", "platform-team", "-n", n, "-o", "wide", "--color", "never"]));
    let rows: Vec<Vec<&str>> = r.stdout.lines().skip(1).map(|l| l.split_whitespace().collect()).collect();
    let failed = rows.iter().filter(|r| r[3] == "Failed").count();
    let running = rows.iter().filter(|r| !["Succeeded", "Failed", "Skipped"].contains(&r[3])).count();
    let tokens: u64 = rows.iter().map(|r| r[9].parse::<u64>().unwrap_or(0) + r[10].parse::<u64>().unwrap_or(0)).sum();
    assert_eq!((failed, tokens), (1, 1800), "{}", r.stdout);
    assert!(rows.len() >= 5 + successors.len() && running >= 2 + successors.len(), "{}", r.stdout);
    let cost = if ensemble { ", $0.0075 estimated" } else { "" };
    let totals = format!("{} runs, {failed} failed, {running} running, 1.8k tokens{cost}", rows.len());
    assert!(r.stderr.contains(&totals), "{totals:?} in {}", r.stderr);

    // -o json: the AgentRuns themselves, as a List, newest first; -o name; the filters.
    let r = run(&mut plugin(&["runs", "platform-team", "-n", n, "-o", "json"]));
    let list: Value = serde_json::from_str(&r.stdout).unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(list["kind"], "List");
    assert!(items.len() >= 5 + successors.len(), "{list}");
    assert!(items.iter().all(|i| i["kind"] == "AgentRun"));
    let created: Vec<&str> = items.iter().map(|i| i["metadata"]["creationTimestamp"].as_str().unwrap()).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first: {created:?}");
    let table_order: Vec<&str> = t.lines().skip(1).map(|l| l.split_whitespace().nth(1).unwrap()).collect();
    let mut json_order: Vec<&str> = items.iter().map(|i| i["metadata"]["name"].as_str().unwrap()).collect();
    json_order.retain(|n| table_order.contains(n));
    assert_eq!(table_order, json_order, "the table and the List in one order");
    // (Its sweep may tick again at the half hour: a schedule-2 is one of its runs too.)
    let r = run(&mut plugin(&["runs", "platform-team", "-n", n, "-o", "name", "--persona", "security-guardian"]));
    let names: Vec<&str> = r.stdout.lines().collect();
    let at = |run: &str| names.iter().position(|l| *l == format!("agentrun.sympozium.ai/{run}"));
    assert!(at(&ours).is_some() && at(&ours) < at(&ok), "ours, the newer, before the sweep's: {}", r.stdout);
    assert!(
        names.iter().all(|l| l.starts_with("agentrun.sympozium.ai/platform-team-security-guardian-")),
        "{}",
        r.stdout
    );
    let r = run(&mut plugin(&["runs", "platform-team", "-n", n, "-o", "name", "--phase", "failed"]));
    assert_eq!(r.stdout, format!("agentrun.sympozium.ai/{bad}\n"));

    // status: the failing persona named with its error; exit 3 (unhealthy).
    let r = run(&mut plugin(&["status", "platform-team", "-n", n, "--color", "never"]));
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(": Failing ("), "{}", r.stdout);
    assert!(r.stdout.contains("platform-engineer: last 1 run failed: the model refused"), "{}", r.stdout);
    assert!(r.stdout.contains("kubectl personapack runs platform-team -n"), "{}", r.stdout);
}

#[test]
fn runs_show_every_trigger_phase_and_token_on_v0_8() {
    runs_of_every_trigger(false);
}

#[test]
fn runs_show_every_trigger_phase_token_and_cost_on_v0_10() {
    ensemble_server();
    runs_of_every_trigger(true);
}

/// A healthy team's status exits 0; a pack nobody enabled is Inactive, 0 too.
#[test]
fn status_exits_by_verdict() {
    let ns = team("runs-ok");
    let n = ns.as_str();
    first_run(n, "sre-watchdog");
    // LAST RUN is the newest run's. The heartbeat ticks every 15 minutes: a
    // tick during the test starts schedule-2 as schedule-1 finishes (Forbid
    // holds it only while one runs), and that one is the newest; so every run
    // the schedule starts is played to success until status reads one (and
    // a list may trail the read that saw a run finish on a loaded machine).
    let r = wait_for("status showing the run Succeeded in its LAST RUN column", 60, || {
        let newest = newest_run(n, "sre-watchdog");
        if run_phase(n, &newest).is_none() {
            agent::play(
                n,
                &newest,
                &Transcript::success("fine", Usage { input: 1, output: 1, tool_calls: 0, duration_ms: 1 }),
            );
            agent::finished(n, &newest);
        }
        let r = run(&mut plugin(&["status", "platform-team", "-n", n, "--color", "never"]));
        if r.stdout.contains("Succeeded (") { Ok(r) } else { Err(r.stdout) }
    });
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(": Ready ("), "{}", r.stdout);
    let r = run(&mut plugin(&["status", "platform-team", "-n", "sympozium-system"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

/// A 40 KB result with newlines and escape sequences, shown whole, line by
/// line, every control sequence escaped.
#[test]
fn a_runs_whole_result_is_shown_escaped() {
    let ns = team("runs-big");
    let n = ns.as_str();
    let run_name = first_run(n, "sre-watchdog");
    let lines: Vec<String> =
        (0..1000).map(|i| format!("finding {i:04}: \u{1b}[31mred\u{1b}[0m node-{i} \u{1b}]52;c;aGk=\u{7}")).collect();
    let result = lines.join("\n");
    assert!(result.len() > 40_000);
    agent::play(
        n,
        &run_name,
        &Transcript::success(&result, Usage { input: 5, output: 9000, tool_calls: 0, duration_ms: 1 }),
    );
    assert_eq!(agent::finished(n, &run_name)["result"], result.as_str(), "the controller stored it whole");
    let r = run(&mut plugin(&["runs", "platform-team", &run_name, "-n", n]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{7}'), "no control character reaches the terminal");
    let shown: Vec<&str> = r.stdout.lines().skip_while(|l| *l != "Result:").skip(1).collect();
    assert_eq!(shown.len(), 1000, "every line of the result");
    assert_eq!(shown[7], "  finding 0007: \\u{1b}[31mred\\u{1b}[0m node-7 \\u{1b}]52;c;aGk=\\u{7}");
    assert!(r.stdout.contains("Tokens:       9005 (input 5, output 9000)"), "{}", r.stdout);
    // A run of another pack, or none, is refused by name.
    let r = run(&mut plugin(&["runs", "platform-team", "no-such-run", "-n", n]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("agentruns.sympozium.ai \"no-such-run\" not found"), "{}", r.stderr);
}

/// `logs -f` streams a running run's agent log and returns when the run
/// ends; once the pod is gone, one clear line and the stored result. The run
/// is named: the schedule can start another of the persona's runs at any
/// time (its 15-minute heartbeat, or the v0.8 schedule controller firing its
/// first run twice when a status write is lost), so "the persona's latest
/// run" is checked once the runs are still.
#[test]
fn logs_follow_a_run_to_its_end_then_fall_back_to_the_stored_result() {
    let ns = team("runs-logs");
    let n = ns.as_str();
    let run_name = first_run(n, "sre-watchdog");
    let pod = agent::running_pod(n, &run_name);
    agent::speak(n, &pod, &[(Stream::Stderr, "step one".into())]);
    let follow = spawn_plugin(&["logs", "platform-team", &run_name, "-n", n, "-f"]);
    let shown = |want: &str| {
        let out = follow.stdout.lock().unwrap().clone();
        if out.contains(want) {
            Ok(())
        } else {
            Err(format!("stdout: {out}\nstderr: {}", follow.stderr.lock().unwrap()))
        }
    };
    wait_for("the follow showing what was logged", 60, || shown("step one"));
    // Model output can carry what a terminal obeys (here: an OSC title change).
    agent::speak(
        n,
        &pod,
        &[(Stream::Stderr, "step two".into()), (Stream::Stdout, "\u{1b}]0;pwned\u{7} said the model".into())],
    );
    wait_for("the follow streaming a new line", 60, || shown("said the model"));
    let done = Transcript::success("done and dusted", Usage { input: 3, output: 4, tool_calls: 0, duration_ms: 5 });
    agent::speak(n, &pod, &done.lines);
    agent::exit(n, &pod, 0);
    let seen = follow.stdout.clone();
    let status = follow.finish("logs -f returning once the run ended", 90);
    assert!(status.success());
    assert!(seen.lock().unwrap().contains("__SYMPOZIUM_RESULT__"), "{}", seen.lock().unwrap());

    // The persona names its latest run.
    wait_for("logs of the persona being those of its latest run", 60, || {
        let latest = newest_run(n, "sre-watchdog");
        let by_persona = run(&mut plugin(&["logs", "platform-team", "sre-watchdog", "-n", n]));
        let by_name = run(&mut plugin(&["logs", "platform-team", &latest, "-n", n]));
        if by_persona.code == 0 && (&by_persona.stdout, &by_persona.stderr) == (&by_name.stdout, &by_name.stderr) {
            Ok(())
        } else {
            Err(format!("{latest}: {by_persona:?} against {by_name:?}"))
        }
    });

    // A pipe gets the agent's bytes as kubectl logs gives them; a terminal, escaped.
    let piped = run(&mut plugin(&["logs", "platform-team", &run_name, "-n", n]));
    assert!(piped.stdout.contains("\u{1b}]0;pwned\u{7} said the model"), "{}", piped.stdout);
    let terminal = crate::activation::drive("[]", &["logs", "platform-team", &run_name, "-n", n]);
    assert_eq!(terminal.code, 0, "{}", terminal.stdout);
    assert!(terminal.stdout.contains("\\u{1b}]0;pwned\\u{7} said the model"), "{}", terminal.stdout);
    assert!(!terminal.stdout.contains('\u{1b}') && !terminal.stdout.contains('\u{7}'), "{:?}", terminal.stdout);

    kubectl_ok(&["delete", "pod", &pod, "-n", n, "--wait"]);
    let r = run(&mut plugin(&["logs", "platform-team", &run_name, "-n", n]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("pod \"{pod}\" of agentrun \"{run_name}\" is gone: Sympozium keeps no logs")),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "done and dusted\n");
}

/// `run` creates the AgentRun Sympozium's web API creates (`POST
/// /api/v1/runs`), side by side: the same spec but for the session key each
/// draws, and one deliberate difference, the plugin's label.
fn run_side_by_side(n: &str, ensemble: bool) {
    let agent_ref = if ensemble { "agentRef" } else { "instanceRef" };
    let body = json!({agent_ref: "platform-team-security-guardian", "task": "Same task."});
    let (code, body) = web_api("POST", &format!("/api/v1/runs?namespace={n}"), &body);
    assert_eq!(code, 201, "{body}");
    let theirs: Value = serde_json::from_str(&body).unwrap();
    let r = run(&mut plugin(&["run", "platform-team", "security-guardian", "-n", n, "--task", "Same task."]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ours =
        r.stdout.trim().strip_prefix("agentrun.sympozium.ai/").unwrap().strip_suffix(" created").unwrap().to_string();
    let get = |name: &str| -> Value {
        serde_json::from_str(&kubectl_ok(&["get", "agentrun", name, "-n", n, "-o", "json"])).unwrap()
    };
    let (theirs, ours_obj) = (get(theirs["metadata"]["name"].as_str().unwrap()), get(&ours));
    let spec = |v: &Value| {
        let mut s = v["spec"].clone();
        s.as_object_mut().unwrap().remove("sessionKey");
        s
    };
    assert_eq!(spec(&ours_obj), spec(&theirs), "the same run");
    assert_eq!(ours_obj["metadata"]["generateName"], theirs["metadata"]["generateName"]);
    let mut labels = ours_obj["metadata"]["labels"].clone();
    assert_eq!(
        labels.as_object_mut().unwrap().remove("app.kubernetes.io/managed-by"),
        Some(json!("kubectl-personapack"))
    );
    assert_eq!(labels, theirs["metadata"]["labels"], "and only our label besides");
}

/// On v0.10.46 the same; and a persona whose schedule is suspended (a pause
/// this controller keeps) is refused, nothing created.
#[test]
fn run_starts_what_the_v0_10_web_api_starts() {
    ensemble_server();
    let ns = team("runs-run-ens");
    let n = ns.as_str();
    run_side_by_side(n, true);
    let schedule = "platform-team-security-guardian-schedule";
    merge_patch(n, &format!("sympoziumschedule/{schedule}"), r#"{"spec":{"suspend":true}}"#);
    wait_until("the controller showing the schedule Suspended", 60, || {
        let s = kubectl_ok(&[
            "get",
            "sympoziumschedule",
            schedule,
            "-n",
            n,
            "-o",
            "jsonpath={.spec.suspend} {.status.phase}",
        ]);
        (s == "true Suspended").then_some(())
    });
    let count = || kubectl_ok(&["get", "agentruns", "-n", n, "-o", "name"]).lines().count();
    let before = count();
    let r = run(&mut plugin(&["run", "platform-team", "security-guardian", "-n", n, "--task", "x"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("the schedule of agent config \"security-guardian\" is suspended"), "{}", r.stderr);
    assert!(count() <= before, "no run was created");
}

/// On v0.8.28 the same, then `--wait` prints the result and exits by the
/// phase; every refusal leaves the cluster as it was.
#[test]
fn run_starts_what_the_web_api_starts_and_waits_for_the_verdict() {
    let ns = team("runs-run");
    let n = ns.as_str();
    run_side_by_side(n, false);

    // --wait: the result on stdout, exit 0; a failure exits 1 with the error.
    let child = waiting_run(&["run", "platform-team", "sre-watchdog", "-n", n, "--wait", "--timeout", "2m"]);
    let name = started_by_plugin(n, "sre-watchdog");
    let done = Transcript::success("line one\nline two", Usage { input: 1, output: 2, tool_calls: 0, duration_ms: 3 });
    agent::play(n, &name, &done);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("agentrun.sympozium.ai/{name} created\nline one\nline two\n")
    );
    let child = waiting_run(&["run", "platform-team", "platform-engineer", "-n", n, "--wait", "--task", "Fail."]);
    let name = started_by_plugin(n, "platform-engineer");
    agent::play(n, &name, &Transcript::failure("quota exceeded", 1));
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("error: agentrun \"{name}\" Failed: quota exceeded")),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Refusals change nothing: a disabled pack, an unknown and an excluded persona.
    let count = |ns: &str| kubectl_ok(&["get", "agentruns", "-n", ns, "-o", "name"]).lines().count();
    let before = (count(n), count("sympozium-system"));
    let r = run(&mut plugin(&["run", "platform-team", "sre-watchdog", "-n", "sympozium-system", "--task", "x"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("personapack \"platform-team\" is disabled: it has no agents to run"), "{}", r.stderr);
    let r = run(&mut plugin(&["run", "platform-team", "nobody", "-n", n, "--task", "x"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("has no persona \"nobody\""), "{}", r.stderr);
    let r = run(&mut plugin(&["disable", "platform-team", "-n", n, "--persona", "platform-engineer", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&mut plugin(&["run", "platform-team", "platform-engineer", "-n", n, "--task", "x"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("persona \"platform-engineer\" is excluded from personapack \"platform-team\""),
        "{}",
        r.stderr
    );
    // (Excluding a persona lets the controller delete its runs: fewer, never more.)
    assert!(count(n) <= before.0 && count("sympozium-system") == before.1, "no run was created");
}

/// `runs` asks for the pack and its runs at once, and nothing else: two
/// requests, counted at the server (a warm discovery cache, as users have).
#[test]
fn runs_is_one_round_of_two_requests() {
    let seen = requests_at_server(|kubeconfig| {
        let r = run(plugin(&["runs", "platform-team", "-n", "sympozium-system"]).env("KUBECONFIG", kubeconfig));
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains("No runs found for personapack \"platform-team\""), "{}", r.stderr);
    });
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert!(
        seen.iter()
            .any(|r| r
                .starts_with("get /apis/sympozium.ai/v1alpha1/namespaces/sympozium-system/personapacks/platform-team")),
        "{seen:#?}"
    );
    assert!(seen.iter().any(|r| r.starts_with("list /apis/sympozium.ai/v1alpha1/namespaces/sympozium-system/agentruns?limit=500&labelSelector=sympozium.ai%2Finstance")), "{seen:#?}");
}

/// A `run --wait` in the background, its output piped.
fn waiting_run(args: &[&str]) -> std::process::Child {
    plugin(args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap()
}

/// The one run `kubectl personapack run` started for `persona` (its label
/// and the instance's), once it exists.
fn started_by_plugin(n: &str, persona: &str) -> String {
    let selector =
        format!("app.kubernetes.io/managed-by=kubectl-personapack,sympozium.ai/instance=platform-team-{persona}");
    wait_until(&format!("the run started for {persona}"), 60, || {
        let out = kubectl_ok(&["get", "agentruns", "-n", n, "-l", &selector, "-o", "name"]);
        out.lines().next().map(|l| l.trim_start_matches("agentrun.sympozium.ai/").to_string())
    })
}

/// `run --stimulus` creates the run v0.10.46's web API trigger creates (`POST
/// /api/v1/ensembles/NAME/stimulus/trigger`), side by side, and marks the
/// stimulus delivered as it does (stimulusGeneration up by one each).
#[test]
fn a_stimulus_triggered_now_is_the_web_apis_trigger() {
    ensemble_server();
    let ns = team("runs-stim");
    let n = ns.as_str();
    let status = || -> Value {
        serde_json::from_str(&kubectl_ok(&["get", "ensemble", "platform-team", "-n", n, "-o", "jsonpath={.status}"]))
            .unwrap()
    };
    // The controller's own delivery on readiness first, so its count is settled.
    let g0 = wait_until("the readiness stimulus delivered", 90, || {
        let s = status();
        (s["stimulusDelivered"] == true).then(|| s["stimulusGeneration"].as_i64().unwrap_or(0))
    });
    let (code, body) =
        web_api("POST", &format!("/api/v1/ensembles/platform-team/stimulus/trigger?namespace={n}"), &json!({}));
    assert_eq!(code, 201, "{body}");
    let theirs = serde_json::from_str::<Value>(&body).unwrap()["runName"].as_str().unwrap().to_string();
    assert_eq!(status()["stimulusGeneration"], g0 + 1, "the web API marks it");
    let r = run(&mut plugin(&["run", "platform-team", "-n", n, "--stimulus"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ours =
        r.stdout.trim().strip_prefix("agentrun.sympozium.ai/").unwrap().strip_suffix(" created").unwrap().to_string();
    assert_eq!(
        (status()["stimulusGeneration"].clone(), status()["stimulusDelivered"].clone()),
        (json!(g0 + 2), json!(true))
    );
    let get = |name: &str| -> Value {
        serde_json::from_str(&kubectl_ok(&["get", "agentrun", name, "-n", n, "-o", "json"])).unwrap()
    };
    let (theirs_obj, ours_obj) = (get(&theirs), get(&ours));
    assert_eq!(ours_obj["spec"], theirs_obj["spec"], "the same run");
    assert!(ours.starts_with("platform-team-platform-engineer-stimulus-"), "{ours}");
    let mut labels = ours_obj["metadata"]["labels"].clone();
    assert_eq!(
        labels.as_object_mut().unwrap().remove("app.kubernetes.io/managed-by"),
        Some(json!("kubectl-personapack"))
    );
    assert_eq!(labels, theirs_obj["metadata"]["labels"], "and only our label besides");
    // `runs` tells them apart: a stimulus, triggered by kubectl or the web API.
    let r = run(&mut plugin(&["runs", "platform-team", "-n", n, "--color", "never"]));
    let line = r.stdout.lines().find(|l| l.split_whitespace().nth(1) == Some(&ours)).unwrap();
    assert_eq!(line.split_whitespace().nth(2), Some("stimulus/kubectl"), "{line}");
    let line = r.stdout.lines().find(|l| l.split_whitespace().nth(1) == Some(&theirs)).unwrap();
    assert_eq!(line.split_whitespace().nth(2), Some("stimulus/manual"), "{line}");
}

#[test]
fn a_stimulus_is_refused_on_v0_8() {
    let r = run(&mut plugin(&["run", "platform-team", "-n", "sympozium-system", "--stimulus"]));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("personapack \"platform-team\" has no stimulus: a stimulus is an Ensemble's"),
        "{}",
        r.stderr
    );
}

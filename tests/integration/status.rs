//! `status` against the real API server and the real Sympozium controller;
//! the few states no running controller holds still (a pack nothing
//! reconciled, a vanished instance, a held phase) are written by hand on the
//! controller-less fixture server, each saying why.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

/// An enabled team with gamma excluded, reconciled by the real controller to Ready.
fn enabled_team(ns: &Ns) {
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true\n  excludePersonas: [gamma]"));
    wait_phase(ns.as_str(), "team", "Ready");
}

/// The same team written by hand on the fixture server: the objects and
/// status the controller would write, held still.
fn hand_stamped_team(ns: &Ns) {
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true\n  excludePersonas: [gamma]"));
    stamp(ns.as_str(), "team", "alpha", true);
    stamp(ns.as_str(), "team", "beta", false);
    patch_status(ns.as_str(), "sympoziuminstance/team-alpha", r#"{"phase":"Running"}"#);
}

fn hand_written_ready(ns: &Ns) {
    patch_status(
        ns.as_str(),
        "personapack/team",
        r#"{"phase":"Ready","personaCount":3,"installedCount":2,"installedPersonas":[{"name":"alpha","instanceName":"team-alpha","scheduleName":"team-alpha-schedule"},{"name":"beta","instanceName":"team-beta"}]}"#,
    );
}

#[test]
fn a_complete_team_is_ready() {
    let ns = Ns::new("status");
    enabled_team(&ns);
    // Ready comes from the pack controller; the instance controller makes
    // beta's memory and the schedule controller alpha's phase a moment later.
    wait_until("the team settled", 60, || {
        let memory = kubectl(&["get", "configmap", "team-beta-memory", "-n", ns.as_str()]).status.success();
        (memory
            && kubectl_ok(&[
                "get",
                "sympoziumschedule",
                "team-alpha-schedule",
                "-n",
                ns.as_str(),
                "-o",
                "jsonpath={.status.phase}",
            ]) == "Active")
            .then_some(())
    });
    let r = run(plugin(&["status", "team", "-n", ns.as_str()]).env("NO_COLOR", "1"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(&format!("PersonaPack {}/team: Ready (enabled, 2/2 personas installed)", ns.as_str())),
        "{}",
        r.stdout
    );
    let row = |p: &str| r.stdout.lines().find(|l| l.starts_with(p)).unwrap().split_whitespace().collect::<Vec<_>>();
    // The cron the controller wrote (alpha is persona 0: no stagger), memory, reported.
    let alpha = row("alpha");
    assert_eq!(&alpha[3..8], ["0/5", "*", "*", "*", "*"], "{alpha:?}");
    assert_eq!(alpha.last(), Some(&"yes"));
    let beta = row("beta");
    assert_eq!(beta[2], "-", "beta has no schedule: {beta:?}");
    assert_eq!(&beta[beta.len() - 2..], ["present", "yes"], "beta's memory is the instance controller's: {beta:?}");
    assert_eq!(row("gamma").join(" "), "gamma excluded - - - - - - -");
    let doc: Value =
        serde_json::from_str(&run(&mut plugin(&["status", "team", "-n", ns.as_str(), "-o", "json"])).stdout).unwrap();
    assert_eq!(doc["personas"][0]["schedule"]["phase"], "Active", "{doc}");
    assert_eq!(doc["personas"][0]["seeds"], 2);
}

#[test]
fn a_vanished_instance_is_degraded_and_json_says_why() {
    fixture_server("an instance gone while the pack says Ready: the real controller recreates it within a second");
    let ns = Ns::new("statusdeg");
    hand_stamped_team(&ns);
    hand_written_ready(&ns);
    kubectl_ok(&["delete", "sympoziuminstance", "team-beta", "-n", ns.as_str()]);
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "-o", "json"]));
    assert_eq!(r.code, 3, "Degraded is unhealthy: {}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["verdict"], "Degraded");
    assert_eq!(doc["reason"], "instance team-beta missing");
    assert_eq!(doc["personas"][1]["instance"]["exists"], false);
    // One word for "not there": Missing where the controller owes it, "-" where nothing is expected.
    let r = run(plugin(&["status", "team", "-n", ns.as_str()]).env("NO_COLOR", "1"));
    let beta: Vec<&str> = r.stdout.lines().find(|l| l.starts_with("beta ")).unwrap().split_whitespace().collect();
    assert_eq!(beta[1], "Missing", "{}", r.stdout);
    assert_eq!(beta[2], "-", "beta has no schedule: {}", r.stdout);
    let table = r.stdout.split("\n\n").nth(1).unwrap();
    assert!(!table.split_whitespace().any(|w| w == "missing" || w == "none"), "{table}");
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "-o", "yaml"]));
    assert_eq!(r.code, 3, "{}", r.stderr);
    let yaml: Value = serde_saphyr::from_str(&r.stdout).unwrap();
    assert_eq!(yaml, doc, "yaml and json say the same");
}

#[test]
fn an_unreconciled_pack_says_no_controller_has_seen_it() {
    fixture_server("a pack no controller has seen: the real one reconciles every pack within a second");
    let ns = Ns::new("statusnr");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true"));
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--color", "never"]));
    assert_eq!(r.code, 2, "not there yet: {}", r.stderr);
    assert!(r.stdout.contains("NotReconciled"), "{}", r.stdout);
    assert!(r.stdout.contains("is the Sympozium controller running?"));
    // --wait stops early when no controller ever shows up, naming the reason, exit 1.
    let start = Instant::now();
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "2s"]));
    assert_eq!(r.code, 1);
    assert!(start.elapsed() < Duration::from_secs(20));
    assert!(r.stderr.contains("error: nothing has reconciled personapack \"team\" within 2s"), "{}", r.stderr);
    assert!(r.stderr.contains("is the Sympozium controller (v0.8.x) running?"), "{}", r.stderr);
    // Once a controller has written a phase, --wait runs to its timeout and says what it waited for.
    patch_status(ns.as_str(), "personapack/team", r#"{"phase":"Inactive","personaCount":3}"#);
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "2s"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: timed out after 2s waiting for personapack \"team\" to be Ready: waiting for the controller: 0 of 3 personas installed"),
        "{}",
        r.stderr
    );
}

/// On a terminal the progress is one line redrawn in place (`\r`, erase
/// line), cleared before the result.
#[test]
fn wait_on_a_terminal_redraws_one_progress_line() {
    fixture_server("a pack held at Inactive while --wait runs: the real controller is done before a line is drawn");
    let ns = Ns::new("statuspty");
    hand_stamped_team(&ns);
    patch_status(ns.as_str(), "personapack/team", r#"{"phase":"Inactive","personaCount":3}"#);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("screen");
    let child = std::process::Command::new("python3")
        .arg(repo().join("tests/integration/pty_drive.py"))
        .arg("[]")
        .arg("--")
        .arg(env().bin.join("kubectl"))
        .args(["personapack", "status", "team", "-n", ns.as_str(), "--wait", "--timeout", "60s"])
        .env("PATH", path_with_plugin())
        .env("KUBECONFIG", env().current())
        .env("TERM", "xterm")
        .env("PTY_DRIVE_RAW", "1")
        .env("PTY_DRIVE_LOG", &log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("a progress line on the terminal", 30, || {
        std::fs::read_to_string(&log).ok().filter(|s| s.contains("Progressing")).map(|_| ())
    });
    hand_written_ready(&ns);
    let out = child.wait_with_output().unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{screen}");
    assert!(screen.contains("\r\u{1b}[KProgressing 2/2 personas installed"), "{screen:?}");
    // Cleared, then the result on a line of its own.
    assert!(screen.contains("\r\u{1b}[Kpersonapack.sympozium.ai/team \u{1b}[32mReady"), "{screen:?}");
}

#[test]
fn wait_returns_once_the_pack_becomes_ready() {
    // Real: enabled by a patch while --wait runs; the controller makes it Ready.
    let ns = Ns::new("statuswait");
    apply(ns.as_str(), &pack_yaml("team", ""));
    wait_phase(ns.as_str(), "team", "Inactive");
    merge_patch(ns.as_str(), "personapack/team", r#"{"spec":{"enabled":true}}"#);
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "60s"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "personapack.sympozium.ai/team Ready\n");
}

#[test]
fn wait_shows_progress_while_the_controller_catches_up() {
    fixture_server("a pack held at Inactive while --wait runs: the real controller is done before a line is drawn");
    let ns = Ns::new("statusprog");
    hand_stamped_team(&ns);
    patch_status(ns.as_str(), "personapack/team", r#"{"phase":"Inactive","personaCount":3}"#);
    let mut child = plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "60s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Change the pack once the first progress line is out (no fixed sleep).
    let seen = Seen::default();
    let reader = collect(child.stderr.take().unwrap(), &seen);
    wait_for("a progress line", 30, || {
        let seen = seen.lock().unwrap();
        if seen.contains("Progressing") { Ok(()) } else { Err(seen.clone()) }
    });
    hand_written_ready(&ns);
    let out = child.wait_with_output().unwrap();
    reader.join().unwrap();
    let stderr = seen.lock().unwrap().clone();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "personapack.sympozium.ai/team Ready\n");
    assert!(stderr.contains("Progressing 2/2 personas installed"), "{stderr}");
}

#[test]
fn wait_fails_fast_on_error_phase() {
    // Real: a persona whose instance name the API server refuses makes the controller report Error.
    let ns = Ns::new("statuserr");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true").replace("name: beta", "name: Beta_Bad"));
    let start = Instant::now();
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "60s"]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(start.elapsed() < Duration::from_secs(30), "Error must end the wait early");
    assert!(r.stderr.contains("the controller reports Error"), "{}", r.stderr);
    assert_eq!(
        kubectl_ok(&["get", "personapack", "team", "-n", ns.as_str(), "-o", "jsonpath={.status.phase}"]),
        "Error"
    );
}

/// Real: a persona removed from spec.personas while enabled keeps its
/// instance (the controller only cleans up personas in the spec), so a
/// disable never finishes — upstream requeues forever.
pub fn orphaned_team(ns: &Ns) {
    enabled_team(ns);
    // alpha leaves the spec: its instance and schedule stay, labelled with the pack.
    merge_patch(
        ns.as_str(),
        "personapack/team",
        r#"{"spec":{"personas":[{"name":"beta","systemPrompt":"You are beta."},{"name":"gamma","systemPrompt":"You are gamma."}]}}"#,
    );
    merge_patch(ns.as_str(), "personapack/team", r#"{"spec":{"enabled":false}}"#);
}

#[test]
fn orphans_are_named_when_a_disable_cannot_finish() {
    let ns = Ns::new("statusorphan");
    orphaned_team(&ns);
    let r = wait_for("status naming the orphans", 30, || {
        let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--color", "never"]));
        if r.stdout.contains("Orphans") { Ok(r) } else { Err(r.stdout) }
    });
    assert!(r.stdout.contains("Disabling"), "{}", r.stdout);
    assert!(r.stdout.contains("SympoziumInstance/team-alpha (persona alpha)"), "{}", r.stdout);
    assert!(r.stdout.contains("SympoziumSchedule/team-alpha-schedule (persona alpha)"), "{}", r.stdout);
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "60s"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("disable can never finish") && r.stderr.contains("team-alpha"), "{}", r.stderr);
    // And upstream really never finishes: the orphan is still there, the phase still Ready.
    assert!(kubectl(&["get", "sympoziuminstance", "team-alpha", "-n", ns.as_str()]).status.success());
}

/// --watch prints again when the pack changes (appending, as kubectl -w does into a pipe).
#[test]
fn watch_redraws_on_change() {
    let ns = Ns::new("statuswatch");
    apply(ns.as_str(), &pack_yaml("team", ""));
    wait_phase(ns.as_str(), "team", "Inactive");
    for (args, first, second) in [
        (vec!["status", "team", "--watch"], ": Inactive (disabled)", ": Ready (enabled"),
        (vec!["tree", "team", "--watch"], "PersonaPack/team ", "SympoziumInstance/team-alpha"),
    ] {
        let mut a = args.clone();
        a.extend(["-n", ns.as_str(), "--color", "never"]);
        let mut child = plugin(&a).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let seen = Seen::default();
        collect(child.stdout.take().unwrap(), &seen);
        let drawn = |needle: &str, from: usize| {
            wait_for(&format!("{args:?} drawing {needle:?}"), 30, || {
                let seen = seen.lock().unwrap();
                seen[from..].find(needle).map(|at| from + at).ok_or_else(|| seen.clone())
            })
        };
        // The first drawing, then a change (the controller stamps the team), then a second drawing showing it.
        let first_at = drawn(first, 0);
        merge_patch(ns.as_str(), "personapack/team", r#"{"spec":{"enabled":true}}"#);
        let second_at = drawn(second, first_at + first.len());
        child.kill().unwrap();
        let _ = child.wait();
        assert!(first_at < second_at);
        let header = if args[0] == "status" { "PersonaPack " } else { "NAMESPACE" };
        assert!(seen.lock().unwrap().matches(header).count() >= 2, "{args:?} drew once only");
        // Back to a catalog entry for the next command.
        merge_patch(ns.as_str(), "personapack/team", r#"{"spec":{"enabled":false}}"#);
        wait_phase(ns.as_str(), "team", "Inactive");
    }
}

/// `--wait`'s rules, each on a state held still on the fixture server.
#[test]
fn wait_needs_every_active_persona_and_knows_a_controller_by_its_finalizer() {
    fixture_server("phases and counts held still while --wait looks at them");
    let ns = Ns::new("waitrules");
    let n = ns.as_str();
    // Ready, but the controller counted only 1 of the 2 active personas: not done.
    hand_stamped_team(&ns);
    patch_status(n, "personapack/team", r#"{"phase":"Ready","personaCount":3,"installedCount":1}"#);
    let r = run(&mut plugin(&["status", "team", "-n", n, "--wait", "--timeout", "3s"]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("timed out after 3s waiting for personapack \"team\" to be Ready"), "{}", r.stderr);

    // No status, but the controller's finalizer: it has seen the pack, so no early "nothing reconciled".
    apply(n, &pack_yaml("seen", "  enabled: true"));
    merge_patch(n, "personapack/seen", r#"{"metadata":{"finalizers":["sympozium.ai/personapack-finalizer"]}}"#);
    let r = run(&mut plugin(&["status", "seen", "-n", n, "--wait", "--timeout", "3s"]));
    assert_eq!(r.code, 1);
    assert!(!r.stderr.contains("nothing has reconciled"), "{}", r.stderr);
    assert!(r.stderr.contains("timed out after 3s"), "{}", r.stderr);
    merge_patch(n, "personapack/seen", r#"{"metadata":{"finalizers":null}}"#);
}

/// With a long timeout, a pack nothing ever reconciles stops the wait after
/// 15 s, saying so — not after the whole timeout.
#[test]
fn wait_gives_up_after_15s_when_no_controller_exists() {
    fixture_server("no controller at all");
    let ns = Ns::new("wait15");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true"));
    let start = Instant::now();
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "5m"]));
    let took = start.elapsed();
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("nothing has reconciled personapack \"team\" within 15s"), "{}", r.stderr);
    assert!(took >= Duration::from_secs(14) && took < Duration::from_secs(60), "took {took:?}");
}

/// Ctrl-C ends a wait at once, by returning (destructors run): exit 130, as
/// a shell expects of an interrupted command, and nothing more is said.
#[test]
fn ctrl_c_ends_a_wait_with_130() {
    fixture_server("no controller at all");
    let ns = Ns::new("waitint");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true"));
    let wait = spawn_plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "5m"]);
    let seen = wait.stderr.clone();
    wait_until("the wait's progress line", 10, || seen.lock().unwrap().contains("installed").then_some(()));
    let start = Instant::now();
    let sent = std::process::Command::new("kill").args(["-INT", &wait.child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let status = wait.finish("the wait ending on Ctrl-C", 10);
    assert_eq!(status.code(), Some(130), "{}", seen.lock().unwrap());
    assert!(start.elapsed() < Duration::from_secs(5), "not at once: {:?}", start.elapsed());
    assert!(!seen.lock().unwrap().contains("error"), "{}", seen.lock().unwrap());
}

/// `status --watch`, `tree --watch` and `--wait` ask nothing of the server
/// while nothing changes: over an idle minute the API server (its audit log)
/// sees no request from them, not even a new watch (the ones they hold open
/// were opened before). A change redraws.
#[test]
fn watching_an_idle_pack_sends_no_requests() {
    fixture_server("a pack held still: the real controller's own status writes would be changes");
    let ns = Ns::new("statusidle");
    hand_stamped_team(&ns);
    hand_written_ready(&ns);
    // --wait on a pack that a controller has seen but not made Ready.
    apply(ns.as_str(), &pack_yaml("slow", "  enabled: true"));
    merge_patch(
        ns.as_str(),
        "personapack/slow",
        r#"{"metadata":{"finalizers":["sympozium.ai/personapack-finalizer"]}}"#,
    );
    patch_status(ns.as_str(), "personapack/slow", r#"{"phase":"Inactive","personaCount":3}"#);
    // The counted user is this test's from its watchers' first request to their end.
    let counting = counting();
    let kubeconfig = env().dir.join("counted-fixture.kubeconfig");
    let mut watchers = Vec::new();
    for cmd in [
        vec!["status", "team", "-n", ns.as_str(), "--watch"],
        vec!["tree", "team", "-n", ns.as_str(), "--watch"],
        vec!["status", "slow", "-n", ns.as_str(), "--wait", "--timeout", "300s"],
        vec!["runs", "team", "-n", ns.as_str(), "-w"],
    ] {
        let mut child =
            plugin(&cmd).env("KUBECONFIG", &kubeconfig).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let seen = Seen::default();
        collect(child.stdout.take().unwrap(), &seen);
        collect(child.stderr.take().unwrap(), &seen);
        watchers.push((cmd, KillOnDrop(child), seen));
    }
    for (cmd, _, seen) in &watchers[..2] {
        wait_until(&format!("{cmd:?} drawing"), 30, || seen.lock().unwrap().contains("team-alpha").then_some(()));
    }
    let (_, _, runs_seen) = &watchers[3];
    wait_until("runs -w drawing", 30, || runs_seen.lock().unwrap().contains("PERSONA").then_some(()));
    // The watches open after the first drawing: counted from when they are.
    counting.settled();
    // The idle minute itself (deliberate: nothing may be asked during it).
    let idle = counting.requests(|_| std::thread::sleep(Duration::from_secs(60)));
    assert!(idle.is_empty(), "status --watch, tree --watch, --wait and runs -w asked while nothing changed: {idle:#?}");
    // A run that appears is a row of runs -w (its trigger read from its name: the TUI's).
    apply(
        ns.as_str(),
        "apiVersion: sympozium.ai/v1alpha1\nkind: AgentRun\nmetadata:\n  name: team-alpha-run-1764600001\n  labels: {sympozium.ai/instance: team-alpha}\nspec: {instanceRef: team-alpha, agentId: '', sessionKey: '', task: t, model: {provider: openai, model: gpt-4o, authSecretRef: team-key}}\n",
    );
    wait_until("runs -w printing the new run", 30, || {
        let seen = runs_seen.lock().unwrap();
        seen.lines()
            .any(|l| l.starts_with("alpha ") && l.contains("team-alpha-run-1764600001") && l.contains(" tui "))
            .then_some(())
    });
    // A change is drawn by both watchers.
    let before: Vec<usize> =
        watchers[..2].iter().map(|(_, _, s)| s.lock().unwrap().matches("team-beta").count()).collect();
    kubectl_ok(&["delete", "sympoziuminstance", "team-beta", "-n", ns.as_str()]);
    for ((cmd, _, seen), before) in watchers[..2].iter().zip(before) {
        wait_until(&format!("{cmd:?} redrawing after the change"), 30, || {
            (seen.lock().unwrap().matches("team-beta").count() > before).then_some(())
        });
    }
    drop(watchers);
    drop(counting);
    merge_patch(ns.as_str(), "personapack/slow", r#"{"metadata":{"finalizers":null}}"#);
}

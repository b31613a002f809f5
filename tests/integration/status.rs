//! `status` against the real API server. The objects the Sympozium
//! controller would stamp are created here as fixtures (see common::stamp):
//! these tests check how the plugin reads and judges them.

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

fn enabled_team(ns: &Ns) {
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true\n  excludePersonas: [gamma]"));
    stamp(ns.as_str(), "team", "alpha", true);
    stamp(ns.as_str(), "team", "beta", false);
    apply(
        ns.as_str(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team-alpha-memory\n  labels: {sympozium.ai/persona-pack: team, sympozium.ai/persona: alpha, sympozium.ai/memory: 'true'}\ndata: {MEMORY.md: '# Memory'}\n",
    );
    patch_status(ns.as_str(), "sympoziuminstance/team-alpha", r#"{"phase":"Running"}"#);
    patch_status(
        ns.as_str(),
        "sympoziumschedule/team-alpha-schedule",
        r#"{"phase":"Active","totalRuns":4,"lastRunTime":"2026-11-28T10:00:00Z","nextRunTime":"2026-11-28T10:05:00Z"}"#,
    );
}

fn ready(ns: &Ns) {
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
    ready(&ns);
    let r = run(plugin(&["status", "team", "-n", ns.as_str()]).env("NO_COLOR", "1"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(&format!("PersonaPack {}/team: Ready (enabled, 2/2 personas installed)", ns.as_str())),
        "{}",
        r.stdout
    );
    let row =
        |p: &str| r.stdout.lines().find(|l| l.starts_with(p)).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        row("alpha"),
        "alpha Running Active 0/5 * * * * 4 (last 2026-11-28T10:00:00Z) 2026-11-28T10:05:00Z present yes"
    );
    assert_eq!(row("beta"), "beta present none - - - none yes");
    assert_eq!(row("gamma"), "gamma excluded - - - - - -");
}

#[test]
fn a_vanished_instance_is_degraded_and_json_says_why() {
    let ns = Ns::new("statusdeg");
    enabled_team(&ns);
    ready(&ns);
    kubectl_ok(&["delete", "sympoziuminstance", "team-beta", "-n", ns.as_str()]);
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["verdict"], "Degraded");
    assert_eq!(doc["reason"], "instance team-beta missing");
    assert_eq!(doc["personas"][1]["instance"]["exists"], false);
}

#[test]
fn an_unreconciled_pack_says_no_controller_has_seen_it() {
    let ns = Ns::new("statusnr");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true"));
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--color", "never"]));
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

#[test]
fn wait_returns_once_the_pack_becomes_ready() {
    let ns = Ns::new("statuswait");
    enabled_team(&ns);
    patch_status(ns.as_str(), "personapack/team", r#"{"phase":"Inactive","personaCount":3}"#);
    let child = plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "60s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    ready(&ns);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "personapack.sympozium.ai/team Ready\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Progressing 2/2 personas installed"));
}

#[test]
fn wait_fails_fast_on_error_phase() {
    let ns = Ns::new("statuserr");
    enabled_team(&ns);
    patch_status(ns.as_str(), "personapack/team", r#"{"phase":"Error","personaCount":3,"installedCount":1}"#);
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "60s"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("the controller reports Error"), "{}", r.stderr);
}

#[test]
fn orphans_are_named_when_a_disable_cannot_finish() {
    let ns = Ns::new("statusorphan");
    enabled_team(&ns);
    stamp(ns.as_str(), "team", "retired", true);
    merge_patch(ns.as_str(), "personapack/team", r#"{"spec":{"enabled":false}}"#);
    ready(&ns);
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--color", "never"]));
    assert!(r.stdout.contains("Disabling"), "{}", r.stdout);
    assert!(r.stdout.contains("SympoziumInstance/team-retired (persona retired)"), "{}", r.stdout);
    assert!(r.stdout.contains("SympoziumSchedule/team-retired-schedule (persona retired)"), "{}", r.stdout);
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--wait", "--timeout", "60s"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("disable can never finish") && r.stderr.contains("team-retired"), "{}", r.stderr);
}

#[test]
fn malformed_status_of_a_generated_object_is_shown_not_fatal() {
    let ns = Ns::new("statusbad");
    enabled_team(&ns);
    ready(&ns);
    patch_status(ns.as_str(), "sympoziumschedule/team-alpha-schedule", r#"{"totalRuns":"many","phase":"Active"}"#);
    let r = run(&mut plugin(&["status", "team", "-n", ns.as_str(), "--color", "never"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Ready"), "{}", r.stdout);
    let alpha = r.stdout.lines().find(|l| l.starts_with("alpha")).unwrap();
    assert!(alpha.contains("Active"), "{alpha}");
    assert!(
        r.stderr.contains(r#"Warning: sympoziumschedule "team-alpha-schedule" in namespace"#)
            && r.stderr.contains("status.totalRuns: invalid type"),
        "{}",
        r.stderr
    );
}

/// --watch prints again when the pack changes (appending, as kubectl -w does into a pipe).
#[test]
fn watch_redraws_on_change() {
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    let ns = Ns::new("statuswatch");
    enabled_team(&ns);
    for (args, first, second) in [
        (vec!["status", "team", "--watch"], "NotReconciled", ": Ready (enabled"),
        (vec!["tree", "team", "--watch"], "PersonaPack/team ", "Ready"),
    ] {
        patch_status(
            ns.as_str(),
            "personapack/team",
            r#"{"phase":null,"personaCount":null,"installedCount":null,"installedPersonas":null}"#,
        );
        let mut a = args.clone();
        a.extend(["-n", ns.as_str(), "--color", "never"]);
        let mut child = plugin(&a).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let seen = Arc::new(Mutex::new(String::new()));
        let mut stdout = child.stdout.take().unwrap();
        let sink = seen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let wait_for = |needle: &str, from: usize| {
            let start = Instant::now();
            loop {
                if let Some(at) = seen.lock().unwrap()[from..].find(needle) {
                    return from + at;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "{args:?}: {needle:?} never drawn:\n{}",
                    seen.lock().unwrap()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        };
        // The first drawing, then a change, then a second drawing showing it.
        let first_at = wait_for(first, 0);
        ready(&ns);
        let second_at = wait_for(second, first_at + first.len());
        child.kill().unwrap();
        let _ = child.wait();
        assert!(first_at < second_at);
        let header = if args[0] == "status" { "PersonaPack " } else { "NAMESPACE" };
        assert!(seen.lock().unwrap().matches(header).count() >= 2, "{args:?} drew once only");
    }
}

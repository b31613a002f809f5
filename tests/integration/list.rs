//! `list` against the real API server and the real Sympozium controller.

use serde_json::Value;

use crate::common::*;

/// alpha-team enabled (the controller stamps it: Ready, 3/3), beta-team a catalog entry (Inactive).
fn two_packs(ns: &Ns) {
    apply(ns.as_str(), &pack_yaml("alpha-team", "  enabled: true"));
    apply(ns.as_str(), &pack_yaml("beta-team", "").replace("team: test", "team: other"));
    wait_phase(ns.as_str(), "alpha-team", "Ready");
    wait_phase(ns.as_str(), "beta-team", "Inactive");
}

#[test]
fn table_shows_enabled_personas_installed_phase() {
    let ns = Ns::new("list");
    two_packs(&ns);
    let r = run(plugin(&["list", "-n", ns.as_str()]).env("NO_COLOR", "1"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines[0], ["NAME", "ENABLED", "PERSONAS", "INSTALLED", "PHASE", "AGE"]);
    assert_eq!(&lines[1][..5], ["alpha-team", "true", "3", "3", "Ready"]);
    assert_eq!(&lines[2][..5], ["beta-team", "false", "3", "0", "Inactive"]);
    assert!(!r.stdout.contains('\u{1b}'), "no colour into a pipe");
}

#[test]
fn a_pack_nothing_reconciled_shows_no_phase() {
    fixture_server("a pack no controller has reconciled: the real one reconciles every pack within a second");
    let ns = Ns::new("listnr");
    apply(ns.as_str(), &pack_yaml("beta-team", ""));
    let r = run(plugin(&["list", "-n", ns.as_str()]).env("NO_COLOR", "1"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let row: Vec<&str> = r.stdout.lines().nth(1).unwrap().split_whitespace().collect();
    // The phase is shown as unknown, not invented; PERSONAS falls back to the spec.
    assert_eq!(&row[..5], ["beta-team", "false", "3", "0", "-"]);
}

#[test]
fn all_namespaces_adds_the_namespace_column() {
    let ns = Ns::new("listall");
    two_packs(&ns);
    let r = run(&mut plugin(&["list", "-A"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("NAMESPACE"), "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l.starts_with(ns.as_str()) && l.contains("alpha-team")));
    assert!(r.stdout.lines().any(|l| l.starts_with("sympozium-system") && l.contains("platform-team")));
}

#[test]
fn selector_wide_name_and_no_headers() {
    let ns = Ns::new("listsel");
    two_packs(&ns);
    let r = run(&mut plugin(&["list", "-n", ns.as_str(), "-l", "team=other", "-o", "name"]));
    assert_eq!(r.stdout, "personapack.sympozium.ai/beta-team\n");
    let r = run(&mut plugin(&["list", "-n", ns.as_str(), "-o", "wide", "--no-headers"]));
    assert!(!r.stdout.contains("NAME"));
    assert!(
        r.stdout.contains("testing") && r.stdout.contains("0.1.0") && r.stdout.contains("A test team."),
        "{}",
        r.stdout
    );
}

#[test]
fn json_and_yaml_are_list_documents() {
    let ns = Ns::new("listjson");
    two_packs(&ns);
    let r = run(&mut plugin(&["list", "-n", ns.as_str(), "-o", "json"]));
    let doc: Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    assert_eq!(doc["kind"], "List");
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["kind"], "PersonaPack");
    assert_eq!(items[0]["apiVersion"], "sympozium.ai/v1alpha1");
    assert_eq!(items[0]["status"]["phase"], "Ready");
    assert!(items[0]["metadata"].get("managedFields").is_none());
    let r = run(&mut plugin(&["list", "-n", ns.as_str(), "-o", "yaml"]));
    assert!(r.stdout.contains("kind: List"), "{}", r.stdout);
    assert!(r.stdout.contains("name: beta-team"));
}

#[test]
fn empty_namespace_says_so_on_stderr_and_succeeds() {
    let ns = Ns::new("listempty");
    let r = run(&mut plugin(&["list", "-n", ns.as_str()]));
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr.trim(), format!("No resources found in {} namespace.", ns.as_str()));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let ns = Ns::new("listcolor");
    two_packs(&ns);
    let r = run(&mut plugin(&["list", "-n", ns.as_str(), "--color", "always"]));
    assert!(r.stdout.contains("\u{1b}[32mReady\u{1b}[39m"), "{:?}", r.stdout);
    let r = run(&mut plugin(&["list", "-n", ns.as_str(), "--color", "never"]));
    assert!(!r.stdout.contains('\u{1b}'));
}

/// On a real terminal (a pty) colour is on by default; `TERM=dumb` or
/// `NO_COLOR` turn it off, as kubectl's colour does.
#[test]
fn colour_on_a_terminal_unless_term_is_dumb_or_no_color_is_set() {
    let ns = Ns::new("ptycolor");
    two_packs(&ns);
    let on_a_terminal = |envs: &[(&str, &str)]| {
        let mut cmd = std::process::Command::new("python3");
        cmd.arg(repo().join("tests/integration/pty_drive.py"))
            .arg("[]")
            .arg("--")
            .arg(env().bin.join("kubectl"))
            .args(["personapack", "list", "-n", ns.as_str()])
            .env("PATH", path_with_plugin())
            .env("KUBECONFIG", env().current())
            .env("PTY_DRIVE_RAW", "1")
            .env("TERM", "xterm")
            .env_remove("NO_COLOR");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let r = run(&mut cmd);
        assert_eq!(r.code, 0, "{}", r.stdout);
        assert!(r.stdout.contains("alpha-team"), "{}", r.stdout);
        r.stdout
    };
    let coloured = on_a_terminal(&[]);
    assert!(coloured.contains("\u{1b}[32mReady\u{1b}[39m"), "{coloured:?}");
    for envs in [[("TERM", "dumb")], [("NO_COLOR", "1")]] {
        let plain = on_a_terminal(&envs);
        assert!(!plain.contains('\u{1b}'), "{envs:?}: {plain:?}");
    }
}

#[test]
fn names_with_control_characters_are_escaped() {
    let ns = Ns::new("listesc");
    apply(ns.as_str(), &pack_yaml("plain", "").replace("A test team.", "\"evil \\e[31m red \\a bell\""));
    let r = run(&mut plugin(&["list", "-n", ns.as_str(), "-o", "wide", "--color", "never"]));
    assert!(!r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{7}'), "{:?}", r.stdout);
    assert!(r.stdout.contains("evil \\u{1b}[31m red \\u{7} bell"), "{:?}", r.stdout);
}

#[test]
fn a_closed_pipe_is_a_quiet_success() {
    use std::process::Stdio;
    let mut child = plugin(&["list", "-A"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take()); // the reader goes away before anything is written
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

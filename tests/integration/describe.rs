//! `describe` against the real API server and the real Sympozium controller.

use crate::common::*;

#[test]
fn describe_shows_settings_personas_auth_and_status() {
    let ns = Ns::new("describe");
    let extra = r#"  enabled: true
  authRefs: [{provider: openai, secret: team-openai-key}, {provider: anthropic, secret: gone-key}]
  baseURL: http://llm.local/v1
  taskOverride: Ship the release.
  excludePersonas: [gamma]
  skillParams: {github-gitops: {repo: org/repo}}
  channelConfigs: {slack: team-slack-secret}"#;
    apply(ns.as_str(), &pack_yaml("team", extra));
    create_secret(ns.as_str(), "team-openai-key", "OPENAI_API_KEY=sk-never-shown");
    wait_phase(ns.as_str(), "team", "Ready");
    let r = run(plugin(&["describe", "team", "-n", ns.as_str()]).env("NO_COLOR", "1"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let o = &r.stdout;
    for want in [
        "Name:           team",
        "Enabled:        true",
        "Base URL:       http://llm.local/v1",
        "Team Objective: Ship the release.",
        "openai        Secret team-openai-key (exists)",
        "anthropic     Secret gone-key (missing)",
        "slack: Secret team-slack-secret",
        "github-gitops.repo=org/repo",
        "claude-sonnet",
        "gpt-4o (default)",
        "sweep every 5m",
        "scheduled cron 0 9 * * 1",
        "alpha: Sweep things.",
        "Phase:              Ready",
        "alpha: instance team-alpha, schedule team-alpha-schedule",
        "Events:         <none>",
    ] {
        assert!(o.contains(want), "missing {want:?} in:\n{o}");
    }
    let gamma = o.lines().find(|l| l.trim_start().starts_with("gamma")).unwrap();
    assert!(gamma.trim_end().ends_with("yes"), "gamma is excluded: {gamma}");
    assert!(!o.contains("sk-never-shown"), "secret data must never be read or shown");
}

#[test]
fn describe_unknown_pack_is_not_found_with_suggestions() {
    let ns = Ns::new("describe404");
    apply(ns.as_str(), &pack_yaml("platform-crew", ""));
    let r = run(&mut plugin(&["describe", "platfrom-crew", "-n", ns.as_str()]));
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    let mut lines = r.stderr.lines();
    assert_eq!(
        lines.next(),
        Some(r#"Error from server (NotFound): personapacks.sympozium.ai "platfrom-crew" not found"#)
    );
    assert_eq!(lines.next(), Some("Did you mean platform-crew?"));
}

#[test]
fn describe_in_the_wrong_namespace_points_at_the_right_one() {
    let ns = Ns::new("describens");
    let r = run(&mut plugin(&["describe", "platform-team", "-n", ns.as_str()]));
    assert_eq!(r.code, 1);
    // Other tests' namespaces may hold copies too; the catalog's is named first.
    assert!(r.stderr.contains("PersonaPack \"platform-team\" exists in namespace sympozium-system"), "{}", r.stderr);
    assert!(r.stderr.contains(": use -n sympozium-system"), "{}", r.stderr);
}

/// describe's policy, relationships and events, read from the real server
/// (events found by the pack's name and kind; their text escaped).
#[test]
fn describe_shows_policy_relationships_and_events() {
    let ns = Ns::new("describeev");
    let n = ns.as_str();
    let extra = "  policyRef: strict\n  relationships: [{source: alpha, target: beta, type: delegation}]";
    apply(n, &pack_yaml("team", extra));
    apply(
        n,
        &format!(
            r#"apiVersion: v1
kind: Event
metadata: {{name: team.drift}}
involvedObject: {{apiVersion: sympozium.ai/v1alpha1, kind: PersonaPack, name: team, namespace: {n}}}
type: Warning
reason: Drifted
message: "persona beta changed \e[31mby hand"
source: {{component: sympozium-controller}}
firstTimestamp: "2026-11-28T10:00:00Z"
lastTimestamp: "2026-11-28T10:00:00Z"
count: 1
---
apiVersion: v1
kind: Event
metadata: {{name: other.event}}
involvedObject: {{apiVersion: v1, kind: ConfigMap, name: team, namespace: {n}}}
type: Normal
reason: NotThePack
message: a ConfigMap of the same name
source: {{component: someone}}
firstTimestamp: "2026-11-28T10:00:00Z"
lastTimestamp: "2026-11-28T10:00:00Z"
count: 1
"#
        ),
    );
    let r = run(plugin(&["describe", "team", "-n", n]).env("NO_COLOR", "1"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let o = &r.stdout;
    for want in [
        "Policy:         strict",
        "Relationships:\n  alpha -> beta (delegation)",
        "Events:\n  TYPE      REASON    AGE",
        "Warning   Drifted",
        "sympozium-controller   persona beta changed \\u{1b}[31mby hand",
    ] {
        assert!(o.contains(want), "missing {want:?} in:\n{o}");
    }
    assert!(!o.contains("NotThePack"), "another kind's event of the same name: {o}");
    assert!(!o.contains('\u{1b}'));
}

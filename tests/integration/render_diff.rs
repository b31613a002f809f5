//! `render` and `diff` against the real API server and the real Sympozium
//! controller: the plugin reads what the controller stamped, compares it
//! field by field with `render` and exits as `kubectl diff` does. (That
//! render equals the stamped objects for every built-in pack is in
//! controller.rs.)

use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::*;

#[test]
fn render_from_a_file_needs_no_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pack.yaml");
    std::fs::write(&file, pack_yaml("team", "  enabled: true\n  taskOverride: Ship it")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubectl-personapack"))
        .args(["render", "-f"])
        .arg(&file)
        .env_remove("KUBECONFIG")
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let docs: Vec<Value> = serde_saphyr::from_multiple(&text).unwrap();
    let names: Vec<&str> = docs.iter().map(|d| d["metadata"]["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["team-alpha", "team-alpha-memory", "team-alpha-schedule", "team-beta", "team-gamma", "team-gamma-schedule"]
    );
    assert_eq!(docs[0]["metadata"]["namespace"], "default");
    assert_eq!(docs[2]["spec"]["schedule"], "0/5 * * * *", "interval 5m, persona index 0");
    assert_eq!(docs[2]["spec"]["task"], "TEAM OBJECTIVE: Ship it\n\nYOUR ROLE TASK: Sweep things.");
    assert_eq!(docs[3]["spec"]["agents"]["default"]["model"], "claude-sonnet");
    assert_eq!(docs[5]["spec"]["schedule"], "0 9 * * 1", "cron wins");
    // -o json: one List document of the same objects.
    let json = Command::new(env!("CARGO_BIN_EXE_kubectl-personapack"))
        .args(["render", "-o", "json", "-f"])
        .arg(&file)
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(0), "{}", String::from_utf8_lossy(&json.stderr));
    let list: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(list["kind"], "List");
    assert_eq!(list["items"].as_array().unwrap(), &docs, "json and yaml render the same objects");
    // As `kubectl apply -f`: several -f, a directory (its .yaml/.yml/.json files, a List
    // opened), and - for stdin.
    let packs_dir = dir.path().join("packs");
    std::fs::create_dir(&packs_dir).unwrap();
    std::fs::write(packs_dir.join("a.yaml"), pack_yaml("one", "")).unwrap();
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [serde_saphyr::from_str::<Value>(&pack_yaml("two", "")).unwrap()]});
    std::fs::write(packs_dir.join("b.json"), list.to_string()).unwrap();
    std::fs::write(packs_dir.join("notes.txt"), "not a manifest").unwrap();
    let r = run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_kubectl-personapack"))
            .args(["render", "-o", "json", "-f"])
            .arg(&packs_dir)
            .args(["-f", "-", "-f"])
            .arg(&file)
            .env_remove("KUBECONFIG"),
        &pack_yaml("three", ""),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rendered: Value = serde_json::from_str(&r.stdout).unwrap();
    let instances: Vec<&str> = rendered["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["kind"] == "SympoziumInstance")
        .map(|o| o["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        instances,
        [
            "one-alpha",
            "one-beta",
            "one-gamma",
            "two-alpha",
            "two-beta",
            "two-gamma",
            "three-alpha",
            "three-beta",
            "three-gamma",
            "team-alpha",
            "team-beta",
            "team-gamma"
        ]
    );
    let r = run(Command::new(env!("CARGO_BIN_EXE_kubectl-personapack"))
        .args(["render", "-f", "/nonexistent.yaml"])
        .env_remove("KUBECONFIG"));
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: reading /nonexistent.yaml"), "{}", r.stderr);
}

/// Seeds the instance controller may have pre-empted (upstream's race), so
/// that only the change under test differs.
fn seed(ns: &Ns, pack: &str) {
    let r = run(&mut plugin(&["seed", pack, "-n", ns.as_str()]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn diff_is_clean_then_names_a_non_propagated_change_and_its_remedy() {
    let ns = Ns::new("diff");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", "  enabled: true"));
    wait_phase(n, "team", "Ready");
    seed(&ns, "team");
    let r = run(&mut plugin(&["diff", "team", "-n", n]));
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("no differences"), "{}", r.stdout);

    // Skills are never propagated to an existing instance.
    kubectl_ok(&[
        "patch",
        "personapack",
        "team",
        "-n",
        n,
        "--type=json",
        "-p",
        r#"[{"op":"add","path":"/spec/personas/0/skills/-","value":"code-review"}]"#,
    ]);
    std::thread::sleep(std::time::Duration::from_secs(1)); // a reconcile: the controller leaves skills alone
    let r = run(&mut plugin(&["diff", "team", "-n", n]));
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("SympoziumInstance/team-alpha (persona alpha)\n  spec.skills\n"), "{}", r.stdout);
    assert!(r.stdout.contains("never propagated to an existing instance"), "{}", r.stdout);
    assert!(r.stdout.contains(&format!("kubectl personapack disable team -n {0} --persona alpha --yes && kubectl personapack enable team -n {0} --persona alpha", n)), "{}", r.stdout);
    let status = run(&mut plugin(&["status", "team", "-n", n, "--color", "never"]));
    assert!(
        status.stdout.contains("SympoziumInstance/team-alpha spec.skills: never propagated: recreate the persona"),
        "{}",
        status.stdout
    );

    // A suspended schedule: diff says the controller reverts it, and it does.
    merge_patch(n, "sympoziumschedule/team-alpha-schedule", r#"{"spec":{"suspend":true}}"#);
    wait_until("the controller reverting suspend", 30, || {
        let suspend =
            kubectl_ok(&["get", "sympoziumschedule/team-alpha-schedule", "-n", n, "-o", "jsonpath={.spec.suspend}"]);
        (suspend != "true").then_some(())
    });

    // The remedy diff printed, run as printed: the controller recreates the persona, the drift is gone.
    let r = run(&mut plugin(&["disable", "team", "-n", n, "--persona", "alpha", "--yes", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&mut plugin(&["enable", "team", "-n", n, "--persona", "alpha", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    seed(&ns, "team");
    let r = run(&mut plugin(&["diff", "team", "-n", n]));
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn diff_errors_exit_2() {
    let ns = Ns::new("diff404");
    let r = run(&mut plugin(&["diff", "nope", "-n", ns.as_str()]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with("Error from server (NotFound)"), "{}", r.stderr);
}

#[test]
fn diff_reports_missing_and_leftover_objects() {
    fixture_server(
        "an instance missing and an excluded one present at once: the real controller fixes both within a second",
    );
    let ns = Ns::new("diffmiss");
    apply(ns.as_str(), &pack_yaml("team", "  enabled: true\n  excludePersonas: [beta]"));
    stamp(ns.as_str(), "team", "beta", false); // excluded: the controller deletes it
    stamp(ns.as_str(), "team", "retired", false); // not in the spec: nothing removes it
    let r = run(&mut plugin(&["diff", "team", "-n", ns.as_str()]));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("SympoziumInstance/team-alpha (persona alpha)\n  missing: the controller creates it"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("SympoziumInstance/team-beta (persona beta)\n  not planned (persona excluded or pack disabled): the controller deletes it"), "{}", r.stdout);
    assert!(r.stdout.contains("SympoziumInstance/team-retired (persona retired)\n  persona retired is no longer in the pack: nothing removes it"), "{}", r.stdout);
}

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
    assert_eq!(lines[0], ["NAME", "ENABLED", "PERSONAS", "INSTALLED", "WORKFLOW", "PHASE", "AGE"]);
    // workflowType: the CRD's default, as the server filled it in.
    assert_eq!(&lines[1][..6], ["alpha-team", "true", "3", "3", "autonomous", "Ready"]);
    assert_eq!(&lines[2][..6], ["beta-team", "false", "3", "0", "autonomous", "Inactive"]);
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
    assert_eq!(&row[..6], ["beta-team", "false", "3", "0", "autonomous", "-"]);
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

/// `kubectl get`'s habits, each compared byte for byte (and exit code) with
/// kubectl's own output for the same flags on the same objects.
#[test]
fn kubectl_get_habits_match_kubectl_byte_for_byte() {
    fixture_server("objects held still, so that two printers read the same bytes");
    let ns = Ns::new("likeget");
    let n = ns.as_str();
    apply(n, &pack_yaml("team-b", "  workflowType: delegation"));
    apply(n, &pack_yaml("team-a", "").replace("team: test", "team: other, tier: \"1\""));
    apply(n, &pack_yaml("team-c", "  enabled: true"));
    patch_status(n, "personapack/team-c", r#"{"phase":"Ready","installedCount":3,"personaCount":3}"#);
    patch_status(n, "personapack/team-b", r#"{"phase":"Inactive","installedCount":0,"personaCount":3}"#);
    let dir = tempfile::tempdir().unwrap();
    let columns = dir.path().join("columns");
    std::fs::write(&columns, "NAME          ENABLED\n.metadata.name  .spec.enabled\n").unwrap();
    let template = dir.path().join("template");
    std::fs::write(&template, "{range .items[*]}{.metadata.name}={.status.phase}{\"\\n\"}{end}").unwrap();
    let columns = format!("custom-columns-file={}", columns.display());
    let template = format!("jsonpath-file={}", template.display());
    let cases: Vec<Vec<&str>> = vec![
        vec!["-o", "jsonpath={.items[*].metadata.name}"],
        vec!["-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.spec.personas[*].name}{\"\\n\"}{end}"],
        vec!["-o", "jsonpath={.items[?(@.spec.enabled==true)].metadata.name} {.items[0].metadata.labels}"],
        vec!["-o", "custom-columns=NAME:.metadata.name,PERSONAS:.spec.personas[*].name,T:.metadata.labels.team,NO:.x"],
        vec!["-o", &columns],
        vec!["-o", &template],
        vec!["--sort-by=.status.installedCount", "-o", "name"],
        vec!["--sort-by", "{.spec.workflowType}", "-o", "custom-columns=N:.metadata.name", "--no-headers"],
        vec!["-o", "json"],
        vec!["-o", "json", "--sort-by=.metadata.name"],
        vec!["-l", "team=nobody", "-o", "json"],
        vec!["team-b", "-o", "json"],
        vec!["team-c", "team-a", "-o", "name"],
        vec!["team-a", "-o", "jsonpath={.metadata.name}: {.spec.personas[0]}"],
        vec!["-l", "team=test", "-o", "name"],
        vec!["team-a", "nope", "-o", "name"],
    ];
    for flags in cases {
        let mut ours = vec!["list", "-n", n];
        ours.extend(&flags);
        let r = run(&mut plugin(&ours));
        let mut theirs = vec!["get", "personapacks", "-n", n];
        theirs.extend(&flags);
        let k = kubectl(&theirs);
        assert_eq!(r.stdout, String::from_utf8_lossy(&k.stdout), "{flags:?}");
        assert_eq!(r.code, k.status.code().unwrap(), "{flags:?}: {}", r.stderr);
        if r.code != 0 {
            let first = String::from_utf8_lossy(&k.stderr).lines().next().unwrap_or_default().to_string();
            assert!(r.stderr.starts_with(&first), "{flags:?}: kubectl said {first:?}, we {:?}", r.stderr);
        }
    }

    // The table: the CRD's WORKFLOW column, label columns as kubectl heads them.
    let r = run(&mut plugin(&[
        "list",
        "-n",
        n,
        "-L",
        "team,example.com/tier",
        "--show-labels",
        "--sort-by=.metadata.name",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0].starts_with("NAME     ENABLED   PERSONAS   INSTALLED   WORKFLOW     PHASE      AGE"),
        "{}",
        r.stdout
    );
    assert!(lines[0].ends_with("TEAM    TIER   LABELS"), "{}", r.stdout);
    assert!(lines[1].starts_with("team-a") && lines[1].ends_with("other          team=other,tier=1"), "{}", r.stdout);
    assert!(
        lines[2].contains("delegation   Inactive") && lines[2].ends_with("test           team=test"),
        "{}",
        r.stdout
    );
    // Bad -o: kubectl's words.
    let r = run(&mut plugin(&["list", "-n", n, "-o", "jsonpath={.items[*]"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error parsing jsonpath"), "{}", r.stderr);
}

/// `-w` lists, then prints each change as it happens (a watch stream, no
/// polling); `--watch-only` prints only changes, with one header.
#[test]
fn watch_prints_changes_as_they_happen() {
    fixture_server("packs changed by hand while the watch runs, with no controller adding its own changes");
    let ns = Ns::new("listwatch");
    let n = ns.as_str();
    apply(n, &pack_yaml("team-a", ""));
    let follow = |flags: &[&str]| {
        let mut args = vec!["list", "-n", n, "--color", "never"];
        args.extend(flags);
        let running = spawn_plugin(&args);
        (running.child, running.stdout, running.stderr)
    };
    let (mut watch, seen, _) = follow(&["-w"]);
    wait_until("the first listing", 30, || seen.lock().unwrap().contains("team-a").then_some(()));
    // (-v 6: its requests on stderr, so the test knows when its watch is open.)
    let (mut only, seen_only, requests) = follow(&["--watch-only", "-o", "name", "-v", "6"]);
    // Its list was answered once its watch has an answer: give it a change only it can see.
    wait_until("the watch-only stream open", 30, || {
        let log = requests.lock().unwrap();
        log.lines().any(|l| l.contains("watch=true") && l.contains("\"Response\"")).then_some(())
    });
    apply(n, &pack_yaml("team-b", ""));
    wait_until("team-b in the watch", 30, || seen.lock().unwrap().contains("team-b").then_some(()));
    wait_until("team-b in the watch-only stream", 30, || seen_only.lock().unwrap().contains("team-b").then_some(()));
    patch_status(n, "personapack/team-a", r#"{"phase":"Ready","installedCount":3,"personaCount":3}"#);
    wait_until("team-a's new phase", 30, || seen.lock().unwrap().contains("Ready").then_some(()));
    let _ = watch.kill();
    let _ = only.kill();
    let _ = (watch.wait(), only.wait());
    let text = seen.lock().unwrap().clone();
    assert_eq!(text.matches("NAME ").count(), 1, "one header: {text}");
    assert!(text.lines().nth(1).unwrap().starts_with("team-a"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("team-b ")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("team-a ") && l.contains("Ready")), "{text}");
    let only = seen_only.lock().unwrap().clone();
    // Nothing listed first: the first line is the first change (team-a shows up later, when its status changed).
    assert_eq!(only.lines().next(), Some("personapack.sympozium.ai/team-b"), "{only}");
}

/// The table and `-o name` come from the server's printer columns (a Table,
/// kubectl's way: a tenth of the bytes), and say exactly what the objects
/// would: a pack never reconciled (no persona count yet) is read whole.
#[test]
fn the_table_comes_from_the_servers_columns_and_says_what_the_objects_say() {
    fixture_server("a pack no controller has reconciled beside one with hand-written status");
    let ns = Ns::new("listtable");
    let n = ns.as_str();
    apply(n, &pack_yaml("counted", "  enabled: true\n  workflowType: delegation"));
    patch_status(n, "personapack/counted", r#"{"phase":"Ready","installedCount":3,"personaCount":3}"#);
    apply(n, &pack_yaml("uncounted", "").replace("team: test", "team: other"));
    let without_age = |out: &str| -> Vec<String> {
        out.lines()
            .map(|l| {
                l.split_whitespace().filter(|w| !w.ends_with('s') || *w == "PERSONAS").collect::<Vec<_>>().join(" ")
            })
            .collect()
    };
    let r = run(plugin(&["list", "-n", n, "-L", "team", "--show-labels", "-v", "7"]).env("NO_COLOR", "1"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("Accept: application/json;as=Table;v=v1;g=meta.k8s.io"), "{}", r.stderr);
    // The objects' way (--sort-by needs them), in the same (name) order.
    let whole = run(plugin(&["list", "-n", n, "-L", "team", "--show-labels", "--sort-by=.metadata.name", "-v", "7"])
        .env("NO_COLOR", "1"));
    assert!(!whole.stderr.contains("as=Table"), "{}", whole.stderr);
    assert_eq!(without_age(&r.stdout), without_age(&whole.stdout));
    let rows: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(&rows[1][..6], ["counted", "true", "3", "3", "delegation", "Ready"], "{}", r.stdout);
    assert_eq!(&rows[2][..6], ["uncounted", "false", "3", "0", "autonomous", "-"], "{}", r.stdout);
    let r = run(&mut plugin(&["list", "-n", n, "-o", "name"]));
    assert_eq!(r.stdout, "personapack.sympozium.ai/counted\npersonapack.sympozium.ai/uncounted\n");
}

/// Many packs no controller has counted yet (a controller that is down, a
/// fresh cluster) are read as one list of the objects, not a GET each: the
/// table says what the objects say, in two requests at the server.
#[test]
fn many_uncounted_packs_are_one_list_not_a_get_each() {
    fixture_server("packs no controller has reconciled, so none has a persona count");
    let ns = Ns::new("listmany");
    let n = ns.as_str();
    let docs: Vec<String> = (0..60).map(|i| pack_yaml(&format!("team-{i:02}"), "")).collect();
    apply(n, &docs.join("---\n"));
    let mut table = String::new();
    let requests = requests_at_server(|kubeconfig| {
        let r = run(plugin(&["list", "-n", n]).env("KUBECONFIG", kubeconfig).env("NO_COLOR", "1"));
        assert_eq!(r.code, 0, "{}", r.stderr);
        table = r.stdout;
    });
    let lists: Vec<&String> = requests.iter().filter(|r| r.starts_with("list ")).collect();
    assert_eq!((lists.len(), requests.len()), (2, 2), "one Table page, then one page of the objects: {requests:#?}");
    let rows: Vec<Vec<&str>> = table.lines().skip(1).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 60, "{table}");
    assert!(rows.iter().all(|r| r[1..6] == ["false", "3", "0", "autonomous", "-"]), "{table}");
}

/// Past its first page, `list -A` reads what is left of each namespace at the
/// same time, and prints the rows of one list in one list's order (kubectl's,
/// by `<namespace>/<name>` byte by byte: `x-b`'s packs before `x`'s), none
/// twice, none missing; a watch still lists at one version.
#[test]
fn all_namespaces_past_the_first_page_reads_the_namespaces_at_once() {
    fixture_server("hand-written persona counts on many packs");
    // Named to sort after every other test's namespace: past the first page
    // only these two (and old runs' leftovers) are left to list.
    let base = Ns(format!("zz-spread-{}", std::process::id()));
    let other = Ns(format!("{}-b", base.as_str()));
    for ns in [&base, &other] {
        kubectl_ok(&["create", "namespace", ns.as_str()]);
    }
    let label = format!("spread=p{}", std::process::id());
    for ns in [&base, &other] {
        for i in 0..4 {
            let pack = pack_yaml(&format!("team-{i}"), "").replace("team: test", &label.replace('=', ": "));
            apply(ns.as_str(), &pack);
            patch_status(ns.as_str(), &format!("personapack/team-{i}"), r#"{"phase":"Ready","personaCount":3}"#);
        }
    }
    let mut ours = String::new();
    let requests = requests_at_server(|kubeconfig| {
        let r = run(plugin(&["list", "-A", "-l", &label, "--chunk-size", "3"]).env("KUBECONFIG", kubeconfig));
        assert_eq!(r.code, 0, "{}", r.stderr);
        ours = r.stdout;
    });
    let columns = |text: &str, n: usize| -> Vec<String> {
        text.lines().map(|l| l.split_whitespace().take(n).collect::<Vec<_>>().join(" ")).collect()
    };
    let theirs = kubectl_ok(&["get", "personapacks", "-A", "-l", &label]);
    assert_eq!(columns(&ours, 2), columns(&theirs, 2), "ours:\n{ours}\nkubectl's:\n{theirs}");
    assert_eq!(columns(&ours, 1)[1..4], [other.as_str(); 3], "{ours}");
    let per_namespace =
        |ns: &Ns| requests.iter().filter(|r| r.contains(&format!("/namespaces/{}/personapacks", ns.0))).count();
    assert!(requests.iter().any(|r| r.starts_with("list /api/v1/namespaces")), "{requests:#?}");
    // The first page's namespace is read again from its start (its rows past the page kept).
    assert_eq!((per_namespace(&other), per_namespace(&base)), (2, 2), "each namespace, 3 a page: {requests:#?}");
    // A watch starts from the version of one list: no spreading.
    let requests = requests_at_server(|kubeconfig| {
        let mut child = plugin(&["list", "-A", "-l", &label, "--chunk-size", "3", "-w"])
            .env("KUBECONFIG", kubeconfig)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let seen = Seen::default();
        collect(child.stdout.take().unwrap(), &seen);
        let _child = KillOnDrop(child);
        wait_for("list -w listing", 30, || {
            let seen = seen.lock().unwrap();
            if seen.lines().count() == 9 { Ok(()) } else { Err(seen.clone()) }
        });
        assert_eq!(columns(&seen.lock().unwrap(), 2), columns(&theirs, 2));
    });
    assert!(!requests.iter().any(|r| r.contains("/namespaces/")), "{requests:#?}");
}

//! kubectl's habits, as a kubectl user types them.

use crate::common::*;

fn spec(ns: &str, path: &str) -> String {
    kubectl_ok(&["get", "personapack", "team", "-n", ns, "-o", &format!("jsonpath={{{path}}}")])
}

/// List flags take one value (a comma list, or the flag repeated) and never
/// swallow the pack name after them; bare `--dry-run` means client.
#[test]
fn flags_before_the_pack_name_do_not_swallow_it() {
    let ns = Ns::new("flags");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", ""));
    let r = run(&mut plugin(&["enable", "--dry-run", "team", "-n", n, "--provider", "ollama", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.ends_with("personapack.sympozium.ai/team patched (dry run)\n"), "{}", r.stdout);
    assert_eq!(spec(n, ".spec.enabled"), "", "a dry run writes nothing");

    let r = run(&mut plugin(&["enable", "--exclude", "alpha,beta", "team", "-n", n, "--provider", "ollama", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(spec(n, ".spec.excludePersonas"), r#"["alpha","beta"]"#);
    let r = run(&mut plugin(&["enable", "--exclude", "gamma", "--exclude", "beta", "team", "-n", n, "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(spec(n, ".spec.excludePersonas"), r#"["gamma","beta"]"#);

    let r = run(&mut plugin(&["disable", "--persona", "alpha", "team", "-n", n, "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(spec(n, ".spec.excludePersonas"), r#"["gamma","beta","alpha"]"#);
    let r = run(&mut plugin(&["enable", "--persona", "alpha", "--persona", "beta", "team", "-n", n]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(spec(n, ".spec.excludePersonas"), r#"["gamma"]"#);
}

/// `-o` takes only what the command prints; the rest is refused in kubectl's words.
#[test]
fn output_formats_a_command_cannot_print_are_refused() {
    let ns = Ns::new("formats");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", ""));
    for (args, code) in [
        (vec!["status", "team", "-o", "wide"], 1),
        (vec!["status", "team", "-o", "name"], 1),
        (vec!["tree", "team", "-o", "wide"], 1),
        (vec!["tree", "team", "-o", "name"], 1),
        (vec!["diff", "team", "-o", "wide"], 2),
    ] {
        let mut a = args.clone();
        a.extend(["-n", n]);
        let r = run(&mut plugin(&a));
        assert_eq!(r.code, code, "{args:?}: {}", r.stdout);
        let format = args[3];
        assert_eq!(
            r.stderr.trim(),
            format!(
                "error: unable to match a printer suitable for the output format \"{format}\", allowed formats are: json,yaml"
            ),
            "{args:?}"
        );
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
}

/// Disabling what is already disabled says so and warns about nothing;
/// counts read as sentences.
#[test]
fn disabling_twice_says_so_and_counts_read_as_sentences() {
    let ns = Ns::new("twice");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", "  enabled: true"));
    wait_phase(n, "team", "Ready");
    wait_until("beta's memory", 60, || {
        kubectl(&["get", "configmap", "team-beta-memory", "-n", n]).status.success().then_some(())
    });
    let r = run(&mut plugin(&["disable", "team", "-n", n, "--persona", "beta", "--yes", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("Excluding beta from personapack \"team\" makes the Sympozium controller delete 1 SympoziumInstance, 0 SympoziumSchedules and 1 memory ConfigMap."),
        "{}",
        r.stderr
    );
    let r = run(&mut plugin(&["disable", "team", "-n", n, "--persona", "beta", "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.trim(), "personapack \"team\" already excludes beta");
    let r = run(&mut plugin(&["disable", "team", "-n", n, "--yes", "--wait"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.starts_with("Disabling personapack \"team\""), "{}", r.stderr);
    let r = run(&mut plugin(&["disable", "team", "-n", n, "--yes"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.trim(), "personapack \"team\" is already disabled");
    assert_eq!(r.stdout, "personapack.sympozium.ai/team patched (no change)\n");
}

/// kubectl's words for kubeconfig problems; a missing file named once.
#[test]
fn kubeconfig_problems_in_kubectls_words() {
    for (flag, what) in [("--context", "context"), ("--cluster", "cluster"), ("--user", "user")] {
        let r = run(&mut plugin(&["list", flag, "nope"]));
        assert_eq!(r.code, 1);
        assert_eq!(r.stderr.trim(), format!("error: {what} \"nope\" does not exist"));
    }
    let r = run(&mut plugin(&["list", "--kubeconfig", "/nonexistent/config"]));
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.trim(), "error: reading kubeconfig /nonexistent/config: no such file");
    assert_eq!(r.stderr.matches("/nonexistent/config").count(), 1);
}

/// kubectl's connection flags: a server and a token with no kubeconfig at
/// all, a CA or no verification, a client certificate, impersonation.
#[test]
fn kubectls_connection_flags() {
    let admin = std::fs::read_to_string(env().admin()).unwrap();
    let server = admin.lines().find_map(|l| l.trim().strip_prefix("server: ")).unwrap().to_string();
    let pki = env().dir.join("pki");
    let token = std::fs::read_to_string(pki.join("exec-token")).unwrap();
    let token = token.trim();
    let ca = pki.join("ca.crt").display().to_string();
    let bare = |args: &[&str]| {
        let mut a = vec!["list", "-n", "sympozium-system"];
        a.extend(args);
        run(plugin(&a).env("KUBECONFIG", "/nonexistent/kubeconfig"))
    };
    for args in [
        vec!["-s", server.as_str(), "--certificate-authority", ca.as_str(), "--token", token],
        vec!["--server", server.as_str(), "--insecure-skip-tls-verify", "--token", token],
        vec!["-s", server.as_str(), "--insecure-skip-tls-verify", "--token", token, "--disable-compression"],
    ] {
        let r = bare(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("platform-team"), "{}", r.stdout);
    }
    // Without a CA the server's certificate is refused.
    let r = bare(&["-s", server.as_str(), "--token", token, "--request-timeout", "5s"]);
    assert_eq!(r.code, 1, "{}", r.stdout);

    // Over the kubeconfig: another user's certificate, or impersonation, as the admin.
    let limited = [
        "--client-certificate",
        &pki.join("limited.crt").display().to_string(),
        "--client-key",
        &pki.join("limited.key").display().to_string(),
    ]
    .map(String::from);
    for extra in [limited.to_vec(), vec!["--as".to_string(), "limited".to_string()]] {
        let mut a = vec!["list", "-n", "default"];
        a.extend(extra.iter().map(String::as_str));
        let r = run(&mut plugin(&a));
        assert_eq!(r.code, 1, "{extra:?}: {}", r.stdout);
        assert!(r.stderr.contains("User \"limited\" cannot list resource \"personapacks\""), "{extra:?}: {}", r.stderr);
    }
    let r = run(&mut plugin(&["list", "-n", "default", "--as", "someone", "--as-group", "system:masters"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `--into` makes a clean copy (no last-applied annotation, no exclusions
/// unless asked, no status, owners or finalizers of the source) and creates
/// a missing namespace only when told to.
#[test]
fn into_makes_a_clean_copy_and_creates_the_namespace_only_when_told() {
    let src = Ns::new("intosrc");
    let s = src.as_str();
    // Applied with kubectl apply: it carries the last-applied annotation; then reconciled (finalizer, status).
    apply(
        s,
        &pack_yaml("team", "  excludePersonas: [beta]")
            .replace("labels: {team: test}", "labels: {team: test}\n  annotations: {note: kept}"),
    );
    let target = format!("{s}-copy");
    let enable = |extra: &[&str]| {
        let mut a = vec!["enable", "team", "-n", s, "--into", target.as_str(), "--provider", "ollama", "--yes"];
        a.extend(extra);
        run(&mut plugin(&a))
    };
    let r = enable(&[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(
        r.stderr.trim(),
        format!("error: namespace \"{target}\" not found: create it, or pass --create-namespace")
    );
    assert!(!kubectl(&["get", "namespace", &target]).status.success(), "nothing was created");

    let r = enable(&["--create-namespace"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("namespace/{target} created")), "{}", r.stderr);
    let copy: serde_json::Value =
        serde_json::from_str(&kubectl_ok(&["get", "personapack", "team", "-n", &target, "-o", "json"])).unwrap();
    let annotations = &copy["metadata"]["annotations"];
    assert_eq!(annotations["note"], "kept");
    assert!(annotations.get("kubectl.kubernetes.io/last-applied-configuration").is_none(), "{annotations}");
    assert!(copy["spec"]["excludePersonas"].is_null(), "the copy starts whole: {}", copy["spec"]);
    assert_eq!(copy["metadata"]["labels"]["team"], "test");
    assert!(copy["metadata"]["ownerReferences"].is_null());
    let _ = kubectl(&["delete", "namespace", &target, "--wait=false"]);
}

/// `-v 6`: one kubectl-style line per API request — as many as the server
/// received (its audit log) — with verb, URL, status and milliseconds; 7 adds
/// request headers, 8 bodies and response headers. Never a Secret's body, the
/// key, or the kubeconfig's token, and cluster text in bodies stays escaped.
#[test]
fn verbose_levels_log_every_request_and_never_a_credential() {
    const KEY: &str = "sk-verbose-5e4d3c2b1a";
    let ns = Ns::new("verbose");
    let n = ns.as_str();
    apply(n, &pack_yaml("team", "  taskOverride: \"\\e]0;owned\\a\\e[2J\""));
    let server = kubectl_ok(&["config", "view", "--minify", "-o", "jsonpath={.clusters[0].cluster.server}"]);

    let mut logged = Vec::new();
    let received = requests_at_server(|kubeconfig| {
        let r = run(plugin(&["status", "team", "-n", n, "-v", "6"]).env("KUBECONFIG", kubeconfig));
        assert_eq!(r.code, 0, "{}", r.stderr);
        logged = r.stderr.lines().filter(|l| l.contains("] \"Response\" verb=")).map(String::from).collect();
    });
    assert!(logged.len() > 1, "one line per request: {logged:?}");
    assert_eq!(logged.len(), received.len(), "lines {logged:#?}\nreceived by the server {received:#?}");
    let pack_get = format!(
        "] \"Response\" verb=\"GET\" url=\"{server}/apis/sympozium.ai/v1alpha1/namespaces/{n}/personapacks/team\" status=\"200 OK\" milliseconds="
    );
    let line = logged.iter().find(|l| l.contains(&pack_get)).unwrap_or_else(|| panic!("no {pack_get} in {logged:#?}"));
    assert!(line.starts_with('I') && line.split(' ').nth(1).is_some_and(|t| t.len() == 15), "klog header: {line}");

    let token = std::fs::read_to_string(env().dir.join("pki/counted-token")).unwrap().trim().to_string();
    let r = run_with_stdin(
        plugin(&["enable", "team", "-n", n, "--provider", "openai", "--api-key-stdin", "-v", "9"])
            .env("KUBECONFIG", env().dir.join("counted.kubeconfig")),
        KEY,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let err = &r.stderr;
    assert!(!err.contains(KEY) && !err.contains(&token) && !err.contains("c2stdmVyYm9zZS01ZTRkM2MyYjFh"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "raw escapes reached stderr");
    assert!(err.contains("\\\\u001b]0;owned"), "the objective is shown escaped in the pack's body: {err}");
    let secret_post = format!("\"Request\" verb=\"POST\" url=\"{server}/api/v1/namespaces/{n}/secrets");
    assert!(err.contains(&secret_post), "{err}");
    assert!(err.contains("\"Request Body\" body=\"[redacted: a Secret's body is never printed]\""), "{err}");
    assert!(err.contains("\tContent-Type: application/merge-patch+json"), "request headers at 7+: {err}");
    assert!(
        err.contains("\\\"authRefs\\\":[{\\\"provider\\\":\\\"openai\\\",\\\"secret\\\":\\\"team-openai-key\\\"}]"),
        "{err}"
    );
    assert!(err.contains("\tAudit-Id: "), "response headers at 8+: {err}");

    // 7: headers, no bodies.
    let r = run(&mut plugin(&["describe", "team", "-n", n, "-v", "7"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("\"Request\" verb=\"GET\"")
            && r.stderr.contains("\"Response\" status=\"200 OK\" milliseconds=")
    );
    assert!(!r.stderr.contains("Body"), "{}", r.stderr);
}

/// A kubeconfig whose user reads its token from a file (`tokenFile`), with the
/// trailing newline such files have: kubectl trims it, so does the plugin.
#[test]
fn a_token_file_kubeconfig_authenticates() {
    let r = run(plugin(&["list", "-n", "sympozium-system"]).env("KUBECONFIG", env().dir.join("counted.kubeconfig")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("platform-team"), "{}", r.stdout);
    let token = std::fs::read_to_string(env().dir.join("pki/counted-token")).unwrap();
    assert!(token.ends_with('\n'), "the file under test ends in a newline");
}

/// `KUBECONFIG` with several paths is merged as kubectl merges it (missing
/// files skipped, the first file to name a context wins); `--context`,
/// `--cluster` and `--user` pick from the merged file; global flags may stand
/// before the subcommand; `ls` is `list`.
#[test]
fn kubeconfig_paths_merge_and_context_cluster_user_choose() {
    let dir = tempfile::tempdir().unwrap();
    // The limited user's file, renamed so both users and contexts coexist.
    let limited = std::fs::read_to_string(env().limited())
        .unwrap()
        .replace("- name: local\n  cluster:", "- name: local-limited\n  cluster:")
        .replace("- name: local\n  context:", "- name: limited\n  context:")
        .replace("cluster: local,", "cluster: local-limited,")
        .replace("current-context: local", "current-context: limited");
    let limited_path = dir.path().join("limited");
    std::fs::write(&limited_path, limited).unwrap();
    let join = |paths: &[&std::path::Path]| std::env::join_paths(paths).unwrap();
    let missing = dir.path().join("missing");
    let admin = env().admin();
    let list = |kubeconfig: &std::ffi::OsStr, args: &[&str]| {
        let mut a = vec!["list", "-n", "sympozium-system"];
        a.extend(args);
        let r = run(plugin(&a).env("KUBECONFIG", kubeconfig));
        let k = std::process::Command::new(env().bin.join("kubectl"))
            .args(["get", "personapacks", "-n", "sympozium-system"])
            .args(args)
            .env("KUBECONFIG", kubeconfig)
            .output()
            .unwrap();
        assert_eq!(r.code, k.status.code().unwrap(), "kubectl agrees on {args:?}: {}", r.stderr);
        r
    };
    // The first file's current context is the limited user's: refused, as kubectl is.
    let both = join(&[&missing, &limited_path, &admin]);
    let r = list(&both, &[]);
    assert!(r.stderr.contains("User \"limited\" cannot list"), "{}", r.stderr);
    // The admin file first: its context.
    let r = list(&join(&[&missing, &admin, &limited_path]), &[]);
    assert!(r.stdout.contains("platform-team"), "{}", r.stderr);
    // --context picks the admin's context out of the merged file; --user and --cluster override its parts.
    let r = list(&both, &["--context", "local"]);
    assert!(r.stdout.contains("platform-team"), "{}", r.stderr);
    let r = list(&both, &["--context", "local", "--user", "limited"]);
    assert!(r.stderr.contains("User \"limited\" cannot list"), "{}", r.stderr);
    let r = list(&both, &["--context", "limited", "--user", "admin", "--cluster", "local"]);
    assert!(r.stdout.contains("platform-team"), "{}", r.stderr);

    // Global flags before the subcommand, and the alias.
    let r = run(&mut plugin(&["-n", "sympozium-system", "--request-timeout", "20s", "ls", "-o", "name"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.lines().any(|l| l == "personapack.sympozium.ai/platform-team"), "{}", r.stdout);
}

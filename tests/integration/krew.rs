//! Installing through the real krew (built from sigs.k8s.io/krew), and shell
//! completion through kubectl's own entry point and a real bash.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// Serve files of `dir` over HTTP on 127.0.0.1 (krew downloads archives by URI).
fn serve(dir: PathBuf) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let mut line = String::new();
            let _ = BufReader::new(&s).read_line(&mut line);
            let name = line.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
            match std::fs::read(dir.join(&name)) {
                Ok(body) if !name.contains("..") => {
                    let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                    let _ = s.write_all(&body);
                }
                _ => {
                    let _ = s.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                }
            }
        }
    });
    port
}

fn krew(root: &Path, args: &[&str]) -> Run {
    let path = std::env::join_paths(
        [root.join("bin"), env().bin.clone()]
            .into_iter()
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    run(Command::new(env().bin.join("kubectl"))
        .args(args)
        .env("KREW_ROOT", root)
        .env("PATH", path)
        .env("KUBECONFIG", env().admin())
        .env("NO_COLOR", "1"))
}

#[test]
fn krew_validates_installs_runs_and_uninstalls_the_plugin() {
    let out = tempfile::tempdir().unwrap();
    let port = serve(out.path().to_path_buf());
    let release = run(Command::new("bash")
        .arg(repo().join("scripts/release.sh"))
        .arg(out.path())
        .env("RELEASE_BINARY", env!("CARGO_BIN_EXE_kubectl-personapack"))
        .env("RELEASE_BASE_URL", format!("http://127.0.0.1:{port}")));
    assert_eq!(release.code, 0, "{}", release.stderr);
    let manifest = PathBuf::from(release.stdout.trim());
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(text.contains(&format!("version: v{}", env!("CARGO_PKG_VERSION"))), "{text}");
    assert!(!text.contains("{{"), "{text}");
    let archive = std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .unwrap();
    let listing = run(Command::new("tar").arg("-tzf").arg(&archive));
    let mut files: Vec<&str> = listing.stdout.lines().collect();
    files.sort();
    assert_eq!(files, ["LICENSE", "kubectl-personapack"]);

    // krew's own validator (it installs each platform through kubectl krew).
    let root = tempfile::tempdir().unwrap();
    let v = run(Command::new(env().bin.join("validate-krew-manifest"))
        .arg("-manifest")
        .arg(&manifest)
        .env(
            "PATH",
            std::env::join_paths([env().bin.clone(), PathBuf::from("/usr/bin"), PathBuf::from("/bin")]).unwrap(),
        )
        .env("KREW_ROOT", root.path()));
    assert_eq!(v.code, 0, "{}\n{}", v.stdout, v.stderr);

    // Install from the manifest and archive, run through kubectl, uninstall.
    let root = tempfile::tempdir().unwrap();
    let r = krew(
        root.path(),
        &[
            "krew",
            "install",
            &format!("--manifest={}", manifest.display()),
            &format!("--archive={}", archive.display()),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(root.path().join("bin/kubectl-personapack").exists());
    let r = krew(root.path(), &["personapack", "list", "-n", "sympozium-system", "--color", "never"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("platform-team"), "{}", r.stdout);

    // The custom index layout, as a local git repository: add it, install from it.
    let index = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(index.path().join("plugins")).unwrap();
    std::fs::copy(&manifest, index.path().join("plugins/personapack.yaml")).unwrap();
    for args in [
        vec!["init", "-q"],
        vec!["add", "-A"],
        vec!["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "index"],
    ] {
        assert!(Command::new("git").args(&args).current_dir(index.path()).status().unwrap().success());
    }
    let r = krew(root.path(), &["krew", "index", "add", "local", &format!("file://{}", index.path().display())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = krew(root.path(), &["krew", "uninstall", "personapack"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!root.path().join("bin/kubectl-personapack").exists());
    let r = krew(root.path(), &["krew", "install", "local/personapack"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = krew(root.path(), &["personapack", "describe", "platform-team", "-n", "sympozium-system"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = krew(root.path(), &["krew", "uninstall", "personapack"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!root.path().join("bin/kubectl-personapack").exists());
}

#[test]
fn the_index_layout_carries_the_release_template() {
    let template = std::fs::read_to_string(repo().join("krew/personapack.yaml")).unwrap();
    let index = std::fs::read_to_string(repo().join("krew/index/plugins/personapack.yaml")).unwrap();
    assert_eq!(template, index, "krew/index/plugins/personapack.yaml must match krew/personapack.yaml");
    assert!(template.contains("  version: v{{VERSION}}\n"), "the version comes from Cargo.toml at release");
    let short = template.lines().find_map(|l| l.trim().strip_prefix("shortDescription: ")).unwrap();
    assert!(short.len() <= 50, "{short}");
    let mut in_description = false;
    for l in template.lines() {
        if l.starts_with("  description:") {
            in_description = true;
            continue;
        }
        if in_description && !l.starts_with("    ") {
            break;
        }
        if in_description {
            assert!(l.len() <= 80, "description wider than 80 columns: {l}");
            assert!(!l.contains("kubectl personapack "), "no usage examples in the description: {l}");
        }
    }
    assert!(!template.contains("sha256: \"") || template.contains("{{SHA256_"), "never a made-up checksum");
    for p in [
        "linux, arch: amd64",
        "linux, arch: arm64",
        "darwin, arch: amd64",
        "darwin, arch: arm64",
        "windows, arch: amd64",
    ] {
        assert!(template.contains(&format!("os: {p}")), "platform {p}");
    }
}

/// kubectl's completion entry point, asking the plugin through
/// completions/kubectl_complete-personapack on PATH.
#[test]
fn kubectl_completes_subcommands_packs_and_personas() {
    let ns = Ns::new("complete");
    apply(ns.as_str(), &pack_yaml("team", ""));
    apply(ns.as_str(), &pack_yaml("tools", ""));
    let complete_in = |kubeconfig: &std::ffi::OsStr, args: &[&str]| -> Vec<String> {
        let path = std::env::join_paths(
            [repo().join("completions")].into_iter().chain(std::env::split_paths(&path_with_plugin())),
        )
        .unwrap();
        let mut all = vec!["__complete", "personapack"];
        all.extend(args);
        let r = run(Command::new(env().bin.join("kubectl")).args(&all).env("PATH", path).env("KUBECONFIG", kubeconfig));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout.lines().filter(|l| !l.starts_with(':')).map(String::from).collect()
    };
    let admin = env().admin();
    let complete = |args: &[&str]| complete_in(admin.as_os_str(), args);
    assert_eq!(complete(&["de"]), ["describe"]);
    assert!(complete(&[""]).contains(&"tree".to_string()));
    assert_eq!(complete(&["describe", "-n", ns.as_str(), ""]), ["team", "tools"]);
    assert_eq!(complete(&["status", "-n", ns.as_str(), "te"]), ["team"]);
    assert_eq!(complete(&["disable", "team", "-n", ns.as_str(), "--persona", ""]), ["alpha", "beta", "gamma"]);
    assert_eq!(complete(&["enable", "team", "-n", ns.as_str(), "--exclude", "alpha,b"]), ["alpha,beta"]);
    assert_eq!(complete(&["list", "-o", "y"]), ["yaml"]);
    // Namespaces, from the live cluster.
    // (the whole name: other tests' namespaces share every shorter prefix)
    let prefix = ns.as_str();
    assert_eq!(complete(&["list", "-n", prefix]), [ns.as_str()]);
    assert_eq!(complete(&["status", "--namespace", prefix]), [ns.as_str()]);
    // The --kubeconfig and --context typed so far choose the cluster asked:
    // the namespace exists on the main server only, not the fixture server.
    let fixture = env().fixture().display().to_string();
    assert!(complete(&["list", "--kubeconfig", &fixture, "-n", prefix]).is_empty());
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("fixture");
    std::fs::write(
        &renamed,
        std::fs::read_to_string(env().fixture())
            .unwrap()
            .replace("- name: local\n  cluster:", "- name: fixture\n  cluster:")
            .replace("- name: local\n  context:", "- name: fixture\n  context:")
            .replace("cluster: local,", "cluster: fixture,")
            .replace("current-context: local", "current-context: fixture"),
    )
    .unwrap();
    let merged = std::env::join_paths([renamed.as_path(), env().admin().as_path()]).unwrap();
    assert!(complete_in(&merged, &["list", "-n", prefix]).is_empty(), "the fixture's context is current");
    assert_eq!(complete_in(&merged, &["list", "--context", "local", "-n", prefix]), [ns.as_str()]);
    assert_eq!(complete_in(&merged, &["--context=local", "describe", "-n", ns.as_str(), "t"]), ["team", "tools"]);
}

/// The committed bash completion, sourced in a real bash.
#[test]
fn bash_completion_completes_a_subcommand() {
    let script = format!(
        "source '{}'; COMP_WORDS=(kubectl-personapack de); COMP_CWORD=1; COMP_LINE='kubectl-personapack de'; COMP_POINT=${{#COMP_LINE}}; _kubectl__personapack kubectl-personapack de kubectl-personapack; echo \"${{COMPREPLY[@]}}\"",
        repo().join("completions/kubectl-personapack.bash").display()
    );
    let r = run(Command::new("bash").arg("-c").arg(script));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "describe");
    let script = format!(
        "source '{}'; COMP_WORDS=(kubectl-personapack list --no); COMP_CWORD=2; COMP_LINE='kubectl-personapack list --no'; COMP_POINT=${{#COMP_LINE}}; _kubectl__personapack kubectl-personapack --no list; echo \"${{COMPREPLY[@]}}\"",
        repo().join("completions/kubectl-personapack.bash").display()
    );
    let r = run(Command::new("bash").arg("-c").arg(script));
    assert!(r.stdout.contains("--no-headers"), "{}", r.stdout);
}

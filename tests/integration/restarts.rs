//! `--wait` and `list -w` ride out a restart of the API server and of the
//! Sympozium controller. Restarting the shared ones would disturb every other
//! test, so this test starts its own: a kube-apiserver on the environment's
//! etcd under a prefix of its own, and a Sympozium controller for it, each from
//! the command line the environment runs them with (so they are the same
//! binaries and flags), then kills and restarts them mid-wait.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::*;

/// The command line of one of the environment's processes (from its pid).
fn cmdline(name: &str) -> Vec<String> {
    let pids = std::fs::read_to_string(env().dir.join("pids")).unwrap();
    let pid = pids.lines().find_map(|l| l.strip_prefix(&format!("{name} "))).unwrap().split(' ').next().unwrap();
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    raw.split(|b| *b == 0).filter(|a| !a.is_empty()).map(|a| String::from_utf8_lossy(a).into_owned()).collect()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A process of the test's own, killed when dropped.
struct Owned {
    args: Vec<String>,
    child: Option<Child>,
    log: PathBuf,
}

impl Owned {
    fn start(args: Vec<String>, log: PathBuf) -> Owned {
        let mut o = Owned { args, child: None, log };
        o.restart();
        o
    }
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
    fn restart(&mut self) {
        self.kill();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).unwrap();
        let child = Command::new(&self.args[0])
            .args(&self.args[1..])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Wait (at most `secs`) until `out` holds `needle`; else fail showing it.
fn wait_for_text(out: &Seen, needle: &str, secs: u64) {
    wait_for(&format!("{needle:?} printed"), secs, || {
        let out = out.lock().unwrap();
        if out.contains(needle) { Ok(()) } else { Err(out.clone()) }
    });
}

/// `--flag=value` or `-flag value` replaced in a command line.
fn set(args: &mut [String], flag: &str, value: &str) {
    if let Some(a) = args.iter_mut().find(|a| a.starts_with(&format!("{flag}="))) {
        *a = format!("{flag}={value}");
        return;
    }
    let i = args.iter().position(|a| a == flag).unwrap_or_else(|| panic!("{flag} in {args:?}"));
    args[i + 1] = value.to_string();
}

#[test]
fn wait_and_watch_ride_out_restarts_of_the_api_server_and_the_controller() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A private API server: same binary and flags as the fixture server, its own port and etcd prefix.
    let port = free_port();
    let mut api = cmdline("fixture-apiserver");
    set(&mut api, "--secure-port", &port.to_string());
    set(&mut api, "--etcd-prefix", &format!("/restarts-{}", std::process::id()));
    set(&mut api, "--cert-dir", &d.join("certs").display().to_string());
    set(&mut api, "--audit-log-path", &d.join("audit.log").display().to_string());
    let mut api = Owned::start(api, d.join("apiserver.log"));
    let admin = std::fs::read_to_string(env().admin()).unwrap();
    let main_port =
        admin.lines().find_map(|l| l.trim().strip_prefix("server: https://127.0.0.1:")).unwrap().to_string();
    let kubeconfig = d.join("kubeconfig");
    std::fs::write(&kubeconfig, admin.replace(&format!("127.0.0.1:{main_port}"), &format!("127.0.0.1:{port}")))
        .unwrap();
    let k = |args: &[&str]| {
        Command::new(env().bin.join("kubectl"))
            .args(args)
            .env("KUBECONFIG", &kubeconfig)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    };
    let ready = |what: &str| {
        wait_until(what, 90, || k(&["get", "--raw", "/readyz"]).status.success().then_some(()));
    };
    ready("the private API server");
    let crds = upstream().join("sympozium-v0.8.28/config/crd/bases");
    let crds = crds.display().to_string();
    assert!(k(&["apply", "--server-side", "-f", &crds]).status.success());
    assert!(k(&["wait", "--for=condition=Established", "--timeout=60s", "-f", &crds]).status.success());

    // A private controller for it.
    let mut ctrl = cmdline("sympozium-controller");
    set(&mut ctrl, "-kubeconfig", &kubeconfig.display().to_string());
    set(&mut ctrl, "-metrics-bind-address", &format!("127.0.0.1:{}", free_port()));
    set(&mut ctrl, "-health-probe-bind-address", &format!("127.0.0.1:{}", free_port()));
    let mut ctrl = Owned::start(ctrl, d.join("controller.log"));

    assert!(k(&["create", "namespace", "team-ns"]).status.success());
    let apply_pack = |name: &str| {
        let mut child = Command::new(env().bin.join("kubectl"))
            .args(["apply", "-n", "team-ns", "-f", "-"])
            .env("KUBECONFIG", &kubeconfig)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(pack_yaml(name, "").as_bytes()).unwrap();
        assert!(child.wait().unwrap().success());
    };
    apply_pack("team");
    let finalized = || {
        let out = k(&["get", "personapack", "team", "-n", "team-ns", "-o", "jsonpath={.metadata.finalizers}"]);
        String::from_utf8_lossy(&out.stdout).contains("personapack-finalizer").then_some(())
    };
    wait_until("the private controller's finalizer", 60, finalized);

    // The controller goes away; the pack is enabled: nothing can make it Ready yet.
    ctrl.kill();
    assert!(
        k(&["patch", "personapack", "team", "-n", "team-ns", "--type=merge", "-p", r#"{"spec":{"enabled":true}}"#])
            .status
            .success()
    );
    let follow = |args: &[&str]| {
        let mut child =
            plugin(args).env("KUBECONFIG", &kubeconfig).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let seen = Seen::default();
        collect(child.stdout.take().unwrap(), &seen);
        collect(child.stderr.take().unwrap(), &seen);
        (child, seen)
    };
    let (mut wait, wait_out) = follow(&["status", "team", "-n", "team-ns", "--wait", "--timeout", "150s"]);
    let (mut watch, watch_out) = follow(&["list", "-n", "team-ns", "-w", "-o", "name"]);
    let (mut redraw, redraw_out) = follow(&["status", "team", "-n", "team-ns", "--watch"]);
    wait_for_text(&wait_out, "personas installed", 30);
    wait_for_text(&watch_out, "/team", 30);

    // The API server restarts.
    api.kill();
    wait_for_text(&wait_out, "waiting for the API server", 30);
    wait_for_text(&redraw_out, "(looking again when the server is back)", 30);
    // A deliberate outage of a while (not synchronisation): the waits must ride it out.
    std::thread::sleep(Duration::from_secs(2));
    api.restart();
    ready("the restarted API server");
    // A change made after the restart reaches the watch, which reconnected on its own.
    apply_pack("team-b");
    wait_for_text(&watch_out, "personapack.sympozium.ai/team-b", 60);
    assert!(watch.try_wait().unwrap().is_none(), "the watch ended: {}", watch_out.lock().unwrap());

    // The controller comes back: the wait sees the pack Ready and ends well.
    ctrl.restart();
    let status = wait_until("the wait to end", 120, || wait.try_wait().unwrap());
    let text = wait_out.lock().unwrap().clone();
    assert!(status.success(), "{text}");
    assert!(text.contains("personapack.sympozium.ai/team Ready"), "{text}");
    // status --watch went on through it all, and shows the pack Ready now.
    wait_for_text(&redraw_out, "PersonaPack team-ns/team: Ready", 30);
    assert!(redraw.try_wait().unwrap().is_none(), "status --watch ended");
    let _ = redraw.kill();
    let _ = redraw.wait();
    let _ = watch.kill();
    let _ = watch.wait();
}

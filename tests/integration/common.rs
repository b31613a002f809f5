//! The shared test environment: the real control plane from tests/cluster,
//! started once per test run (or reused when PERSONAPACK_TESTENV points at a
//! running one), each test in its own namespace.
//!
//! The main API server runs the real Sympozium v0.8.28 controller. A test that
//! needs a state no running controller leaves in place (a pack nothing has
//! reconciled, hand-written status) calls `fixture_server("why")` first: from
//! then on its helpers and plugin runs target the "fixture" API server, which
//! has the same upstream CRDs and no controller.
//!
//! If the environment cannot start, every test fails with the reason: an
//! integration test here never skips silently.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestEnv {
    pub dir: PathBuf,
    pub bin: PathBuf,
}

impl TestEnv {
    pub fn admin(&self) -> PathBuf {
        self.dir.join("admin.kubeconfig")
    }
    pub fn limited(&self) -> PathBuf {
        self.dir.join("limited.kubeconfig")
    }
    pub fn bare(&self) -> PathBuf {
        self.dir.join("bare.kubeconfig")
    }
    pub fn fixture(&self) -> PathBuf {
        self.dir.join("fixture.kubeconfig")
    }
    /// The Ensemble-era server (Sympozium v0.10.46's CRDs and controller).
    pub fn ensemble(&self) -> PathBuf {
        self.dir.join("ensemble.kubeconfig")
    }
    /// The server upgrade.sh starts and upgrades (the migration tests').
    pub fn upgrade(&self) -> PathBuf {
        self.dir.join("upgrade.kubeconfig")
    }
    /// The admin kubeconfig of the server this test targets (see
    /// `fixture_server`, `ensemble_server`, `upgrade_server`).
    pub fn current(&self) -> PathBuf {
        if ON_UPGRADE_SERVER.get() {
            self.upgrade()
        } else if ON_FIXTURE_SERVER.get() {
            self.fixture()
        } else if ON_ENSEMBLE_SERVER.get() {
            self.ensemble()
        } else {
            self.admin()
        }
    }
}

thread_local! {
    static ON_FIXTURE_SERVER: Cell<bool> = const { Cell::new(false) };
    static ON_ENSEMBLE_SERVER: Cell<bool> = const { Cell::new(false) };
    static ON_UPGRADE_SERVER: Cell<bool> = const { Cell::new(false) };
}

/// Start a fresh server running Sympozium v0.8.28 (tests/cluster/upgrade.sh)
/// and point this test at it; `upgrade_step("upgrade")` then upgrades it
/// to v0.10.46. One test at a time may hold it (the guard).
pub fn upgrade_server() -> std::sync::MutexGuard<'static, ()> {
    static ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = ONE.lock().unwrap_or_else(|e| e.into_inner());
    upgrade_step("start");
    ON_UPGRADE_SERVER.set(true);
    guard
}

/// Run a step of tests/cluster/upgrade.sh on the environment.
pub fn upgrade_step(step: &str) {
    let out = Command::new("bash")
        .arg(repo().join("tests/cluster/upgrade.sh"))
        .args(["--dir".as_ref(), env().dir.as_os_str(), step.as_ref()])
        .stdin(Stdio::null())
        .output()
        .expect("running tests/cluster/upgrade.sh");
    assert!(out.status.success(), "upgrade.sh {step} failed:\n{}", String::from_utf8_lossy(&out.stderr));
}

/// Point this test (its thread: `plugin`, `kubectl`, `Ns`) at the
/// Ensemble-era control plane: the real Sympozium v0.10.46 controller.
pub fn ensemble_server() {
    ON_ENSEMBLE_SERVER.set(true);
}

/// Point this test (its thread) at the controller-less fixture API server.
/// `why` names the state the real controller cannot be made to hold still;
/// it is the comment the call site owes, kept where the reader sees it.
pub fn fixture_server(why: &str) {
    assert!(!why.is_empty(), "say why this test cannot run against the real controller");
    ON_FIXTURE_SERVER.set(true);
}

/// The published Sympozium/kubectl-tree sources (../shared/upstream).
pub fn upstream() -> PathBuf {
    std::env::var_os("SYMPOZIUM_UPSTREAM").map(PathBuf::from).unwrap_or_else(|| repo().join("../shared/upstream"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn env() -> &'static TestEnv {
    // A failed start is remembered: every later test fails at once with the
    // same reason, instead of each one retrying up.sh in turn.
    static ENV: OnceLock<Result<TestEnv, String>> = OnceLock::new();
    let env = ENV.get_or_init(|| {
        let dir = match std::env::var_os("PERSONAPACK_TESTENV") {
            Some(d) => PathBuf::from(d),
            None => repo().join("target").join(format!("testenv-{}", std::process::id())),
        };
        // up.sh reuses a healthy environment in `dir`, else starts one that
        // dies with this process (--owner-pid).
        let out = Command::new("bash")
            .arg(repo().join("tests/cluster/up.sh"))
            .arg("--dir")
            .arg(&dir)
            .arg("--owner-pid")
            .arg(std::process::id().to_string())
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("running tests/cluster/up.sh: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "the test control plane did not start (tests/cluster/up.sh):\n{}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let bin = std::fs::canonicalize(dir.join("bin")).map_err(|e| format!("testenv bin dir: {e}"))?;
        Ok(TestEnv { dir, bin })
    });
    match env {
        Ok(e) => e,
        Err(why) => panic!("{why}"),
    }
}

/// PATH with the plugin (as cargo built it) and the environment's kubectl first.
pub fn path_with_plugin() -> String {
    let plugin_dir = Path::new(env!("CARGO_BIN_EXE_kubectl-personapack")).parent().unwrap().to_path_buf();
    let mut parts = vec![plugin_dir, env().bin.clone()];
    parts.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(parts).unwrap().into_string().unwrap()
}

/// `kubectl personapack ARGS` through kubectl's own plugin discovery, as admin.
pub fn plugin(args: &[&str]) -> Command {
    let mut c = Command::new(env().bin.join("kubectl"));
    c.arg("personapack").args(args);
    c.env("PATH", path_with_plugin())
        .env("KUBECONFIG", env().current())
        .env("KUBECACHEDIR", discovery_cache())
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .stdin(Stdio::null());
    c
}

/// The plugin's discovery cache in tests: the environment's own (its servers'
/// ports are its own), not the user's `~/.kube/cache`.
pub fn discovery_cache() -> PathBuf {
    env().dir.join("kube-cache")
}

/// The test environment's kubectl, as admin.
pub fn kubectl(args: &[&str]) -> Output {
    Command::new(env().bin.join("kubectl"))
        .args(args)
        .env("KUBECONFIG", env().current())
        .stdin(Stdio::null())
        .output()
        .expect("running kubectl")
}

/// kubectl that must succeed; returns stdout.
pub fn kubectl_ok(args: &[&str]) -> String {
    let out = kubectl(args);
    assert!(out.status.success(), "kubectl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// `kubectl apply -f -` of YAML text.
pub fn apply(namespace: &str, yaml: &str) {
    use std::io::Write;
    let mut child = Command::new(env().bin.join("kubectl"))
        .args(["apply", "-n", namespace, "-f", "-"])
        .env("KUBECONFIG", env().current())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(yaml.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "kubectl apply failed: {}\n{yaml}", String::from_utf8_lossy(&out.stderr));
    if ON_FIXTURE_SERVER.get() {
        return;
    }
    // The real controller answers every new or changed pack with a finalizer
    // and status updates; let that first reconcile land, so a test that
    // reads the pack next sees it settled.
    let docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(yaml).unwrap_or_default();
    for d in docs.iter().filter(|d| d["kind"] == "PersonaPack") {
        let name = d["metadata"]["name"].as_str().unwrap_or_default();
        let ns = d["metadata"]["namespace"].as_str().unwrap_or(namespace);
        // Its first step is the finalizer (a status may take long: one
        // request per persona comes before it).
        let seen = || {
            kubectl_ok(&["get", "personapack", name, "-n", ns, "-o", "jsonpath={.metadata.finalizers}{.status.phase}"])
        };
        wait_until(&format!("the controller reconciling {name}"), 60, || (!seen().is_empty()).then_some(()));
    }
}

/// Merge-patch an object's status subresource: hand-written status, only on
/// the fixture server (the real controller would overwrite it at once).
pub fn patch_status(namespace: &str, resource: &str, status: &str) {
    assert!(ON_FIXTURE_SERVER.get(), "hand-written status belongs on the fixture server (see fixture_server)");
    kubectl_ok(&[
        "patch",
        "-n",
        namespace,
        resource,
        "--subresource=status",
        "--type=merge",
        "-p",
        &format!("{{\"status\":{status}}}"),
    ]);
}

/// The requests the API server (the one this test targets) received while `f`
/// ran, as `"verb requestURI"`, counted from the server's audit log. Runs in
/// `f` pass the kubeconfig it is given (user "counted", token from a file): the
/// only user audited, and one counting test at a time (a lock), so every event
/// is the run's own.
pub fn requests_at_server(f: impl FnOnce(&Path)) -> Vec<String> {
    counting().requests(f)
}

/// The counted user's server to oneself: while this is held, no other
/// counting test runs. A test whose own processes send requests outside the
/// window it counts (watchers starting, redrawing) holds it for their whole life.
pub struct Counting(#[allow(dead_code)] std::sync::MutexGuard<'static, ()>);

/// The audit log of the server this test runs on, and its counted user's kubeconfig.
fn audit_log() -> PathBuf {
    let log = if ON_FIXTURE_SERVER.get() { "fixture-apiserver-audit.log" } else { "kube-apiserver-audit.log" };
    env().dir.join("logs").join(log)
}

fn counted_kubeconfig() -> &'static str {
    if ON_FIXTURE_SERVER.get() { "counted-fixture.kubeconfig" } else { "counted.kubeconfig" }
}

pub fn counting() -> Counting {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    Counting(ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner()))
}

impl Counting {
    /// Once the counted user has sent nothing for 2 s (every watch its
    /// processes open is open): the server's audit log, not a guess of how long.
    pub fn settled(&self) {
        let log = audit_log();
        let size = || std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
        let (mut last, mut since) = (size(), std::time::Instant::now());
        wait_until("the counted user's requests settling", 60, || {
            let now = size();
            if now != last {
                (last, since) = (now, std::time::Instant::now());
            }
            (since.elapsed() >= std::time::Duration::from_secs(2)).then_some(())
        });
    }

    /// What the counted user sent while `f` ran (`f` gets its kubeconfig).
    pub fn requests(&self, f: impl FnOnce(&Path)) -> Vec<String> {
        let (log, kubeconfig) = (audit_log(), counted_kubeconfig());
        // The Sympozium API's discovery is cached once per server (one
        // request, then none): warmed here, so a count is the command's own.
        let warm = run(plugin(&["list", "-n", "default"]).env("KUBECONFIG", env().dir.join(kubeconfig)));
        assert_eq!(warm.code, 0, "{}", warm.stderr);
        let start = std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0) as usize;
        f(&env().dir.join(kubeconfig));
        // Events are written (blocking mode) when a request is received, before it
        // is served: everything the run sent is in the file now.
        let text = std::fs::read(&log).expect("reading the audit log");
        String::from_utf8_lossy(&text[start.min(text.len())..])
            .lines()
            .map(|l| {
                let e: serde_json::Value = serde_json::from_str(l).expect("an audit event");
                assert_eq!(e["user"]["username"], "counted", "only the counted user is audited");
                format!("{} {}", e["verb"].as_str().unwrap_or(""), e["requestURI"].as_str().unwrap_or(""))
            })
            .collect()
    }
}

/// A child process that ends with the test, whether it passes or panics (a
/// watcher left running would go on asking the server, as the same user).
pub struct KillOnDrop(pub std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What a running process has written so far (tests that act on its output).
pub type Seen = std::sync::Arc<std::sync::Mutex<String>>;

/// Collect what `pipe` writes into `seen` as it arrives, on a thread of its
/// own (joined, it has read everything the process wrote).
pub fn collect(mut pipe: impl std::io::Read + Send + 'static, seen: &Seen) -> std::thread::JoinHandle<()> {
    let sink = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = pipe.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    })
}

/// The plugin started in the background, what it writes collected as it
/// arrives (tests that act on its output while it runs).
pub struct Running {
    pub child: std::process::Child,
    pub stdout: Seen,
    pub stderr: Seen,
    readers: Vec<std::thread::JoinHandle<()>>,
}

pub fn spawn_plugin(args: &[&str]) -> Running {
    let mut child = plugin(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starting the plugin");
    let (stdout, stderr) = (Seen::default(), Seen::default());
    let readers = vec![collect(child.stdout.take().unwrap(), &stdout), collect(child.stderr.take().unwrap(), &stderr)];
    Running { child, stdout, stderr, readers }
}

impl Running {
    /// Wait for the process to end and for everything it wrote to be read.
    pub fn finish(mut self, what: &str, secs: u64) -> std::process::ExitStatus {
        let status = wait_until(what, secs, || self.child.try_wait().unwrap());
        for r in self.readers.drain(..) {
            r.join().unwrap();
        }
        status
    }
}

/// Poll `f` until it returns Some, at most `secs` seconds; panic naming `what`.
pub fn wait_until<T>(what: &str, secs: u64, mut f: impl FnMut() -> Option<T>) -> T {
    wait_for(what, secs, || f().ok_or_else(String::new))
}

/// The suite's one way of waiting for the other side: poll `f` every 50 ms
/// until it gives a value; past `secs`, fail naming `what` and the last state
/// `f` described (`Err`).
pub fn wait_for<T>(what: &str, secs: u64, mut f: impl FnMut() -> Result<T, String>) -> T {
    let start = std::time::Instant::now();
    loop {
        let last = match f() {
            Ok(v) => return v,
            Err(last) => last,
        };
        let sep = if last.is_empty() { "" } else { ":\n" };
        assert!(start.elapsed() < std::time::Duration::from_secs(secs), "{what}: not within {secs}s{sep}{last}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// Wait until a plugin run with KUBECTL_PERSONAPACK_TEST_GATE=`gate` has
/// reached the gate (it announces `<gate>.reached`, then pauses).
pub fn wait_for_gate(gate: &Path, what: &str) {
    wait_for_gate_within(gate, what, 30);
}

/// `wait_for_gate`, for a gate behind slower steps (a foreground deletion the
/// garbage collector finishes).
pub fn wait_for_gate_within(gate: &Path, what: &str, secs: u64) {
    let mut reached = gate.as_os_str().to_owned();
    reached.push(".reached");
    wait_until(&format!("the plugin reaching {what}"), secs, || Path::new(&reached).exists().then_some(()));
}

/// Wait (at most 60 s) until the real controller reports `phase` for the pack.
pub fn wait_phase(namespace: &str, pack: &str, phase: &str) {
    wait_until(&format!("personapack {pack} reaching {phase}"), 60, || {
        let out = kubectl(&["get", "personapack", pack, "-n", namespace, "-o", "jsonpath={.status.phase}"]);
        (String::from_utf8_lossy(&out.stdout) == phase).then_some(())
    });
}

/// `kubectl patch --type=merge` of `what` (e.g. `personapack/team`).
pub fn merge_patch(namespace: &str, what: &str, patch: &str) {
    kubectl_ok(&["patch", what, "-n", namespace, "--type=merge", "-p", patch]);
}

/// `kubectl create secret generic NAME --from-literal=KEY=VALUE`.
pub fn create_secret(namespace: &str, name: &str, literal: &str) {
    kubectl_ok(&["create", "secret", "generic", name, "-n", namespace, &format!("--from-literal={literal}")]);
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run with `stdin` as standard input.
pub fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Run {
    use std::io::Write;
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("running the plugin");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Held by tests that write Secret github-gitops-token in sympozium-system:
/// one Secret shared by every pack, so one such test at a time.
pub static GITHUB_TOKEN_SECRET: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A namespace of the test's own, deleted afterwards.
pub struct Ns(pub String);

impl Ns {
    pub fn new(prefix: &str) -> Ns {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!("t-{prefix}-{}-{}", std::process::id() % 100000, N.fetch_add(1, Ordering::SeqCst));
        kubectl_ok(&["create", "namespace", &name]);
        Ns(name)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for Ns {
    fn drop(&mut self) {
        let _ = kubectl(&["delete", "namespace", &self.0, "--wait=false"]);
    }
}

/// A small pack with three personas; `extra` is spliced into the spec.
pub fn pack_yaml(name: &str, extra: &str) -> String {
    format!(
        r#"apiVersion: sympozium.ai/v1alpha1
kind: PersonaPack
metadata:
  name: {name}
  labels: {{team: test}}
spec:
  description: A test team.
  category: testing
  version: "0.1.0"
{extra}
  personas:
  - name: alpha
    displayName: Alpha
    systemPrompt: You are alpha.
    skills: [k8s-ops, memory]
    schedule: {{type: sweep, interval: 5m, task: "Sweep things."}}
    memory: {{enabled: true, seeds: ["one", "two"]}}
  - name: beta
    systemPrompt: You are beta.
    model: claude-sonnet
  - name: gamma
    systemPrompt: You are gamma.
    schedule: {{type: scheduled, cron: "0 9 * * 1", task: "Weekly report."}}
"#
    )
}

/// The objects the Sympozium controller stamps for one persona, owned by the
/// pack (instance + optional schedule), written by hand: only on the fixture
/// server, for states the real controller does not hold still.
pub fn stamp(namespace: &str, pack: &str, persona: &str, schedule: bool) {
    assert!(ON_FIXTURE_SERVER.get(), "hand-stamped objects belong on the fixture server (see fixture_server)");
    let uid = kubectl_ok(&["get", "personapack", pack, "-n", namespace, "-o", "jsonpath={.metadata.uid}"]);
    let owner = format!(
        "ownerReferences: [{{apiVersion: sympozium.ai/v1alpha1, kind: PersonaPack, name: {pack}, uid: {uid}, controller: true, blockOwnerDeletion: true}}]"
    );
    let labels = format!("labels: {{sympozium.ai/persona-pack: {pack}, sympozium.ai/persona: {persona}}}");
    // The fields the controller re-enforces are as it would write them for
    // `pack_yaml`'s personas (model, the schedule): `--wait` waits for those.
    let model = if persona == "beta" { "claude-sonnet" } else { "gpt-4o" };
    let mut yaml = format!(
        "apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumInstance\nmetadata:\n  name: {pack}-{persona}\n  {labels}\n  {owner}\nspec: {{agents: {{default: {{model: {model}}}}}}}\n"
    );
    if schedule {
        yaml.push_str(&format!(
            "---\napiVersion: sympozium.ai/v1alpha1\nkind: SympoziumSchedule\nmetadata:\n  name: {pack}-{persona}-schedule\n  {labels}\n  {owner}\nspec: {{instanceRef: {pack}-{persona}, schedule: '0/5 * * * *', task: Sweep things., type: sweep, concurrencyPolicy: Forbid, includeMemory: true}}\n"
        ));
    }
    apply(namespace, &yaml);
}

/// A request to Sympozium's own web API (v0.8.28 beside the main server,
/// v0.10.46 beside the Ensemble-era one: the server this test targets):
/// `METHOD PATH` with a JSON body; the status code and the body answered.
/// The bearer token goes to curl in a header file, never on its command line.
pub fn web_api(method: &str, path: &str, body: &serde_json::Value) -> (u16, String) {
    use std::io::Write;
    let dir = &env().dir;
    let file = if ON_ENSEMBLE_SERVER.get() { "ensemble-webapi-url" } else { "webapi-url" };
    let url = std::fs::read_to_string(dir.join(file)).expect("the test environment's web API url");
    let token = std::fs::read_to_string(dir.join("webapi-token")).unwrap();
    let header = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(header.path(), format!("Authorization: Bearer {}\n", token.trim())).unwrap();
    let mut child = Command::new("curl")
        .args(["-s", "-w", "\n%{http_code}", "-X", method, "--data-binary", "@-"])
        .arg("-H")
        .arg(format!("@{}", header.path().display()))
        .arg(format!("{}{path}", url.trim()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("curl");
    child.stdin.take().unwrap().write_all(body.to_string().as_bytes()).unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    let (text, code) = out.rsplit_once('\n').unwrap();
    (code.parse().unwrap(), text.to_string())
}

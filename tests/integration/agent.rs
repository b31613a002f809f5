//! Plays the agent of an AgentRun on the simulated node: the one piece of a
//! run that cannot be real here (Sympozium's agent-runner image and the LLM it
//! calls). Everything around it is: the schedule or the test creates the run,
//! the real AgentRun controller makes its Job, the job controller its Pod, the
//! scheduler binds it to KWOK's node, KWOK runs it; the controller then reads
//! the `agent` container's log through the API server (`pods/log`, answered by
//! KWOK from the file written here) and writes the run's status and memory.
//!
//! A transcript is what agent-runner prints (v0.10.46 `cmd/agent-runner`):
//! progress lines on stderr (Go's `log`), then on stdout an optional
//! `__SYMPOZIUM_MEMORY__…__SYMPOZIUM_MEMORY_END__` block and the
//! `__SYMPOZIUM_RESULT__{json}__SYMPOZIUM_END__` marker, exit 1 on error. The
//! exit code reaches the pod through the annotation KWOK's `agent-exit` stage
//! reads (tests/cluster/kwok/agent-exit.yaml).

use super::common::*;
use std::io::Write;
use std::path::PathBuf;

/// The pod annotation KWOK's `agent-exit` stage ends the agent with.
const EXIT_ANNOTATION: &str = "testenv.personapack.dev/agent-exit";

#[derive(Clone, Copy, PartialEq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// What the agent prints and how it exits.
#[derive(Clone)]
pub struct Transcript {
    pub lines: Vec<(Stream, String)>,
    pub exit: i32,
}

/// Token usage as agent-runner reports it in its result marker.
#[derive(Clone, Copy)]
pub struct Usage {
    pub input: u64,
    pub output: u64,
    pub tool_calls: u64,
    pub duration_ms: u64,
}

impl Transcript {
    /// A run that answered `response` using `usage`.
    pub fn success(response: &str, usage: Usage) -> Transcript {
        let result = serde_json::json!({
            "status": "success",
            "response": response,
            "metrics": metrics(usage),
        });
        Transcript { lines: progress(), exit: 0 }.marker(&result)
    }

    /// A run whose agent reported `error` and exited `exit` (agent-runner: 1).
    pub fn failure(error: &str, exit: i32) -> Transcript {
        let result = serde_json::json!({
            "status": "error",
            "error": error,
            "metrics": metrics(Usage { input: 0, output: 0, tool_calls: 0, duration_ms: 1200 }),
        });
        let mut t = Transcript { lines: progress(), exit }.marker(&result);
        t.lines.push((Stream::Stderr, format!("agent-runner finished with error: {error}")));
        t
    }

    /// The memory block agent-runner prints before its result (the agent's
    /// updated MEMORY.md), which the controller writes into the memory ConfigMap.
    pub fn with_memory(mut self, memory: &str) -> Transcript {
        let at = self.lines.iter().position(|(_, l)| l.starts_with("__SYMPOZIUM_RESULT__")).unwrap_or(self.lines.len());
        let block = format!("__SYMPOZIUM_MEMORY__{memory}__SYMPOZIUM_MEMORY_END__");
        let mut lines: Vec<(Stream, String)> = vec![(Stream::Stdout, String::new())];
        lines.extend(block.split('\n').map(|l| (Stream::Stdout, l.to_string())));
        self.lines.splice(at.saturating_sub(1)..at.saturating_sub(1), lines);
        self
    }

    fn marker(mut self, result: &serde_json::Value) -> Transcript {
        self.lines.push((Stream::Stdout, String::new()));
        self.lines.push((Stream::Stdout, format!("__SYMPOZIUM_RESULT__{result}__SYMPOZIUM_END__")));
        self
    }
}

fn metrics(u: Usage) -> serde_json::Value {
    serde_json::json!({"durationMs": u.duration_ms, "inputTokens": u.input, "outputTokens": u.output, "toolCalls": u.tool_calls})
}

fn progress() -> Vec<(Stream, String)> {
    ["agent-runner starting", "calling the model", "model answered"]
        .iter()
        .map(|l| (Stream::Stderr, l.to_string()))
        .collect()
}

/// The name of the run's pod once KWOK runs it (Running, every container
/// started), waiting for the controller, the job controller, the scheduler
/// and KWOK in turn.
pub fn running_pod(ns: &str, run: &str) -> String {
    wait_until(&format!("a Running pod for AgentRun {run}"), 120, || {
        let out = kubectl(&[
            "get",
            "pods",
            "-n",
            ns,
            "-l",
            &format!("sympozium.ai/agent-run={run}"),
            "-o",
            "jsonpath={range .items[?(@.status.phase==\"Running\")]}{.metadata.name}{\"\\n\"}{end}",
        ]);
        String::from_utf8_lossy(&out.stdout).lines().next().map(str::to_string)
    })
}

/// The CRI log file of the pod's `agent` container (KWOK reads it).
fn log_file(ns: &str, pod: &str) -> PathBuf {
    let dir = env().dir.join("agent-logs");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{ns}_{pod}_agent.log"))
}

/// Append `lines` to the agent's log, as a container runtime writes it (CRI
/// format; lines over 16 KiB split into partial records, as CRI-O and
/// containerd do), and make KWOK serve it: a Logs object for the pod, then a
/// wait until the API server answers `pods/log` with the last line.
pub fn speak(ns: &str, pod: &str, lines: &[(Stream, String)]) {
    let path = log_file(ns, pod);
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path).unwrap();
    for (stream, line) in lines {
        let stream = if *stream == Stream::Stdout { "stdout" } else { "stderr" };
        let mut rest = line.as_str();
        loop {
            let cut = if rest.len() > 16 * 1024 { floor_char_boundary(rest, 16 * 1024) } else { rest.len() };
            let (chunk, tail) = rest.split_at(cut);
            let tag = if tail.is_empty() { "F" } else { "P" };
            let ts = timestamp();
            writeln!(file, "{ts} {stream} {tag} {chunk}").unwrap();
            rest = tail;
            if rest.is_empty() {
                break;
            }
        }
    }
    file.flush().unwrap();
    drop(file);
    let logs = format!(
        "apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Logs\nmetadata: {{name: {pod}}}\nspec:\n  logs:\n  - containers: [agent]\n    logsFile: {}\n",
        path.display()
    );
    apply(ns, &logs);
    let last = lines.iter().rev().map(|(_, l)| l.as_str()).find(|l| !l.is_empty()).unwrap_or("").to_string();
    let tail: String = last.chars().rev().take(200).collect::<Vec<_>>().into_iter().rev().collect();
    wait_until(&format!("KWOK serving the agent log of {pod}"), 60, || {
        let out = kubectl(&["logs", "-n", ns, pod, "-c", "agent", "--tail", "5"]);
        (out.status.success() && String::from_utf8_lossy(&out.stdout).contains(&tail)).then_some(())
    });
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A CRI log record's time: RFC 3339 with nanoseconds, UTC.
fn timestamp() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S.%fZ").to_string()
}

/// The agent exits with `code`: KWOK's agent-exit stage terminates its
/// containers and the pod ends Succeeded (0) or Failed.
pub fn exit(ns: &str, pod: &str, code: i32) {
    kubectl_ok(&["annotate", "pod", pod, "-n", ns, &format!("{EXIT_ANNOTATION}={code}")]);
}

/// Play a run's agent whole: wait for its pod, print the transcript, exit.
/// Returns the pod's name.
pub fn play(ns: &str, run: &str, transcript: &Transcript) -> String {
    let pod = running_pod(ns, run);
    speak(ns, &pod, &transcript.lines);
    exit(ns, &pod, transcript.exit);
    pod
}

/// Wait until the controller has finished the run; returns its status.
pub fn finished(ns: &str, run: &str) -> serde_json::Value {
    wait_until(&format!("AgentRun {run} finishing"), 120, || {
        let out = kubectl(&["get", "agentrun", run, "-n", ns, "-o", "json"]);
        let run: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
        matches!(run["status"]["phase"].as_str(), Some("Succeeded" | "Failed")).then(|| run["status"].clone())
    })
}

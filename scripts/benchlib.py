"""Shared pieces of the benchmark scripts: a private control plane, a release
build of the plugin, and wall/peak-RSS measurement of one command run."""
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(*args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def environment():
    """Build the plugin (release), start a private test environment that dies
    with this process; return (env for subprocesses, kubectl path)."""
    print("building the plugin (release) ...", file=sys.stderr)
    sh("cargo", "build", "--release", "--locked", cwd=ROOT)
    testenv = os.path.join(tempfile.mkdtemp(prefix="bench-"), "env")
    sh("bash", os.path.join(ROOT, "tests/cluster/up.sh"), "--dir", testenv, "--owner-pid", str(os.getpid()))
    bindir = os.path.realpath(os.path.join(testenv, "bin"))
    plugin_dir = os.path.join(ROOT, "target", "release")
    env = dict(os.environ, KUBECONFIG=os.path.join(testenv, "admin.kubeconfig"),
               PATH=f"{plugin_dir}:{bindir}:{os.environ['PATH']}")
    env.pop("NO_COLOR", None)
    return env, os.path.join(bindir, "kubectl")


def apply(kubectl, env, docs):
    subprocess.run([kubectl, "apply", "-f", "-"], input="---\n".join(docs), env=env, check=True,
                   text=True, capture_output=True)


def measure(cmd, env):
    """Wall time (s), peak RSS (KiB) and stderr of one run of cmd, measured in a
    child so the RSS is that process's alone."""
    wrapper = [sys.executable, "-c",
               "import resource,subprocess,sys,time;"
               "t=time.perf_counter();r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
               "w=time.perf_counter()-t;"
               "sys.stderr.buffer.write(r.stderr);"
               "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"] + cmd
    p = subprocess.run(wrapper, env=env, check=True, text=True, capture_output=True)
    out = p.stdout.split()
    if out[2] != "0":
        raise SystemExit(f"{' '.join(cmd)} failed:\n{p.stderr}")
    return float(out[0]), int(out[1]), p.stderr


def stamped_namespace(kubectl, env, ns, pack, unrelated):
    """`ns` holding built-in `pack` enabled through the plugin and stamped by the
    real controller (its schedules' first AgentRuns included) beside
    `unrelated` ConfigMaps."""
    sh(kubectl, "create", "namespace", ns, env=env)
    sh("kubectl-personapack", "enable", pack, "-n", "sympozium-system", "--into", ns, "--provider", "ollama",
       "--yes", "--wait", env=env)
    for _ in range(300):  # sub-daily schedules start a run at once: wait for its input ConfigMaps
        if sh(kubectl, "get", "configmaps", "-n", ns, "-l", "sympozium.ai/agent-run", "-o", "name", env=env).strip():
            break
        time.sleep(0.2)
    print(f"creating {unrelated} unrelated ConfigMaps ...", flush=True)
    for start in range(0, unrelated, 1000):
        items = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"unrelated-{i:05}", "namespace": ns},
                  "data": {"k": "v" * 64}} for i in range(start, min(start + 1000, unrelated))]
        subprocess.run([kubectl, "create", "-f", "-"], input=json.dumps({"apiVersion": "v1", "kind": "List", "items": items}),
                       env=env, check=True, text=True, capture_output=True)

#!/usr/bin/env python3
"""Benchmark: `kubectl personapack list -A` against `kubectl get personapacks -A`
on the same local control plane, in one run, cold (kubectl gets an empty
discovery cache each time, as a first call on a new machine would).

Prints per-command median wall time and peak RSS, and the ratios. Machines
here are noisy: compare the ratio, never an absolute time.

    python3 scripts/bench-list.py [--runs 15] [--packs 50]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sh(*args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw).stdout


def measure(cmd, env):
    """Wall time (s) and peak RSS (KiB) of one run of cmd, in a child process."""
    wrapper = [sys.executable, "-c",
               "import resource,subprocess,sys,time;"
               "t=time.perf_counter();r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);"
               "w=time.perf_counter()-t;"
               "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"] + cmd
    out = subprocess.run(wrapper, env=env, check=True, text=True, capture_output=True).stdout.split()
    if out[2] != "0":
        raise SystemExit(f"{' '.join(cmd)} failed")
    return float(out[0]), int(out[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--packs", type=int, default=50, help="extra packs created in a bench namespace")
    a = ap.parse_args()

    print("building the plugin (release) ...", file=sys.stderr)
    sh("cargo", "build", "--release", "--locked", cwd=ROOT)
    testenv = os.path.join(tempfile.mkdtemp(prefix="bench-list-"), "env")
    sh("bash", os.path.join(ROOT, "tests/cluster/up.sh"), "--dir", testenv, "--owner-pid", str(os.getpid()))
    bindir = os.path.realpath(os.path.join(testenv, "bin"))
    plugin_dir = os.path.join(ROOT, "target", "release")
    env = dict(os.environ, KUBECONFIG=os.path.join(testenv, "admin.kubeconfig"),
               PATH=f"{plugin_dir}:{bindir}:{os.environ['PATH']}")
    kubectl = os.path.join(bindir, "kubectl")

    sh(kubectl, "create", "namespace", "bench", env=env)
    docs = []
    for i in range(a.packs):
        docs.append(f"""apiVersion: sympozium.ai/v1alpha1
kind: PersonaPack
metadata: {{name: bench-{i:03}, namespace: bench}}
spec:
  description: benchmark pack {i}
  personas:
  - {{name: a, systemPrompt: "first persona", schedule: {{type: sweep, interval: 5m, task: t}}}}
  - {{name: b, systemPrompt: "second persona"}}
""")
    subprocess.run([kubectl, "apply", "-f", "-"], input="---\n".join(docs), env=env, check=True,
                   text=True, capture_output=True)

    cmds = {
        "kubectl personapack list -A": lambda cache: [kubectl, "personapack", "list", "-A"],
        "kubectl get personapacks -A": lambda cache: [kubectl, "get", "personapacks", "-A", "--cache-dir", cache],
    }
    results = {name: {"wall": [], "rss": []} for name in cmds}
    # Interleave the two so drift on a noisy machine hits both alike.
    for _ in range(a.runs):
        for name, make in cmds.items():
            cache = tempfile.mkdtemp(prefix="kubecache-")
            w, rss = measure(make(cache), env)
            results[name]["wall"].append(w)
            results[name]["rss"].append(rss)
    rows = {n: (statistics.median(r["wall"]) * 1000, max(r["rss"]) / 1024) for n, r in results.items()}
    total = len(sh(kubectl, "get", "personapacks", "-A", "-o", "name", env=env).split())
    print(f"{total} PersonaPacks, {a.runs} cold runs each, interleaved")
    for n, (wall, rss) in rows.items():
        print(f"  {n:32} median {wall:7.1f} ms   peak RSS {rss:6.1f} MiB")
    (pw, pr), (kw, kr) = rows["kubectl personapack list -A"], rows["kubectl get personapacks -A"]
    print(f"ratio plugin/kubectl: wall {pw / kw:.2f}x, peak RSS {pr / kr:.2f}x")
    print("(the plugin's time includes kubectl's own start-up: kubectl execs the plugin)")


if __name__ == "__main__":
    main()

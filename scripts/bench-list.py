#!/usr/bin/env python3
"""Benchmark: `kubectl personapack list -A` against `kubectl get personapacks -A`
on the same local control plane, in one run, cold (kubectl gets an empty
discovery cache each time, as a first call on a new machine would).

Prints per-command median wall time and peak RSS, and the ratios. Machines
here are noisy: compare the ratio, never an absolute time.

    python3 scripts/bench-list.py [--runs 15] [--packs 50]
"""
import argparse
import statistics
import tempfile

from benchlib import apply, environment, measure, sh


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--packs", type=int, default=50, help="extra packs created in a bench namespace")
    a = ap.parse_args()

    env, kubectl = environment()
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
    apply(kubectl, env, docs)

    cmds = {
        "kubectl personapack list -A": lambda cache: [kubectl, "personapack", "list", "-A"],
        "kubectl-personapack list -A": lambda cache: ["kubectl-personapack", "list", "-A"],
        "kubectl get personapacks -A": lambda cache: [kubectl, "get", "personapacks", "-A", "--cache-dir", cache],
    }
    results = {name: {"wall": [], "rss": []} for name in cmds}
    # Interleave the two so drift on a noisy machine hits both alike.
    for _ in range(a.runs):
        for name, make in cmds.items():
            cache = tempfile.mkdtemp(prefix="kubecache-")
            w, rss, _ = measure(make(cache), env)
            results[name]["wall"].append(w)
            results[name]["rss"].append(rss)
    rows = {n: (statistics.median(r["wall"]) * 1000, max(r["rss"]) / 1024) for n, r in results.items()}
    total = len(sh(kubectl, "get", "personapacks", "-A", "-o", "name", env=env).split())
    print(f"{total} PersonaPacks, {a.runs} cold runs each, interleaved")
    for n, (wall, rss) in rows.items():
        print(f"  {n:32} median {wall:7.1f} ms   peak RSS {rss:6.1f} MiB")
    (pw, pr), (kw, kr) = rows["kubectl personapack list -A"], rows["kubectl get personapacks -A"]
    print(f"ratio plugin/kubectl: wall {pw / kw:.2f}x, peak RSS {pr / kr:.2f}x")
    dw, dr = rows["kubectl-personapack list -A"]
    print(f"ratio plugin alone (no kubectl launcher)/kubectl: wall {dw / kw:.2f}x, peak RSS {dr / kr:.2f}x")
    print("(through kubectl, kubectl's own start-up and plugin lookup come first: kubectl execs the plugin)")


if __name__ == "__main__":
    main()

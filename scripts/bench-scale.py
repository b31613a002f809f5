#!/usr/bin/env python3
"""Benchmark at scale: `kubectl personapack list -A` against `kubectl get
personapacks -A` as the cluster grows to N PersonaPacks (copies of the built-in
developer-team across 50 namespaces, each reconciled by the real Sympozium
v0.8.28 controller), side by side in one run. Prints, per N, the median wall
time and peak RSS of each, the ratios, and our cost per pack.

    python3 scripts/bench-scale.py [--sizes 10,100,1000,5000] [--runs 7]
"""
import argparse
import json
import statistics
import subprocess
import time

from benchlib import environment, measure, sh


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,100,1000,5000")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--namespaces", type=int, default=50)
    a = ap.parse_args()
    sizes = sorted(int(n) for n in a.sizes.split(","))

    env, kubectl = environment()
    source = json.loads(sh(kubectl, "get", "personapack", "developer-team", "-n", "sympozium-system", "-o", "json", env=env))
    spec = source["spec"]
    namespaces = [f"scale-{i:02}" for i in range(a.namespaces)]
    subprocess.run([kubectl, "create", "-f", "-"], env=env, check=True, text=True, capture_output=True,
                   input=json.dumps({"apiVersion": "v1", "kind": "List", "items": [
                       {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}} for ns in namespaces]}))
    made = 5  # the built-in packs
    print(f"{'packs':>6} {'ours ms':>9} {'ours MiB':>9} {'kubectl ms':>11} {'kubectl MiB':>12} {'wall ratio':>11} "
          f"{'RSS ratio':>10} {'ours us/pack':>13}")
    for n in sizes:
        items = []
        for i in range(made, n):
            ns = namespaces[i % len(namespaces)]
            items.append({"apiVersion": "sympozium.ai/v1alpha1", "kind": "PersonaPack",
                          "metadata": {"name": f"team-{i:05}", "namespace": ns}, "spec": spec})
        for start in range(0, len(items), 200):
            subprocess.run([kubectl, "create", "-f", "-"], env=env, check=True, text=True, capture_output=True,
                           input=json.dumps({"apiVersion": "v1", "kind": "List", "items": items[start:start + 200]}))
        made = max(made, n)
        # Let the controller reconcile them all (each gets a phase).
        for _ in range(600):
            phases = sh(kubectl, "get", "personapacks", "-A", "-o", "jsonpath={.items[*].status.phase}", env=env).split()
            if len(phases) >= n:
                break
            time.sleep(0.5)
        ours, theirs = [], []
        for _ in range(a.runs):
            ours.append(measure(["kubectl-personapack", "list", "-A"], env)[:2])
            theirs.append(measure([kubectl, "get", "personapacks", "-A"], env)[:2])
        ow, orss = statistics.median(w for w, _ in ours) * 1000, max(r for _, r in ours) / 1024
        kw, krss = statistics.median(w for w, _ in theirs) * 1000, max(r for _, r in theirs) / 1024
        print(f"{n:>6} {ow:9.1f} {orss:9.1f} {kw:11.1f} {krss:12.1f} {ow / kw:11.3f} {orss / krss:10.3f} "
              f"{ow * 1000 / n:13.0f}", flush=True)


if __name__ == "__main__":
    main()

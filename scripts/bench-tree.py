#!/usr/bin/env python3
"""Benchmark: `kubectl personapack tree` on a pack whose namespace also holds
10,000 unrelated objects, against a peer on the same cluster in one run.

The issue names kubectl-tree (github.com/ahmetb/kubectl-tree) as the peer,
but the Go module proxy reachable here refuses that module (HTTP 403), so it
cannot be built. The stand-in peer is what any exhaustive ownership-tree tool
(kubectl-tree included) must do at the least: discover every namespaced kind
and list all of their objects in the namespace — run as one kubectl command,
`kubectl get <every namespaced listable kind> -n NS -o json`, with an empty
discovery cache. Our `--all-kinds` mode (exhaustive, metadata-only) is
measured too.

Prints medians of wall time, API requests and peak RSS, and the ratios.

    python3 scripts/bench-tree.py [--runs 7] [--unrelated 10000]
"""
import argparse
import json
import re
import statistics
import subprocess
import tempfile

from benchlib import apply, environment, measure, sh


def fixtures(ns, personas):
    docs = [f"""apiVersion: sympozium.ai/v1alpha1
kind: PersonaPack
metadata: {{name: team, namespace: {ns}}}
spec:
  enabled: true
  personas:
""" + "".join(f"  - {{name: p{i}, systemPrompt: \"persona {i}\", schedule: {{type: sweep, interval: 5m, task: t}}}}\n"
              for i in range(personas))]
    return docs


def stamped(ns, uid, personas):
    docs = []
    own = lambda kind, name, u, av: f"ownerReferences: [{{apiVersion: {av}, kind: {kind}, name: {name}, uid: {u}, controller: true}}]"
    for i in range(personas):
        labels = f"labels: {{sympozium.ai/persona-pack: team, sympozium.ai/persona: p{i}}}"
        docs.append(f"apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumInstance\nmetadata:\n  name: team-p{i}\n  namespace: {ns}\n  {labels}\n  {own('PersonaPack', 'team', uid, 'sympozium.ai/v1alpha1')}\nspec: {{}}\n")
        docs.append(f"apiVersion: sympozium.ai/v1alpha1\nkind: SympoziumSchedule\nmetadata:\n  name: team-p{i}-schedule\n  namespace: {ns}\n  {labels}\n  {own('PersonaPack', 'team', uid, 'sympozium.ai/v1alpha1')}\nspec: {{instanceRef: team-p{i}}}\n")
        docs.append(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: team-p{i}-memory\n  namespace: {ns}\n  {labels}\ndata: {{MEMORY.md: m}}\n")
    return docs


def under_instances(ns, kubectl, env, personas):
    docs = []
    for i in range(personas):
        u = sh(kubectl, "get", "sympoziuminstance", f"team-p{i}", "-n", ns, "-o", "jsonpath={.metadata.uid}", env=env)
        owner = f"ownerReferences: [{{apiVersion: sympozium.ai/v1alpha1, kind: SympoziumInstance, name: team-p{i}, uid: {u}, controller: true}}]"
        labels = f"labels: {{sympozium.ai/instance: team-p{i}}}"
        docs.append(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: team-p{i}-memory\n  namespace: {ns}\n  {labels}\n  {owner}\nspec: {{ports: [{{port: 80}}]}}\n")
        docs.append(f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: team-p{i}-memory\n  namespace: {ns}\n  {labels}\n  {owner}\nspec:\n  selector: {{matchLabels: {{app: m{i}}}}}\n  template: {{metadata: {{labels: {{app: m{i}}}}}, spec: {{containers: [{{name: m, image: m}}]}}}}\n")
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--unrelated", type=int, default=10000)
    ap.add_argument("--personas", type=int, default=5)
    a = ap.parse_args()

    env, kubectl = environment()
    ns = "bench"
    sh(kubectl, "create", "namespace", ns, env=env)
    apply(kubectl, env, fixtures(ns, a.personas))
    uid = sh(kubectl, "get", "personapack", "team", "-n", ns, "-o", "jsonpath={.metadata.uid}", env=env)
    apply(kubectl, env, stamped(ns, uid, a.personas))
    apply(kubectl, env, under_instances(ns, kubectl, env, a.personas))
    print(f"creating {a.unrelated} unrelated ConfigMaps ...", flush=True)
    for start in range(0, a.unrelated, 1000):
        items = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"unrelated-{i:05}", "namespace": ns},
                  "data": {"k": "v" * 64}} for i in range(start, min(start + 1000, a.unrelated))]
        subprocess.run([kubectl, "create", "-f", "-"], input=json.dumps({"apiVersion": "v1", "kind": "List", "items": items}),
                       env=env, check=True, text=True, capture_output=True)

    # The stand-in peer's kinds: every namespaced, listable kind the server serves.
    kinds = []
    for line in sh(kubectl, "api-resources", "--namespaced=true", "--verbs=list", "-o", "name", env=env).split():
        kinds.append(line)
    peer_cmd = lambda cache: [kubectl, "get", ",".join(kinds), "-n", ns, "-o", "json", "--cache-dir", cache, "-v=6"]
    cmds = {
        "kubectl personapack tree": lambda cache: ["kubectl-personapack", "tree", "team", "-n", ns, "-v", "6"],
        "kubectl personapack tree --all-kinds": lambda cache: ["kubectl-personapack", "tree", "team", "-n", ns, "--all-kinds", "-v", "6"],
        "peer: kubectl get <every kind> -o json": peer_cmd,
    }
    res = {n: {"wall": [], "rss": [], "req": []} for n in cmds}
    for _ in range(a.runs):
        for name, make in cmds.items():
            w, rss, err = measure(make(tempfile.mkdtemp(prefix="kubecache-")), env)
            m = re.search(r"I: (\d+) API requests", err)
            # kubectl -v=6 logs each response (`verb="GET" url=...` or `GET https://...`).
            req = int(m.group(1)) if m else len(re.findall(r'verb="[A-Z]+"|\b(?:GET|POST|PATCH) https?://', err))
            res[name]["wall"].append(w)
            res[name]["rss"].append(rss)
            res[name]["req"].append(req)

    nodes = sh("kubectl-personapack", "tree", "team", "-n", ns, "--no-headers", "--color", "never", env=env)
    print(f"tree of {len([l for l in nodes.splitlines() if l.strip() and not l.startswith(('┈', 'Missing'))])} nodes; "
          f"{a.unrelated} unrelated ConfigMaps in the namespace; {len(kinds)} namespaced kinds served; {a.runs} runs each")
    rows = {}
    for n, r in res.items():
        rows[n] = (statistics.median(r["wall"]) * 1000, max(r["rss"]) / 1024, statistics.median(r["req"]))
        print(f"  {n:40} median {rows[n][0]:8.1f} ms   peak RSS {rows[n][1]:6.1f} MiB   requests {rows[n][2]:.0f}")
    pw, pr, _ = rows["kubectl personapack tree"]
    kw = rows["peer: kubectl get <every kind> -o json"][0]
    print(f"ratio tree/peer wall: {pw / kw:.3f}x (target <= 0.2x); tree peak RSS {pr:.1f} MiB (target < 40 MiB)")
    aw = rows["kubectl personapack tree --all-kinds"][0]
    print(f"ratio tree --all-kinds/peer wall: {aw / kw:.3f}x")


if __name__ == "__main__":
    main()

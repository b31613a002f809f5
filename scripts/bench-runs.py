#!/usr/bin/env python3
"""Benchmark: `kubectl personapack runs PACK` against `kubectl get agentruns -l
sympozium.ai/instance` on a team with 2,500 runs (50 agents x the 50 runs
Sympozium keeps per agent), same server, same run, interleaved, medians.

The runs are written with their status (finished, token usage, a result of
about 1 KB; v0.8.28's schema has no cost) on the controller-less fixture API server of the test
environment (same CRDs): making the real controller and the simulated node
run 2,500 agents would take most of an hour on two cores, and a read does
not depend on who wrote what it reads. Prints wall time, peak RSS, the
plugin's requests (-v 6) and the ratios. Compare ratios, never absolute times.

    python3 scripts/bench-runs.py [--runs 9] [--agents 50] [--per-agent 50]
"""
import argparse
import json
import os
import statistics
import subprocess

from benchlib import environment, measure, sh


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--agents", type=int, default=50)
    ap.add_argument("--per-agent", type=int, default=50)
    a = ap.parse_args()

    env, kubectl = environment()
    env["KUBECONFIG"] = env["KUBECONFIG"].replace("admin.kubeconfig", "fixture.kubeconfig")
    sh(kubectl, "create", "namespace", "bench", env=env)
    personas = "\n".join(f"  - {{name: agent-{i:02}, systemPrompt: p}}" for i in range(a.agents))
    subprocess.run([kubectl, "apply", "-n", "bench", "-f", "-"], env=env, check=True, text=True, capture_output=True,
                   input=f"apiVersion: sympozium.ai/v1alpha1\nkind: PersonaPack\nmetadata: {{name: big}}\nspec:\n  enabled: true\n  personas:\n{personas}\n")
    total = a.agents * a.per_agent
    print(f"writing {total} AgentRuns with their status ...", flush=True)
    items = []
    for i in range(a.agents):
        for k in range(a.per_agent):
            instance = f"big-agent-{i:02}"
            items.append({
                "apiVersion": "sympozium.ai/v1alpha1", "kind": "AgentRun",
                "metadata": {"name": f"{instance}-schedule-{k + 1}", "namespace": "bench",
                             "labels": {"sympozium.ai/instance": instance, "sympozium.ai/schedule": f"{instance}-schedule",
                                        "sympozium.ai/type": "heartbeat"}},
                "spec": {"instanceRef": instance, "agentId": f"schedule-{instance}-schedule", "sessionKey": "",
                         "task": "Check cluster health. " * 20, "model": {"provider": "openai", "model": "gpt-4o", "authSecretRef": "big-openai-key"}},
                "status": {"phase": "Failed" if k % 10 == 0 else "Succeeded", "result": "A finding.\n" * 100,
                           "startedAt": "2026-12-01T10:00:00Z", "completedAt": "2026-12-01T10:00:30Z",
                           "podName": f"{instance}-schedule-{k + 1}-abcde", "jobName": f"{instance}-schedule-{k + 1}",
                           "tokenUsage": {"inputTokens": 1200, "outputTokens": 300, "totalTokens": 1500, "toolCalls": 2, "durationMs": 900}},
            })
    for start in range(0, total, 500):
        chunk = json.dumps({"apiVersion": "v1", "kind": "List", "items": items[start:start + 500]})
        for verb in (["create"], ["replace", "--subresource=status"]):
            p = subprocess.run([kubectl, *verb, "-f", "-"], input=chunk, env=env, text=True, capture_output=True)
            if p.returncode:
                raise SystemExit(f"kubectl {' '.join(verb)} failed: {p.stderr[:2000]}")

    cache = os.path.join(os.path.dirname(env["KUBECONFIG"]), "kube-cache")
    env["KUBECACHEDIR"] = cache
    sh("kubectl-personapack", "list", "-n", "bench", env=env)  # warm the plugin's discovery cache
    sh(kubectl, "get", "agentruns", "-n", "bench", "--cache-dir", cache, env=env)  # and kubectl's
    cmds = {
        "kubectl-personapack runs big": ["kubectl-personapack", "runs", "big", "-n", "bench"],
        "kubectl get agentruns -l": [kubectl, "get", "agentruns", "-n", "bench", "-l", "sympozium.ai/instance",
                                     "--cache-dir", cache],
    }
    results = {n: {"wall": [], "rss": []} for n in cmds}
    for _ in range(a.runs):
        for n, cmd in cmds.items():
            w, rss, _ = measure(cmd, env)
            results[n]["wall"].append(w)
            results[n]["rss"].append(rss)
    _, _, log = measure(cmds["kubectl-personapack runs big"] + ["-v", "6"], env)
    requests = [l for l in log.splitlines() if '"Response" verb=' in l]
    rows = {n: (statistics.median(r["wall"]) * 1000, max(r["rss"]) / 1024) for n, r in results.items()}
    print(f"{total} AgentRuns ({a.agents} agents x {a.per_agent}), {a.runs} runs each, interleaved, warm discovery")
    for n, (wall, rss) in rows.items():
        print(f"  {n:32} median {wall:7.1f} ms   peak RSS {rss:6.1f} MiB")
    (pw, pr), (kw, kr) = rows["kubectl-personapack runs big"], rows["kubectl get agentruns -l"]
    print(f"ratio runs/kubectl get: wall {pw / kw:.2f}x, peak RSS {pr / kr:.2f}x")
    print(f"the plugin's requests ({len(requests)}, sent at once):")
    for l in requests:
        print("   ", l.strip().split("url=")[-1])


if __name__ == "__main__":
    main()

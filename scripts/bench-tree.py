#!/usr/bin/env python3
"""Benchmark: `kubectl personapack tree` against kubectl-tree v0.6.0 (built from
../shared/upstream by tests/cluster/build.sh), on the same pack in one run: a
pack enabled through the plugin and stamped by the real Sympozium v0.8.28
controller (instances, schedules, memory Deployments/Services/PVCs, AgentRuns
and their input ConfigMaps), in a namespace that also holds 10,000 unrelated
ConfigMaps. Our `--all-kinds` mode (exhaustive, metadata-only) is measured too.

Prints medians of wall time and peak RSS, our request count, the ratios, and
checks that every node kubectl-tree shows is in our tree.

    python3 scripts/bench-tree.py [--runs 7] [--unrelated 10000] [--pack platform-team]
"""
import argparse
import re
import statistics
import tempfile

from benchlib import environment, measure, sh, stamped_namespace


def nodes(table):
    """`Kind/name` of every row of a kubectl-tree-shaped table."""
    out = set()
    for line in table.splitlines()[1:]:
        words = [w for w in line.split() if "/" in w]
        if words:
            out.add(re.sub(r"^[^A-Za-z]+", "", words[0]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--unrelated", type=int, default=10000)
    ap.add_argument("--pack", default="platform-team", help="a built-in pack to enable")
    a = ap.parse_args()

    env, kubectl = environment()
    ns, pack = "bench", a.pack
    stamped_namespace(kubectl, env, ns, pack, a.unrelated)

    env_plain = dict(env, NO_COLOR="1")
    cmds = {
        "kubectl personapack tree": lambda: ["kubectl-personapack", "tree", pack, "-n", ns, "-v", "6"],
        "kubectl personapack tree --all-kinds": lambda: ["kubectl-personapack", "tree", pack, "-n", ns, "--all-kinds", "-v", "6"],
        # kubectl-tree caches discovery like kubectl: give it a cold cache each run, as a first use would.
        "peer: kubectl tree (kubectl-tree v0.6.0)": lambda: [kubectl, "tree", "personapack", pack, "-n", ns,
                                                              "--cache-dir", tempfile.mkdtemp(prefix="kubecache-")],
    }
    res = {n: {"wall": [], "rss": [], "req": []} for n in cmds}
    for _ in range(a.runs):
        for name, make in cmds.items():
            w, rss, err = measure(make(), env_plain)
            n = len(re.findall(r'\] "Response" verb=', err))
            res[name]["wall"].append(w)
            res[name]["rss"].append(rss)
            res[name]["req"].append(n)

    ours = nodes(sh("kubectl-personapack", "tree", pack, "-n", ns, "--color", "never", env=env_plain))
    peer = nodes(sh(kubectl, "tree", "personapack", pack, "-n", ns, env=env_plain))
    missing = sorted(peer - ours)
    print(f"{pack}: kubectl-tree shows {len(peer)} nodes, tree {len(ours)} (with linked ones); "
          f"missing from tree: {missing or 'none'}")
    print(f"{a.unrelated} unrelated ConfigMaps in the namespace; {a.runs} runs each")
    rows = {}
    for n, r in res.items():
        rows[n] = (statistics.median(r["wall"]) * 1000, max(r["rss"]) / 1024, statistics.median(r["req"]))
        req = f"   requests {rows[n][2]:.0f}" if rows[n][2] else ""
        print(f"  {n:42} median {rows[n][0]:8.1f} ms   peak RSS {rows[n][1]:6.1f} MiB{req}")
    pw, pr, _ = rows["kubectl personapack tree"]
    kw = rows["peer: kubectl tree (kubectl-tree v0.6.0)"][0]
    print(f"ratio tree/kubectl-tree wall: {pw / kw:.3f}x; tree peak RSS {pr:.1f} MiB")
    aw = rows["kubectl personapack tree --all-kinds"][0]
    print(f"ratio tree --all-kinds/kubectl-tree wall: {aw / kw:.3f}x")
    if missing:
        raise SystemExit("tree misses nodes kubectl-tree shows")


if __name__ == "__main__":
    main()

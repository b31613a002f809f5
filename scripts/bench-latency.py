#!/usr/bin/env python3
"""Benchmark at a distance: each read-only command and its kubectl peer through
a latency proxy on 127.0.0.1 that delays every chunk by D ms each way (a round
trip costs 2·D), at D = 0, 25 and 50 ms. The cluster is the private test
environment (real kube-apiserver, real Sympozium v0.8.28 controller): a pack
enabled through the plugin, stamped by the controller, with its AgentRuns, in
a namespace that also holds unrelated ConfigMaps.

Prints, per delay, the median wall time of each command, how many round trips
that is above the same command at 0 ms, our request count (-v 6 lines), peak
RSS, and ours/peer ratios. kubectl gets a warm discovery cache (its usual
case); kubectl-tree is v0.6.0 built from ../shared/upstream.

    python3 scripts/bench-latency.py [--runs 5] [--unrelated 10000] [--delays 0,25,50]
"""
import argparse
import asyncio
import os
import re
import statistics
import subprocess
import tempfile
import threading
import time

from benchlib import environment, measure, stamped_namespace


class LatencyProxy:
    """TCP proxy 127.0.0.1:port -> 127.0.0.1:target adding `delay` seconds to
    every chunk in each direction, order kept, bandwidth untouched."""

    def __init__(self, target):
        self.target, self.delay = target, 0.0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready):
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(asyncio.start_server(self._conn, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        self.loop.run_forever()

    async def _conn(self, reader, writer):
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, up_w), self._pipe(up_r, writer), return_exceptions=True)

    async def _pipe(self, reader, writer):
        queue = asyncio.Queue()

        async def send():
            while True:
                due, data = await queue.get()
                if data is None:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()
            writer.close()

        sender = asyncio.ensure_future(send())
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                await queue.put((time.monotonic() + self.delay, data))
        finally:
            await queue.put((time.monotonic() + self.delay, None))
            await sender


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--unrelated", type=int, default=10000)
    ap.add_argument("--delays", default="0,25,50", help="one-way delays in ms")
    ap.add_argument("--pack", default="platform-team")
    a = ap.parse_args()
    delays = [int(d) for d in a.delays.split(",")]

    env, kubectl = environment()
    ns, pack = "bench", a.pack
    stamped_namespace(kubectl, env, ns, pack, a.unrelated)

    # The same kubeconfig, its server behind the proxy (the certificate names 127.0.0.1).
    admin = open(env["KUBECONFIG"]).read()
    port = int(re.search(r"server: https://127\.0\.0\.1:(\d+)", admin).group(1))
    proxy = LatencyProxy(port)
    far = os.path.join(tempfile.mkdtemp(prefix="bench-far-"), "kubeconfig")
    with open(far, "w") as f:
        f.write(admin.replace(f"127.0.0.1:{port}", f"127.0.0.1:{proxy.port}"))
    env_far = dict(env, KUBECONFIG=far, NO_COLOR="1")
    cache = tempfile.mkdtemp(prefix="kubecache-")
    c = ["--cache-dir", cache]  # after the verb: kubectl takes no flags before a plugin's name
    pairs = [
        ("list -A", ["kubectl-personapack", "list", "-A"], [kubectl, "get", "personapacks", "-A"] + c),
        ("status", ["kubectl-personapack", "status", pack, "-n", ns],
         [kubectl, "get", "sympoziuminstances,sympoziumschedules", "-n", ns, "-l", f"sympozium.ai/persona-pack={pack}"] + c),
        ("describe", ["kubectl-personapack", "describe", pack, "-n", ns], [kubectl, "describe", "personapack", pack, "-n", ns] + c),
        ("tree", ["kubectl-personapack", "tree", pack, "-n", ns], [kubectl, "tree", "personapack", pack, "-n", ns] + c),
        ("runs", ["kubectl-personapack", "runs", pack, "-n", ns],
         [kubectl, "get", "agentruns", "-n", ns, "-l", "sympozium.ai/instance"] + c),
    ]
    for _, ours, peer in pairs:  # warm kubectl's discovery cache (its usual case)
        subprocess.run(peer, env=env_far, capture_output=True)

    results = {}
    for d in delays:
        proxy.delay = d / 1000
        for name, ours, peer in pairs:
            for who, cmd in (("ours", ours + ["-v", "6"]), ("peer", peer)):
                walls, rss, reqs = [], [], []
                for _ in range(a.runs):
                    w, r, err = measure(cmd, env_far)
                    walls.append(w)
                    rss.append(r)
                    reqs.append(len(re.findall(r'\] "Response" verb=', err)))
                results[(d, name, who)] = (statistics.median(walls) * 1000, max(rss) / 1024, statistics.median(reqs))

    print(f"\n{a.unrelated} unrelated ConfigMaps beside {pack} in {ns}; median of {a.runs} runs; "
          "round trips = (wall - wall at 0 ms) / (2 x delay)")
    print(f"{'command':10} {'delay':>6} {'ours ms':>9} {'RTs':>5} {'req':>4} {'RSS MiB':>8}   "
          f"{'peer ms':>9} {'RTs':>5} {'RSS MiB':>8}   {'ours/peer':>9}")
    for name, _, peer in pairs:
        for d in delays:
            ow, orss, oreq = results[(d, name, "ours")]
            pw, prss, _ = results[(d, name, "peer")]
            ort = (ow - results[(0, name, "ours")][0]) / (2 * d) if d and 0 in delays else float("nan")
            prt = (pw - results[(0, name, "peer")][0]) / (2 * d) if d and 0 in delays else float("nan")
            print(f"{name:10} {d:>4}ms {ow:9.1f} {ort:5.1f} {oreq:4.0f} {orss:8.1f}   {pw:9.1f} {prt:5.1f} {prss:8.1f}   "
                  f"{ow / pw:9.3f}")
    print("peers: " + "; ".join(f"{n}: kubectl {' '.join(p[1:-2])}" for n, _, p in pairs))


if __name__ == "__main__":
    main()

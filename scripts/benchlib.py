"""Shared pieces of the benchmark scripts: a private control plane, a release
build of the plugin, and wall/peak-RSS measurement of one command run."""
import os
import subprocess
import sys
import tempfile

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

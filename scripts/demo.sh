#!/usr/bin/env bash
# The demo: builds the plugin, starts the local control plane with the real
# Sympozium v0.8.28 controller and its built-in packs (tests/cluster/up.sh; it
# keeps running until tests/cluster/down.sh), and shows, through kubectl's
# plugin discovery, `kubectl personapack list -A`, then one pack really
# enabled (keyless ollama, so no key is needed) and its live status; then the
# same on the Ensemble-era server (Sympozium v0.10.46).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=${PERSONAPACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-personapack}
cargo build --release --locked
bash tests/cluster/up.sh --dir "$cache/testenv"
plugin_dir="$cache/demo-bin"
mkdir -p "$plugin_dir"
ln -sfn "$root/target/release/kubectl-personapack" "$plugin_dir/kubectl-personapack"
line="export PATH=$plugin_dir:\$PATH"
grep -qxF "$line" "$cache/testenv/env" || echo "$line" >> "$cache/testenv/env"
# shellcheck disable=SC1091
. "$cache/testenv/env"
# (status exits by verdict, runs may be failing on a reused cluster: say the code, go on.)
show() { echo; echo "\$ $*"; "$@" || echo "(exit $?)"; }
show kubectl personapack list -A
kubectl get namespace demo >/dev/null 2>&1 || kubectl create namespace demo >/dev/null
show kubectl personapack enable platform-team -n sympozium-system --into demo --provider ollama --yes --wait
show kubectl personapack status platform-team -n demo
# Its schedules' runs: on the simulated node they run until an agent answers
# (no agent-runner or LLM here: the tests play one; see tests/integration/agent.rs).
show kubectl personapack runs platform-team -n demo
# The Ensemble era: the same commands against Sympozium v0.10.46's controller,
# on the environment's second API server.
ensembles="$cache/testenv/ensemble.kubeconfig"
kubectl --kubeconfig "$ensembles" get namespace demo >/dev/null 2>&1 ||
    kubectl --kubeconfig "$ensembles" create namespace demo >/dev/null
show kubectl personapack list -n sympozium-system --kubeconfig "$ensembles"
show kubectl personapack enable platform-team -n sympozium-system --into demo --provider ollama --yes --wait --kubeconfig "$ensembles"
echo
echo "The cluster keeps running. In your shell (from any directory):"
echo "  source $cache/testenv/env"
echo "  kubectl personapack tree platform-team -n demo"
echo "  kubectl personapack runs platform-team -n demo -w"
echo "  kubectl personapack describe developer-team -n sympozium-system"
echo "  kubectl personapack tree platform-team -n demo --kubeconfig $ensembles"
echo "Stop it with: bash $root/tests/cluster/down.sh"

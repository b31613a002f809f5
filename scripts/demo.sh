#!/usr/bin/env bash
# The demo: builds the plugin, starts the local control plane with the demo
# packs (tests/cluster/up.sh; it keeps running until tests/cluster/down.sh),
# and shows `kubectl personapack list -A` through kubectl's plugin discovery.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${PERSONAPACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-personapack}
cargo build --release --locked
bash tests/cluster/up.sh --dir "$cache/testenv"
plugin_dir="$cache/demo-bin"
mkdir -p "$plugin_dir"
ln -sfn "$PWD/target/release/kubectl-personapack" "$plugin_dir/kubectl-personapack"
line="export PATH=$plugin_dir:\$PATH"
grep -qxF "$line" "$cache/testenv/env" || echo "$line" >> "$cache/testenv/env"
# shellcheck disable=SC1091
. "$cache/testenv/env"
echo
echo "\$ kubectl personapack list -A"
kubectl personapack list -A
echo
echo "The cluster keeps running. In your shell:"
echo "  source $cache/testenv/env"
echo "  kubectl personapack describe platform-team -n sympozium-system"
echo "Stop it with: bash tests/cluster/down.sh"

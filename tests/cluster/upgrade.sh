#!/usr/bin/env bash
# A cluster to upgrade, beside the environment up.sh started in DIR (same
# etcd, a prefix of its own), for the migration tests: one API server that
# first runs Sympozium v0.8.28 as a user installed it, then is upgraded to
# v0.10.46 the way `sympozium install` and Helm do it.
#
#   upgrade.sh --dir DIR start     a fresh server: v0.8.28's CRDs, controller
#                                  and built-in packs, garbage collector and a
#                                  simulated node; writes DIR/upgrade.kubeconfig
#   upgrade.sh --dir DIR upgrade   stop the v0.8.28 controller, server-side
#                                  apply v0.10.46's CRDs over the old ones (the
#                                  old CRDs stay), start the v0.10.46 controller
#
# Its processes are recorded in DIR/pids beside up.sh's (down.sh stops them);
# `start` first stops the previous upgrade server's, if any.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
. "$here/lib.sh"
dir=""; step=""
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    start|upgrade) step=$1; shift ;;
    *) echo "upgrade.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] && [ -n "$step" ] || { echo "usage: upgrade.sh --dir DIR start|upgrade" >&2; exit 2; }
dir=$(cd "$dir" && pwd)
[ -f "$dir/pids" ] && [ -f "$dir/etcd-port" ] || die "no environment in $dir (run up.sh first)"
bin=$(cd "$dir/bin" && pwd)
upstream="$(cd "${SYMPOZIUM_UPSTREAM:-$here/../../../shared/upstream}" && pwd)"
old_src="$upstream/$SYMPOZIUM_SOURCE"
new_src="$upstream/$SYMPOZIUM_ENSEMBLE_SOURCE"
ku() { KUBECONFIG="$dir/upgrade.kubeconfig" "$bin/kubectl" "$@"; }

if [ "$step" = start ]; then
  for name in upgrade-ensemble-controller upgrade-controller upgrade-node-kwok upgrade-node-scheduler \
    upgrade-controller-manager upgrade-apiserver; do
    stop_named "$name"
  done
  ETCD_PORT=$(cat "$dir/etcd-port")
  PORT=$(free_port); KCM=$(free_port); KWOK=$(free_port); SCHED=$(free_port)
  kubeconfig "$dir/upgrade.kubeconfig" "$PORT" admin
  kubeconfig "$dir/upgrade-controller-manager.kubeconfig" "$PORT" controller-manager
  # A fresh prefix each time: a fresh cluster, nothing of an earlier run's.
  rm -rf "$dir/pki/upgrade-apiserver"
  apiserver upgrade-apiserver "$PORT" "/upgrade-$(date +%s%N)"
  wait_for upgrade-apiserver 90 ku get --raw /readyz
  ku apply --server-side --force-conflicts -f "$old_src/config/crd/bases/" >/dev/null
  ku wait --for=condition=Established --timeout=60s -f "$old_src/config/crd/bases/" >/dev/null
  ku apply -f "$here/rbac.yaml" >/dev/null  # the controller-manager user's rights, as up.sh gives them
  controller_manager upgrade-controller-manager "$KCM" "$dir/upgrade-controller-manager.kubeconfig"
  simulated_node upgrade-node "$dir/upgrade.kubeconfig" "$KWOK" "$SCHED"
  M=$(free_port); P=$(free_port)
  start upgrade-controller env -u NATS_URL "$bin/sympozium-controller" -kubeconfig "$dir/upgrade.kubeconfig" \
    -metrics-bind-address "127.0.0.1:$M" -health-probe-bind-address "127.0.0.1:$P"
  wait_for upgrade-controller 60 curl -sf "http://127.0.0.1:$P/readyz"
  ku create namespace sympozium-system >/dev/null 2>&1 || true  # rbac.yaml may have made it
  controller_deployment "$SYMPOZIUM_VERSION" | ku apply -f - >/dev/null
  ku apply -f "$old_src/config/personas/" >/dev/null
  ku wait --for=jsonpath='{.status.phase}'=Inactive --timeout=90s -n sympozium-system personapacks --all >/dev/null \
    || die "the built-in packs did not reach phase Inactive on the upgrade server (logs in $dir/logs)"
  log "upgrade server ready: Sympozium $SYMPOZIUM_VERSION ($dir/upgrade.kubeconfig)"
else
  [ -f "$dir/upgrade.kubeconfig" ] || die "no upgrade server in $dir (upgrade.sh start first)"
  stop_named upgrade-controller
  ku apply --server-side --force-conflicts -f "$new_src/config/crd/bases/" >/dev/null
  ku wait --for=condition=Established --timeout=60s -f "$new_src/config/crd/bases/" >/dev/null
  M=$(free_port); P=$(free_port)
  AGENT_SANDBOX_ENABLED=false start upgrade-ensemble-controller env -u NATS_URL "$bin/sympozium-ensemble-controller" \
    -kubeconfig "$dir/upgrade.kubeconfig" -metrics-bind-address "127.0.0.1:$M" -health-probe-bind-address "127.0.0.1:$P"
  wait_for upgrade-ensemble-controller 60 curl -sf "http://127.0.0.1:$P/readyz"
  controller_deployment "$SYMPOZIUM_ENSEMBLE_VERSION" | ku apply -f - >/dev/null
  log "upgrade server upgraded: Sympozium $SYMPOZIUM_ENSEMBLE_VERSION"
fi

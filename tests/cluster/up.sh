#!/usr/bin/env bash
# Brings up the local control plane on 127.0.0.1: etcd, kube-apiserver (RBAC
# on) with Sympozium v0.8.28's own CRDs and built-in packs, the real Sympozium
# controller (built from ../shared/upstream, run out of cluster), and
# kube-controller-manager (garbage collector + namespace controller). Beside it,
# on the same etcd under other prefixes: a "bare" kube-apiserver with no
# Sympozium CRDs (missing-CRD and Ensemble-era tests), and a "fixture"
# kube-apiserver with the same upstream CRDs but no controller, for the few
# states no running controller leaves in place (a pack nothing reconciled,
# hand-written status); each test that uses it says why.
#
#   up.sh [--dir DIR] [--owner-pid PID]
#
# DIR (default: the cache's testenv/) receives pki/, logs/, pids, the
# kubeconfigs admin.kubeconfig, limited.kubeconfig, bare.kubeconfig,
# fixture.kubeconfig, counted.kubeconfig and counted-fixture.kubeconfig (the
# audited user: logs/*-audit.log), and
# env (shell exports). If DIR already holds a healthy environment it is reused.
# With --owner-pid, a watcher tears everything down when PID exits (the test
# harness passes its own pid so `cargo test` never leaves processes behind).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
. "$here/lib.sh"
cache=${PERSONAPACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-personapack}
dir="$cache/testenv"
owner=""
while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --owner-pid) owner=$2; shift 2 ;;
    *) echo "up.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# On any failure, show the newest logs and stop whatever was started.
on_exit() {
  local rc=$?
  [ $rc -eq 0 ] && return
  for f in "$dir"/logs/*.log; do
    [ -s "$f" ] && { echo "--- $(basename "$f") (last lines)" >&2; tail -n 5 "$f" >&2; }
  done
  "$here/down.sh" --dir "$dir" >/dev/null 2>&1 || true
}

# Reuse a running environment: every recorded process alive and the API server ready.
if [ -f "$dir/env" ] && [ -f "$dir/pids" ]; then
  alive=1
  while read -r _ pid started; do
    [ -n "$started" ] && [ "$("$here/proc-start.sh" "$pid")" = "$started" ] || alive=0
  done < "$dir/pids"
  # (An environment from before a piece was added lacks its files: not reused.)
  if [ $alive = 1 ] && [ -f "$dir/counted.kubeconfig" ] && [ -f "$dir/webapi-url" ] && [ -f "$dir/ensemble.kubeconfig" ] && [ -f "$dir/node-stages.yaml" ] && [ -f "$dir/ensemble-webapi-url" ] && [ -f "$dir/controller-deployments" ] && [ -f "$dir/etcd-port" ] && KUBECONFIG="$dir/admin.kubeconfig" "$dir/bin/kubectl" get --raw /readyz >/dev/null 2>&1; then
    # Reused: CRDs and RBAC applied again, so edited ones are what is tested.
    crds="$(cd "${SYMPOZIUM_UPSTREAM:-$here/../../../shared/upstream}" && pwd)/$SYMPOZIUM_SOURCE/config/crd/bases"
    for kc in admin fixture; do
      KUBECONFIG="$dir/$kc.kubeconfig" "$dir/bin/kubectl" apply --server-side --force-conflicts -f "$crds/" >/dev/null
    done
    KUBECONFIG="$dir/admin.kubeconfig" "$dir/bin/kubectl" apply -f "$here/rbac.yaml" >/dev/null
    log "reusing the environment in $dir (CRDs and RBAC applied again)"
    exit 0
  fi
  log "stale environment in $dir: tearing it down first"
  "$here/down.sh" --dir "$dir" || true
fi

trap on_exit EXIT
bin=$("$here/build.sh")
rm -rf "$dir/etcd" "$dir/pki"  # a fresh start is a fresh cluster
mkdir -p "$dir/logs" "$dir/pki" "$dir/etcd"
ln -sfn "$bin" "$dir/bin"
: > "$dir/pids"

: > "$dir/ports"
ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port)
echo "$ETCD_PORT" > "$dir/etcd-port"  # upgrade.sh starts its API server on the same etcd
API_PORT=$(free_port); BARE_PORT=$(free_port); FIXTURE_PORT=$(free_port); KCM_PORT=$(free_port)
CTRL_METRICS_PORT=$(free_port); CTRL_PROBE_PORT=$(free_port)
NATS_PORT=$(free_port); NATS_MONITOR_PORT=$(free_port); WEBAPI_PORT=$(free_port)
ENSEMBLE_PORT=$(free_port); ENSEMBLE_KCM_PORT=$(free_port); ENS_METRICS_PORT=$(free_port); ENS_PROBE_PORT=$(free_port)
KWOK_PORT=$(free_port); SCHED_PORT=$(free_port); ENS_KWOK_PORT=$(free_port); ENS_SCHED_PORT=$(free_port)
ENS_NATS_PORT=$(free_port); ENS_NATS_MONITOR_PORT=$(free_port); ENS_WEBAPI_PORT=$(free_port)
sympozium="$(cd "${SYMPOZIUM_UPSTREAM:-$here/../../../shared/upstream}" && pwd)/$SYMPOZIUM_SOURCE"
crds="$sympozium/config/crd/bases"
packs="$sympozium/config/personas"
[ -d "$crds" ] && [ -d "$packs" ] || die "no Sympozium sources in $sympozium (see tests/cluster/build.sh)"
# The Ensemble era: v0.10.46's CRDs and the ensembles its chart installs.
ensemble_src="$(cd "${SYMPOZIUM_UPSTREAM:-$here/../../../shared/upstream}" && pwd)/$SYMPOZIUM_ENSEMBLE_SOURCE"
ensemble_crds="$ensemble_src/config/crd/bases"
ensembles="$ensemble_src/charts/sympozium/files/agent-configs"
[ -d "$ensemble_crds" ] && [ -d "$ensembles" ] || die "no Sympozium $SYMPOZIUM_ENSEMBLE_VERSION sources in $ensemble_src"

"$here/pki.sh" "$dir/pki" >/dev/null
# A bearer token (user exec-user, group system:masters) for tests of
# kubeconfigs that authenticate by an exec credential plugin or a token.
openssl rand -hex 24 > "$dir/pki/exec-token"
echo "$(cat "$dir/pki/exec-token"),exec-user,exec-user,system:masters" > "$dir/pki/tokens.csv"
# A second one for user "counted" (kubeconfigs counted*.kubeconfig, which read
# it through `tokenFile`): the only user the API servers audit, so a test
# counts a run's requests at the server, not by the plugin's own word.
openssl rand -hex 24 > "$dir/pki/counted-token"
echo "$(cat "$dir/pki/counted-token"),counted,counted,\"system:masters,personapack:counted\"" >> "$dir/pki/tokens.csv"
# One audit event per request (RequestReceived, written before the request is
# served), for the group above only.
cat > "$dir/audit-policy.yaml" <<'POLICY'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [ResponseStarted, ResponseComplete, Panic]
rules:
- level: Metadata
  userGroups: ["personapack:counted"]
- level: None
POLICY

kubeconfig "$dir/admin.kubeconfig" "$API_PORT" admin
kubeconfig "$dir/limited.kubeconfig" "$API_PORT" limited rbac-limited
kubeconfig "$dir/controller-manager.kubeconfig" "$API_PORT" controller-manager
kubeconfig "$dir/bare.kubeconfig" "$BARE_PORT" admin
kubeconfig "$dir/ensemble.kubeconfig" "$ENSEMBLE_PORT" admin
kubeconfig "$dir/ensemble-controller-manager.kubeconfig" "$ENSEMBLE_PORT" controller-manager
kubeconfig "$dir/fixture.kubeconfig" "$FIXTURE_PORT" admin
kubeconfig "$dir/counted.kubeconfig" "$API_PORT" counted
kubeconfig "$dir/counted-fixture.kubeconfig" "$FIXTURE_PORT" counted

t0=$SECONDS
start etcd "$bin/etcd" --data-dir "$dir/etcd" --client-port "$ETCD_PORT" --peer-port "$ETCD_PEER_PORT"
wait_for etcd 30 curl -sf "http://127.0.0.1:$ETCD_PORT/health"

apiserver kube-apiserver "$API_PORT" /registry
apiserver bare-apiserver "$BARE_PORT" /bare-registry
apiserver fixture-apiserver "$FIXTURE_PORT" /fixture-registry
apiserver ensemble-apiserver "$ENSEMBLE_PORT" /ensemble-registry

k() { KUBECONFIG="$dir/admin.kubeconfig" "$bin/kubectl" "$@"; }
kf() { KUBECONFIG="$dir/fixture.kubeconfig" "$bin/kubectl" "$@"; }
wait_for kube-apiserver 90 k get --raw /readyz
wait_for bare-apiserver 90 env KUBECONFIG="$dir/bare.kubeconfig" "$bin/kubectl" get --raw /readyz
wait_for fixture-apiserver 90 kf get --raw /readyz
ke() { KUBECONFIG="$dir/ensemble.kubeconfig" "$bin/kubectl" "$@"; }
wait_for ensemble-apiserver 90 ke get --raw /readyz
log "API servers ready after $((SECONDS - t0))s"

# Upstream's eight CRDs first (the controller watches every Sympozium kind, and
# the garbage collector only discovers new kinds every 30 s, so both start
# after they are Established). Server-side apply: some are too large for the
# last-applied annotation.
for ctl in k kf; do
  $ctl apply --server-side --force-conflicts -f "$crds/" >/dev/null
  $ctl wait --for=condition=Established --timeout=60s -f "$crds/" >/dev/null
done
k apply -f "$here/rbac.yaml" >/dev/null
ke apply --server-side --force-conflicts -f "$ensemble_crds/" >/dev/null
ke wait --for=condition=Established --timeout=60s -f "$ensemble_crds/" >/dev/null
ke apply -f "$here/rbac.yaml" >/dev/null

controller_manager kube-controller-manager "$KCM_PORT" "$dir/controller-manager.kubeconfig"
controller_manager ensemble-controller-manager "$ENSEMBLE_KCM_PORT" "$dir/ensemble-controller-manager.kubeconfig"

simulated_node node "$dir/admin.kubeconfig" "$KWOK_PORT" "$SCHED_PORT"
simulated_node ensemble-node "$dir/ensemble.kubeconfig" "$ENS_KWOK_PORT" "$ENS_SCHED_PORT"
log "simulated nodes Ready after $((SECONDS - t0))s"

# The real Sympozium controller, out of cluster, as admin; no NATS (channel
# routing off; PersonaPack reconciling does not need it).
start sympozium-controller env -u NATS_URL "$bin/sympozium-controller" \
  -kubeconfig "$dir/admin.kubeconfig" \
  -metrics-bind-address "127.0.0.1:$CTRL_METRICS_PORT" \
  -health-probe-bind-address "127.0.0.1:$CTRL_PROBE_PORT"
wait_for sympozium-controller 60 curl -sf "http://127.0.0.1:$CTRL_PROBE_PORT/readyz"

# Sympozium's own web API (what its web UI calls to enable a pack), for the
# side-by-side enable tests; it blocks at start-up until a JetStream NATS
# answers. Its bearer token is in a file, never on a command line.
start nats-server "$bin/nats-server" -a 127.0.0.1 -p "$NATS_PORT" -m "$NATS_MONITOR_PORT" -js -sd "$dir/nats"
wait_for nats-server 30 curl -sf "http://127.0.0.1:$NATS_MONITOR_PORT/healthz?js-enabled-only=true"
[ -s "$dir/webapi-token" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$dir/webapi-token"
SYMPOZIUM_UI_TOKEN=$(cat "$dir/webapi-token") start sympozium-apiserver "$bin/sympozium-apiserver" \
  -kubeconfig "$dir/admin.kubeconfig" -addr "127.0.0.1:$WEBAPI_PORT" -serve-ui=false \
  -event-bus-url "nats://127.0.0.1:$NATS_PORT"
wait_for sympozium-apiserver 60 curl -sf "http://127.0.0.1:$WEBAPI_PORT/healthz"
echo "http://127.0.0.1:$WEBAPI_PORT" > "$dir/webapi-url"

# The Ensemble era's real controller (v0.10.46) on its own API server, out
# of cluster, no NATS, no Agent Sandbox CRDs; the ensembles its chart
# installs, disabled, in sympozium-system, ready once each is Inactive.
# Cost estimates as the chart ships them (pricing.enabled is its default): the
# price table ConfigMap rendered from the chart's own defaults, named to the
# controller by the chart's two variables.
ke create namespace sympozium-system >/dev/null 2>&1 || true
{ printf 'version: 1\ncurrency: USD\nentries:\n'; sed 's/^/  /' "$ensemble_src/charts/sympozium/files/pricing/defaults.yaml"; } > "$dir/pricing.yaml"
ke create configmap sympozium-model-pricing -n sympozium-system --from-file=pricing.yaml="$dir/pricing.yaml" \
  --dry-run=client -o yaml | ke apply -f - >/dev/null
AGENT_SANDBOX_ENABLED=false SYMPOZIUM_PRICING_CONFIGMAP=sympozium-model-pricing SYMPOZIUM_PRICING_NAMESPACE=sympozium-system \
  start sympozium-ensemble-controller env -u NATS_URL "$bin/sympozium-ensemble-controller" \
  -kubeconfig "$dir/ensemble.kubeconfig" \
  -metrics-bind-address "127.0.0.1:$ENS_METRICS_PORT" \
  -health-probe-bind-address "127.0.0.1:$ENS_PROBE_PORT"
wait_for sympozium-ensemble-controller 60 curl -sf "http://127.0.0.1:$ENS_PROBE_PORT/readyz"
ke create namespace sympozium-system >/dev/null 2>&1 || true
ke apply -f "$ensembles/" >/dev/null
ke wait --for=jsonpath='{.status.phase}'=Inactive --timeout=90s -n sympozium-system ensembles --all >/dev/null \
  || die "the built-in ensembles did not reach phase Inactive (logs in $dir/logs)"
# v0.10.46's own web API beside it, on a JetStream NATS of its own, with the
# same bearer token (read from its file: never on a command line).
start ensemble-nats-server "$bin/nats-server" -a 127.0.0.1 -p "$ENS_NATS_PORT" -m "$ENS_NATS_MONITOR_PORT" -js -sd "$dir/nats-ensemble"
wait_for ensemble-nats-server 30 curl -sf "http://127.0.0.1:$ENS_NATS_MONITOR_PORT/healthz?js-enabled-only=true"
KUBECONFIG="$dir/ensemble.kubeconfig" start sympozium-ensemble-apiserver "$bin/sympozium-ensemble-apiserver" \
  -addr "127.0.0.1:$ENS_WEBAPI_PORT" -serve-ui=false -token-file "$dir/webapi-token" \
  -event-bus-url "nats://127.0.0.1:$ENS_NATS_PORT"
wait_for sympozium-ensemble-apiserver 60 curl -sf "http://127.0.0.1:$ENS_WEBAPI_PORT/healthz"
echo "http://127.0.0.1:$ENS_WEBAPI_PORT" > "$dir/ensemble-webapi-url"
# Each controller's Deployment (lib.sh), as Sympozium's chart makes it.
controller_deployment "$SYMPOZIUM_ENSEMBLE_VERSION" | ke apply -f - >/dev/null
log "Sympozium $SYMPOZIUM_ENSEMBLE_VERSION controller and web API ready, built-in ensembles Inactive after $((SECONDS - t0))s"

# Upstream's built-in packs, disabled, in sympozium-system, as its chart
# installs them; ready once the controller has reconciled each to Inactive.
k apply -f "$packs/" >/dev/null
k wait --for=jsonpath='{.status.phase}'=Inactive --timeout=90s -n sympozium-system personapacks --all >/dev/null \
  || die "the built-in packs did not reach phase Inactive (logs in $dir/logs)"
controller_deployment "$SYMPOZIUM_VERSION" | k apply -f - >/dev/null
touch "$dir/controller-deployments"
log "Sympozium controller ready, built-in packs Inactive after $((SECONDS - t0))s"

cat > "$dir/env" <<ENV
export KUBECONFIG=$dir/admin.kubeconfig
export PERSONAPACK_TESTENV=$dir
export PERSONAPACK_LIMITED_KUBECONFIG=$dir/limited.kubeconfig
export PERSONAPACK_BARE_KUBECONFIG=$dir/bare.kubeconfig
export PERSONAPACK_FIXTURE_KUBECONFIG=$dir/fixture.kubeconfig
export PERSONAPACK_ENSEMBLE_KUBECONFIG=$dir/ensemble.kubeconfig
export PATH=$bin:\$PATH
ENV

if [ -n "$owner" ]; then
  # Tear down when the owner exits; setsid so the watcher outlives our shell.
  setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 0.5; done; "$2" --dir "$3"' _ \
    "$owner" "$here/down.sh" "$dir" > "$dir/logs/watcher.log" 2>&1 < /dev/null &
fi
log "ready in $((SECONDS - t0))s: source $dir/env"

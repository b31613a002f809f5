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

log() { echo "testenv: $*" >&2; }
die() { echo "testenv: error: $*" >&2; exit 1; }
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
  if [ $alive = 1 ] && [ -f "$dir/counted.kubeconfig" ] && [ -f "$dir/webapi-url" ] && [ -f "$dir/ensemble.kubeconfig" ] && [ -f "$dir/node-stages.yaml" ] && [ -f "$dir/ensemble-webapi-url" ] && [ -f "$dir/controller-deployments" ] && KUBECONFIG="$dir/admin.kubeconfig" "$dir/bin/kubectl" get --raw /readyz >/dev/null 2>&1; then
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

# free_port: a port nothing on 127.0.0.1 accepts on right now, below the
# kernel's ephemeral range (32768+) so no outgoing connection can take it first.
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && ! grep -qx "$p" "$dir/ports" 2>/dev/null; then
      echo "$p" >> "$dir/ports"; echo "$p"; return
    fi
  done
  die "no free port found"
}
: > "$dir/ports"
ETCD_PORT=$(free_port); ETCD_PEER_PORT=$(free_port)
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

# kubeconfig FILE SERVER_PORT USER [NAMESPACE]: the user's client
# certificate, or its token file when it has one (pki/USER-token).
kubeconfig() {
  local credential="client-certificate: $dir/pki/$3.crt
    client-key: $dir/pki/$3.key"
  [ -f "$dir/pki/$3-token" ] && credential="tokenFile: $dir/pki/$3-token"
  cat > "$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$2
    certificate-authority: $dir/pki/ca.crt
users:
- name: $3
  user:
    $credential
contexts:
- name: local
  context: {cluster: local, user: $3${4:+, namespace: $4}}
current-context: local
KC
}
kubeconfig "$dir/admin.kubeconfig" "$API_PORT" admin
kubeconfig "$dir/limited.kubeconfig" "$API_PORT" limited rbac-limited
kubeconfig "$dir/controller-manager.kubeconfig" "$API_PORT" controller-manager
kubeconfig "$dir/bare.kubeconfig" "$BARE_PORT" admin
kubeconfig "$dir/ensemble.kubeconfig" "$ENSEMBLE_PORT" admin
kubeconfig "$dir/ensemble-controller-manager.kubeconfig" "$ENSEMBLE_PORT" controller-manager
kubeconfig "$dir/fixture.kubeconfig" "$FIXTURE_PORT" admin
kubeconfig "$dir/counted.kubeconfig" "$API_PORT" counted
kubeconfig "$dir/counted-fixture.kubeconfig" "$FIXTURE_PORT" counted

# start NAME CMD...: run in its own process group, remember the pid and its
# start time (down.sh signals only a process whose start time still matches:
# after a reboot a recycled pid could be anyone's).
start() {
  local name=$1; shift
  setsid "$@" > "$dir/logs/$name.log" 2>&1 < /dev/null &
  echo "$name $! $("$here/proc-start.sh" $!)" >> "$dir/pids"
}

# wait_for WHAT SECONDS CMD...: poll CMD until it succeeds.
wait_for() {
  local what=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what not ready after ${secs}s (logs in $dir/logs)"
    sleep 0.2
  done
}

t0=$SECONDS
start etcd "$bin/etcd" --data-dir "$dir/etcd" --client-port "$ETCD_PORT" --peer-port "$ETCD_PEER_PORT"
wait_for etcd 30 curl -sf "http://127.0.0.1:$ETCD_PORT/health"

apiserver() { # NAME PORT ETCD_PREFIX
  start "$1" "$bin/kube-apiserver" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$2" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" --etcd-prefix="$3" \
    --cert-dir="$dir/pki/$1" \
    --tls-cert-file="$dir/pki/apiserver.crt" --tls-private-key-file="$dir/pki/apiserver.key" \
    --client-ca-file="$dir/pki/ca.crt" --anonymous-auth=false \
    --token-auth-file="$dir/pki/tokens.csv" \
    --authorization-mode=RBAC \
    --service-account-key-file="$dir/pki/sa.pub" \
    --service-account-signing-key-file="$dir/pki/sa.key" \
    --service-account-issuer=https://127.0.0.1 \
    --service-cluster-ip-range=10.96.0.0/16 \
    --endpoint-reconciler-type=none \
    --requestheader-client-ca-file="$dir/pki/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$dir/pki/front-proxy-client.crt" \
    --proxy-client-key-file="$dir/pki/front-proxy-client.key" \
    --enable-priority-and-fairness=false \
    --audit-policy-file="$dir/audit-policy.yaml" --audit-log-format=json \
    --audit-log-mode=blocking --audit-log-path="$dir/logs/$1-audit.log"
}
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

# controller_manager NAME PORT KUBECONFIG: for one API server, the garbage
# collector, the namespace and service-account controllers, and the workload
# controllers an agent run's path needs: Deployments (the memory servers) get
# ReplicaSets and Pods, an AgentRun's Job its Pod (and its TTL), PVCs their
# protection finalizer handled.
controller_manager() {
  start "$1" "$bin/kube-controller-manager" \
    --bind-address=127.0.0.1 --secure-port="$2" \
    --kubeconfig="$3" --authentication-kubeconfig="$3" --authorization-kubeconfig="$3" \
    --controllers=garbagecollector,namespace,serviceaccount,deployment,replicaset,job,ttl-after-finished,pvc-protection,pv-protection \
    --leader-elect=false --use-service-account-credentials=false \
    --service-account-private-key-file="$dir/pki/sa.key" \
    --root-ca-file="$dir/pki/ca.crt"
  wait_for "$1" 60 curl -sfk "https://127.0.0.1:$2/healthz"
}
controller_manager kube-controller-manager "$KCM_PORT" "$dir/controller-manager.kubeconfig"
controller_manager ensemble-controller-manager "$ENSEMBLE_KCM_PORT" "$dir/ensemble-controller-manager.kubeconfig"

# simulated_node NAME KUBECONFIG KWOK_PORT SCHEDULER_PORT: the node of an API
# server that runs a Sympozium controller. No container runtime or kubelet can
# run here; KWOK (a Kubernetes SIG project) stands in for the kubelet: pods
# bound to its node follow its stages (Running and Ready; a Job's pod ends with
# the exit code the test that plays the agent names, kwok/agent-exit.yaml),
# PVCs of its default StorageClass get a volume and are Bound, and it serves
# the kubelet API, so pods/log answers from the CRI log files its Logs objects
# name. kube-scheduler binds the pods to that node. Both run as admin.
simulated_node() {
  local name=$1 kc=$2 kport=$3 sport=$4
  KUBECONFIG=$kc "$bin/kubectl" apply --server-side -f "$bin/../kwok-files/crds.yaml" -f "$here/kwok/storage-class.yaml" >/dev/null
  KUBECONFIG=$kc "$bin/kubectl" wait --for=condition=Established --timeout=60s -f "$bin/../kwok-files/crds.yaml" >/dev/null
  cat "$bin/../kwok-files/stages.yaml" "$here/kwok/agent-exit.yaml" > "$dir/$name-stages.yaml"
  start "$name-scheduler" "$bin/kube-scheduler" --kubeconfig="$kc" \
    --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 --secure-port="$sport" --leader-elect=false
  start "$name-kwok" "$bin/kwok" --kubeconfig="$kc" --manage-all-nodes \
    --node-ip=127.0.0.1 --node-port="$kport" --server-address="127.0.0.1:$kport" \
    --tls-cert-file="$dir/pki/apiserver.crt" --tls-private-key-file="$dir/pki/apiserver.key" \
    --enable-crds=Logs --config="$dir/$name-stages.yaml"
  wait_for "$name-kwok" 60 curl -sfk "https://127.0.0.1:$kport/healthz"
  KUBECONFIG=$kc "$bin/kubectl" apply -f - >/dev/null <<NODE
apiVersion: v1
kind: Node
metadata:
  name: kwok-node
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node, kubernetes.io/role: agent, type: kwok}
NODE
  KUBECONFIG=$kc "$bin/kubectl" wait --for=condition=Ready --timeout=60s node/kwok-node >/dev/null \
    || die "$name: the simulated node did not become Ready (logs in $dir/logs)"
  # The API server taints a new node not-ready; the node lifecycle controller
  # lifts the taint once the node is Ready. That controller is not run (it
  # would want heartbeats KWOK's fast stages do not send), so up.sh lifts it.
  KUBECONFIG=$kc "$bin/kubectl" taint node kwok-node node.kubernetes.io/not-ready:NoSchedule- >/dev/null
  wait_for "$name-scheduler" 60 curl -sfk "https://127.0.0.1:$sport/healthz"
}
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
# Each controller's Deployment as Sympozium's chart names, labels and
# images it: what a cluster shows of which release runs (suspend reads it).
# The processes run out of cluster here, so no replica stands in for them.
controller_deployment() { # VERSION
  printf '%s\n' "apiVersion: apps/v1" "kind: Deployment" "metadata:" \
    "  name: sympozium-controller-manager" "  namespace: sympozium-system" "  labels:" \
    "    app.kubernetes.io/name: sympozium" "    app.kubernetes.io/instance: sympozium" \
    "    app.kubernetes.io/part-of: sympozium" "    app.kubernetes.io/managed-by: Helm" \
    "    app.kubernetes.io/component: controller" "    helm.sh/chart: sympozium-${1#v}" \
    "    control-plane: controller-manager" "spec:" "  replicas: 0" \
    "  selector: {matchLabels: {control-plane: controller-manager}}" "  template:" \
    "    metadata: {labels: {control-plane: controller-manager}}" "    spec:" "      containers:" \
    "      - name: manager" "        image: ghcr.io/sympozium-ai/sympozium/controller:$1"
}
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

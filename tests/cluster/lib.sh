# Shared by up.sh and upgrade.sh: starting and waiting for the pieces of
# a control plane. Every function works in $dir (the environment) with the
# binaries in $bin and these scripts in $here.

log() { echo "testenv: $*" >&2; }
die() { echo "testenv: error: $*" >&2; exit 1; }

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

# Each controller's Deployment as Sympozium's chart names, labels and
# images it: what a cluster shows of which release runs (suspend, migrate read it).
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

# stop_named NAME: stop the process recorded as NAME (if it still is ours:
# same start time) and forget it.
stop_named() {
  local name pid started
  while read -r name pid started; do
    [ "$name" = "$1" ] || continue
    if [ -n "$started" ] && [ "$("$here/proc-start.sh" "$pid")" = "$started" ]; then
      kill -TERM "$pid" 2>/dev/null
      for _ in $(seq 100); do [ -e "/proc/$pid" ] || break; grep -q ') Z ' "/proc/$pid/stat" 2>/dev/null && break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done < "$dir/pids"
  grep -v "^$1 " "$dir/pids" > "$dir/pids.new" || true
  mv "$dir/pids.new" "$dir/pids"
}

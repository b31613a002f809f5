#!/usr/bin/env bash
# Builds the test environment's binaries from pinned Go modules and caches them
# outside the clone, keyed by version and by the tool module's go.sum, so a
# fresh clone (CI) reuses them and a version bump rebuilds only what changed.
# The real Sympozium controller and kubectl-tree are built from their published
# sources in ../shared/upstream beside the project (the module proxy refuses
# them as modules), keyed by a hash of the whole source tree; nothing of them
# is copied into this repository. SYMPOZIUM_UPSTREAM overrides that folder.
# Prints the cache's bin directory on stdout; progress goes to stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
upstream=${SYMPOZIUM_UPSTREAM:-$here/../../../shared/upstream}
[ -d "$upstream" ] || { echo "build.sh: no upstream sources in $upstream (set SYMPOZIUM_UPSTREAM)" >&2; exit 1; }
upstream=$(cd "$upstream" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
cache=${PERSONAPACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-personapack}
bin="$cache/bin"
mkdir -p "$bin"

# key MODULE_DIR VERSION -> a short, stable key for that module's build inputs.
key() { printf '%s-%s' "$2" "$(cat "$1/go.mod" "$1/go.sum" "$1"/*.go 2>/dev/null | sha256sum | cut -c1-12)"; }

# tree_key DIR VERSION -> a short key over every file of a source tree (paths
# and contents), for sources that are not a module of ours.
tree_key() {
  printf '%s-%s' "$2" "$( (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12)"
}

# build NAME MODULE_DIR VERSION PACKAGE [LDFLAGS]: go build PACKAGE once per
# key into $store (versioned names there never show in `kubectl plugin list`
# when $bin is on PATH), then point $bin/NAME at it.
store="$cache/store"
mkdir -p "$store"
build() {
  local name=$1 dir=$2 version=$3 pkg=$4 ldflags=${5:-} out k
  k=${KEY:-$(key "$dir" "$version")}
  [ -z "$ldflags" ] || k="$k-$(printf '%s' "$ldflags" | sha256sum | cut -c1-6)"
  out="$store/$name-$k"
  # From the old layout, where versioned binaries sat in $bin itself.
  if [ ! -x "$out" ] && [ -f "$bin/$name-$k" ] && [ ! -L "$bin/$name-$k" ]; then mv "$bin/$name-$k" "$out"; fi
  if [ ! -x "$out" ]; then
    echo "building $name $version (cached afterwards in $store)" >&2
    local start=$SECONDS
    (cd "$dir" && go build -trimpath -ldflags="-s -w $ldflags" -o "$out.tmp" "$pkg")
    mv "$out.tmp" "$out"
    echo "built $name in $((SECONDS - start))s" >&2
  fi
  ln -sfn "$out" "$bin/$name"
}

# Kubernetes binaries report their real version (`kubectl version`), as a
# release build does; only the link step differs, so the Go cache is reused.
kv="-X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION"
kv="$kv -X k8s.io/component-base/version.gitMajor=$(echo "${KUBERNETES_VERSION#v}" | cut -d. -f1)"
kv="$kv -X k8s.io/component-base/version.gitMinor=$(echo "${KUBERNETES_VERSION#v}" | cut -d. -f2)"
kv="$kv -X k8s.io/component-base/version.gitTreeState=clean"
kv="$kv -X k8s.io/client-go/pkg/version.gitVersion=$KUBERNETES_VERSION"

build etcd "$here/tools/etcd" "$ETCD_VERSION" .
build kube-apiserver "$here/tools/k8s" "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kube-apiserver "$kv"
build kube-controller-manager "$here/tools/k8s" "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kube-controller-manager "$kv"
build kubectl "$here/tools/k8s" "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kubectl "$kv"
# The scheduler binds pods to KWOK's simulated node (KWOK does not schedule).
build kube-scheduler "$here/tools/k8s" "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kube-scheduler "$kv"
# KWOK: the simulated node. Its stage files (how a pod on it moves: Running,
# Ready, a Job's pod Succeeded/Failed) and its Logs CRDs come from the same
# pinned module: copied out of the module cache next to the binary.
build kwok "$here/tools/kwok" "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
kwok_src=$(cd "$here/tools/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
kwok_files="$store/kwok-files-$KWOK_VERSION"
if [ ! -f "$kwok_files/crds.yaml" ]; then
  mkdir -p "$kwok_files.tmp"
  # Every node, pod and volume stage of the module but pod-complete, which
  # ends a Job's pod on its own after a few seconds: here the agent's exit is
  # the test's to say (tests/cluster/kwok/agent-exit.yaml).
  for f in "$kwok_src"/kustomize/stage/node/fast/node-*.yaml "$kwok_src"/kustomize/stage/pod/general/pod-*.yaml \
           "$kwok_src"/kustomize/stage/volume/fast/pv*.yaml; do
    [ "$(basename "$f")" = pod-complete.yaml ] && continue
    cat "$f"; echo "---"
  done > "$kwok_files.tmp/stages.yaml"
  cat "$kwok_src"/kustomize/crd/bases/kwok.x-k8s.io_logs.yaml > "$kwok_files.tmp/crds.yaml"
  rm -rf "$kwok_files"; mv "$kwok_files.tmp" "$kwok_files"
fi
ln -sfn "$kwok_files" "$cache/kwok-files"
# krew runs as a kubectl plugin, so it is named kubectl-krew.
build kubectl-krew "$here/tools/krew" "$KREW_VERSION" sigs.k8s.io/krew/cmd/krew
build validate-krew-manifest "$here/tools/krew" "$KREW_VERSION" sigs.k8s.io/krew/cmd/validate-krew-manifest
# Sympozium's own controller (v0.8.28: the last release with PersonaPack) and
# the tree peer, from the shared upstream sources.
KEY=$(tree_key "$upstream/$SYMPOZIUM_SOURCE" "$SYMPOZIUM_VERSION") \
  build sympozium-controller "$upstream/$SYMPOZIUM_SOURCE" "$SYMPOZIUM_VERSION" ./cmd/controller
# Sympozium's own web API (what its web UI calls to enable a pack), for the
# side-by-side enable tests, and the JetStream bus it needs at start-up.
KEY=$(tree_key "$upstream/$SYMPOZIUM_SOURCE" "$SYMPOZIUM_VERSION") \
  build sympozium-apiserver "$upstream/$SYMPOZIUM_SOURCE" "$SYMPOZIUM_VERSION" ./cmd/apiserver
build nats-server "$here/tools/nats" "$NATS_SERVER_VERSION" github.com/nats-io/nats-server/v2
# The Ensemble-era controller (v0.10.46), for the second control plane.
KEY=$(tree_key "$upstream/$SYMPOZIUM_ENSEMBLE_SOURCE" "$SYMPOZIUM_ENSEMBLE_VERSION") \
  build sympozium-ensemble-controller "$upstream/$SYMPOZIUM_ENSEMBLE_SOURCE" "$SYMPOZIUM_ENSEMBLE_VERSION" ./cmd/controller
# Its web API (v0.10.46 `PATCH /api/v1/ensembles/NAME`, `POST /api/v1/runs`), as the v0.8 one.
KEY=$(tree_key "$upstream/$SYMPOZIUM_ENSEMBLE_SOURCE" "$SYMPOZIUM_ENSEMBLE_VERSION") \
  build sympozium-ensemble-apiserver "$upstream/$SYMPOZIUM_ENSEMBLE_SOURCE" "$SYMPOZIUM_ENSEMBLE_VERSION" ./cmd/apiserver
KEY=$(tree_key "$upstream/$KUBECTL_TREE_SOURCE" "$KUBECTL_TREE_VERSION") \
  build kubectl-tree "$upstream/$KUBECTL_TREE_SOURCE" "$KUBECTL_TREE_VERSION" ./cmd/kubectl-tree
# $bin holds only the links: versioned files left from the old layout would
# show in `kubectl plugin list` (kubectl-krew-v0.4.3-...).
find "$bin" -maxdepth 1 -type f -delete
echo "$bin"

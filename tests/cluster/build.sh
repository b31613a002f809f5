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

# build NAME MODULE_DIR VERSION PACKAGE: go build PACKAGE once per key, then
# point $bin/NAME at the cached binary.
build() {
  local name=$1 dir=$2 version=$3 pkg=$4 ldflags=${5:-} out
  out="$bin/$name-${KEY:-$(key "$dir" "$version")}"
  if [ ! -x "$out" ]; then
    echo "building $name $version (cached afterwards in $bin)" >&2
    local start=$SECONDS
    (cd "$dir" && go build -trimpath -ldflags="-s -w $ldflags" -o "$out.tmp" "$pkg")
    mv "$out.tmp" "$out"
    echo "built $name in $((SECONDS - start))s" >&2
  fi
  ln -sfn "$(basename "$out")" "$bin/$name"
}

build etcd "$here/tools/etcd" "$ETCD_VERSION" .
build kube-apiserver "$here/tools/k8s" "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kube-apiserver
build kube-controller-manager "$here/tools/k8s" "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kube-controller-manager
build kubectl "$here/tools/k8s" "$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kubectl
# krew runs as a kubectl plugin, so it is named kubectl-krew.
build kubectl-krew "$here/tools/krew" "$KREW_VERSION" sigs.k8s.io/krew/cmd/krew
build validate-krew-manifest "$here/tools/krew" "$KREW_VERSION" sigs.k8s.io/krew/cmd/validate-krew-manifest
# Sympozium's own controller (v0.8.28: the last release with PersonaPack) and
# the tree peer, from the shared upstream sources.
KEY=$(tree_key "$upstream/$SYMPOZIUM_SOURCE" "$SYMPOZIUM_VERSION") \
  build sympozium-controller "$upstream/$SYMPOZIUM_SOURCE" "$SYMPOZIUM_VERSION" ./cmd/controller
KEY=$(tree_key "$upstream/$KUBECTL_TREE_SOURCE" "$KUBECTL_TREE_VERSION") \
  build kubectl-tree "$upstream/$KUBECTL_TREE_SOURCE" "$KUBECTL_TREE_VERSION" ./cmd/kubectl-tree
echo "$bin"

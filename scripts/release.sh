#!/usr/bin/env bash
# Builds the release archive for the host target and renders a concrete krew
# manifest for it from krew/personapack.yaml: the version from Cargo.toml, the
# archive's URI (a file:// URI unless RELEASE_BASE_URL is set) and its sha256.
# Platforms that were not built here are left out of the rendered manifest
# (the release workflow builds and renders all of them).
#
#   scripts/release.sh [OUT_DIR]   (default target/release-artifacts)
# Env: RELEASE_BASE_URL (where the archive will be served), RELEASE_BINARY.
# Prints the rendered manifest's path.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/release-artifacts}
mkdir -p "$out"
out=$(cd "$out" && pwd)

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
grep -q '^  version: v{{VERSION}}$' krew/personapack.yaml || { echo "release: krew/personapack.yaml must take its version from Cargo.toml (v{{VERSION}})" >&2; exit 1; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) os=linux arch=amd64 ;;
  Linux-aarch64) os=linux arch=arm64 ;;
  Darwin-x86_64) os=darwin arch=amd64 ;;
  Darwin-arm64) os=darwin arch=arm64 ;;
  *) echo "release: unsupported host $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
# RELEASE_BINARY: package an already built binary (the tests use their own).
binary=${RELEASE_BINARY:-target/release/kubectl-personapack}
[ -n "${RELEASE_BINARY:-}" ] || cargo build --release --locked --quiet
stage=$(mktemp -d)
cp "$binary" "$stage/kubectl-personapack"
cp LICENSE "$stage/"
archive="$out/kubectl-personapack_v${version}_${os}_${arch}.tar.gz"
tar -C "$stage" -czf "$archive" kubectl-personapack LICENSE
rm -rf "$stage"
sha=$(sha256sum "$archive" | cut -d' ' -f1)
uri="${RELEASE_BASE_URL:-file://$out}/$(basename "$archive")"

python3 scripts/render-manifest.py krew/personapack.yaml "$out/personapack.yaml" "$version" "${os}_${arch}=$uri@$sha"
echo "$out/personapack.yaml"

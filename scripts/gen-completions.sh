#!/usr/bin/env bash
# Regenerates completions/ from the clap definitions (a unit test fails when
# the committed scripts are stale).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=target/debug/kubectl-personapack
"$bin" completion bash > completions/kubectl-personapack.bash
"$bin" completion zsh > completions/_kubectl-personapack
"$bin" completion fish > completions/kubectl-personapack.fish
"$bin" completion powershell > completions/kubectl-personapack.ps1

//go:build tools

// Package tools pins krew and its manifest validator, built by
// tests/cluster/build.sh for the krew install tests.
package tools

import (
	_ "sigs.k8s.io/krew/cmd/krew"
	_ "sigs.k8s.io/krew/cmd/validate-krew-manifest"
)

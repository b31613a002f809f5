//go:build tools

// Package tools pins KWOK (Kubernetes WithOut Kubelet, a Kubernetes SIG
// project): the simulated node of the test environment's API servers, whose
// pods follow Stage resources and whose kubelet API serves pods/log from
// files. build.sh builds it from this module.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"

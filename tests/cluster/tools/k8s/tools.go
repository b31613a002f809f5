//go:build tools

// Package tools pins the Kubernetes commands the test environment builds
// (kube-apiserver, kube-controller-manager, kubectl) to one k8s.io/kubernetes
// version. Only `go build <pkg>` is ever run here; nothing imports this file.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)

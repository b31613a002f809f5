//go:build tools

// Package tools pins nats-server, the JetStream bus Sympozium's web API
// (cmd/apiserver) needs at start-up; build.sh builds it from this module.
package tools

import _ "github.com/nats-io/nats-server/v2"

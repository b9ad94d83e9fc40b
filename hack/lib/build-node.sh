#!/usr/bin/env bash
# Builds the real test node's binaries from Go modules into $NODE_BIN_DIR: kubelet and
# kube-proxy (from the same wrapper module as the control plane) and CoreDNS with only the
# plugins a cluster-internal resolver needs (no forward plugin: nothing is asked outside).
# Each binary is skipped when already present.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WORK="$TOOLS_DIR/src"
GO_BUILD=(go build -trimpath -p "${GO_BUILD_JOBS:-2}")

# The control-plane wrapper (hack/lib/build-tools.sh) already maps every staging module to its
# release; the node wrapper reuses that go.mod under its own module name.
build_kubelet_and_proxy() {
  local dir="$WORK/kubernetes-node"
  [[ -x "$NODE_BIN_DIR/kubelet" && -x "$NODE_BIN_DIR/kube-proxy" ]] && return
  [[ -f "$WORK/kubernetes/go.mod" ]] || die "no control-plane wrapper module in $WORK/kubernetes; run hack/cluster build first"
  log "building kubelet and kube-proxy $KUBE_VERSION (cold: several minutes)"
  mkdir -p "$dir"
  sed 's|^module .*|module erlmachine.io/hack/kubernetes-node|' "$WORK/kubernetes/go.mod" > "$dir/go.mod"
  cp "$WORK/kubernetes/go.sum" "$dir/go.sum"
  cat > "$dir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
GO
  (cd "$dir" && go mod tidy \
   && "${GO_BUILD[@]}" -ldflags "$(kube_ldflags)" -o "$NODE_BIN_DIR/" k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy)
}

# CoreDNS chooses its plugins at build time; this main package links only the listed ones.
build_coredns() {
  local dir="$WORK/coredns"
  [[ -x "$NODE_BIN_DIR/coredns" ]] && return
  log "building CoreDNS $COREDNS_VERSION (kubernetes plugin, no forwarding)"
  mkdir -p "$dir"
  printf 'module erlmachine.io/hack/coredns\n\ngo 1.25.0\n\nrequire github.com/coredns/coredns %s\n' "$COREDNS_VERSION" > "$dir/go.mod"
  cat > "$dir/main.go" <<'GO'
// CoreDNS for the test node: the cluster domain from the Kubernetes API, nothing forwarded.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

func init() {
	dnsserver.Directives = []string{"bind", "ready", "health", "errors", "log", "loadbalance", "cache", "kubernetes"}
}

func main() {
	coremain.Run()
}
GO
  (cd "$dir" && go mod tidy && "${GO_BUILD[@]}" -ldflags "-s -w" -o "$NODE_BIN_DIR/coredns" .)
}

main() {
  require_go
  mkdir -p "$NODE_BIN_DIR"
  build_kubelet_and_proxy
  build_coredns
  log "node binaries ready in $NODE_BIN_DIR"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi

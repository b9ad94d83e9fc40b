# Shared settings for the hack/ scripts. Source it; do not run it.
set -euo pipefail

HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO_ROOT="$(cd "$HACK_DIR/.." && pwd)"
# shellcheck source=../versions.env
source "$HACK_DIR/versions.env"

# Everything built or started lives outside the repository.
ERLMACHINE_CACHE="${ERLMACHINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/erlmachine}"
TOOLS_DIR="$ERLMACHINE_CACHE/tools/kube-${KUBE_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_helm-${HELM_VERSION}"
BIN_DIR="$TOOLS_DIR/bin"
CLUSTER_NAME="${ERLMACHINE_CLUSTER:-erlmachine-test}"

export GOTOOLCHAIN=local
export CGO_ENABLED=0

log() { printf '[hack] %s\n' "$*" >&2; }
die() { printf '[hack] error: %s\n' "$*" >&2; exit 1; }

require_go() {
  command -v go >/dev/null || die "Go is required to build the control plane (https://go.dev/dl); none on PATH"
}

# Where the real test node's binaries (kubelet, kube-proxy, CoreDNS) are built to.
NODE_BIN_DIR="$ERLMACHINE_CACHE/tools/node-kube-${KUBE_VERSION}_coredns-${COREDNS_VERSION}/bin"

# Version stamps for binaries built from k8s.io/kubernetes (kwokctl and kubelet read them).
kube_ldflags() {
  local v="$KUBE_VERSION" minor major flags="" pkg
  major="$(echo "${v#v}" | cut -d. -f1)"; minor="$(echo "${v#v}" | cut -d. -f2)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "-s -w$flags"
}

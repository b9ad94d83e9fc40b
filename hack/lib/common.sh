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

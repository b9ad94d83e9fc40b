#!/usr/bin/env bash
# Builds the pinned control-plane binaries from Go modules (no prebuilt downloads) into
# $BIN_DIR: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok, kwokctl, helm.
# Each binary is skipped when already present, so a warm run takes well under a second.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WORK="$TOOLS_DIR/src"
GO_BUILD=(go build -trimpath -p "${GO_BUILD_JOBS:-2}")

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with local
# paths, so a wrapper module has to point each one at its published v0.X.Y release.
build_kubernetes() {
  local dir="$WORK/kubernetes" staging_version gomod
  [[ -x "$BIN_DIR/kube-apiserver" && -x "$BIN_DIR/kube-controller-manager" && -x "$BIN_DIR/kube-scheduler" ]] && return
  log "building kube-apiserver, kube-controller-manager, kube-scheduler $KUBE_VERSION (cold: tens of minutes)"
  staging_version="v0.${KUBE_VERSION#v1.}"
  mkdir -p "$dir"
  gomod="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [[ -f "$gomod" ]] || die "could not download k8s.io/kubernetes@$KUBE_VERSION from the Go module proxy"
  {
    echo "module erlmachine.io/hack/kubernetes"
    echo
    grep -E '^go [0-9]' "$gomod"
    grep -E '^godebug' "$gomod" || true
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    grep -E '^\s+k8s.io/[a-z0-9-]+ => \./staging/' "$gomod" \
      | awk -v ver="$staging_version" '{print "replace " $1 " => " $1 " " ver}'
  } > "$dir/go.mod"
  cat > "$dir/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
GO
  (cd "$dir" && go mod tidy \
   && "${GO_BUILD[@]}" -ldflags "$(kube_ldflags)" -o "$BIN_DIR/" \
     k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler)
}

# etcd's server module also replaces its sibling modules with local paths.
build_etcd() {
  local dir="$WORK/etcd" gomod
  [[ -x "$BIN_DIR/etcd" ]] && return
  log "building etcd $ETCD_VERSION"
  mkdir -p "$dir"
  gomod="$(cd "$dir" && go mod download -json "go.etcd.io/etcd/server/v3@$ETCD_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  {
    echo "module erlmachine.io/hack/etcd"
    echo
    grep -E '^go [0-9]' "$gomod"
    echo
    echo "require go.etcd.io/etcd/server/v3 $ETCD_VERSION"
    grep -E '^\s+go.etcd.io/etcd/[a-z0-9/]+ => \.\./' "$gomod" \
      | awk -v ver="$ETCD_VERSION" '{print "replace " $1 " => " $1 " " ver}'
  } > "$dir/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > "$dir/tools.go"
  (cd "$dir" && go mod tidy \
   && "${GO_BUILD[@]}" -ldflags "-s -w" -o "$BIN_DIR/etcd" go.etcd.io/etcd/server/v3)
}

build_go_install() {
  local name="$1" pkg="$2" ldflags="${3:-}"
  [[ -x "$BIN_DIR/$name" ]] && return
  log "building $name from $pkg"
  GOBIN="$BIN_DIR" go install -trimpath -ldflags "-s -w $ldflags" "$pkg"
}

main() {
  require_go
  mkdir -p "$BIN_DIR"
  build_etcd
  build_go_install kwok "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
  build_go_install kwokctl "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
  local kminor; kminor="$(echo "${KUBE_VERSION#v}" | cut -d. -f2)"
  build_go_install helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" \
    "-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$kminor"
  build_kubernetes
  log "control-plane binaries ready in $BIN_DIR"
}

main "$@"

# Shared by the at-scale benchmarks: a packaged operator copied aside and a fresh kwok cluster with
# the API server's audit log on and the CRDs installed. Source it from REPO_ROOT, then call
#   bench_prepare NODES      sets $app (the operator's quarkus-app copy) and $kubeconfig
# Everything it made goes again when the script exits.

bench_prepare() {
  local nodes="$1"
  ./mvnw -q -B -pl bench -am package -DskipTests
  # The operator runs from a copy, so a rebuild during the run cannot change its jars under it.
  app="$(mktemp -d)"
  cp -r operator/target/quarkus-app/. "$app/"

  bench_policy="$(mktemp --suffix=.yaml)"
  cat > "$bench_policy" <<'POLICY'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: Metadata
POLICY
  export ERLMACHINE_CLUSTER="${ERLMACHINE_CLUSTER:-erlmachine-bench}" ERLMACHINE_AUDIT_POLICY="$bench_policy"
  hack/cluster down >/dev/null 2>&1 || true
  kubeconfig="$(hack/cluster up "$nodes")"
  trap 'hack/cluster down; rm -rf "$bench_policy" "$app"' EXIT
  kubectl --kubeconfig "$kubeconfig" apply --server-side -f crds/ >/dev/null
  kubectl --kubeconfig "$kubeconfig" wait --for=condition=Established crd --all --timeout=60s >/dev/null
}

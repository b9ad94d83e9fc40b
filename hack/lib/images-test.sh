#!/usr/bin/env bash
# hack/images test: runs the engine and operator images as containers with the restrictions of
# their pods (read-only root, all capabilities dropped, no new privileges, UID 10001, a writable
# /tmp only) and checks that they work:
#  - each image has no shell and its process runs as 10001 with no capabilities;
#  - the engine logs that the optimizing compiler is active, answers its health probes, and
#    runs a message through a JavaScript gear;
#  - the operator connects to a real control plane, becomes ready and creates a Machine's pod.
# Containers use the host network on 127.0.0.1 only. Build the images first (hack/images build).
source "$(dirname "${BASH_SOURCE[0]}")/images.sh"

ENGINE_IMAGE="erlmachine/engine:$IMAGES_TAG"
OPERATOR_IMAGE="erlmachine/operator:$IMAGES_TAG"
WORK="$(mktemp -d)"
CONTAINERS=()
FAILURES=0
OWN_CLUSTER=""
# The pod's emptyDir for /tmp is a plain directory: Truffle loads its native library from it, so
# the tmpfs standing in for it must allow exec (podman's default tmpfs options do not).
RESTRICTED=(--read-only --tmpfs "/tmp:rw,exec,nosuid,nodev,size=256m,mode=1777" --cap-drop=ALL
            --security-opt no-new-privileges --user "$IMAGES_UID:$IMAGES_UID" --network=host --memory=768m)

cleanup() {
  local id
  for id in "${CONTAINERS[@]}"; do podman rm -f "$id" >/dev/null 2>&1 || true; done
  if [[ -n "$OWN_CLUSTER" ]]; then ERLMACHINE_CLUSTER="$OWN_CLUSTER" "$HACK_DIR/cluster" down >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

pass() { printf '[images test] ok   %s\n' "$*" >&2; }
fail() { printf '[images test] FAIL %s\n' "$*" >&2; FAILURES=$((FAILURES + 1)); }
check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

free_port() {
  local port
  for port in $(shuf -i 20000-39999 -n 50); do
    [[ -z "$(ss -Htln "sport = :$port")" ]] && { echo "$port"; return; }
  done
  die "no free port found"
}

# Waits up to $2 seconds for the container's log to contain $3 (a fixed string).
wait_for_log() {
  local id="$1" seconds="$2" text="$3" i
  for ((i = 0; i < seconds; i++)); do
    grep -qF -- "$text" <<<"$(podman logs "$id" 2>&1)" && return 0
    [[ "$(podman inspect --format '{{.State.Running}}' "$id")" == true ]] || return 1
    sleep 1
  done
  return 1
}

http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

wait_for_status() {
  local url="$1" seconds="$2" i
  for ((i = 0; i < seconds; i++)); do
    [[ "$(http_status "$url")" == 200 ]] && return 0
    sleep 1
  done
  return 1
}

has_no_shell() {
  local id listing
  id="$(podman create --entrypoint /none "$1")"
  listing="$(podman export "$id" | tar -t)"
  podman rm "$id" >/dev/null
  [[ -n "$listing" ]] && ! grep -qE '^(\./)?(usr/)?s?bin/(sh|bash|dash|busybox)$' <<<"$listing"
}

# The container's main process: UID 10001 everywhere, no effective capabilities, no_new_privs.
runs_restricted() {
  local pid status
  pid="$(podman inspect --format '{{.State.Pid}}' "$1")"
  status="$(cat "/proc/$pid/status")"
  grep -qE "^Uid:\s+$IMAGES_UID\s+$IMAGES_UID\s+$IMAGES_UID\s+$IMAGES_UID$" <<<"$status" \
    && grep -qE '^CapEff:\s+0+$' <<<"$status" && grep -qE '^NoNewPrivs:\s+1$' <<<"$status" \
    && [[ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$1")" == true ]]
}

show_log() { podman logs "$1" 2>&1 | tail -n 40 | sed 's/^/    | /' >&2; }

test_engine() {
  local port id base started
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  mkdir -p "$WORK/engine"
  cp "$HACK_DIR/lib/images-test-machine.yaml" "$WORK/engine/machine.yaml"
  chmod 755 "$WORK" "$WORK/engine"; chmod 644 "$WORK/engine/machine.yaml"
  check "engine image has no shell" has_no_shell "$ENGINE_IMAGE"
  started=$SECONDS
  id="$(podman run -d "${RESTRICTED[@]}" -v "$WORK/engine:/config:ro" \
    -e ERLMACHINE_CONFIG=/config/machine.yaml -e ERLMACHINE_HTTP_HOST=127.0.0.1 -e "ERLMACHINE_HTTP_PORT=$port" \
    "$ENGINE_IMAGE")"
  CONTAINERS+=("$id")
  if ! wait_for_log "$id" 180 "JavaScript runs with the optimizing compiler"; then
    fail "engine logs that the optimizing compiler is active"; show_log "$id"; return
  fi
  pass "engine logs that the optimizing compiler is active"
  check "engine process runs as $IMAGES_UID without capabilities on a read-only root" runs_restricted "$id"
  check "engine answers /q/health/live" wait_for_status "$base/q/health/live" 120
  if wait_for_status "$base/q/health/ready" 120; then
    pass "engine answers /q/health/ready ($((SECONDS - started)) s after start)"
  else
    fail "engine answers /q/health/ready"; show_log "$id"; return
  fi
  check "engine reports the compiler active on GET /api/v1/machine" \
    grep -q '"active":true' <<<"$(curl -s --max-time 5 "$base/api/v1/machine")"
  local sent
  sent="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
    -d '{"id": 7, "qty": 5}' "$base/api/v1/gearboxes/orders/gears/in/messages")"
  check "engine accepts a message (HTTP $sent)" [ "${sent:0:1}" == 2 ]
  local i state=""
  for ((i = 0; i < 30; i++)); do
    state="$(curl -s --max-time 5 "$base/api/v1/gearboxes/orders/gears/sink/state")"
    grep -q '"count":1' <<<"$state" && break
    sleep 1
  done
  check "the message went through the JavaScript gear to the counter ($state)" grep -q '"count":1' <<<"$state"
  (( FAILURES == 0 )) || show_log "$id"
}

# A control plane to connect to: ERLMACHINE_IMAGES_KUBECONFIG, else the test cluster when it is
# up (the operator then watches only its own namespace and leaves other tests alone), else a
# cluster of its own (hack/cluster under another name), stopped afterwards.
kubeconfig_for_test() {
  if [[ -n "${ERLMACHINE_IMAGES_KUBECONFIG:-}" ]]; then echo "$ERLMACHINE_IMAGES_KUBECONFIG"; return; fi
  local status
  if status="$("$HACK_DIR/cluster" status 2>/dev/null)"; then echo "${status#up: }"; return; fi
  OWN_CLUSTER=erlmachine-images
  ERLMACHINE_CLUSTER="$OWN_CLUSTER" "$HACK_DIR/cluster" up 1
}

chart_jvm_options() { sed -n 's/^jvmOptions: *"\(.*\)"$/\1/p' "$REPO_ROOT/helm/erlmachine/values.yaml"; }

# -Xshare:on refuses to start when no archive matches the options (compact object headers need their own).
shares_class_data() {
  local options
  read -r -a options <<<"$(chart_jvm_options)"
  podman run --rm "${RESTRICTED[@]}" --entrypoint /opt/java/bin/java "$1" "${options[@]}" -Xshare:on -version >/dev/null 2>&1
}

test_operator() {
  local kubeconfig port id ns=erlmachine-image-test base
  check "operator image has no shell" has_no_shell "$OPERATOR_IMAGE"
  kubeconfig="$(kubeconfig_for_test)" || { fail "a control plane for the operator (hack/cluster up)"; return; }
  # One self-contained file (certificates inline) to mount into the container.
  kubectl --kubeconfig "$kubeconfig" config view --raw --minify --flatten > "$WORK/kubeconfig"
  chmod 644 "$WORK/kubeconfig"
  local k=(kubectl --kubeconfig "$WORK/kubeconfig")
  # CRDs a running test cluster already has stay as they are (their manager is the test suite).
  if ! "${k[@]}" get crd machines.erlmachine.io gearboxes.erlmachine.io transmissions.erlmachine.io >/dev/null 2>&1; then
    "${k[@]}" apply --server-side -f "$REPO_ROOT/crds/" >/dev/null
    "${k[@]}" wait --for=condition=Established crd --all --timeout=60s >/dev/null
  fi
  "${k[@]}" create namespace "$ns" --dry-run=client -o yaml | "${k[@]}" apply -f - >/dev/null
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  id="$(podman run -d "${RESTRICTED[@]}" -v "$WORK/kubeconfig:/config/kubeconfig:ro" \
    -e KUBECONFIG=/config/kubeconfig -e "POD_NAMESPACE=$ns" -e "QUARKUS_OPERATOR_SDK_NAMESPACES=$ns" \
    -e "ERLMACHINE_HTTP_PORT=$port" -e QUARKUS_HTTP_HOST=127.0.0.1 \
    -e "JAVA_TOOL_OPTIONS=$(chart_jvm_options)" \
    "$OPERATOR_IMAGE")"
  CONTAINERS+=("$id")
  if wait_for_status "$base/q/health/ready" 180; then
    pass "operator connects to the control plane and is ready"
  else
    fail "operator connects to the control plane and is ready"; show_log "$id"; return
  fi
  check "operator process runs as $IMAGES_UID without capabilities on a read-only root" runs_restricted "$id"
  check "operator image has a class-data archive for the chart's JVM options" shares_class_data "$OPERATOR_IMAGE"
  "${k[@]}" -n "$ns" apply -f - >/dev/null <<'EOF'
apiVersion: erlmachine.io/v1alpha1
kind: Machine
metadata: {name: image-test}
spec: {hosting: Dedicated}
EOF
  local i
  for ((i = 0; i < 60; i++)); do
    [[ -n "$("${k[@]}" -n "$ns" get statefulset -l erlmachine.io/machine=image-test -o name 2>/dev/null)" ]] && break
    sleep 1
  done
  check "operator creates the engine StatefulSet of a Machine" \
    grep -q . <<<"$("${k[@]}" -n "$ns" get statefulset -l erlmachine.io/machine=image-test -o name 2>/dev/null)"
  "${k[@]}" delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  (( FAILURES == 0 )) || show_log "$id"
}

images_write_containers_conf
only="${1:-}"
[[ -z "$only" || "$only" == engine || "$only" == operator ]] || die "usage: hack/images test [engine|operator]"
for name in engine operator; do
  [[ -z "$only" || "$only" == "$name" ]] || continue
  podman image exists "erlmachine/$name:$IMAGES_TAG" || die "no image erlmachine/$name:$IMAGES_TAG; run hack/images build first"
  "test_$name"
done
if (( FAILURES )); then die "$FAILURES image check(s) failed"; fi
log "the images passed"

# The real test node: containerd, CNI bridge, kubelet, kube-proxy and CoreDNS as plain processes
# beside the kwok nodes. Source it from hack/cluster (needs KUBECONFIG_PATH, SERVICE_CIDR,
# KWOK_WORKDIR); do not run it.
source "$HACK_DIR/lib/net-guard.sh"

NODE_NAME="${ERLMACHINE_NODE_NAME:-erlmachine-node-1}"
# The pod range stays clear of the kwok nodes' fake pod ranges (10.0.N.0/24) and of podman's 10.88/16.
NODE_POD_CIDR=10.244.0.0/24
NODE_BRIDGE=erlm0
# The bridge gateway is the node's address: kubelet, CoreDNS and the API server's advertised
# address live on it, so pods reach them without any route leaving the machine.
NODE_IP=10.244.0.1
NODE_SERVICE_DEVICE=erlm-svc
# Pods of the real node must tolerate this taint; kwok nodes carry type=kwok instead.
NODE_TAINT_KEY=erlmachine.io/real-node
NODE_LABEL="erlmachine.io/node=real"
NODE_DIR="$ERLMACHINE_CACHE/node/$CLUSTER_NAME"
NODE_RUN="/run/erlmachine/$CLUSTER_NAME"
CONTAINERD_SOCK="$NODE_RUN/containerd.sock"
IMAGES_DIR="${ERLMACHINE_IMAGES:-$ERLMACHINE_CACHE/images}"
PAUSE_IMAGE=localhost/erlmachine/pause:catatonit
CHECK_IMAGE=localhost/erlmachine/node-check:busybox
PKI_DIR="$KWOK_WORKDIR/clusters/$CLUSTER_NAME/pki"
# The node's pods live under a cgroup of their own whose CPU weight is that of 20 busy processes:
# without it, a pod requesting 50m CPU gets next to nothing beside builds running on the same
# machine, and engines miss their liveness probes while starting.
NODE_CGROUP=erlmachine-node
NODE_CPU_SHARES=20480

ctr_node() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

node_require_tools() {
  local missing=() tool
  for tool in containerd containerd-shim-runc-v2 runc ctr nft iptables buildah catatonit busybox; do
    command -v "$tool" >/dev/null || missing+=("$tool")
  done
  [[ -x /usr/lib/cni/bridge && -x /usr/lib/cni/host-local && -x /usr/lib/cni/portmap && -x /usr/lib/cni/loopback ]] \
    || missing+=("CNI plugins in /usr/lib/cni")
  (( ${#missing[@]} == 0 )) || die "the real node needs: ${missing[*]} (Debian: apt-get install containerd runc nftables iptables buildah catatonit busybox-static containernetworking-plugins)"
  [[ $EUID -eq 0 ]] || die "the real node runs as root (it creates a bridge and runs containerd)"
}

# One docker-archive per image, cached: a static binary under / and its entrypoint.
node_build_image() {
  local ref=$1 tar=$2 source=$3 target=$4; shift 4
  [[ -f "$tar" ]] && return
  log "building image $ref from $source"
  local ctr
  ctr="$(buildah from scratch)"
  buildah copy "$ctr" "$source" "$target" >/dev/null
  local entrypoint arg
  entrypoint="[\"$target\""
  for arg in "$@"; do entrypoint+=", \"$arg\""; done
  buildah config --entrypoint "$entrypoint]" --user 65532:65532 "$ctr"
  mkdir -p "$(dirname "$tar")"
  buildah commit --rm --quiet "$ctr" "$ref" >/dev/null
  buildah push --quiet "$ref" "docker-archive:$tar.part:$ref"
  mv "$tar.part" "$tar"
}

# write_if_changed FILE: writes stdin to FILE unless it already holds exactly that (kube-proxy
# and CoreDNS restart or stop when their config file is touched).
write_if_changed() {
  local file=$1 content
  content="$(cat)"
  [[ -f "$file" && "$(cat "$file")" == "$content" ]] && return
  printf '%s\n' "$content" > "$file"
}

node_network_up() {
  guard_on "$NODE_POD_CIDR"
  guard_require
  sysctl -qw net.ipv4.ip_forward=1
  # Traffic between pods on the bridge passes the host's netfilter, so Service replies are un-NATed.
  [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] && sysctl -qw net.bridge.bridge-nf-call-iptables=1
  if ! ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
    ip link add "$NODE_BRIDGE" type bridge
  fi
  ip addr replace "$NODE_IP/${NODE_POD_CIDR#*/}" dev "$NODE_BRIDGE"
  ip link set "$NODE_BRIDGE" up
  # Service IPs are routed to a dummy device (or, on kernels without one, a bridge with no
  # ports): a packet kube-proxy did not rewrite is dropped there instead of leaving.
  if ! ip link show "$NODE_SERVICE_DEVICE" >/dev/null 2>&1; then
    ip link add "$NODE_SERVICE_DEVICE" type dummy 2>/dev/null || ip link add "$NODE_SERVICE_DEVICE" type bridge
  fi
  ip link set "$NODE_SERVICE_DEVICE" up
  ip route replace "$SERVICE_CIDR" dev "$NODE_SERVICE_DEVICE"
  local addr
  for addr in "${NODE_POD_CIDR%.*}.10" "${SERVICE_CIDR%.*.*}.0.10"; do
    route_stays_local "$addr" || die "traffic to $addr would leave this machine ($(ip route get "$addr")); refusing to go on"
  done
  mkdir -p "$NODE_DIR/cni/net.d"
  write_if_changed "$NODE_DIR/cni/net.d/10-erlmachine.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "erlmachine",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$NODE_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$NODE_DIR/cni/ipam",
        "ranges": [[{"subnet": "$NODE_POD_CIDR", "gateway": "$NODE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
}

node_cgroup_up() {
  local hierarchy
  for hierarchy in $(awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/mounts); do
    mkdir -p "$hierarchy/$NODE_CGROUP"
  done
  local cpuset=/sys/fs/cgroup/cpuset
  if [[ -f "$cpuset/cpuset.cpus" && -z "$(cat "$cpuset/$NODE_CGROUP/cpuset.cpus")" ]]; then
    cat "$cpuset/cpuset.cpus" > "$cpuset/$NODE_CGROUP/cpuset.cpus"
    cat "$cpuset/cpuset.mems" > "$cpuset/$NODE_CGROUP/cpuset.mems"
  fi
  if [[ -f "/sys/fs/cgroup/cpu/$NODE_CGROUP/cpu.shares" ]]; then
    echo "$NODE_CPU_SHARES" > "/sys/fs/cgroup/cpu/$NODE_CGROUP/cpu.shares"
  elif [[ -f "/sys/fs/cgroup/$NODE_CGROUP/cpu.weight" ]]; then
    echo $((NODE_CPU_SHARES * 10000 / 262144)) > "/sys/fs/cgroup/$NODE_CGROUP/cpu.weight"
  fi
}

node_write_configs() {
  mkdir -p "$NODE_DIR"/{containerd,kubelet,logs,pod-logs} "$NODE_RUN"
  write_if_changed "$NODE_DIR/containerd/config.toml" <<EOF
version = 2
root = "$NODE_DIR/containerd/root"
state = "$NODE_RUN/containerd"
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$NODE_RUN/containerd.ttrpc.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  disable_apparmor = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$NODE_DIR/cni/net.d"
EOF
  # The node's processes use the cluster's admin credentials: this is a throwaway test cluster.
  write_if_changed "$NODE_DIR/kubeconfig" < "$KUBECONFIG_PATH"
  write_if_changed "$NODE_DIR/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
cgroupRoot: /$NODE_CGROUP
failSwapOn: false
failCgroupV1: false
oomScoreAdj: 0
clusterDomain: cluster.local
clusterDNS: [$NODE_IP]
resolvConf: ""
podCIDR: $NODE_POD_CIDR
podLogsDir: $NODE_DIR/pod-logs
maxPods: 110
serializeImagePulls: false
# Imported images have no registry to come back from: never garbage-collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI_DIR/ca.crt}
authorization: {mode: Webhook}
registerWithTaints:
- {key: $NODE_TAINT_KEY, value: "true", effect: NoSchedule}
EOF
  write_if_changed "$NODE_DIR/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $NODE_DIR/kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $NODE_POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  write_if_changed "$NODE_DIR/Corefile" <<EOF
# The cluster domain only; any other name is refused (no forwarding to outside resolvers).
cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
  bind $NODE_IP
  errors
  ready 127.0.0.1:18181
  health 127.0.0.1:18080
  loadbalance
  cache 5
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    kubeconfig $NODE_DIR/kubeconfig
    pods insecure
  }
}
EOF
}

# node_start NAME COMMAND...: runs a process in its own session, logging to the node's log dir.
node_start() {
  local name=$1; shift
  local pidfile="$NODE_RUN/$name.pid"
  if [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    return
  fi
  setsid "$@" >> "$NODE_DIR/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}

node_stop() {
  local name=$1 pidfile="$NODE_RUN/$1.pid" pid i
  [[ -f "$pidfile" ]] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$pidfile"
}

# wait_for SECONDS WHAT COMMAND...: retries COMMAND until it succeeds.
wait_for() {
  local seconds=$1 what=$2 i; shift 2
  for i in $(seq $((seconds * 5))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "$what did not happen within ${seconds}s (logs: $NODE_DIR/logs)"
}

node_import() {
  local tar
  for tar in "$@"; do
    [[ -f "$tar" ]] || die "no image archive at $tar"
    tar -tf "$tar" manifest.json >/dev/null 2>&1 || { log "skipping $tar: not a docker-archive"; continue; }
    log "importing $(basename "$tar") into the node's containerd"
    ctr_node images import "$tar" >/dev/null
  done
}

# The control plane must have been started with the flags the node needs.
node_check_control_plane() {
  cluster_answers || die "the cluster is not up; run hack/cluster up first"
  pgrep -f -- "clusters/$CLUSTER_NAME/bin/kube-apiserver .*--kubelet-preferred-address-types=InternalIP" >/dev/null \
    || die "the running control plane predates the real node's flags; run hack/cluster down, then hack/cluster up"
  # One real node per machine: the bridge, its address and the node's ports are fixed.
  local other
  for other in /run/erlmachine/*/kubelet.pid; do
    [[ -f "$other" && "$other" != "$NODE_RUN/kubelet.pid" ]] && kill -0 "$(cat "$other")" 2>/dev/null \
      && die "a real node of another cluster runs here ($(basename "$(dirname "$other")")); take it down first"
  done
  return 0
}

cmd_node_up() {
  local started=$SECONDS
  node_require_tools
  node_check_control_plane
  node_build_image "$PAUSE_IMAGE" "$IMAGES_DIR/node/pause.tar" "$(command -v catatonit)" /pause -P
  node_build_image "$CHECK_IMAGE" "$IMAGES_DIR/node/node-check.tar" "$(readlink -f "$(command -v busybox)")" /bin/busybox
  node_network_up
  node_cgroup_up
  node_write_configs
  node_start containerd containerd --config "$NODE_DIR/containerd/config.toml"
  wait_for 30 "containerd answering on $CONTAINERD_SOCK" ctr --address "$CONTAINERD_SOCK" version
  node_import "$IMAGES_DIR/node/pause.tar" "$IMAGES_DIR/node/node-check.tar"
  node_start kubelet "$NODE_BIN_DIR/kubelet" --config "$NODE_DIR/kubelet/config.yaml" \
    --kubeconfig "$NODE_DIR/kubeconfig" --root-dir "$NODE_DIR/kubelet/root" --cert-dir "$NODE_DIR/kubelet/pki" \
    --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --node-labels "$NODE_LABEL" --v=1
  node_start kube-proxy "$NODE_BIN_DIR/kube-proxy" --config "$NODE_DIR/kube-proxy.yaml" --v=1
  node_start coredns "$NODE_BIN_DIR/coredns" -conf "$NODE_DIR/Corefile"
  wait_for 60 "node $NODE_NAME registering" kubectl_cluster get node "$NODE_NAME"
  kubectl_cluster wait --for=condition=Ready "node/$NODE_NAME" --timeout=120s >&2
  wait_for 30 "CoreDNS ready" curl -fsS http://127.0.0.1:18181/ready
  wait_for 30 "kube-proxy healthy" curl -fsS http://127.0.0.1:10256/healthz
  log "real node $NODE_NAME ready in $((SECONDS - started))s (pods: $NODE_POD_CIDR on $NODE_BRIDGE, DNS: $NODE_IP)"
}

cmd_node_load() {
  local tars=("$@")
  if (( ${#tars[@]} == 0 )); then
    shopt -s nullglob
    tars=("$IMAGES_DIR"/*.tar)
    shopt -u nullglob
    (( ${#tars[@]} > 0 )) || die "no image archives in $IMAGES_DIR (build them with hack/images build)"
  fi
  [[ -S "$CONTAINERD_SOCK" ]] || die "the real node is not up; run hack/cluster node up first"
  node_import "${tars[@]}"
}

node_unmount_under() {
  local dir
  for dir in "$@"; do
    awk -v d="$dir" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/mounts | sort -r | while read -r mnt; do
      umount -l "$mnt" 2>/dev/null || true
    done
  done
}

cmd_node_down() {
  # Only a node this cluster started is taken down: the bridge and the Service route are shared names.
  if [[ ! -f "$NODE_RUN/containerd.pid" && ! -f "$NODE_RUN/kubelet.pid" ]]; then
    rm -rf "$NODE_RUN"
    return 0
  fi
  if cluster_answers && kubectl_cluster get node "$NODE_NAME" >/dev/null 2>&1; then
    kubectl_cluster cordon "$NODE_NAME" >&2 || true
    kubectl_cluster delete pods --all-namespaces --field-selector "spec.nodeName=$NODE_NAME" --wait=false >&2 || true
    local i
    for i in $(seq 30); do
      [[ -z "$(ctr_node tasks ls -q 2>/dev/null)" ]] && break
      sleep 1
    done
  fi
  node_stop coredns
  node_stop kube-proxy
  node_stop kubelet
  if [[ -S "$CONTAINERD_SOCK" ]]; then
    local task
    for task in $(ctr_node tasks ls -q 2>/dev/null); do
      ctr_node tasks kill -s SIGKILL "$task" >/dev/null 2>&1 || true
    done
    sleep 1
  fi
  local shims
  shims="$(pgrep -f -- "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" || true)"
  node_stop containerd
  [[ -n "$shims" ]] && kill $shims 2>/dev/null || true
  [[ -x "$NODE_BIN_DIR/kube-proxy" ]] && "$NODE_BIN_DIR/kube-proxy" --cleanup >/dev/null 2>&1 || true
  node_unmount_under "$NODE_DIR/kubelet/root" "$NODE_RUN" "$NODE_DIR/containerd/root"
  ip link del "$NODE_BRIDGE" 2>/dev/null || true
  ip link del "$NODE_SERVICE_DEVICE" 2>/dev/null || true
  rm -rf "$NODE_DIR/cni/ipam"
  if cluster_answers; then kubectl_cluster delete node "$NODE_NAME" --ignore-not-found >&2 || true; fi
  rm -rf "$NODE_RUN"
  log "real node $NODE_NAME stopped (the egress guard stays on)"
}

cmd_node_images() {
  ctr_node images ls -q | grep -v '^sha256:'
}

# The host pid of a container's main process, as containerd knows it.
cmd_node_pid() {
  local id=${1:?usage: hack/cluster node pid CONTAINER_ID}
  ctr_node tasks ls | awk -v id="$id" '$1 == id {print $2; found = 1} END {exit !found}' \
    || die "no running container $id on the real node"
}

cmd_node_status() {
  if [[ -S "$CONTAINERD_SOCK" ]] && kubectl_cluster get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; then
    echo "up: $NODE_NAME ($NODE_IP)"
  else
    echo "down"; return 1
  fi
}

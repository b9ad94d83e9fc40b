# The egress guard of the test node. Source it; do not run it.
#
# Its own nftables table (inet erlmachine_guard) rejects, at the output and forward hooks, every
# packet that would leave through a default-route interface towards a private, shared,
# link-local or on-link address (IPv4 and IPv6), except this machine's DNS resolvers on port 53.
# Forwarded packets from the pod range may not leave through such an interface at all. A reject
# in one base chain is final whatever accept rules kube-proxy or CNI add to their own tables, so
# the guard keeps test traffic on this machine. Nothing here ever removes it.

GUARD_TABLE="inet erlmachine_guard"

guard_default_devices() {
  { ip -4 route show default; ip -6 route show default; } 2>/dev/null \
    | awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1)}' | sort -u
}

# guard_rules HOOK POD_CIDR DEVICES...
guard_rules() {
  local hook=$1 pod_cidr=$2 dev v4dns v6dns onlink4 onlink6
  shift 2
  v4dns=$(awk '/^nameserver/ && $2 ~ /^[0-9.]+$/ {print $2}' /etc/resolv.conf | paste -sd, -)
  v6dns=$(awk '/^nameserver/ && $2 ~ /:/ {print $2}' /etc/resolv.conf | paste -sd, -)
  echo "  chain $hook { type filter hook $hook priority -10; policy accept;"
  for dev in "$@"; do
    onlink4=$(ip -4 -o addr show dev "$dev" scope global | awk '{print $4}' | paste -sd, -)
    onlink6=$(ip -6 -o addr show dev "$dev" scope global | awk '{print $4}' | paste -sd, -)
    [[ $hook == forward ]] && echo "    oifname \"$dev\" ip saddr $pod_cidr counter reject"
    [[ -n $v4dns ]] && echo "    oifname \"$dev\" ip daddr { $v4dns } meta l4proto { udp, tcp } th dport 53 accept"
    [[ -n $v6dns ]] && echo "    oifname \"$dev\" ip6 daddr { $v6dns } meta l4proto { udp, tcp } th dport 53 accept"
    echo "    oifname \"$dev\" ip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 169.254.0.0/16${onlink4:+, $onlink4} } counter reject"
    echo "    oifname \"$dev\" ip6 daddr { fc00::/7, fe80::/10${onlink6:+, $onlink6} } counter reject"
  done
  echo "  }"
}

# guard_on POD_CIDR: installs (or refreshes) the guard; fails when it cannot.
guard_on() {
  local pod_cidr=$1 devs file
  command -v nft >/dev/null || die "nft is missing (apt-get install nftables): the egress guard must be on before any pod network exists"
  mapfile -t devs < <(guard_default_devices)
  if (( ${#devs[@]} == 0 )); then
    log "egress guard: no default route, nothing can leave this machine"
    return 0
  fi
  file="$(mktemp)"
  { echo "table $GUARD_TABLE {"; guard_rules output "$pod_cidr" "${devs[@]}"; guard_rules forward "$pod_cidr" "${devs[@]}"; echo "}"; } > "$file"
  nft list table $GUARD_TABLE >/dev/null 2>&1 && nft delete table $GUARD_TABLE
  nft -f "$file" || { rm -f "$file"; die "could not install the egress guard (nftables table $GUARD_TABLE)"; }
  rm -f "$file"
  log "egress guard on (table $GUARD_TABLE; default-route interfaces: ${devs[*]})"
}

# guard_require: refuses to go on unless the guard table is in place.
guard_require() {
  [[ -z "$(guard_default_devices)" ]] && return 0
  nft list table $GUARD_TABLE >/dev/null 2>&1 || die "the egress guard (nftables table $GUARD_TABLE) is not installed; refusing to create a pod network"
}

# route_stays_local ADDR: fails when traffic to ADDR would leave through a default-route interface.
route_stays_local() {
  local addr=$1 dev
  dev="$(ip route get "$addr" 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "dev") {print $(i + 1); exit}}')"
  [[ -n "$dev" ]] || return 1
  ! guard_default_devices | grep -qx "$dev"
}
